/// <reference types="@tarojs/taro" />
/// <reference types="miniprogram-api-typings" />

declare module '*.png'
declare module '*.gif'
declare module '*.jpg'
declare module '*.jpeg'
declare module '*.svg'
declare module '*.css'
declare module '*.scss'
declare module '*.sass'

declare namespace NodeJS {
  interface ProcessEnv {
    /** Set by Taro at build time (and by vitest to 'test'). Inlined into the bundle. */
    NODE_ENV?: 'development' | 'production' | 'test'
    /**
     * Build target, inlined by Taro: `'weapp'` in the mini program, `'h5'` in the browser build.
     * Undefined in plain Node (host server, scripts, tests) unless a test defines it.
     */
    TARO_ENV?: 'weapp' | 'h5'
    /** Optional appid override read by Taro when it writes project config (unused: see config/index.ts). */
    TARO_APP_ID?: string
  }
}

/**
 * The WeChat Cloud Development environment id the weapp build talks to (config/index.ts inlines
 * ZJ_CLOUD_ENV from the environment or .env; '' when unset: the account's default environment).
 */
declare const ZJ_CLOUD_ENV: string
