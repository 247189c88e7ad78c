/**
 * Each deploy script, run as a child process with a scrubbed environment and an empty .env, refuses
 * with a message naming every missing or malformed setting, exits 2, and does so before any build
 * or network: no TCP connection or DNS lookup is attempted (net-guard.cjs records them; an
 * HTTP(S)_PROXY pointing at a recording server catches proxied clients too), no bundle or QR code
 * is written, and it ends far sooner than a build could.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = join(__dirname, '..', '..')
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')
const GUARD = join(__dirname, 'net-guard.cjs')

let tmp: string
let proxy: Server
let proxyHits: string[] = []
let proxyUrl: string

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'zj-deploy-'))
  proxy = createServer((req, res) => {
    proxyHits.push(`${req.method} ${req.url}`)
    res.writeHead(502).end()
  })
  proxy.on('connect', (req, socket) => {
    proxyHits.push(`CONNECT ${req.url}`)
    socket.destroy()
  })
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((r) => proxy.close(() => r()))
  rmSync(tmp, { recursive: true, force: true })
})

interface Run {
  code: number | null
  stdout: string
  stderr: string
  ms: number
  net: string[]
}

let runNo = 0

/** Runs `tsx <script>` with only PATH and HOME from this process, plus `env`. */
function runScript(args: string[], env: Record<string, string>, envFileText = ''): Promise<Run> {
  const n = ++runNo
  const envFile = join(tmp, `run${n}.env`)
  const netLog = join(tmp, `run${n}.net`)
  writeFileSync(envFile, envFileText)
  writeFileSync(netLog, '')
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, args, {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tmp,
        ZJ_ENV_FILE: envFile,
        ZJ_NET_LOG: netLog,
        NODE_OPTIONS: `--require ${GUARD}`,
        HTTP_PROXY: proxyUrl,
        HTTPS_PROXY: proxyUrl,
        http_proxy: proxyUrl,
        https_proxy: proxyUrl,
        ...env,
      },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      const net = readFileSync(netLog, 'utf8').split('\n').filter(Boolean)
      resolve({ code, stdout, stderr, ms: Date.now() - started, net })
    })
  })
}

/** What a build or a preview would leave behind. */
function artefacts(): Record<string, number | null> {
  const paths = ['cloudfunctions/api/index.js', 'dist/weapp/app.js', 'dist/preview-qrcode.png']
  return Object.fromEntries(paths.map((p) => [p, existsSync(join(ROOT, p)) ? statSync(join(ROOT, p)).mtimeMs : null]))
}

const SCRIPTS = {
  'setup:cloud': { file: 'scripts/setup-cloud.ts', required: ['ZJ_APPID', 'ZJ_CLOUD_ENV', 'TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY'] },
  'deploy:functions': {
    file: 'scripts/deploy-functions.ts',
    required: ['ZJ_APPID', 'ZJ_CLOUD_ENV', 'ZJ_UPLOAD_KEY', 'TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY'],
  },
  upload: { file: 'scripts/upload.ts', required: ['ZJ_APPID', 'ZJ_CLOUD_ENV', 'ZJ_UPLOAD_KEY', 'ZJ_VERSION'] },
  preview: { file: 'scripts/preview.ts', required: ['ZJ_APPID', 'ZJ_CLOUD_ENV', 'ZJ_UPLOAD_KEY'] },
} as const

const ALL_NAMES = [
  'ZJ_APPID',
  'ZJ_CLOUD_ENV',
  'ZJ_UPLOAD_KEY',
  'TENCENTCLOUD_SECRETID',
  'TENCENTCLOUD_SECRETKEY',
  'ZJ_VERSION',
  'ZJ_SUBSCRIBE_TEMPLATES',
  'ZJ_MINIPROGRAM_STATE',
  'ZJ_DAILY_HOUR',
  'ZJ_SETUP_CODE',
]

function expectRefusedOffline(run: Run, script: string) {
  expect(run.code, run.stderr).toBe(2)
  expect(run.stderr).toContain(`${script}: refusing to start`)
  expect(run.stderr).toContain('Nothing was built or sent.')
  expect(run.net).toEqual([])
  expect(proxyHits).toEqual([])
  // A weapp build takes about a minute here; a refusal is a tsx start-up.
  expect(run.ms).toBeLessThan(15_000)
}

describe('the network guard', () => {
  it('records a connection attempt (so an empty record means none was made)', async () => {
    const probe = join(tmp, 'probe.ts')
    writeFileSync(probe, `import { get } from 'node:http'\nget('http://127.0.0.1:9/').on('error', () => undefined)\n`)
    const run = await runScript([probe], {})
    expect(run.net.some((l) => l.includes('connect 127.0.0.1:9'))).toBe(true)
  })
})

describe.each(Object.entries(SCRIPTS))('%s', (script, { file, required }) => {
  it('with nothing configured: lists every missing setting and stops before any build or network', async () => {
    const before = artefacts()
    const run = await runScript([file], {})
    expectRefusedOffline(run, script)
    for (const name of required) expect(run.stderr).toMatch(new RegExp(`^  ${name}: missing`, 'm'))
    // Only what this script needs is asked for.
    for (const name of ALL_NAMES.filter((n) => !(required as readonly string[]).includes(n))) {
      expect(run.stderr).not.toContain(`  ${name}:`)
    }
    expect(artefacts()).toEqual(before)
  })

  it('with malformed settings: says what is wrong with each, still before any build or network', async () => {
    const before = artefacts()
    const run = await runScript([file], {
      ZJ_APPID: 'wx123',
      ZJ_CLOUD_ENV: 'prod env',
      ZJ_UPLOAD_KEY: join(tmp, 'no-such.key'),
      TENCENTCLOUD_SECRETID: 'AKID with spaces',
      TENCENTCLOUD_SECRETKEY: 'key',
      ZJ_VERSION: 'v1',
      ZJ_SUBSCRIBE_TEMPLATES: '{"claimed": ',
      ZJ_MINIPROGRAM_STATE: 'beta',
      ZJ_DAILY_HOUR: '24',
      ZJ_SETUP_CODE: 'abc',
    })
    expectRefusedOffline(run, script)
    expect(run.stderr).toContain('ZJ_APPID: "wx123" is not an AppID: it must be wx followed by 16 hex characters')
    expect(run.stderr).toContain('ZJ_CLOUD_ENV: "prod env" is not a cloud env id')
    if ((required as readonly string[]).includes('ZJ_UPLOAD_KEY')) {
      expect(run.stderr).toContain(`ZJ_UPLOAD_KEY: key file ${join(tmp, 'no-such.key')} does not exist`)
    }
    if (script === 'deploy:functions') {
      expect(run.stderr).toContain('ZJ_SUBSCRIBE_TEMPLATES: is not valid JSON')
      expect(run.stderr).toContain('ZJ_MINIPROGRAM_STATE: "beta" must be formal, trial or developer')
      expect(run.stderr).toContain('ZJ_DAILY_HOUR: "24" must be a whole hour 0-23')
      expect(run.stderr).toContain('ZJ_SETUP_CODE: must be 8-32 capital letters and digits')
    }
    if (script === 'upload') expect(run.stderr).toContain('ZJ_VERSION: "v1" must look like 1.0.3')
    expect(artefacts()).toEqual(before)
  })
})

describe('settings from the .env file', () => {
  it('are read (only the one bad value is reported) and a file that is not a key is refused', async () => {
    const notAKey = join(tmp, 'notes.txt')
    writeFileSync(notAKey, 'hello\n')
    const run = await runScript(
      ['scripts/upload.ts'],
      {},
      [
        '# a comment',
        'ZJ_APPID=wx0123456789abcdef',
        'export ZJ_CLOUD_ENV="prod-4gabc123"',
        `ZJ_UPLOAD_KEY='${notAKey}'`,
        'ZJ_VERSION=1.0.0',
      ].join('\n'),
    )
    expectRefusedOffline(run, 'upload')
    expect(run.stderr).toContain('1 setting(s) missing or invalid')
    expect(run.stderr).toContain(`ZJ_UPLOAD_KEY: ${notAKey} is not a private key`)
  })

  it('the environment wins over the file', async () => {
    const run = await runScript(['scripts/setup-cloud.ts'], { ZJ_APPID: 'wxnothex' }, 'ZJ_APPID=wx0123456789abcdef\nZJ_CLOUD_ENV=prod-1\n')
    expectRefusedOffline(run, 'setup:cloud')
    expect(run.stderr).toContain('ZJ_APPID: "wxnothex" is not an AppID')
    expect(run.stderr).not.toContain('ZJ_CLOUD_ENV')
  })
})
