/**
 * The SQLite order update assigns only the index columns that change (adapters/sqlite-order-update.ts).
 * Whatever it leaves out must already hold the right value: after every kind of change, each row's
 * index columns equal what its document says, the indexes match the table (integrity_check), and
 * the index-served reads see the change. A doorstep step (document only) assigns no index column.
 */
import { describe, expect, it } from 'vitest'
import { boardAt } from '../src/core/order/board-page'
import type { Order } from '../src/core/order/types'
import { openSqlite } from '../src/server/adapters/sqlite'
import { makeOrder, makePersonRef, T0 } from './support/fixtures'

function open() {
  const updates: string[] = []
  const store = openSqlite({ file: ':memory:', trace: (sql) => sql.startsWith('UPDATE orders') && updates.push(sql.replace(/\s+/g, ' ')) })
  // The migrations' own backfills are not order updates.
  updates.length = 0
  return { store, updates }
}

/** The row's index columns against the document they come from. */
function expectColumnsMatch(store: ReturnType<typeof open>['store'], o: Order) {
  const row = store.db
    .prepare(`SELECT status, version, holder_id, partner_id, watch_at, urgency, board_at FROM orders WHERE id = ?`)
    .get(o.id)
  expect(row).toEqual({
    status: o.status,
    version: o.version,
    holder_id: o.holder?.id ?? null,
    partner_id: o.partner?.id ?? null,
    watch_at: o.watchAt ?? null,
    urgency: o.urgency,
    board_at: boardAt(o),
  })
}

describe('SQLite orders.update assigns only what changed', () => {
  it('keeps every index column equal to the document through each kind of change', async () => {
    const { store, updates } = open()
    const squad = makePersonRef({ role: 'squad' })
    const partner = makePersonRef({ role: 'squad' })
    let o = makeOrder({ watchAt: T0 + 3600_000 })
    await store.orders.insert(o)
    const step = async (change: Partial<Order>) => {
      const next: Order = { ...o, ...change, version: o.version + 1, updatedAt: o.updatedAt + 60_000 }
      expect(await store.orders.update(next, { status: o.status, version: o.version })).toBe(true)
      o = next
      expectColumnsMatch(store, o)
      expect(await store.orders.get(o.id)).toEqual(o)
    }
    await step({ urgency: 'urgent' })
    await step({ dueAt: T0 + 2 * 3600_000 })
    expect((await store.orders.board({ communityId: o.communityId, now: T0 })).items.map((x) => x.id)).toEqual([o.id])
    await step({ status: 'claimed', holder: squad, watchAt: T0 + 7200_000 })
    expect((await store.orders.board({ communityId: o.communityId, now: T0 })).items).toEqual([])
    expect((await store.orders.list({ holderId: squad.id, statuses: ['claimed'] })).items.map((x) => x.id)).toEqual([o.id])
    await step({ partner })
    expect((await store.orders.list({ holderId: partner.id, statuses: ['claimed'] })).items.map((x) => x.id)).toEqual([o.id])
    await step({ status: 'delivering' })
    await step({ notes: '已消杀楼道' })
    expect((await store.orders.listDue(T0 + 10 * 3600_000, 10)).map((x) => x.id)).toEqual([o.id])
    await step({ partner: null, watchAt: undefined })
    expect(await store.orders.listDue(T0 + 10 * 3600_000, 10)).toEqual([])
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')

    // The document-only step assigned no index column; the claim assigned the ones it moved. (The
    // trace shows the statement with its values bound; the SET list ends at the row's WHERE.)
    const assigned = (sql: string) => {
      const set = sql.slice('UPDATE orders SET '.length, sql.lastIndexOf(' WHERE id = '))
      return ['status', 'holder_id', 'partner_id', 'watch_at', 'urgency', 'board_at'].filter((c) => set.includes(`${c} = `))
    }
    expect(updates).toHaveLength(7)
    expect(updates[5]).toMatch(/^UPDATE orders SET version = 7(\.0)?, doc = '/)
    expect(assigned(updates[5]!)).toEqual([])
    expect(assigned(updates[2]!)).toEqual(['status', 'holder_id', 'watch_at'])
    expect(assigned(updates[0]!)).toEqual(['urgency'])
  })

  it('refuses a stale status or version without writing', async () => {
    const { store, updates } = open()
    const o = makeOrder()
    await store.orders.insert(o)
    expect(await store.orders.update({ ...o, notes: 'x', version: 2 }, { status: 'claimed', version: 1 })).toBe(false)
    expect(await store.orders.update({ ...o, notes: 'x', version: 2 }, { status: 'pending', version: 7 })).toBe(false)
    expect(await store.orders.update({ ...o, id: 'o-missing', version: 2 }, { status: 'pending', version: 1 })).toBe(false)
    expect(updates).toEqual([])
    expect(await store.orders.get(o.id)).toEqual(o)
  })
})
