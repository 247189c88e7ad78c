/**
 * Builds the H5 bundle when it is missing or older than its sources, so `npm start` on a fresh
 * clone just works. Staleness: newest mtime under the client sources vs. dist/h5/index.html.
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const SOURCES = ['src', 'config', 'types', 'package.json', 'babel.config.js', 'tsconfig.json']
const SERVER_ONLY = join('src', 'server')

function newestMtime(root: string, rel: string): number {
  const p = join(root, rel)
  if (!existsSync(p)) return 0
  const st = statSync(p)
  if (!st.isDirectory()) return st.mtimeMs
  if (rel === SERVER_ONLY) return 0
  let newest = 0
  for (const name of readdirSync(p)) newest = Math.max(newest, newestMtime(root, join(rel, name)))
  return newest
}

export function h5IsStale(root: string, outDir: string): boolean {
  const index = join(outDir, 'index.html')
  if (!existsSync(index)) return true
  const built = statSync(index).mtimeMs
  return SOURCES.some((s) => newestMtime(root, s) > built)
}

export function buildH5(root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const taro = join(root, 'node_modules', '@tarojs', 'cli', 'bin', 'taro')
    const child = spawn(process.execPath, [taro, 'build', '--type', 'h5'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    })
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`H5 build failed with exit code ${code}`))))
  })
}
