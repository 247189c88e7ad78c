/**
 * `npm run build:weapp` (the Taro part) produces a mini-program WeChat DevTools can open: every page
 * folder under src/ is listed in app.json, every listed page was emitted, and each package stays
 * under WeChat's 2 MB per-package limit. Builds into dist/weapp (the folder project.config.json names).
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditWeapp, readPackage, readSetting } from '../../scripts/weapp-audit'

const ROOT = join(__dirname, '..', '..')
const OUT = join(ROOT, 'dist', 'weapp')
const MB2 = 2 * 1024 * 1024
const TEST_ENV_ID = 'zj-build-test-7f3a'

function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    const taro = join(ROOT, 'node_modules', '@tarojs', 'cli', 'bin', 'taro')
    const child = spawn(process.execPath, [taro, 'build', '--type', 'weapp'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // The cloud environment id comes from the build's environment (config/index.ts inlines it).
      env: { ...process.env, NODE_ENV: 'production', ZJ_CLOUD_ENV: TEST_ENV_ID },
    })
    // Taro's progress bar is noise; keep the tail of the output for a failure message.
    let tail = ''
    const keep = (b: Buffer) => (tail = (tail + b.toString()).slice(-4000))
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`weapp build exited ${code}\n${tail}`))))
  })
}

/** Page entries in the sources: src/<…>/pages/<name>/index.tsx → '<…>/pages/<name>/index'. */
function sourcePages(dir = join(ROOT, 'src')): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...sourcePages(p))
    else if (name === 'index.tsx' && /\/pages\/[^/]+$/.test(dir.replace(/\\/g, '/')))
      out.push(relative(join(ROOT, 'src'), join(dir, 'index')).replace(/\\/g, '/'))
  }
  return out
}

function size(dir: string, skip: readonly string[] = []): number {
  let total = 0
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (skip.includes(p)) continue
    total += statSync(p).isDirectory() ? size(p) : statSync(p).size
  }
  return total
}

function allJs(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...allJs(p))
    else if (name.endsWith('.js')) out.push({ file: p, text: readFileSync(p, 'utf8') })
  }
  return out
}

interface AppJson {
  pages: string[]
  subPackages: { root: string; pages: string[] }[]
}

let app: AppJson
beforeAll(async () => {
  await build()
  app = JSON.parse(readFileSync(join(OUT, 'app.json'), 'utf8')) as AppJson
}, 900_000) // the build takes 1–2 min alone, several when the machine is shared

describe('weapp build', () => {
  it('lists every page folder in app.json, main package or subpackage', () => {
    const listed = [...app.pages, ...app.subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))]
    expect(new Set(listed).size).toBe(listed.length)
    expect([...listed].sort()).toEqual(sourcePages().sort())
  })

  it('emitted js, json, wxml and wxss for every listed page', () => {
    const listed = [...app.pages, ...app.subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))]
    for (const page of listed)
      for (const ext of ['js', 'json', 'wxml']) expect(existsSync(join(OUT, `${page}.${ext}`)), `${page}.${ext}`).toBe(true)
  })

  it('keeps the main package and each subpackage under 2 MB', () => {
    const roots = app.subPackages.map((s) => join(OUT, s.root))
    expect(size(OUT, roots)).toBeLessThan(MB2)
    for (const r of roots) expect(size(r)).toBeLessThan(MB2)
  })

  it('calls wx.cloud.init once at launch with the environment id from the build, and no secret', () => {
    const js = allJs(OUT)
    const withEnv = js.filter((f) => f.text.includes(TEST_ENV_ID))
    expect(withEnv.length, 'the env id is inlined into the client').toBeGreaterThan(0)
    expect(withEnv.some((f) => /\.cloud\.init\(/.test(f.text) && /traceUser:\s*!0|traceUser:\s*true/.test(f.text))).toBe(true)
    // Nothing of the deploy configuration but the env id reaches the client.
    for (const f of js) expect(f.text).not.toMatch(/TENCENTCLOUD_SECRET|ZJ_UPLOAD_KEY|ZJ_SETUP_CODE|PRIVATE KEY/)
  })

  it('passes all 11 rules of WeChat\'s code-quality audit (scripts/weapp-audit.ts)', () => {
    const results = auditWeapp(readPackage(OUT), readSetting(join(ROOT, 'project.config.json')))
    expect(results).toHaveLength(11)
    expect(results.filter((r) => !r.pass).map((r) => `${r.rule}: ${r.detail.slice(0, 5).join('; ')}`)).toEqual([])
    // 按需注入 is on, and Taro's compression reached the output: no license side files, base.wxml on one line.
    expect((app as AppJson & { lazyCodeLoading?: string }).lazyCodeLoading).toBe('requiredComponents')
    expect(readdirSync(OUT).filter((f) => f.endsWith('.txt'))).toEqual([])
    expect(readFileSync(join(OUT, 'base.wxml'), 'utf8').split('\n').length).toBeLessThanOrEqual(2)
  })

  it('project.config.json points DevTools at this output and at the cloud functions', () => {
    const project = JSON.parse(readFileSync(join(ROOT, 'project.config.json'), 'utf8')) as Record<string, string>
    expect(project.miniprogramRoot!.replace(/\/$/, '')).toBe('dist/weapp')
    expect(existsSync(join(ROOT, project.cloudfunctionRoot!, 'api', 'package.json'))).toBe(true)
  })
})
