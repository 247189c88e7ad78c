/**
 * Resident features end to end on SQLite: joining a household with its code (and the lockout),
 * preferences, and repeating an order. Every refusal checks its code, its Chinese message and that
 * the store did not change.
 */
import { describe, expect, it, vi } from 'vitest'
import type { ActionName, InputOf, Result } from '../../src/core/contract'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import { openSqlite } from '../../src/server/adapters/sqlite'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, rid, T0 } from '../support/app'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'

const { zhao, zhang, newcomer: sun, yuhong, coordinator } = DEMO_PEOPLE

const MIN = 60_000
const SUN_CODE = '735291'
const SUN_HOUSEHOLD = 'h2-2-302'
const ZHAO_CODE = '483920'
const WRONG = '000000'
const PHONE = '13912345678'
const WRONG_MSG = '住户码不对，请核对隔离通知单上的6位数字'
/** Locked: says so, for how long, and the demo community's service centre phone. */
const lockedMsg = (min: number) => `住户码输错太多次，已锁定10分钟，请${min}分钟后再试。急需帮助请打社区服务中心电话：0471-6281234`
const LOCKED_MSG = lockedMsg(10)

type Refusal = Extract<Result<unknown>, { ok: false }>

/** makeApp over a SQLite store we keep a handle on, so tests can compare whole tables. */
async function sqliteApp() {
  const store = openSqlite({ file: ':memory:' })
  const app = await makeApp({ store })
  const dump = (table: string) => store.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()
  /** Everything a refusal must leave alone (the attempt counters are checked on their own). */
  const state = () => ({
    people: dump('people'),
    personHouseholds: dump('person_households'),
    orders: dump('orders'),
    households: dump('households'),
  })
  const attempts = () => dump('attempts') as { key: string; bucket: number; count: number }[]
  /** Calls and expects a refusal, with details. */
  const refuse = async <A extends ActionName>(who: string, action: A, input: InputOf<A> | Record<string, unknown>) => {
    const res = await app.raw(who, action, input)
    if (res.ok) throw new Error(`${action} unexpectedly succeeded`)
    return res as Refusal
  }
  return { ...app, state, attempts, refuse }
}

describe('household.join', () => {
  it('binds the caller to the household: me.get lists it and order.place works', async () => {
    const app = await sqliteApp()
    const joined = await app.as(sun).call('household.join', { code: SUN_CODE, phone: PHONE })
    expect(joined.household).toEqual({
      id: SUN_HOUSEHOLD,
      communityId: 'demo',
      communityName: '风水山社区',
      label: '2号楼2单元302',
    })
    expect(joined.me).toMatchObject({ id: sun, name: '孙女士', households: [joined.household] })

    const me = await app.as(sun).call('me.get', {})
    expect(me.households.map((h) => h.id)).toEqual([SUN_HOUSEHOLD])
    const person = await app.store.people.get(sun)
    expect(person).toMatchObject({ name: '孙女士', phone: PHONE, households: [SUN_HOUSEHOLD] })
    expect((await app.store.people.listByHousehold(SUN_HOUSEHOLD)).map((p) => p.id)).toEqual([sun])

    const order = await app.as(sun).call('order.place', {
      requestId: rid(),
      kind: 'supplies',
      lines: [{ itemId: 'rice', qty: 1 }],
    })
    expect(order).toMatchObject({ householdId: SUN_HOUSEHOLD, status: 'pending', placedBy: { id: sun, role: 'resident' } })
    expect((await app.as(sun).call('order.mine', {})).orders.map((o) => o.id)).toEqual([order.id])
  })

  it('creates a person for a first-time caller, with the name given or 居民', async () => {
    const app = await sqliteApp()
    const named = await app.as('wx-first-1').call('household.join', { code: SUN_CODE, phone: PHONE, name: '  孙阿姨 ' })
    expect(named.me).toMatchObject({ id: 'wx-first-1', name: '孙阿姨', squad: null, coordinator: null })
    expect(await app.store.people.get('wx-first-1')).toEqual({
      id: 'wx-first-1',
      name: '孙阿姨',
      phone: PHONE,
      households: [SUN_HOUSEHOLD],
      squadOf: null,
      coordinatorOf: null,
      createdAt: T0,
    })
    // Full-width digits and spaces in the code, +86 and spaces in the phone are tidied up.
    const plain = await app.as('wx-first-2').call('household.join', { code: '７３５ 291', phone: '+86 139-1234-5679' })
    expect(plain.me.name).toBe('居民')
    expect(await app.store.people.get('wx-first-2')).toMatchObject({ phone: '13912345679', households: [SUN_HOUSEHOLD] })
    // A household has several members.
    expect((await app.store.people.listByHousehold(SUN_HOUSEHOLD)).map((p) => p.id).sort()).toEqual(['wx-first-1', 'wx-first-2'])
  })

  it('joining twice is idempotent: same answer, nothing changes', async () => {
    const app = await sqliteApp()
    const first = await app.as(sun).call('household.join', { code: SUN_CODE, phone: PHONE })
    const before = app.state()
    const again = await app.as(sun).call('household.join', { code: SUN_CODE, phone: PHONE })
    expect(again).toEqual(first)
    expect(app.state()).toEqual(before)
    const [a, b] = await Promise.all([
      app.as(sun).call('household.join', { code: SUN_CODE, phone: PHONE }),
      app.as(sun).call('household.join', { code: SUN_CODE, phone: PHONE }),
    ])
    expect(a).toEqual(first)
    expect(b).toEqual(first)
    expect(app.state()).toEqual(before)
  })

  it('a person joins a second household; with two, order.place needs householdId', async () => {
    const app = await sqliteApp()
    const joined = await app.as(zhao).call('household.join', { code: SUN_CODE, phone: '13800000301' })
    expect(joined.me.households.map((h) => h.id)).toEqual(['h1-1-301', SUN_HOUSEHOLD])
    expect((await app.store.people.get(zhao))?.households).toEqual(['h1-1-301', SUN_HOUSEHOLD])
    expect((await app.store.people.listByHousehold(SUN_HOUSEHOLD)).map((p) => p.id)).toEqual([zhao])

    const ambiguous = await app.refuse(zhao, 'order.place', { requestId: rid(), kind: 'garbage' })
    expect(ambiguous).toMatchObject({ code: 'REQUEST.INVALID_INPUT', fields: { householdId: '请选择为哪一户下单' } })
    const o = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage', householdId: SUN_HOUSEHOLD })
    expect(o).toMatchObject({ householdId: SUN_HOUSEHOLD, placedBy: { id: zhao, role: 'resident' } })
    // A squad member can join their own home too, and keeps the squad role.
    const squad = await app.as(yuhong).call('household.join', { code: ZHAO_CODE, phone: '13900000001' })
    expect(squad.me).toMatchObject({ squad: { communityId: 'demo' }, households: [{ id: 'h1-1-301' }] })
  })

  it('a wrong code is refused with a clear message and binds nothing', async () => {
    const app = await sqliteApp()
    const before = app.state()
    const r = await app.refuse(sun, 'household.join', { code: WRONG, phone: PHONE })
    expect(r).toMatchObject({ code: 'HOUSEHOLD.CODE_WRONG', message: WRONG_MSG, details: { attemptsLeft: 4 } })
    // A first-time caller with a wrong code gets no person record either.
    const r2 = await app.refuse('wx-stranger', 'household.join', { code: WRONG, phone: PHONE, name: '路人' })
    expect(r2).toMatchObject({ code: 'HOUSEHOLD.CODE_WRONG', message: WRONG_MSG })
    expect(app.state()).toEqual(before)
    expect(await app.store.people.get('wx-stranger')).toBeNull()
    expect((await app.as(sun).call('me.get', {})).households).toEqual([])
  })

  it('validates code, phone and name with field messages, counts nothing and writes nothing', async () => {
    const app = await sqliteApp()
    const before = app.state()
    const cases: [Record<string, unknown>, string, string][] = [
      [{ code: SUN_CODE, phone: '1234' }, 'phone', '请填写正确的11位手机号码'],
      [{ code: SUN_CODE, phone: '12812345678' }, 'phone', '请填写正确的11位手机号码'],
      [{ code: SUN_CODE, phone: '1391234567' }, 'phone', '请填写正确的11位手机号码'],
      [{ code: SUN_CODE, phone: '139123456789' }, 'phone', '请填写正确的11位手机号码'],
      [{ code: SUN_CODE, phone: '' }, 'phone', '请填写手机号码'],
      [{ code: SUN_CODE }, 'phone', '请填写手机号码'],
      [{ code: '73529', phone: PHONE }, 'code', '住户码是隔离通知单上的6位数字'],
      [{ code: 'abcdef', phone: PHONE }, 'code', '住户码是隔离通知单上的6位数字'],
      [{ code: '', phone: PHONE }, 'code', '请填写住户码'],
      [{ phone: PHONE }, 'code', '请填写住户码'],
      [{ code: 735291, phone: PHONE }, 'code', '请填写住户码'],
      [{ code: SUN_CODE, phone: PHONE, name: '一'.repeat(21) }, 'name', '称呼不能超过20个字'],
    ]
    for (const [input, field, message] of cases) {
      const r = await app.refuse(sun, 'household.join', input)
      expect(r.code, JSON.stringify(input)).toBe('REQUEST.INVALID_INPUT')
      expect(r.fields?.[field], JSON.stringify(input)).toEqual(message)
      expect(r.message).toEqual(message)
    }
    // Identity comes from the platform: an extra key is refused, not read.
    const smuggled = await app.refuse(sun, 'household.join', { code: SUN_CODE, phone: PHONE, openid: zhao })
    expect(smuggled.code).toBe('REQUEST.INVALID_INPUT')
    expect(app.state()).toEqual(before)
    expect(app.attempts()).toEqual([])
  })
})

describe('household.join lockout', () => {
  it('five wrong codes lock the person out for ten minutes, even with the right code; then it works', async () => {
    const app = await sqliteApp()
    const before = app.state()
    for (let i = 1; i <= 4; i++) {
      const r = await app.refuse(sun, 'household.join', { code: WRONG, phone: PHONE })
      expect(r).toMatchObject({ code: 'HOUSEHOLD.CODE_WRONG', message: WRONG_MSG, details: { attemptsLeft: 5 - i } })
    }
    // The fifth wrong code locks, and the answer says so: locked, for how long, whom to call.
    const fifth = await app.refuse(sun, 'household.join', { code: WRONG, phone: PHONE })
    expect(fifth).toEqual({ ok: false, code: 'HOUSEHOLD.JOIN_LOCKED', message: LOCKED_MSG, details: { attemptsLeft: 0, retryAt: T0 + 10 * MIN } })
    const locked = await app.refuse(sun, 'household.join', { code: SUN_CODE, phone: PHONE })
    expect(locked).toEqual({
      ok: false,
      code: 'HOUSEHOLD.JOIN_LOCKED',
      message: LOCKED_MSG,
      details: { retryAt: T0 + 10 * MIN },
    })
    app.advance(5 * MIN)
    const later = await app.refuse(sun, 'household.join', { code: SUN_CODE, phone: PHONE })
    expect(later).toMatchObject({
      code: 'HOUSEHOLD.JOIN_LOCKED',
      message: lockedMsg(5),
      details: { retryAt: T0 + 10 * MIN },
    })
    app.advance(5 * MIN - 1)
    // Tries while locked do not extend the lock.
    const last = await app.refuse(sun, 'household.join', { code: SUN_CODE, phone: PHONE })
    expect(last).toMatchObject({
      code: 'HOUSEHOLD.JOIN_LOCKED',
      message: lockedMsg(1),
      details: { retryAt: T0 + 10 * MIN },
    })
    expect(app.state()).toEqual(before)

    app.advance(1)
    const joined = await app.as(sun).call('household.join', { code: SUN_CODE, phone: PHONE })
    expect(joined.household.id).toBe(SUN_HOUSEHOLD)
    // Once released, the old failures no longer count.
    const fresh = await app.refuse(sun, 'household.join', { code: WRONG, phone: PHONE })
    expect(fresh.details).toEqual({ attemptsLeft: 4 })
  })

  it('the lock is per person: others still join', async () => {
    const app = await sqliteApp()
    for (let i = 0; i < 5; i++) await app.refuse(sun, 'household.join', { code: WRONG, phone: PHONE })
    expect((await app.refuse(sun, 'household.join', { code: SUN_CODE, phone: PHONE })).code).toBe('HOUSEHOLD.JOIN_LOCKED')
    const other = await app.as('wx-neighbour').call('household.join', { code: SUN_CODE, phone: PHONE })
    expect(other.household.id).toBe(SUN_HOUSEHOLD)
  })

  it('a successful join does not reset the failures', async () => {
    const app = await sqliteApp()
    for (let i = 0; i < 4; i++) await app.refuse(zhao, 'household.join', { code: WRONG, phone: PHONE })
    await app.as(zhao).call('household.join', { code: SUN_CODE, phone: PHONE })
    const fifth = await app.refuse(zhao, 'household.join', { code: WRONG, phone: PHONE })
    expect(fifth).toMatchObject({ code: 'HOUSEHOLD.JOIN_LOCKED', message: LOCKED_MSG, details: { attemptsLeft: 0 } })
    const before = app.state()
    const locked = await app.refuse(zhao, 'household.join', { code: ZHAO_CODE, phone: PHONE })
    expect(locked).toMatchObject({ code: 'HOUSEHOLD.JOIN_LOCKED', message: LOCKED_MSG })
    expect(app.state()).toEqual(before)
  })

  it('counts wrong codes over ten minutes, and locks for ten minutes from the fifth', async () => {
    const app = await sqliteApp()
    const wrong = () => app.refuse(sun, 'household.join', { code: WRONG, phone: PHONE })
    for (let i = 0; i < 4; i++) expect((await wrong()).details).toEqual({ attemptsLeft: 4 - i })
    app.advance(9 * MIN)
    expect(await wrong()).toMatchObject({ code: 'HOUSEHOLD.JOIN_LOCKED', details: { attemptsLeft: 0, retryAt: T0 + 19 * MIN } })
    app.advance(6 * MIN)
    expect(await app.refuse(sun, 'household.join', { code: SUN_CODE, phone: PHONE })).toMatchObject({
      code: 'HOUSEHOLD.JOIN_LOCKED',
      message: lockedMsg(4),
      details: { retryAt: T0 + 19 * MIN },
    })
    app.advance(4 * MIN)
    expect((await app.as(sun).call('household.join', { code: SUN_CODE, phone: PHONE })).household.id).toBe(SUN_HOUSEHOLD)
  })

  it('wrong codes older than ten minutes no longer count', async () => {
    const app = await sqliteApp()
    const wrong = () => app.refuse(sun, 'household.join', { code: WRONG, phone: PHONE })
    for (let i = 0; i < 4; i++) await wrong()
    app.advance(10 * MIN)
    for (let i = 0; i < 4; i++) expect((await wrong()).details).toEqual({ attemptsLeft: 4 - i })
  })

  it('20 parallel wrong guesses: at most 5 evaluated, the rest locked out, nothing bound', async () => {
    const app = await sqliteApp()
    const lookups = vi.spyOn(app.store.households, 'findByCode')
    const before = app.state()
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => app.raw(sun, 'household.join', { code: String(100000 + i), phone: PHONE })),
    )
    const codes = results.map((r) => (r.ok ? 'ok' : r.code))
    expect(codes.filter((c) => c === 'HOUSEHOLD.CODE_WRONG').length).toBeLessThanOrEqual(5)
    expect(codes.filter((c) => c !== 'HOUSEHOLD.CODE_WRONG').every((c) => c === 'HOUSEHOLD.JOIN_LOCKED')).toBe(true)
    expect(lookups.mock.calls.length).toBeLessThanOrEqual(5)
    // SQLite counts exactly: the first five are evaluated, and the fifth locks.
    expect(lookups).toHaveBeenCalledTimes(5)
    for (const r of results) {
      if (!r.ok && r.code === 'HOUSEHOLD.JOIN_LOCKED') {
        expect(r).toMatchObject({ message: LOCKED_MSG, details: { retryAt: T0 + 10 * MIN } })
      }
    }
    expect(app.state()).toEqual(before)
    expect((await app.refuse(sun, 'household.join', { code: SUN_CODE, phone: PHONE })).code).toBe('HOUSEHOLD.JOIN_LOCKED')
  })

  it('the right code among 20 parallel guesses gets no more than 5 evaluated either', async () => {
    const app = await sqliteApp()
    const lookups = vi.spyOn(app.store.households, 'findByCode')
    const codes = Array.from({ length: 20 }, (_, i) => (i === 10 ? SUN_CODE : String(100000 + i)))
    await Promise.all(codes.map((code) => app.raw(sun, 'household.join', { code, phone: PHONE })))
    expect(lookups.mock.calls.length).toBeLessThanOrEqual(5)
    expect((await app.store.people.get(sun))?.households).toEqual([])
  })

  it('on the cloud adapter too: 20 parallel guesses never get more than 5 evaluated', async () => {
    const store = openCloudbase(await openSdkDatabase(new SdkDbEngine()))
    const app = await makeApp({ store })
    const lookups = vi.spyOn(store.households, 'findByCode')
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => app.raw(sun, 'household.join', { code: String(200000 + i), phone: PHONE })),
      )
      expect(results.every((r) => !r.ok && ['HOUSEHOLD.CODE_WRONG', 'HOUSEHOLD.JOIN_LOCKED'].includes(r.code))).toBe(true)
      expect(lookups.mock.calls.length).toBeLessThanOrEqual(5)
    }
    // One at a time, the count is exact. (60 joins so far: a minute on, so the per-person ceiling
    // on mutating actions, 60 a minute, is not what answers; the lockout counts ten minutes.)
    app.advance(61_000)
    while (lookups.mock.calls.length < 5) {
      const r = await app.raw(sun, 'household.join', { code: WRONG, phone: PHONE })
      // The wrong code that fills the window is answered as the lock itself.
      expect(r).toMatchObject({ ok: false, code: lookups.mock.calls.length < 5 ? 'HOUSEHOLD.CODE_WRONG' : 'HOUSEHOLD.JOIN_LOCKED' })
    }
    expect(await app.raw(sun, 'household.join', { code: SUN_CODE, phone: PHONE })).toMatchObject({
      ok: false,
      code: 'HOUSEHOLD.JOIN_LOCKED',
    })
    expect(lookups).toHaveBeenCalledTimes(5)
    expect((await store.people.get(sun))?.households).toEqual([])
  })
})

describe('me.setPrefs', () => {
  it('defaults come from roles; prefs round-trip through me.get', async () => {
    const app = await sqliteApp()
    expect(await app.as(zhao).call('me.get', {})).toMatchObject({
      prefs: { largeText: false, view: 'resident' },
      views: ['resident'],
    })
    expect(await app.as(yuhong).call('me.get', {})).toMatchObject({
      prefs: { largeText: false, view: 'squad' },
      views: ['resident', 'squad'],
    })
    expect(await app.as(coordinator).call('me.get', {})).toMatchObject({
      prefs: { largeText: false, view: 'coordinator' },
      views: ['resident', 'coordinator'],
    })

    const set = await app.as(zhao).call('me.setPrefs', { largeText: true })
    expect(set.prefs).toEqual({ largeText: true, view: 'resident' })
    expect((await app.as(zhao).call('me.get', {})).prefs).toEqual({ largeText: true, view: 'resident' })
    expect((await app.store.people.get(zhao))?.prefs).toEqual({ largeText: true, view: 'resident' })

    expect((await app.as(yuhong).call('me.setPrefs', { view: 'resident' })).prefs).toEqual({ largeText: false, view: 'resident' })
    expect((await app.as(yuhong).call('me.setPrefs', { largeText: true })).prefs).toEqual({ largeText: true, view: 'resident' })
    expect((await app.as(yuhong).call('me.get', {})).prefs).toEqual({ largeText: true, view: 'resident' })
    expect((await app.as(yuhong).call('me.setPrefs', { view: 'squad', largeText: false })).prefs).toEqual({
      largeText: false,
      view: 'squad',
    })
  })

  it('refuses a view the person has no role for, and changes nothing', async () => {
    const app = await sqliteApp()
    await app.as(zhao).call('me.setPrefs', { largeText: true })
    const before = app.state()
    expect(await app.refuse(zhao, 'me.setPrefs', { view: 'squad', largeText: false })).toMatchObject({
      code: 'AUTH.FORBIDDEN',
      message: '您不是送货小分队成员，不能切换到小分队界面',
    })
    expect(await app.refuse(yuhong, 'me.setPrefs', { view: 'coordinator' })).toMatchObject({
      code: 'AUTH.FORBIDDEN',
      message: '您不是社区工作人员，不能切换到社区管理界面',
    })
    expect(await app.refuse('wx-nobody', 'me.setPrefs', { view: 'squad' })).toMatchObject({ code: 'AUTH.FORBIDDEN' })
    const bad = await app.refuse(zhao, 'me.setPrefs', { view: 'admin' })
    expect(bad).toMatchObject({
      code: 'REQUEST.INVALID_INPUT',
      fields: { view: '请选择居民、小分队或社区管理界面' },
    })
    const bad2 = await app.refuse(zhao, 'me.setPrefs', { largeText: 'yes' })
    expect(bad2).toMatchObject({ code: 'REQUEST.INVALID_INPUT', fields: { largeText: '大字模式只能选择开或关' } })
    expect(app.state()).toEqual(before)
    expect(await app.store.people.get('wx-nobody')).toBeNull()
  })

  it('the view is only a preference: authority comes from the records on every call', async () => {
    const app = await sqliteApp()
    await app.as(yuhong).call('me.setPrefs', { view: 'resident' })
    // Still squad on the server, whatever the view.
    expect((await app.as(yuhong).call('squad.board', {})).orders).toEqual([])
    // The role is taken away: the stored view falls back, and the server refuses squad actions.
    await app.as(yuhong).call('me.setPrefs', { view: 'squad' })
    const p = (await app.store.people.get(yuhong))!
    await app.store.people.put({ ...p, squadOf: null })
    expect((await app.as(yuhong).call('me.get', {})).prefs.view).toBe('resident')
    expect((await app.refuse(yuhong, 'squad.board', {})).code).toBe('AUTH.FORBIDDEN')
  })

  it('a caller who has not joined yet can set large text; joining keeps it', async () => {
    const app = await sqliteApp()
    const me = await app.as('wx-elder').call('me.setPrefs', { largeText: true })
    expect(me).toMatchObject({ id: 'wx-elder', name: '居民', households: [], prefs: { largeText: true, view: 'resident' } })
    const joined = await app.as('wx-elder').call('household.join', { code: SUN_CODE, phone: PHONE, name: '孙奶奶' })
    expect(joined.me).toMatchObject({ name: '孙奶奶', prefs: { largeText: true, view: 'resident' } })
    expect(await app.store.people.get('wx-elder')).toMatchObject({ name: '孙奶奶', phone: PHONE, households: [SUN_HOUSEHOLD] })
  })
})

describe('order.repeat', () => {
  const lines = [
    { itemId: 'rice', qty: 2 },
    { itemId: 'egg', qty: 3, note: '要散装的' },
    { itemId: 'medicine', name: '硝苯地平', qty: 1, prescription: true },
  ]

  it('places a new order with the same lines, kind and urgency; idempotent on requestId', async () => {
    const app = await sqliteApp()
    const first = await app.as(zhao).call('order.place', {
      requestId: rid(),
      kind: 'supplies',
      urgency: 'urgent',
      urgentReason: '降压药快吃完了',
      lines,
      window: 'afternoon',
      notes: '放门口凳子上',
    })
    await app.as(zhao).call('order.cancel', { id: first.id })
    app.advance(60 * MIN)

    const requestId = rid()
    const again = await app.as(zhao).call('order.repeat', { id: first.id, requestId })
    expect(again.id).not.toBe(first.id)
    expect(again).toMatchObject({
      householdId: first.householdId,
      kind: 'supplies',
      status: 'pending',
      urgency: 'urgent',
      urgentReason: '降压药快吃完了',
      window: 'afternoon',
      notes: '放门口凳子上',
      requestId,
      placedBy: { id: zhao, role: 'resident' },
      createdAt: T0 + 60 * MIN,
    })
    expect(again.lines).toEqual(first.lines)
    expect(again.timeline.map((t) => t.event)).toEqual(['place'])

    // Retried (also concurrently): the same order, no second one.
    const [r1, r2] = await Promise.all([
      app.as(zhao).call('order.repeat', { id: first.id, requestId }),
      app.as(zhao).call('order.repeat', { id: first.id, requestId }),
    ])
    expect(r1).toEqual(again)
    expect(r2).toEqual(again)
    expect((await app.as(zhao).call('order.mine', {})).orders.map((o) => o.id)).toEqual([again.id, first.id])

    // A garbage pickup repeats too.
    const g = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    const g2 = await app.as(zhao).call('order.repeat', { id: g.id, requestId: rid() })
    expect(g2).toMatchObject({ kind: 'garbage', lines: [], householdId: 'h1-1-301' })
    expect(g2.id).not.toBe(g.id)
  })

  it('another member of the household can repeat it; a squad member repeats a proxy order', async () => {
    const app = await sqliteApp()
    await app.as(sun).call('household.join', { code: ZHAO_CODE, phone: PHONE })
    const o = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'supplies', lines })
    const mine = await app.as(sun).call('order.repeat', { id: o.id, requestId: rid() })
    expect(mine).toMatchObject({ householdId: 'h1-1-301', placedBy: { id: sun, role: 'resident' }, lines: o.lines })
    // A squad member repeats the order they placed for the household (代下单), not the household's own:
    // that would hand them the door of an order the board shows them without it.
    expect(await app.refuse(yuhong, 'order.repeat', { id: o.id, requestId: rid() })).toMatchObject({ code: 'AUTH.FORBIDDEN' })
    const placed = await app.as(yuhong).call('order.place', { requestId: rid(), householdId: 'h1-1-301', kind: 'supplies', lines })
    const proxy = await app.as(yuhong).call('order.repeat', { id: placed.id, requestId: rid() })
    expect(proxy).toMatchObject({ householdId: 'h1-1-301', placedBy: { id: yuhong, role: 'squad' } })
    expect(proxy.timeline[0]?.note).toBe('社工代下单')
  })

  it('refuses meals and handovers with a message that says why, and places nothing', async () => {
    const app = await sqliteApp()
    const meal = await app.as(zhao).call('order.place', {
      requestId: rid(),
      kind: 'meal',
      meal: { dish: '青菜粥', day: 'today', slot: 'lunch' },
    })
    const handover = await app.as(zhao).call('order.place', {
      requestId: rid(),
      kind: 'handover',
      handover: { bringer: '父母', items: '水果和药', expectedAt: T0 + 2 * 60 * MIN },
    })
    const before = app.state()
    expect(await app.refuse(zhao, 'order.repeat', { id: meal.id, requestId: rid() })).toMatchObject({
      code: 'ORDER.NOT_REPEATABLE',
      message: '送餐要重新选择饭菜和用餐时间，请重新下单',
    })
    expect(await app.refuse(zhao, 'order.repeat', { id: handover.id, requestId: rid() })).toMatchObject({
      code: 'ORDER.NOT_REPEATABLE',
      message: '家属送物要重新填写送达时间，请重新下单',
    })
    expect(app.state()).toEqual(before)
  })

  it('refuses an order whose items left the catalog, naming them', async () => {
    const app = await sqliteApp()
    const o = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'supplies', lines })
    // An order from an older catalog: two of its items are gone.
    const old = { ...(await app.store.orders.get(o.id))!, id: 'o-old-catalog', requestId: rid() }
    old.lines = [
      ...old.lines,
      { itemId: 'durian', name: '榴莲', unit: '斤', qty: 1 },
      { itemId: 'yeast', name: '酵母', unit: '袋', qty: 1 },
    ]
    await app.store.orders.insert(old)
    const before = app.state()
    const r = await app.refuse(zhao, 'order.repeat', { id: old.id, requestId: rid() })
    expect(r).toMatchObject({
      code: 'ORDER.NOT_REPEATABLE',
      message: '「榴莲、酵母」已不在物品清单里，请重新下单',
      details: { missing: '榴莲、酵母' },
    })
    expect(app.state()).toEqual(before)
  })

  it('refuses other households’ orders, unbound callers and bad input, and places nothing', async () => {
    const app = await sqliteApp()
    const o = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'supplies', lines })
    const before = app.state()
    expect(await app.refuse(zhang, 'order.repeat', { id: o.id, requestId: rid() })).toMatchObject({
      code: 'ORDER.NOT_FOUND',
      message: '订单不存在或已被删除',
    })
    expect(await app.refuse(zhao, 'order.repeat', { id: 'o-missing', requestId: rid() })).toMatchObject({
      code: 'ORDER.NOT_FOUND',
      message: '订单不存在或已被删除',
    })
    expect(await app.refuse(sun, 'order.repeat', { id: o.id, requestId: rid() })).toMatchObject({
      code: 'HOUSEHOLD.NONE_BOUND',
      message: '您还没有绑定住户，请先输入隔离通知单上的住户码',
    })
    // The coordinator sees the order but does not order for households.
    expect(await app.refuse(coordinator, 'order.repeat', { id: o.id, requestId: rid() })).toMatchObject({
      code: 'HOUSEHOLD.NOT_MEMBER',
      message: '只能为自己家下单',
    })
    const noRequestId = await app.refuse(zhao, 'order.repeat', { id: o.id })
    expect(noRequestId.code).toBe('REQUEST.INVALID_INPUT')
    expect(Object.keys(noRequestId.fields ?? {})).toEqual(['requestId'])
    expect(await app.refuse(zhao, 'order.repeat', { id: o.id, requestId: 'short' })).toMatchObject({
      code: 'REQUEST.INVALID_INPUT',
      message: '提交编号格式不正确',
      fields: { requestId: '提交编号格式不正确' },
    })
    expect(app.state()).toEqual(before)
  })
})
