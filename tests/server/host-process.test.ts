/**
 * `ZJ_DEMO=0 npm start` for real: the host's own entry point in a child process, on an empty data
 * folder. It prints a setup code; a new person signs in by name and sets up the community with it;
 * the code then refuses a second use, and after a restart the host says the code is used and still
 * refuses it. Without ZJ_DEMO=0 the demo community is there and no code is printed.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { killSpawnedHosts, spawnHost } from '../support/host-process'


afterEach(killSpawnedHosts)

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
    const first = await spawnHost(dataDir, { ZJ_DEMO: '0' })
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
    await first.stop()

    // Restarted on the same data: the community is kept, the code is spent.
    const second = await spawnHost(dataDir, { ZJ_DEMO: '0' })
    expect(second.out()).toContain('setup code: used')
    expect(second.out()).not.toContain(`setup code: ${code}`)
    const again = await signInByName(second.url, '孙女士')
    expect(await post(`${second.url}/api`, { action: 'community.setup', input: { code, ...SETUP } }, again)).toMatchObject({
      ok: false,
      code: 'SETUP.CODE_USED',
    })
    expect(await post(`${second.url}/api`, { action: 'coord.stats', input: {} }, founder)).toMatchObject({ ok: true })
    await second.stop()
  }, 90_000)

  it('without ZJ_DEMO=0: the demo community, and no setup code', async () => {
    const demo = await spawnHost(mkdtempSync(join(tmpdir(), 'zhaijia-proc-')), {})
    expect(demo.out()).not.toContain('setup code')
    const people = (await (await fetch(`${demo.url}/api/dev/people`)).json()) as { data: { people: { id: string }[] } }
    expect(people.data.people.map((p) => p.id)).toContain('coord-liu')
    await demo.stop()
  }, 60_000)
})
