/**
 * `ZJ_DEMO=0 npm start` for real: the host's own entry point in a child process, on an empty data
 * folder. It prints a setup code; a new person signs in by name and sets up the community with it;
 * the code then refuses a second use, and after a restart the host says the code is used and still
 * refuses it. Without ZJ_DEMO=0 the demo community is there and no code is printed.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const ROOT = join(__dirname, '..', '..')

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

interface Running {
  child: ChildProcess
  url: string
  out: () => string
}

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

async function start(dataDir: string, env: Record<string, string>): Promise<Running> {
  const port = await freePort()
  // `node --import tsx`, not the tsx CLI: the CLI runs the host as its own child, so a SIGKILL
  // of the CLI left the real host running (orphaned) instead of killing it.
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'server', 'host', 'main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), DATA_DIR: dataDir, SKIP_H5_BUILD: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let out = ''
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()))
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()))
  const deadline = Date.now() + 30_000
  while (!out.includes('is running')) {
    if (child.exitCode !== null) throw new Error(`host exited ${child.exitCode}\n${out}`)
    if (Date.now() > deadline) throw new Error(`host did not start\n${out}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return { child, url: `http://127.0.0.1:${port}`, out: () => out }
}

async function stop(r: Running): Promise<void> {
  const exited = new Promise((resolve) => r.child.once('exit', resolve))
  r.child.kill('SIGTERM')
  await exited
}

async function post<T = { ok: boolean; code?: string; data?: unknown }>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return (await res.json()) as T
}

async function signInByName(url: string, name: string): Promise<string> {
  const r = await post<{ ok: boolean; data: { token: string } }>(`${url}/api/dev/sign-in`, { name })
  expect(r.ok).toBe(true)
  return r.data.token
}

const SETUP = { name: '东湖社区', buildings: [{ name: '1号楼', units: 2, floors: 3, roomsPerFloor: 2 }] }

describe('ZJ_DEMO=0 npm start (the real entry point)', () => {
  it('prints a setup code that makes the first coordinator once, and still refuses it after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zhaijia-proc-'))
    const first = await start(dataDir, { ZJ_DEMO: '0' })
    const code = /setup code: ([A-Z0-9]{8})\b/.exec(first.out())?.[1]
    expect(code, first.out()).toBeTruthy()
    expect(first.out()).toContain('dev sign-in: on (loopback)')
    // No demo people to pick.
    const people = (await (await fetch(`${first.url}/api/dev/people`)).json()) as { data: { people: unknown[] } }
    expect(people.data.people).toEqual([])

    const founder = await signInByName(first.url, '周主任')
    const made = await post<{ ok: boolean; data: { households: number; me: { coordinator: unknown } } }>(
      `${first.url}/api`,
      { action: 'community.setup', input: { code, ...SETUP } },
      founder,
    )
    expect(made.ok).toBe(true)
    expect(made.data.households).toBe(12)
    expect(made.data.me.coordinator).toBeTruthy()
    const stats = await post(`${first.url}/api`, { action: 'coord.stats', input: {} }, founder)
    expect(stats.ok).toBe(true)

    const other = await signInByName(first.url, '钱先生')
    expect(await post(`${first.url}/api`, { action: 'community.setup', input: { code, ...SETUP } }, other)).toMatchObject({
      ok: false,
      code: 'SETUP.CODE_USED',
    })
    await stop(first)

    // Restarted on the same data: the community is kept, the code is spent.
    const second = await start(dataDir, { ZJ_DEMO: '0' })
    expect(second.out()).toContain('setup code: used')
    expect(second.out()).not.toContain(`setup code: ${code}`)
    const again = await signInByName(second.url, '孙女士')
    expect(await post(`${second.url}/api`, { action: 'community.setup', input: { code, ...SETUP } }, again)).toMatchObject({
      ok: false,
      code: 'SETUP.CODE_USED',
    })
    expect(await post(`${second.url}/api`, { action: 'coord.stats', input: {} }, founder)).toMatchObject({ ok: true })
    await stop(second)
  }, 90_000)

  it('without ZJ_DEMO=0: the demo community, and no setup code', async () => {
    const demo = await start(mkdtempSync(join(tmpdir(), 'zhaijia-proc-')), {})
    expect(demo.out()).not.toContain('setup code')
    const people = (await (await fetch(`${demo.url}/api/dev/people`)).json()) as { data: { people: { id: string }[] } }
    expect(people.data.people.map((p) => p.id)).toContain('coord-liu')
    await stop(demo)
  }, 60_000)
})
