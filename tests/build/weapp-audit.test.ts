/**
 * scripts/weapp-audit.ts re-does WeChat DevTools' 11 code-quality rules on a built mini program. Each rule
 * is checked here on a small package laid out the way Taro emits one (app + runtime chunks, pages importing
 * base.wxml, the recursive `comp` component, a subpackage with its own sub-common chunk): the clean package
 * passes all 11, and each defect fails exactly the rule that names it.
 */
import { describe, expect, it } from 'vitest'
import { auditWeapp, looksMinified, packageSizes, RULES, type PackageFile, type ProjectSetting, type RuleId } from '../../scripts/weapp-audit'

const ON: ProjectSetting = { minified: true, minifyWXML: true, minifyWXSS: true }

const t = (text: string): PackageFile => ({ size: Buffer.byteLength(text), text })
const json = (v: unknown) => t(JSON.stringify(v))
const page = '<import src="../../base.wxml"/><template is="taro_tmpl" data="{{root:root}}"/>'

function cleanPackage(): Map<string, PackageFile> {
  return new Map<string, PackageFile>([
    ['app.json', json({ pages: ['pages/index/index'], subPackages: [{ root: 'sub', pages: ['pages/a/index'] }], lazyCodeLoading: 'requiredComponents' })],
    ['app.js', t('require("./common"),require("./vendors"),require("./runtime");App({})')],
    ['app.wxss', t('@import "./common.wxss";')],
    ['common.js', t('var a=1;')],
    ['common.wxss', t('.a{color:red}')],
    ['vendors.js', t('var v=1;')],
    ['runtime.js', t('var r=1;')],
    ['utils.wxs', t('module.exports={a:function(){}}')],
    ['base.wxml', t('<wxs module="xs" src="./utils.wxs"/><template name="taro_tmpl"><view><comp i="{{i}}"/></view></template>')],
    ['comp.js', t('require("./runtime");Component({})')],
    ['comp.json', json({ component: true, usingComponents: { comp: './comp' } })],
    ['comp.wxml', t('<import src="./base.wxml"/><template is="tmpl_0_0" data="{{i:i}}"/>')],
    ['pages/index/index.js', t('require("../../runtime");Page({})')],
    ['pages/index/index.json', json({ usingComponents: { comp: '../../comp' } })],
    ['pages/index/index.wxml', t(page)],
    ['pages/index/index.wxss', t('.p{margin:0}')],
    ['sub/sub-common/1a.js', t('var s=1;')],
    ['sub/pages/a/index.js', t('require("../../sub-common/1a.js");require("../../../runtime");Page({})')],
    ['sub/pages/a/index.json', json({ usingComponents: { comp: '../../../comp' } })],
    ['sub/pages/a/index.wxml', t('<import src="../../../base.wxml"/><template is="taro_tmpl" data="{{root:root}}"/>')],
  ])
}

function failing(files: Map<string, PackageFile>, setting: ProjectSetting = ON): RuleId[] {
  return auditWeapp(files, setting).filter((r) => !r.pass).map((r) => r.rule)
}

describe('weapp audit', () => {
  it('has the 11 rules of the code-quality panel, and a clean Taro-shaped package passes all of them', () => {
    expect(RULES).toHaveLength(11)
    const results = auditWeapp(cleanPackage(), ON)
    expect(results.map((r) => r.rule)).toEqual(RULES)
    expect(results.filter((r) => !r.pass)).toEqual([])
  })

  it('counts a package over 1.5 MB, with its size, and sizes each package separately', () => {
    const files = cleanPackage()
    files.set('sub/big.js', { size: 1.6 * 1024 * 1024 })
    files.set('sub/pages/a/index.js', t('require("../../big.js");require("../../sub-common/1a.js");Page({})'))
    const sizes = packageSizes(files)
    expect(sizes.get('sub')).toBeGreaterThan(1.6 * 1024 * 1024)
    expect(sizes.get('')).toBeLessThan(2000)
    const r = auditWeapp(files, ON).find((x) => x.rule === 'PACKAGE_SIZE_LIMIT')!
    expect(r.pass).toBe(false)
    expect(r.figure).toBe(sizes.get('sub'))
  })

  it('fails each compression rule when its project setting is off, or when the emitted file is not minified', () => {
    expect(failing(cleanPackage(), { ...ON, minified: false })).toEqual(['JS_COMPRESS_OPEN'])
    expect(failing(cleanPackage(), { ...ON, minifyWXML: false })).toEqual(['WXML_COMPRESS_OPEN'])
    expect(failing(cleanPackage(), { minified: true, minifyWXML: true })).toEqual(['WXSS_COMPRESS_OPEN'])
    const files = cleanPackage()
    files.set('base.wxml', t('<wxs module="xs" src="./utils.wxs"/>\n<template name="taro_tmpl">\n  <view><comp i="{{i}}"/></view>\n</template>'))
    files.set('common.js', t('var a = 1;\nfunction f() {\n    return a\n}'))
    expect(failing(files)).toEqual(['JS_COMPRESS_OPEN', 'WXML_COMPRESS_OPEN'])
    expect(looksMinified('.a{color:red}.b{margin:0}')).toBe(true)
    expect(looksMinified('.a {\n  color: red;\n}')).toBe(false)
  })

  it('fails 按需注入 without lazyCodeLoading, and when a page uses a component it does not declare', () => {
    const off = cleanPackage()
    off.set('app.json', json({ pages: ['pages/index/index'], subPackages: [{ root: 'sub', pages: ['pages/a/index'] }] }))
    expect(failing(off)).toEqual(['LAZYCODE_LOADING_OPEN'])
    const undeclared = cleanPackage()
    undeclared.set('sub/pages/a/index.json', json({}))
    const r = auditWeapp(undeclared, ON).find((x) => x.rule === 'LAZYCODE_LOADING_OPEN')!
    expect(r.pass).toBe(false)
    expect(r.detail).toEqual(['sub/pages/a/index: <comp> used but not declared'])
  })

  it('adds up images and audio against 200 KB', () => {
    const files = cleanPackage()
    files.set('assets/a.png', { size: 150 * 1024 })
    files.set('pages/index/index.wxml', t(`${page}<image src="/assets/a.png"/><image src="../../assets/b.mp3"/>`))
    expect(failing(files)).toEqual([])
    files.set('assets/b.mp3', { size: 60 * 1024 })
    const r = auditWeapp(files, ON).find((x) => x.rule === 'IMAGE_AND_AUDIO_LIMIT')!
    expect(r).toMatchObject({ pass: false, figure: 210 * 1024 })
  })

  it('finds main-package JS and components that only a subpackage uses', () => {
    const files = cleanPackage()
    files.set('shared.js', t('var x=1;'))
    files.set('sub/pages/a/index.js', t('require("../../../shared.js");require("../../sub-common/1a.js");Page({})'))
    files.set('widget.js', t('Component({})'))
    files.set('widget.json', json({ component: true }))
    files.set('widget.wxml', t('<view/>'))
    files.set('sub/pages/a/index.json', json({ usingComponents: { comp: '../../../comp', widget: '/widget' } }))
    files.set('sub/pages/a/index.wxml', t('<import src="../../../base.wxml"/><widget/>'))
    const results = auditWeapp(files, ON)
    expect(results.find((r) => r.rule === 'CONTAINS_OTHER_PKG_JS')).toMatchObject({ pass: false, detail: ['shared.js'] })
    expect(results.find((r) => r.rule === 'CONTAINS_OTHER_PKG_COMPONENTS')).toMatchObject({ pass: false, detail: ['widget'] })
    // Once a main page uses them too, they belong in the main package.
    files.set('pages/index/index.js', t('require("../../shared.js");require("../../runtime");Page({})'))
    files.set('pages/index/index.json', json({ usingComponents: { comp: '../../comp', widget: '../../widget' } }))
    files.set('pages/index/index.wxml', t(`${page}<widget/>`))
    expect(failing(files)).toEqual([])
  })

  it('finds plugins that nothing uses', () => {
    const files = cleanPackage()
    files.set('app.json', json({ ...JSON.parse(files.get('app.json')!.text!), plugins: { chart: { version: '1.0.0', provider: 'wx1' } } }))
    expect(failing(files)).toEqual(['CONTAINS_UNUSED_PLUGINS'])
    files.set('pages/index/index.js', t('requirePlugin("chart");require("../../runtime");Page({})'))
    expect(failing(files)).toEqual([])
  })

  it('finds a usingComponents entry its template never uses', () => {
    const files = cleanPackage()
    files.set('widget.js', t('Component({})'))
    files.set('widget.json', json({ component: true }))
    files.set('widget.wxml', t('<view/>'))
    files.set('pages/index/index.json', json({ usingComponents: { comp: '../../comp', widget: '../../widget' } }))
    const r = auditWeapp(files, ON).find((x) => x.rule === 'CONTAINS_UNUSED_COMPONENTS')!
    expect(r).toMatchObject({ pass: false, detail: ['pages/index/index: widget'] })
  })

  it('finds files nothing references: a license file, a page missing from app.json, an orphan chunk', () => {
    const files = cleanPackage()
    files.set('vendors.js.LICENSE.txt', t('/*! MIT */'))
    files.set('pages/old/index.js', t('Page({})'))
    files.set('pages/old/index.wxml', t('<view/>'))
    files.set('sub/sub-common/2b.js', t('var o=1;'))
    const r = auditWeapp(files, ON).find((x) => x.rule === 'CONTAINS_UNUSED_CODES')!
    expect(r).toMatchObject({ pass: false, figure: 4 })
    expect(r.detail).toEqual(['pages/old/index.js', 'pages/old/index.wxml', 'sub/sub-common/2b.js', 'vendors.js.LICENSE.txt'])
  })

  it('refuses a folder without app.json', () => {
    const files = cleanPackage()
    files.delete('app.json')
    expect(() => auditWeapp(files, ON)).toThrow(/app\.json is missing/)
  })
})
