import type { UserConfigExport } from '@tarojs/cli'

export default {
  mini: {
    // Production weapp builds ship compressed WXML too (JS and WXSS are minified by Taro's terser and csso);
    // it only trims ~2 KB off base.wxml, Taro's template set, but the package then needs no re-compression.
    minifyXML: { collapseWhitespace: true },
  },
  h5: {},
} satisfies UserConfigExport<'webpack5'>
