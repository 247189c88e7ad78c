/**
 * The local host's dev sign-in beyond the demo: a new person by name, a known person by id (any
 * person the store has), the switch for a non-loopback HOST, and the setup code `ZJ_DEMO=0 npm start`
 * makes and keeps.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SETUP_CODE_ALPHABET } from '../../src/core/community-setup'
import { openSqlite } from '../../src/server/adapters/sqlite'
import { devSignInMode } from '../../src/server/host/http-app'
import { loadOrCreateSetupCode } from '../../src/server/host/setup-code'
import { setupCodeHash } from '../../src/server/usecases/community-setup'
import { startHost, type RunningHost } from '../support/host'

let hosts: RunningHost[] = []
afterEach(async () => {
  await Promise.all(hosts.map((h) => h.stop()))
  hosts = []
})
const start = async (opts: Parameters<typeof startHost>[0] = {}) => {
  const h = await startHost(opts)
  hosts.push(h)
  return h
}
const post = async (host: RunningHost, body: unknown) => {
  const res = await fetch(host.url + '/api/dev/sign-in', { method: 'POST', body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { data?: { token: string; personId: string } } }
}

describe('dev sign-in by name', () => {
  it('{ name } signs in a new person: a fresh id, a person record under that name', async () => {
    const host = await start({ demo: false })
    const a = await post(host, { name: '  王阿姨 ' })
    expect(a).toMatchObject({ status: 200, body: { ok: true } })
    const { token, personId } = a.body.data!
    expect(personId).toMatch(/^p-[0-9a-f]{16}$/)
    expect(await host.deps.store.people.get(personId)).toMatchObject({ id: personId, name: '王阿姨', households: [], coordinatorOf: null })
    expect(await host.api(token, 'me.get')).toMatchObject({ ok: true, data: { id: personId, name: '王阿姨', views: ['resident'] } })
    // The same name again is another person; the first signs in again by id.
    const b = await post(host, { name: '王阿姨' })
    expect(b.body.data!.personId).not.toBe(personId)
    expect((await post(host, { personId })).body).toMatchObject({ ok: true, data: { personId } })
  })

  it('refuses an empty or too long name with a Chinese message on the field, creating no one', async () => {
    const host = await start({ demo: false })
    const count = async () => {
      const db = openSqlite({ file: join(host.dataDir, 'zhaijia.db') })
      const n = (db.db.prepare('SELECT COUNT(*) AS n FROM people').get() as { n: number }).n
      await db.close()
      return n
    }
    for (const [body, message] of [
      [{ name: '   ' }, '请填写称呼'],
      [{}, '请填写称呼'],
      [{ name: '长'.repeat(21) }, '称呼不能超过20个字'],
      [{ name: 42 }, '称呼必须是文字'],
    ] as const) {
      const r = await post(host, body)
      expect(r.status).toBe(400)
      expect(r.body).toMatchObject({ ok: false, code: 'REQUEST.INVALID_INPUT', message, fields: { name: message } })
    }
    expect(await count()).toBe(0)
  })

  it('{ personId } must be a person the store knows; the demo cards only with demo data', async () => {
    const host = await start({ demo: false })
    expect((await post(host, { personId: 'res-zhao' })).body).toMatchObject({ ok: false, code: 'AUTH.UNKNOWN_PERSON' })
    expect((await post(host, { personId: 'p-0000000000000000' })).body).toMatchObject({ ok: false, code: 'AUTH.UNKNOWN_PERSON' })
    const people = await (await fetch(host.url + '/api/dev/people')).json()
    expect(people).toEqual({ ok: true, data: { people: [] } })

    const demo = await start()
    expect((await post(demo, { personId: 'res-zhao' })).body).toMatchObject({ ok: true, data: { personId: 'res-zhao' } })
    const cards = await (await fetch(demo.url + '/api/dev/people')).json()
    expect(cards.data.people).toHaveLength(8)
  })
})

describe('dev sign-in switch', () => {
  it('off: /api/dev/people and both sign-ins answer 404 AUTH.DEV_SIGN_IN_OFF and create no one; /api still answers', async () => {
    const host = await start({ devSignIn: false })
    const people = await fetch(host.url + '/api/dev/people')
    expect(people.status).toBe(404)
    expect(await people.json()).toMatchObject({ ok: false, code: 'AUTH.DEV_SIGN_IN_OFF' })
    for (const body of [{ personId: 'res-zhao' }, { name: '王阿姨' }]) {
      const r = await post(host, body)
      expect(r).toMatchObject({ status: 404, body: { ok: false, code: 'AUTH.DEV_SIGN_IN_OFF' } })
    }
    expect(await host.api(host.session('res-zhao'), 'me.get')).toMatchObject({ ok: true, data: { id: 'res-zhao' } })
  })

  it('on for loopback, on with ZJ_DEV_SIGNIN=1, off otherwise, and says which', () => {
    expect(devSignInMode('127.0.0.1', {})).toEqual({ on: true, line: 'dev sign-in: on (loopback)' })
    expect(devSignInMode('::1', {}).on).toBe(true)
    expect(devSignInMode('0.0.0.0', { ZJ_DEV_SIGNIN: '1' })).toEqual({ on: true, line: 'dev sign-in: on (ZJ_DEV_SIGNIN=1)' })
    expect(devSignInMode('0.0.0.0', {})).toEqual({
      on: false,
      line: 'dev sign-in: off (HOST is not loopback; set ZJ_DEV_SIGNIN=1 to enable)',
    })
    expect(devSignInMode('192.168.1.5', { ZJ_DEV_SIGNIN: 'yes' }).on).toBe(false)
  })
})

describe('the host setup code (ZJ_DEMO=0)', () => {
  it('made on an empty store, 8 unambiguous characters, kept across restarts, "used" once claimed; none when a community exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zj-setup-'))
    const store = openSqlite({ file: ':memory:' })
    const file = join(dir, 'setup.code')
    const first = await loadOrCreateSetupCode({ file, setup: store.setup, hasCommunity: async () => false })
    expect(first.state).toBe('open')
    const code = (first as { code: string }).code
    expect(code).toHaveLength(8)
    expect([...code].every((c) => SETUP_CODE_ALPHABET.includes(c))).toBe(true)
    expect(readFileSync(file, 'utf8').trim()).toBe(code)
    expect(await loadOrCreateSetupCode({ file, setup: store.setup, hasCommunity: async () => false })).toEqual({ state: 'open', code })
    await store.setup.claim({ codeHash: setupCodeHash(code), personId: 'p-1', claimedAt: 0, communityId: 'c-1', plan: { name: 'xx', buildings: [] } })
    expect(await loadOrCreateSetupCode({ file, setup: store.setup, hasCommunity: async () => true })).toEqual({ state: 'used', code })

    const other = join(mkdtempSync(join(tmpdir(), 'zj-setup-')), 'setup.code')
    expect(await loadOrCreateSetupCode({ file: other, setup: store.setup, hasCommunity: async () => true })).toEqual({ state: 'none' })
  })
})
