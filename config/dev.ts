import type { UserConfigExport } from '@tarojs/cli'

export default {
  logger: {
    quiet: false,
    stats: true,
  },
  mini: {},
  h5: {
    // `npm run dev:h5` serves on :10086; forward the API to the local Node host (npm start, :8080)
    // so the page can keep POSTing to the same-origin path `/api`.
    devServer: {
      proxy: {
        '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
      },
    },
  },
} satisfies UserConfigExport<'webpack5'>
