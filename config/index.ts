import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin'
import devConfig from './dev'
import prodConfig from './prod'

// One output folder per target so `taro build --type weapp` and `--type h5` never overwrite each other.
// project.config.json (repo root) points WeChat DevTools at dist/weapp/.
const TARO_ENV = process.env.TARO_ENV || 'weapp'

// NutUI React Taro is designed at 375 px; our own styles are written against a 750 px design.
// Taro calls this with the postcss Input (file path in `.file`) for every stylesheet.
function designWidth(input?: string | number | { file?: string }): number {
  const file = typeof input === 'object' && input !== null ? input.file : undefined
  if (file && file.replace(/\\+/g, '/').includes('/@nutui/')) return 375
  return 750
}

/**
 * The cloud environment the weapp build talks to: ZJ_CLOUD_ENV from the environment, else from the
 * git-ignored .env at the repository root (the deploy scripts read the same file). Only this one
 * value is inlined into the client: no key, secret or setup code ever is.
 */
function cloudEnvId(): string {
  const fromEnv = process.env.ZJ_CLOUD_ENV?.trim()
  if (fromEnv) return fromEnv
  const file = resolve(__dirname, '..', '.env')
  if (!existsSync(file)) return ''
  const line = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .find((l) => /^\s*ZJ_CLOUD_ENV\s*=/.test(l))
  return line ? line.slice(line.indexOf('=') + 1).trim().replace(/^(['"])(.*)\1$/, '$2') : ''
}

// https://docs.taro.zone/docs/config
export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'zhaijia',
    date: '2025-11-22',
    designWidth,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    outputRoot: `dist/${TARO_ENV}`,
    plugins: [],
    defineConstants: { ZJ_CLOUD_ENV: JSON.stringify(cloudEnvId()) },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: {
      type: 'webpack5',
      // Dev (--watch) builds pre-bundle node_modules with esbuild. Pre-bundling NutUI's barrel entry emits the
      // WHOLE library (~2.5 MB) into the weapp main package, over WeChat's 2 MB limit. Excluded, NutUI goes
      // through webpack like our code, where unused components are dropped.
      prebundle: { exclude: ['@nutui/nutui-react-taro', '@nutui/icons-react-taro'] },
    },
    cache: {
      enable: false, // webpack persistent cache; turn on locally if rebuilds get slow
    },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
      // Each page imports its own NutUI component styles, so chunk CSS order differs per page; the
      // rules don't depend on it (ours are all scoped by page/component class).
      miniCssExtractPluginOption: { ignoreOrder: true },
      // NutUI's JS already goes through babel: Taro's script rule includes any node_modules path
      // containing "taro" (…/@nutui/nutui-react-taro/…), so no `compile.include` is needed.
      webpackChain(chain) {
        // `@/x` → `src/x`, read from tsconfig.json `paths`
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin)
        // Terser would move license comments into *.js.LICENSE.txt files nothing references, which WeChat's
        // code-quality audit flags as 无依赖文件; drop them from the package (the licenses stay in node_modules).
        // (webpack-chain's typings lack `minimizers`; production builds register Taro's terser under this name.)
        const minimizers = (chain.optimization as unknown as { minimizers: { has(name: string): boolean } }).minimizers
        if (minimizers.has('terserPlugin'))
          chain.optimization.minimizer('terserPlugin').tap((args: unknown[]) => [{ ...(args[0] as object), extractComments: false }])
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: {
        mode: 'hash', // static hosting needs no index.html fallback; URLs look like /#/pages/index/index
      },
      // On H5 Taro runs postcss (pxtransform → rem) only on src/ and on these node_modules.
      // Without it NutUI's CSS would stay in fixed px while ours scales with the viewport.
      esnextModules: ['@nutui'],
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
      webpackChain(chain) {
        // `@/x` → `src/x`, read from tsconfig.json `paths`
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin)
        // Taro's H5 splitChunks only splits *initial* chunks, and every page is a lazy (async) chunk, so any
        // module shared by two pages (NutUI components, src/core, src/client) was copied into each page chunk.
        // Add one cache group that shares such modules between async chunks.
        const split = chain.optimization.get('splitChunks') as
          | { cacheGroups?: Record<string, unknown> }
          | false
          | undefined
        if (split) {
          chain.optimization.splitChunks({
            ...split,
            cacheGroups: {
              ...split.cacheGroups,
              asyncShared: { chunks: 'async', minChunks: 2, minSize: 4096, priority: 5, reuseExistingChunk: true },
            },
          })
        }
        // The Taro + React runtime alone is ~290 KB (app + taro chunks), over webpack's 244 KiB default hint.
        // Warn only above 400 KiB so the hint means something again.
        chain.performance.maxEntrypointSize(400 * 1024).maxAssetSize(300 * 1024)
      },
    },
  }

  // Taro would otherwise copy project.config.json into dist/weapp/ with miniprogramRoot rewritten to './'
  // but cloudfunctionRoot left as 'cloudfunctions/' (wrong relative to dist/weapp). We open the repo root
  // in WeChat DevTools, so the copy is useless and misleading: point the copier at a file that does not
  // exist and it silently skips. (`projectConfigName` is read by @tarojs/plugin-platform-weapp but is
  // missing from Taro's config typings, hence a separate object passed to merge.)
  const skipDistProjectConfig = { projectConfigName: 'project.config.dist-disabled.json' }

  const envConfig = process.env.NODE_ENV === 'development' ? devConfig : prodConfig
  return merge({}, baseConfig, skipDistProjectConfig, envConfig)
})
