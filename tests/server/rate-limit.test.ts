/**
 * Rate limits on mutating actions (core/rate-limit.ts), through the real dispatcher with a clock the
 * test controls, on SQLite and on the CloudBase adapter over the real wx-server-sdk client.
 */
import { describe, expect, it } from 'vitest'
import { CONTRACT, type ActionName } from '../../src/core/contract'
import { PROTOCOL_STEPS } from '../../src/core/order/protocol'
import { RATE_EXEMPT, RATE_RULES, rulesFor } from '../../src/core/rate-limit'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import { openSqlite } from '../../src/server/adapters/sqlite'
import { memoryAttempts, type MemoryAttempts } from '../../src/server/adapters/memory-attempts'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import type { Store } from '../../src/server/ports'
import { makeApp, rid, T0 } from '../support/app'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'

const { zhao, zhang, yuhong, wangnan } = DEMO_PEOPLE
const ZHAO_HOME = 'h1-1-301'

const stores: [string, () => Promise<Store>, (() => MemoryAttempts)?][] = [
  ['SQLite', async () => openSqlite({ file: ':memory:' })],
  ['CloudBase (real SDK)', async () => openCloudbase(await openSdkDatabase(new SdkDbEngine()))],
  // The local host: the same store, the windows counted in its memory (Deps.rates).
  ['SQLite, windows in memory (the local host)', async () => openSqlite({ file: ':memory:' }), memoryAttempts],
]

type App = Awaited<ReturnType<typeof makeApp>>

const garbage = (extra: Record<string, unknown> = {}) => ({ requestId: rid('rl'), kind: 'garbage' as const, ...extra })

async function ordersOf(app: App, householdId: string) {
  const mine = await app.as(householdId === ZHAO_HOME ? zhao : zhang).call('order.mine', {})
  return mine.orders.map((o) => o.id).sort()
}

describe.each(stores)('rate limits on %s', (_name, open, rates) => {
  const app = async () => makeApp({ store: await open(), ...(rates ? { rates: rates() } : {}) })
  /** Where this app counts its windows. */
  const counters = (a: App) => a.deps.rates ?? a.store.attempts

  it('the 11th order of a household in a minute is refused with RATE.LIMITED and retryAt, nothing written; a minute later it is allowed', async () => {
    const a = await app()
    for (let i = 0; i < 10; i++) {
      a.advance(1000)
      await a.as(zhao).call('order.place', garbage())
    }
    const before = await ordersOf(a, ZHAO_HOME)
    expect(before).toHaveLength(10)
    const attemptsBefore = await counters(a).list(`rate-orders.${ZHAO_HOME}`, 0)
    const r = await a.as(zhao).refused('order.place', garbage())
    expect(r.code).toBe('RATE.LIMITED')
    // The first order went in at T0+1s (bucket T0): the window frees at T0 + 60 s.
    expect(r.details).toEqual({ retryAt: T0 + 60_000 })
    expect(r.message).toBe('操作太频繁了，请50秒后再试')
    expect(await ordersOf(a, ZHAO_HOME)).toEqual(before)
    expect(await counters(a).list(`rate-orders.${ZHAO_HOME}`, 0)).toEqual(attemptsBefore)
    // order.repeat counts for the household too.
    expect((await a.as(zhao).refused('order.repeat', { id: before[0]!, requestId: rid('rl') })).code).toBe('RATE.LIMITED')
    // Reads pass.
    await a.as(zhao).call('order.mine', {})

    a.advance(60_000 - 10_000)
    expect(a.clock.now).toBe(T0 + 60_000)
    await a.as(zhao).call('order.place', garbage())
    expect(await ordersOf(a, ZHAO_HOME)).toHaveLength(11)
  })

  it('another household is unaffected, and a proxy order counts for the household it is for', async () => {
    const a = await app()
    for (let i = 0; i < 9; i++) await a.as(zhao).call('order.place', garbage())
    // A squad member's proxy order for zhao's household is the tenth.
    await a.as(wangnan).call('order.place', garbage({ householdId: ZHAO_HOME }))
    expect((await a.as(yuhong).refused('order.place', garbage({ householdId: ZHAO_HOME }))).code).toBe('RATE.LIMITED')
    expect((await a.as(zhao).refused('order.place', garbage())).code).toBe('RATE.LIMITED')
    // Zhang's household and the squad's proxy orders for it go through.
    await a.as(zhang).call('order.place', garbage())
    await a.as(yuhong).call('order.place', garbage({ householdId: 'h1-2-502' }))
    expect(await ordersOf(a, 'h1-2-502')).toHaveLength(2)
  })

  it('an order refused by its handler gives its household slot back; a stranger fills nobody’s window', async () => {
    const a = await app()
    for (let i = 0; i < 10; i++) {
      const r = await a.as(zhao).refused('order.place', { requestId: rid('rl'), kind: 'supplies', lines: [{ itemId: 'nope', qty: 1 }] })
      expect(r.code).toBe('REQUEST.INVALID_INPUT')
    }
    for (let i = 0; i < 5; i++) {
      expect((await a.as(zhang).refused('order.place', garbage({ householdId: ZHAO_HOME }))).code).toBe('HOUSEHOLD.NOT_MEMBER')
    }
    for (let i = 0; i < 10; i++) await a.as(zhao).call('order.place', garbage())
    expect(await ordersOf(a, ZHAO_HOME)).toHaveLength(10)
  })

  it('an idempotent retry of an order that exists is answered with it even when the limit is reached', async () => {
    const a = await app()
    const first = garbage()
    const placed = await a.as(zhao).call('order.place', first)
    for (let i = 0; i < 9; i++) await a.as(zhao).call('order.place', garbage())
    expect((await a.as(zhao).refused('order.place', garbage())).code).toBe('RATE.LIMITED')
    const again = await a.as(zhao).call('order.place', first)
    expect(again.id).toBe(placed.id)
    expect(await ordersOf(a, ZHAO_HOME)).toHaveLength(10)
    // A new request id is still refused: the retry took no slot and freed none.
    expect((await a.as(zhao).refused('order.place', garbage())).code).toBe('RATE.LIMITED')
  })

  it('15 orders for one household at once: at most 10 placed, every other one refused with RATE.LIMITED', async () => {
    const a = await app()
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) => a.raw(i % 2 ? zhao : wangnan, 'order.place', garbage({ householdId: ZHAO_HOME }))),
    )
    const placed = results.filter((r) => r.ok).length
    expect(placed).toBeLessThanOrEqual(10)
    expect(placed).toBeGreaterThan(0)
    expect(results.every((r) => r.ok || r.code === 'RATE.LIMITED')).toBe(true)
    expect(await ordersOf(a, ZHAO_HOME)).toHaveLength(placed)
  })

  it('a squad member doing a whole doorstep delivery in one minute is never stopped', async () => {
    const a = await app()
    const o = await a.as(zhao).call('order.place', garbage())
    await a.as(yuhong).call('order.claim', { id: o.id })
    await a.as(yuhong).call('order.advance', { id: o.id, event: 'depart' })
    for (const step of PROTOCOL_STEPS) await a.as(yuhong).call('order.step', { id: o.id, step })
    const done = await a.as(yuhong).call('order.get', { id: o.id })
    expect(done.protocol?.map((p) => p.step)).toEqual([...PROTOCOL_STEPS])
  })

  it('a person’s 61st mutating action in a minute is refused, reads still pass, and the window slides', async () => {
    const a = await app()
    for (let i = 0; i < 60; i++) {
      await a.as(yuhong).call('me.setPrefs', { largeText: i % 2 === 0 })
      if (i % 10 === 9) a.advance(10_000)
    }
    // Now at T0+60s: bucket T0 (10 actions) has just left the window.
    a.advance(-1)
    const r = await a.as(yuhong).refused('me.setPrefs', { largeText: true })
    expect(r.code).toBe('RATE.LIMITED')
    expect(r.details).toEqual({ retryAt: T0 + 60_000 })
    expect(r.message).toBe('操作太频繁了，请1秒后再试')
    expect((await a.as(yuhong).call('me.get', {})).prefs.largeText).toBe(false)
    // Another person is unaffected.
    await a.as(wangnan).call('me.setPrefs', { largeText: true })
    a.advance(1)
    expect((await a.as(yuhong).call('me.setPrefs', { largeText: true })).prefs.largeText).toBe(true)
  })
})

describe('which actions are counted', () => {
  const all = Object.keys(CONTRACT) as ActionName[]

  it('every action is counted per person or explicitly exempt as a read, and the exempt list is the reviewed one', () => {
    for (const a of all) {
      const counted = rulesFor(a).some((r) => r.per === 'person')
      expect(counted !== RATE_EXEMPT.includes(a), a).toBe(true)
    }
    // Adding an exemption is a decision: it must be made here too. A new action is counted by default.
    expect([...RATE_EXEMPT].sort()).toEqual(
      [
        'campaign.get', 'campaign.list', 'campaign.mine', 'campaign.tasks', 'catalog.get', 'coord.audit', 'coord.buildingMap',
        'coord.followups', 'coord.grids', 'coord.ledger', 'coord.stats', 'inbox.list', 'me.get', 'notify.templates',
        'order.get', 'order.mine', 'photo.url', 'robot.list', 'robot.log', 'squad.board', 'squad.households',
        'squad.invites', 'squad.members', 'squad.tasks',
      ].sort(),
    )
    for (const a of RATE_EXEMPT) expect(all, a).toContain(a)
  })

  it('orders are counted per household; mutating actions per person only', () => {
    expect(rulesFor('order.place').map((r) => r.id)).toEqual(['person', 'orders'])
    expect(rulesFor('order.repeat').map((r) => r.id)).toEqual(['person', 'orders'])
    expect(rulesFor('order.step').map((r) => r.id)).toEqual(['person'])
    expect(rulesFor('order.mine')).toEqual([])
    expect(RATE_RULES.map((r) => [r.id, r.max, r.windowMs])).toEqual([['person', 60, 60_000], ['orders', 10, 60_000]])
  })
})
