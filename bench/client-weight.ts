/**
 * Client weight, next to the smallest Taro React app built in the same run (bench/fixtures/minimal-taro:
 * two pages of View/Text, the same Taro version, compiler and size-related production settings):
 *
 * - weapp: bytes of the main package (everything outside the subpackage roots: what WeChat downloads
 *   before the first page) and of each subpackage, counted as scripts/weapp-audit.ts counts them;
 * - H5: gzip bytes of the JS and CSS the first page needs, recorded by loading the built index.html in
 *   Chromium (playwright-core, 375×812) from a static server and gzipping each JS/CSS response (level 9).
 *
 * Targets: main package ≤ 1.6 × the minimal app's; H5 first-page JS+CSS gzip ≤ 1.6 × the minimal app's.
 * Four production builds (`taro build`, NODE_ENV=production), one after another: several minutes here.
 */
import { spawn } from 'node:child_process'
import { createReadStream, existsSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium, type Response } from 'playwright-core'
import { packageSizes, readPackage } from '../scripts/weapp-audit'
import type { Figure, Section } from './report'

const ROOT = join(__dirname, '..')
const MINIMAL = join(__dirname, 'fixtures', 'minimal-taro')
const TARO = join(ROOT, 'node_modules', '@tarojs', 'cli', 'bin', 'taro')
const TARGET = 1.6

function taroBuild(cwd: string, type: 'weapp' | 'h5'): Promise<void> {
  rmSync(join(cwd, 'dist', type), { recursive: true, force: true })
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TARO, 'build', '--type', type], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production', ZJ_CLOUD_ENV: process.env.ZJ_CLOUD_ENV ?? 'bench-env' },
    })
    let tail = ''
    const keep = (b: Buffer) => (tail = (tail + b.toString()).slice(-3000))
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${type} build in ${cwd} exited ${code}\n${tail}`))))
  })
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' }

/** Serves a built H5 folder; anything else (the app's /api calls) answers 404. */
function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^(\.\.[/\\])+/, '')
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path)
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(res)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

export interface FirstLoad {
  js: number
  css: number
  files: number
}

/** JS and CSS the first page of a built H5 app loads, gzipped, once the page has settled. */
export async function h5FirstLoad(dir: string): Promise<FirstLoad> {
  const server = await serve(dir)
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
  try {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } })
    const bodies: Promise<{ kind: 'js' | 'css'; gz: number }>[] = []
    const onResponse = (r: Response) => {
      const ext = extname(new URL(r.url()).pathname)
      if (r.status() !== 200 || (ext !== '.js' && ext !== '.css')) return
      bodies.push(r.body().then((b) => ({ kind: ext === '.js' ? 'js' : 'css', gz: gzipSync(b, { level: 9 }).length })))
    }
    page.on('response', onResponse)
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { waitUntil: 'networkidle', timeout: 120_000 })
    await page.waitForTimeout(1000)
    page.off('response', onResponse)
    const got = await Promise.all(bodies)
    return {
      js: got.filter((b) => b.kind === 'js').reduce((n, b) => n + b.gz, 0),
      css: got.filter((b) => b.kind === 'css').reduce((n, b) => n + b.gz, 0),
      files: got.length,
    }
  } finally {
    await browser.close()
    await new Promise((r) => server.close(r))
  }
}

export async function clientWeight(): Promise<Section> {
  await taroBuild(MINIMAL, 'weapp')
  await taroBuild(MINIMAL, 'h5')
  await taroBuild(ROOT, 'weapp')
  await taroBuild(ROOT, 'h5')
  const minWeapp = packageSizes(readPackage(join(MINIMAL, 'dist', 'weapp')))
  const appWeapp = packageSizes(readPackage(join(ROOT, 'dist', 'weapp')))
  const minH5 = await h5FirstLoad(join(MINIMAL, 'dist', 'h5'))
  const appH5 = await h5FirstLoad(join(ROOT, 'dist', 'h5'))
  const kb = (n: number) => n / 1024
  const figures: Figure[] = [
    { name: 'minimal app: weapp main package', value: kb(minWeapp.get('')!), unit: 'KB' },
    { name: 'weapp main package', value: kb(appWeapp.get('')!), unit: 'KB' },
    ...[...appWeapp].filter(([root]) => root !== '').map(([root, n]) => ({ name: `weapp subpackage ${root}`, value: kb(n), unit: 'KB' })),
    { name: 'weapp main package / minimal app', value: appWeapp.get('')! / minWeapp.get('')!, unit: '×', target: { op: '<=', value: TARGET } },
    { name: 'minimal app: H5 first page JS+CSS gzip', value: kb(minH5.js + minH5.css), unit: 'KB', note: `${minH5.files} files; JS ${kb(minH5.js).toFixed(1)} KB, CSS ${kb(minH5.css).toFixed(1)} KB` },
    { name: 'H5 first page JS+CSS gzip', value: kb(appH5.js + appH5.css), unit: 'KB', note: `${appH5.files} files; JS ${kb(appH5.js).toFixed(1)} KB, CSS ${kb(appH5.css).toFixed(1)} KB` },
    { name: 'H5 first page JS+CSS gzip / minimal app', value: (appH5.js + appH5.css) / (minH5.js + minH5.css), unit: '×', target: { op: '<=', value: TARGET } },
  ]
  return { id: 'client-weight', title: 'Client weight: this app vs a minimal Taro React app, same run, production builds', figures }
}
