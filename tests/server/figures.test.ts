/**
 * coord.stats `days`: the last 14 Beijing days through the real dispatcher on SQLite, equal to the
 * figures worked out from the same history; settled days are kept, so a later call reads only the
 * orders of the days not yet settled; and the figures repo behaves the same on both adapters.
 */
import { describe, expect, it } from 'vitest'
import { dayFigures } from '../../src/core/figures'
import { PROTOCOL_STEPS } from '../../src/core/order/protocol'
import { addBeijingDays, fromBeijing } from '../../src/core/time'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import { openSqlite } from '../../src/server/adapters/sqlite'
import type { OrderQuery, Store } from '../../src/server/ports'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, rid } from '../support/app'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'

const HOUR = 3600_000

/** A store that counts the orders it hands out through list(). */
function counting(store: Store) {
  const seen = { orders: 0, queries: [] as OrderQuery[] }
  const list = store.orders.list.bind(store.orders)
  store.orders.list = async (q) => {
    const page = await list(q)
    seen.orders += page.items.length
    seen.queries.push(q)
    return page
  }
  return seen
}

describe('coord.stats days', () => {
  it('14 days, oldest first, equal to the figures of the same history; settled days are kept', async () => {
    const start = fromBeijing('2026-11-10', 9)
    const store = openSqlite({ file: ':memory:' })
    const app = await makeApp({ store, now: start })
    const zhao = app.as(DEMO_PEOPLE.zhao)
    const squad = app.as(DEMO_PEOPLE.yuhong)
    // Three days of history: each day one order delivered after 40 min and rated, one cancelled at once.
    for (let day = 0; day < 3; day++) {
      const o = await zhao.call('order.place', { requestId: rid(), kind: 'garbage' })
      app.advance(10 * 60_000)
      await squad.call('order.claim', { id: o.id })
      await squad.call('order.advance', { id: o.id, event: 'depart' })
      app.advance(30 * 60_000)
      for (const step of PROTOCOL_STEPS) await squad.call('order.step', { id: o.id, step })
      await zhao.call('order.confirm', { id: o.id })
      await zhao.call('order.rate', { id: o.id, stars: day === 1 ? 3 : 5, comment: '' })
      const x = await zhao.call('order.place', { requestId: rid(), kind: 'garbage' })
      await zhao.call('order.cancel', { id: x.id })
      app.advance(24 * HOUR - 40 * 60_000)
    }
    // Now 11-13 09:00: the 11-10 and 11-11 orders are settled; 11-12 is not yet two days old.
    const seen = counting(store)
    const stats = await app.as(DEMO_PEOPLE.coordinator).call('coord.stats', {})
    expect(stats.days).toHaveLength(14)
    expect(stats.days[13]!.date).toBe('2026-11-13')
    expect(stats.days[0]!.date).toBe(addBeijingDays(app.clock.now, -13))

    const all = (await store.orders.list({ communityId: 'demo', limit: 100 })).items
    for (const date of ['2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13'])
      expect(stats.days.find((d) => d.date === date)).toEqual(dayFigures(date, all, app.clock.now))
    expect(stats.days.find((d) => d.date === '2026-11-11')).toMatchObject({
      placed: 2,
      delivered: 1,
      cancelled: 1,
      responseRate: 1,
      onTimeRate: 1,
      satisfaction: 0,
      medianClaimMinutes: 10,
      medianDeliverMinutes: 40,
      householdsServed: 1,
    })
    expect(stats.days.find((d) => d.date === '2026-11-07')).toMatchObject({ placed: 0, responseRate: null })
    expect((await store.figures.get('demo', ['2026-11-10', '2026-11-11', '2026-11-12'])).map((f) => f.date).sort()).toEqual([
      '2026-11-10',
      '2026-11-11',
    ])

    // The next call reads the recent orders once: since two days before today (11-11), which covers
    // the oldest day not kept (11-12); the kept 11-10 is not read again.
    seen.orders = 0
    seen.queries.length = 0
    await app.as(DEMO_PEOPLE.coordinator).call('coord.stats', {})
    const byTime = seen.queries.filter((q) => q.createdFrom !== undefined)
    expect(byTime.map((q) => q.createdFrom)).toEqual([fromBeijing('2026-11-11', 0)])
    // Besides that read, only the open orders (none here).
    expect(seen.queries.filter((q) => q.createdFrom === undefined).map((q) => q.statuses)).toEqual([['pending', 'claimed', 'delivering', 'at_door']])
  })
})

describe('figures repo on both adapters', () => {
  for (const [name, open] of [
    ['sqlite', async () => openSqlite({ file: ':memory:' })],
    ['cloudbase (real wx-server-sdk)', async () => openCloudbase(await openSdkDatabase(new SdkDbEngine()))],
  ] as const) {
    it(`${name}: keeps a day per community and date, replaces it, reads only what is asked`, async () => {
      const store = await open()
      const f = dayFigures('2026-11-10', [], fromBeijing('2026-11-20', 9))
      await store.figures.put('c-1', f)
      await store.figures.put('c-1', { ...f, placed: 7 })
      await store.figures.put('c-2', { ...f, placed: 9 })
      await store.figures.put('c-1', { ...f, date: '2026-11-11' })
      expect(await store.figures.get('c-1', ['2026-11-10'])).toEqual([{ ...f, placed: 7 }])
      expect((await store.figures.get('c-1', ['2026-11-10', '2026-11-11', '2026-11-12'])).length).toBe(2)
      expect(await store.figures.get('c-3', ['2026-11-10'])).toEqual([])
      expect(await store.figures.get('c-1', [])).toEqual([])
    })
  }
})

describe('orders by placing time on both adapters', () => {
  for (const [name, open] of [
    ['sqlite', async () => openSqlite({ file: ':memory:' })],
    ['cloudbase (real wx-server-sdk)', async () => openCloudbase(await openSdkDatabase(new SdkDbEngine()))],
  ] as const) {
    it(`${name}: createdFrom and createdBefore bound the page`, async () => {
      const app = await makeApp({ store: await open(), now: fromBeijing('2026-11-10', 9) })
      const ids: string[] = []
      for (let i = 0; i < 4; i++) {
        ids.push((await app.as(DEMO_PEOPLE.zhao).call('order.place', { requestId: rid(), kind: 'garbage' })).id)
        app.advance(HOUR)
      }
      const t = fromBeijing('2026-11-10', 9)
      const got = await app.store.orders.list({ communityId: 'demo', createdFrom: t + HOUR, createdBefore: t + 3 * HOUR })
      expect(got.items.map((o) => o.id)).toEqual([ids[2], ids[1]])
      expect((await app.store.orders.list({ communityId: 'demo', createdFrom: t + 3 * HOUR })).items.map((o) => o.id)).toEqual([ids[3]])
    })
  }
})
