/**
 * WeChat DevTools' code-quality audit (代码质量 panel, the 11 rules Tencent's code analysis lists under
 * 微信小程序代码质量检查), re-done on the built mini program so a build can be checked without DevTools:
 *
 *   PACKAGE_SIZE_LIMIT            every package (main and each subpackage) ≤ 1.5 MB
 *   JS_COMPRESS_OPEN              「上传时压缩脚本」 on (setting.minified) and the emitted JS minified
 *   WXML_COMPRESS_OPEN            setting.minifyWXML on and the emitted WXML minified
 *   WXSS_COMPRESS_OPEN            setting.minifyWXSS on and the emitted WXSS minified
 *   LAZYCODE_LOADING_OPEN         app.json "lazyCodeLoading": "requiredComponents" (组件按需注入), and every
 *                                 custom component a template uses is declared where 按需注入 looks for it
 *   IMAGE_AND_AUDIO_LIMIT         images and audio in the package ≤ 200 KB in all
 *   CONTAINS_OTHER_PKG_JS         no main-package JS that only subpackages use
 *   CONTAINS_OTHER_PKG_COMPONENTS no main-package component that only subpackages use
 *   CONTAINS_UNUSED_PLUGINS       every plugin declared in app.json is used
 *   CONTAINS_UNUSED_COMPONENTS    every usingComponents entry appears in its template
 *   CONTAINS_UNUSED_CODES         no file that nothing references (无依赖文件)
 *
 * `auditWeapp(files, setting)` is pure: it takes the package as a path → file map and the
 * project.config.json `setting`. The CLI (`tsx scripts/weapp-audit.ts [dist/weapp]`) reads both from
 * disk, prints one line per rule and exits 1 when any fails.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PACKAGE_LIMIT = 1.5 * 1024 * 1024
export const MEDIA_LIMIT = 200 * 1024

export type RuleId =
  | 'PACKAGE_SIZE_LIMIT'
  | 'JS_COMPRESS_OPEN'
  | 'WXML_COMPRESS_OPEN'
  | 'WXSS_COMPRESS_OPEN'
  | 'LAZYCODE_LOADING_OPEN'
  | 'IMAGE_AND_AUDIO_LIMIT'
  | 'CONTAINS_OTHER_PKG_JS'
  | 'CONTAINS_OTHER_PKG_COMPONENTS'
  | 'CONTAINS_UNUSED_PLUGINS'
  | 'CONTAINS_UNUSED_COMPONENTS'
  | 'CONTAINS_UNUSED_CODES'

export const RULES: readonly RuleId[] = [
  'PACKAGE_SIZE_LIMIT',
  'JS_COMPRESS_OPEN',
  'WXML_COMPRESS_OPEN',
  'WXSS_COMPRESS_OPEN',
  'LAZYCODE_LOADING_OPEN',
  'IMAGE_AND_AUDIO_LIMIT',
  'CONTAINS_OTHER_PKG_JS',
  'CONTAINS_OTHER_PKG_COMPONENTS',
  'CONTAINS_UNUSED_PLUGINS',
  'CONTAINS_UNUSED_COMPONENTS',
  'CONTAINS_UNUSED_CODES',
]

/** One file of the package: its size, and its text when it is a text file the audit reads. */
export interface PackageFile {
  size: number
  text?: string
}

/** Path (relative to the mini program root, '/' separated) → file. */
export type PackageFiles = ReadonlyMap<string, PackageFile>

/** project.config.json `setting` (only the compression switches are read). */
export interface ProjectSetting {
  minified?: boolean
  minifyWXML?: boolean
  minifyWXSS?: boolean
}

export interface RuleResult {
  rule: RuleId
  title: string
  pass: boolean
  /** The measured figure: bytes for sizes, a count of offending files otherwise. */
  figure: number
  unit: 'bytes' | 'files' | 'plugins' | 'components' | 'flag'
  /** The offenders (file paths, component names) or the package sizes; empty when there is nothing to say. */
  detail: string[]
}

interface AppJson {
  pages?: string[]
  subPackages?: { root: string; pages: string[]; plugins?: Record<string, unknown> }[]
  subpackages?: { root: string; pages: string[]; plugins?: Record<string, unknown> }[]
  usingComponents?: Record<string, string>
  plugins?: Record<string, unknown>
  lazyCodeLoading?: string
  sitemapLocation?: string
}

const TITLES: Record<RuleId, string> = {
  PACKAGE_SIZE_LIMIT: '代码包大小不超过 1.5 MB',
  JS_COMPRESS_OPEN: '开启 JS 压缩',
  WXML_COMPRESS_OPEN: '开启 WXML 压缩',
  WXSS_COMPRESS_OPEN: '开启 WXSS 压缩',
  LAZYCODE_LOADING_OPEN: '开启组件按需注入',
  IMAGE_AND_AUDIO_LIMIT: '图片和音频资源不超过 200 KB',
  CONTAINS_OTHER_PKG_JS: '主包无仅被分包依赖的 JS',
  CONTAINS_OTHER_PKG_COMPONENTS: '主包无仅被分包依赖的组件',
  CONTAINS_UNUSED_PLUGINS: '无未使用的插件',
  CONTAINS_UNUSED_COMPONENTS: '无未使用的组件',
  CONTAINS_UNUSED_CODES: '无无依赖文件',
}

const MEDIA = /\.(png|jpe?g|gif|webp|svg|bmp|ico|mp3|wav|aac|m4a|ogg|flac|silk)$/i
/** Files DevTools reads by name rather than by reference. */
const CONFIG_FILES = new Set(['app.json', 'sitemap.json', 'theme.json', 'project.config.json', 'project.private.config.json', 'ext.json'])

const norm = (p: string) => {
  const out: string[] = []
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') out.pop()
    else out.push(part)
  }
  return out.join('/')
}
const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '')
/** A reference from `from` to `ref`: '/x' is from the root, anything else from `from`'s folder. */
export const resolveRef = (from: string, ref: string) => norm(ref.startsWith('/') ? ref : `${dirOf(from)}/${ref}`)
const stem = (p: string) => p.replace(/\.[^./]+$/, '')

/** Minified text has no line indented by two or more spaces or a tab (terser, csso and html-minifier leave none). */
export function looksMinified(text: string): boolean {
  return !/\n[ \t]{2,}\S/.test(text)
}

export function appJsonOf(files: PackageFiles): AppJson {
  const text = files.get('app.json')?.text
  if (text === undefined) throw new Error('app.json is missing: is this a built mini program folder?')
  return JSON.parse(text) as AppJson
}

const subPackagesOf = (app: AppJson) => app.subPackages ?? app.subpackages ?? []

/** The package a file belongs to: a subpackage root, or '' for the main package. */
export function packageOf(app: AppJson, path: string): string {
  for (const s of subPackagesOf(app)) {
    const root = norm(s.root)
    if (path === root || path.startsWith(`${root}/`)) return root
  }
  return ''
}

/** Bytes per package, main ('') first. */
export function packageSizes(files: PackageFiles, app = appJsonOf(files)): Map<string, number> {
  const sizes = new Map<string, number>([['', 0], ...subPackagesOf(app).map((s) => [norm(s.root), 0] as [string, number])])
  for (const [path, f] of files) {
    const pkg = packageOf(app, path)
    sizes.set(pkg, (sizes.get(pkg) ?? 0) + f.size)
  }
  return sizes
}

/** The files a file refers to: JS require(), WXML import/include/wxs/src, WXSS @import and url(), JSON usingComponents. */
export function referencesOf(files: PackageFiles, path: string): string[] {
  const text = files.get(path)?.text
  if (text === undefined) return []
  const out: string[] = []
  const add = (ref: string, exts: readonly string[]) => {
    if (/^(https?:|data:|wxfile:|plugin:|plugin-private:|\{\{)/.test(ref)) return
    const base = resolveRef(path, ref)
    for (const e of ['', ...exts]) if (files.has(base + e)) return void out.push(base + e)
  }
  if (path.endsWith('.js') || path.endsWith('.wxs')) {
    for (const m of text.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) add(m[1]!, ['.js', '.wxs', '/index.js'])
  } else if (path.endsWith('.wxml')) {
    for (const m of text.matchAll(/<(?:import|include|wxs)\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/g)) add(m[1]!, ['.wxml', '.wxs'])
    for (const m of text.matchAll(/\bsrc\s*=\s*["']([^"'{}]+\.[a-z0-9]+)["']/gi)) add(m[1]!, [])
  } else if (path.endsWith('.wxss')) {
    for (const m of text.matchAll(/@import\s+(?:url\()?\s*["']?([^"');]+)["']?\s*\)?\s*;/g)) add(m[1]!.trim(), ['.wxss'])
    for (const m of text.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) add(m[1]!.trim(), [])
  } else if (path.endsWith('.json')) {
    const json = JSON.parse(text) as { usingComponents?: Record<string, string> }
    for (const c of Object.values(json.usingComponents ?? {})) for (const f of componentFiles(files, path, c)) out.push(f)
  }
  return out
}

/** The files making up the page or component at `base` (no extension): .js .json .wxml .wxss. */
function unitFiles(files: PackageFiles, base: string): string[] {
  return ['.js', '.json', '.wxml', '.wxss'].map((e) => base + e).filter((f) => files.has(f))
}

function componentFiles(files: PackageFiles, from: string, ref: string): string[] {
  if (/^plugin(-private)?:/.test(ref)) return []
  let base = resolveRef(from, ref)
  if (!files.has(`${base}.json`) && files.has(`${base}/index.json`)) base = `${base}/index`
  return unitFiles(files, base)
}

/** Every file reachable from `starts` by references. */
function reach(files: PackageFiles, starts: Iterable<string>): Set<string> {
  const seen = new Set<string>()
  const todo = [...starts].filter((s) => files.has(s))
  while (todo.length) {
    const f = todo.pop()!
    if (seen.has(f)) continue
    seen.add(f)
    for (const r of referencesOf(files, f)) if (!seen.has(r)) todo.push(r)
  }
  return seen
}

function entryPoints(files: PackageFiles, app: AppJson) {
  const appStarts = ['app.js', 'app.json', 'app.wxss', ...[...files.keys()].filter((f) => CONFIG_FILES.has(f))]
  if (app.sitemapLocation) appStarts.push(norm(app.sitemapLocation))
  for (const c of Object.values(app.usingComponents ?? {})) appStarts.push(...componentFiles(files, 'app.json', c))
  const mainPages = (app.pages ?? []).flatMap((p) => unitFiles(files, norm(p)))
  const subPages = new Map(subPackagesOf(app).map((s) => [norm(s.root), s.pages.flatMap((p) => unitFiles(files, norm(`${s.root}/${p}`)))]))
  return { appStarts, mainPages, subPages }
}

/** Tags used in a template and the templates it imports or includes. */
function tagsUsed(files: PackageFiles, wxml: string): Set<string> {
  const tags = new Set<string>()
  for (const f of reach(files, [wxml])) {
    if (!f.endsWith('.wxml')) continue
    for (const m of (files.get(f)!.text ?? '').matchAll(/<([a-zA-Z][\w-]*)/g)) tags.add(m[1]!)
  }
  return tags
}

function pluginsUsed(files: PackageFiles): Set<string> {
  const used = new Set<string>()
  for (const [path, f] of files) {
    if (f.text === undefined) continue
    if (path.endsWith('.json')) for (const m of f.text.matchAll(/plugin:\/\/([\w-]+)\//g)) used.add(m[1]!)
    if (path.endsWith('.js')) for (const m of f.text.matchAll(/requirePlugin\(\s*["']([\w-]+)["']/g)) used.add(m[1]!)
  }
  return used
}

/**
 * Custom components a page or component template uses (directly or through templates it imports) without
 * declaring them in its JSON or in app.json. A component is any name some usingComponents declares.
 */
export function undeclaredComponents(files: PackageFiles, app = appJsonOf(files)): string[] {
  const usingOf = (path: string) => (JSON.parse(files.get(path)?.text ?? '{}') as { usingComponents?: Record<string, string> }).usingComponents ?? {}
  const global = new Set(Object.keys(app.usingComponents ?? {}))
  const known = new Set(global)
  const units: string[] = []
  for (const [path, f] of files) {
    if (!path.endsWith('.json') || path === 'app.json' || f.text === undefined || !files.has(`${stem(path)}.wxml`)) continue
    for (const n of Object.keys(usingOf(path))) known.add(n)
    units.push(stem(path))
  }
  const out: string[] = []
  for (const u of units) {
    const declared = new Set([...global, ...Object.keys(usingOf(`${u}.json`))])
    for (const t of tagsUsed(files, `${u}.wxml`)) if (known.has(t) && !declared.has(t)) out.push(`${u}: <${t}> used but not declared`)
  }
  return out
}

function rule(rule: RuleId, pass: boolean, figure: number, unit: RuleResult['unit'], detail: string[] = []): RuleResult {
  return { rule, title: TITLES[rule], pass, figure, unit, detail }
}

function compressRule(id: RuleId, files: PackageFiles, switchOn: boolean | undefined, ext: string): RuleResult {
  const loose = [...files].filter(([p, f]) => p.endsWith(ext) && f.text !== undefined && !looksMinified(f.text)).map(([p]) => p)
  const detail = [...(switchOn === true ? [] : [`project.config.json setting is off`]), ...loose]
  return rule(id, switchOn === true && loose.length === 0, loose.length, 'files', detail)
}

export function auditWeapp(files: PackageFiles, setting: ProjectSetting): RuleResult[] {
  const app = appJsonOf(files)
  const results = new Map<RuleId, RuleResult>()
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`

  const sizes = packageSizes(files, app)
  const biggest = Math.max(...sizes.values())
  results.set('PACKAGE_SIZE_LIMIT', rule('PACKAGE_SIZE_LIMIT', biggest <= PACKAGE_LIMIT, biggest, 'bytes', [...sizes].map(([p, n]) => `${p || '(main)'}: ${kb(n)}`)))

  results.set('JS_COMPRESS_OPEN', compressRule('JS_COMPRESS_OPEN', files, setting.minified, '.js'))
  results.set('WXML_COMPRESS_OPEN', compressRule('WXML_COMPRESS_OPEN', files, setting.minifyWXML, '.wxml'))
  results.set('WXSS_COMPRESS_OPEN', compressRule('WXSS_COMPRESS_OPEN', files, setting.minifyWXSS, '.wxss'))

  // With 按需注入 a page gets only the components its JSON (or app.json) declares, so a template that uses a
  // component it does not declare renders nothing there: count that as a failure of this rule too.
  const lazy = app.lazyCodeLoading === 'requiredComponents'
  const undeclared = undeclaredComponents(files, app)
  results.set('LAZYCODE_LOADING_OPEN', rule('LAZYCODE_LOADING_OPEN', lazy && undeclared.length === 0, lazy ? 1 : 0, 'flag', [...(lazy ? [] : [`app.json lazyCodeLoading: ${String(app.lazyCodeLoading)}`]), ...undeclared]))

  const media = [...files].filter(([p]) => MEDIA.test(p))
  const mediaBytes = media.reduce((n, [, f]) => n + f.size, 0)
  results.set('IMAGE_AND_AUDIO_LIMIT', rule('IMAGE_AND_AUDIO_LIMIT', mediaBytes <= MEDIA_LIMIT, mediaBytes, 'bytes', media.filter(([, f]) => f.size > 20 * 1024).map(([p, f]) => `${p}: ${kb(f.size)}`)))

  // Who uses what: reachability from the app and main pages vs from each subpackage's pages.
  const { appStarts, mainPages, subPages } = entryPoints(files, app)
  const fromMain = reach(files, [...appStarts, ...mainPages])
  const fromSubs = reach(files, [...subPages.values()].flat())
  const mainOnlyForSubs = [...fromSubs].filter((f) => packageOf(app, f) === '' && !fromMain.has(f))
  const otherJs = mainOnlyForSubs.filter((f) => f.endsWith('.js') && !files.has(`${stem(f)}.json`))
  results.set('CONTAINS_OTHER_PKG_JS', rule('CONTAINS_OTHER_PKG_JS', otherJs.length === 0, otherJs.length, 'files', otherJs))
  const otherComps = mainOnlyForSubs.filter((f) => f.endsWith('.json')).map(stem)
  results.set('CONTAINS_OTHER_PKG_COMPONENTS', rule('CONTAINS_OTHER_PKG_COMPONENTS', otherComps.length === 0, otherComps.length, 'components', otherComps))

  const declared = [...Object.keys(app.plugins ?? {}), ...subPackagesOf(app).flatMap((s) => Object.keys(s.plugins ?? {}))]
  const used = pluginsUsed(files)
  const unusedPlugins = declared.filter((p) => !used.has(p))
  results.set('CONTAINS_UNUSED_PLUGINS', rule('CONTAINS_UNUSED_PLUGINS', unusedPlugins.length === 0, unusedPlugins.length, 'plugins', unusedPlugins))

  // A page's or component's usingComponents entry must appear as a tag in its template (or one it imports).
  const unusedComps: string[] = []
  const everyTag = new Set<string>()
  for (const [path, f] of files) {
    if (!path.endsWith('.json') || path === 'app.json' || f.text === undefined) continue
    const json = JSON.parse(f.text) as { usingComponents?: Record<string, string> }
    const names = Object.keys(json.usingComponents ?? {})
    if (!names.length) continue
    const tags = files.has(`${stem(path)}.wxml`) ? tagsUsed(files, `${stem(path)}.wxml`) : new Set<string>()
    for (const t of tags) everyTag.add(t)
    for (const n of names) if (!tags.has(n)) unusedComps.push(`${stem(path)}: ${n}`)
  }
  // app.json's global components count as used when any template uses them.
  for (const n of Object.keys(app.usingComponents ?? {})) if (!everyTag.has(n)) unusedComps.push(`app.json: ${n}`)
  results.set('CONTAINS_UNUSED_COMPONENTS', rule('CONTAINS_UNUSED_COMPONENTS', unusedComps.length === 0, unusedComps.length, 'components', unusedComps))

  const unused = [...files.keys()].filter((f) => !fromMain.has(f) && !fromSubs.has(f)).sort()
  results.set('CONTAINS_UNUSED_CODES', rule('CONTAINS_UNUSED_CODES', unused.length === 0, unused.length, 'files', unused))

  return RULES.map((r) => results.get(r)!)
}

const TEXT = /\.(js|json|wxml|wxss|wxs)$/

/** Reads a built mini program folder into the audit's file map. */
export function readPackage(dir: string): Map<string, PackageFile> {
  const files = new Map<string, PackageFile>()
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      const st = statSync(p)
      if (st.isDirectory()) walk(p)
      else {
        const rel = relative(dir, p).split('\\').join('/')
        files.set(rel, TEXT.test(name) ? { size: st.size, text: readFileSync(p, 'utf8') } : { size: st.size })
      }
    }
  }
  walk(dir)
  return files
}

/** project.config.json's `setting`. */
export function readSetting(projectConfig: string): ProjectSetting {
  return ((JSON.parse(readFileSync(projectConfig, 'utf8')) as { setting?: ProjectSetting }).setting ?? {})
}

export function formatResults(results: readonly RuleResult[]): string {
  const lines = results.map((r) => {
    const fig = r.unit === 'bytes' ? `${(r.figure / 1024).toFixed(1)} KB` : r.unit === 'flag' ? (r.figure ? 'on' : 'off') : `${r.figure} ${r.unit}`
    const head = `${r.pass ? 'pass' : 'FAIL'}  ${r.rule.padEnd(30)} ${fig.padStart(10)}  ${r.title}`
    const shown = r.pass && r.unit !== 'bytes' ? [] : r.detail.slice(0, 20)
    return [head, ...shown.map((d) => `        ${d}`)].join('\n')
  })
  const passed = results.filter((r) => r.pass).length
  return `${lines.join('\n')}\n${passed}/${results.length} passed`
}

async function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const dir = process.argv[2] ?? join(root, 'dist', 'weapp')
  const results = auditWeapp(readPackage(dir), readSetting(join(root, 'project.config.json')))
  console.log(formatResults(results))
  process.exit(results.every((r) => r.pass) ? 0 : 1)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main()
