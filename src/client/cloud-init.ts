/**
 * weapp: `wx.cloud.init` once at launch, before any cloud API (callFunction, the database watch in
 * live.ts, uploadFile). The environment id comes from the build (ZJ_CLOUD_ENV in the environment
 * or .env when `npm run build:weapp` runs; config/index.ts inlines it). Built without one, the
 * mini program uses the account's default environment, which is what WeChat DevTools picks while
 * developing; `npm run upload` refuses to publish such a build.
 */
import Taro from '@tarojs/taro'

let done = false

export function initCloud(): void {
  if (process.env.TARO_ENV !== 'weapp' || done) return
  done = true
  const env = ZJ_CLOUD_ENV
  Taro.cloud.init({ ...(env ? { env } : {}), traceUser: true })
}
