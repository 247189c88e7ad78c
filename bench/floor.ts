/**
 * 'floor': what this machine's SQLite does with no server around it. The same conditional claim the
 * store does (read the order's document, compare, write it back only if status and version are still
 * what was read: the adapter's own UPDATE … WHERE id AND status AND version) on the same schema
 * (openSqlite's migrations, WAL, synchronous=NORMAL), in this process, one claim after another.
 * The host's rush throughput (bench/rush.ts, same run) is reported as a fraction of it.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqlite } from '../src/server/adapters/sqlite'
import type { Order } from '../src/core/order/types'
import { dispatch } from '../src/server/api/dispatch'
import { memoryLogger } from '../src/server/log'
import { DEMO_PEOPLE, seedDemo } from '../src/server/seed/demo'
import { lastRushRate } from './rush'
import type { Figure, Section } from './report'

const ORDERS = 20_000

export async function floor(): Promise<Section> {
  const dir = mkdtempSync(join(tmpdir(), 'zhaijia-floor-'))
  const store = openSqlite({ file: join(dir, 'floor.db') })
  const now = Date.now()
  // One real order (placed through the dispatcher), cloned: the documents have the real size.
  const deps = { store, now: () => now, log: memoryLogger() }
  await seedDemo(store, now)
  const placed = await dispatch(deps, { id: DEMO_PEOPLE.zhao }, {
    action: 'order.place',
    input: { requestId: 'floor-template', kind: 'supplies', urgency: 'normal', lines: [{ itemId: 'rice', qty: 1 }, { itemId: 'water20', qty: 2 }] },
  })
  if (!placed.ok) throw new Error(`floor: ${placed.code}`)
  const template = (await store.orders.get((placed.data as { id: string }).id))!
  store.db.exec('BEGIN')
  for (let i = 0; i < ORDERS; i++) {
    const order: Order = { ...template, id: `of${i}`, requestId: `floor-${i}-req`, createdAt: now + i }
    await store.orders.insert(order)
  }
  store.db.exec('COMMIT')
  const get = store.db.prepare(`SELECT doc FROM orders WHERE id = ?`)
  const update = store.db.prepare(
    `UPDATE orders SET status = @status, holder_id = @holderId, partner_id = @partnerId, version = @version, doc = @doc
     WHERE id = @id AND status = @expectStatus AND version = @expectVersion`,
  )
  const t0 = performance.now()
  let won = 0
  for (let i = 0; i < ORDERS; i++) {
    const o = JSON.parse((get.get(`of${i}`) as { doc: string }).doc) as Order
    if (o.status !== 'pending') continue
    const holder = { id: 'bench-squad-1', name: '队员1', role: 'squad' as const }
    const next: Order = { ...o, status: 'claimed', holder, version: o.version + 1, timeline: [...o.timeline, { at: now, event: 'claim', by: holder }] }
    won += update.run({ id: o.id, status: next.status, holderId: holder.id, partnerId: null, version: next.version, doc: JSON.stringify(next), expectStatus: o.status, expectVersion: o.version }).changes
  }
  const rate = ORDERS / ((performance.now() - t0) / 1000)
  await store.close()
  if (won !== ORDERS) throw new Error(`floor: ${won} of ${ORDERS} claims applied`)
  const figures: Figure[] = [{ name: 'conditional claims/s, SQLite alone (read + compare-and-set, WAL)', value: rate, unit: '/s' }]
  if (lastRushRate !== null) {
    figures.push({ name: 'host rush mutations/s as a share of the floor', value: (lastRushRate / rate) * 100, unit: '%' })
  }
  return { id: 'floor', title: 'Floor: the same conditional claim on SQLite directly, same run', figures }
}
