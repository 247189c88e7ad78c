/**
 * The coordinator's reads at scale: coord.stats, coord.buildingMap and campaign.get with 10k and
 * 100k orders stored and 5,000 households, on a SQLite file through the real dispatcher. Orders are
 * seeded straight through the store port (placing 100k through the api would only time the seeding):
 * 500 a day going back in time, so 10k is 20 days of history and 100k is 200 days; all settled and
 * closed but the last two days, where a few dozen are still open.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Order, PersonRef } from '../src/core/order/types'
import { openSqlite } from '../src/server/adapters/sqlite'
import { loadActor } from '../src/server/actor'
import { dispatch } from '../src/server/api/dispatch'
import type { Deps } from '../src/server/deps'
import { memoryLogger } from '../src/server/log'
import type { Household } from '../src/server/ports'
import { DEMO_PEOPLE, seedDemo } from '../src/server/seed/demo'
import { createCampaign } from '../src/server/usecases/campaigns'

const PER_DAY = 500
const DAY = 24 * 3600_000
const MIN = 60_000

export interface ScaleResult {
  orders: number
  seedSeconds: number
  stats: number[]
  buildingMap: number[]
  campaignGet: number[]
}

export async function coordinatorScale(orders: number, timed: <T>(s: number[], fn: () => Promise<T>) => Promise<T>): Promise<ScaleResult> {
  const dir = mkdtempSync(join(tmpdir(), 'zhaijia-scale-'))
  const store = openSqlite({ file: join(dir, 'scale.db') })
  let now = Date.UTC(2026, 10, 22, 6, 0) // 14:00 Beijing
  const deps: Deps = { store, now: () => now, log: memoryLogger() }
  await seedDemo(store, now - 400 * DAY)
  const t0 = performance.now()
  // 5,000 households: the demo's 72 and 4,928 in a third building of 8 units × 40 floors.
  const community = (await store.communities.get('demo'))!
  await store.communities.put({ ...community, buildings: [...community.buildings, { id: 'b3', name: '3号楼', gridId: 'g3' }] })
  const households: Household[] = []
  for (let i = 0; i < 4928; i++) {
    const unit = 1 + (i % 8)
    const floor = 1 + (Math.floor(i / 8) % 40)
    const room = `${floor}${String(1 + Math.floor(i / 320)).padStart(2, '0')}`
    const h: Household = {
      id: `h3-${String(i).padStart(5, '0')}`, communityId: 'demo', buildingId: 'b3', building: '3号楼', unit, floor, room,
      code: `8${String(i).padStart(5, '0')}`, isolation: i % 4 === 0 ? 'home_isolation' : 'none', specialNeeds: i % 50 === 0 ? ['独居老人'] : [],
      residentName: `住户${i}`, phone: `139${String(i).padStart(8, '0')}`,
    }
    households.push(h)
    await store.households.put(h)
  }
  const squad: PersonRef = { id: DEMO_PEOPLE.yuhong, name: '于红', role: 'squad' }
  for (let i = 0; i < orders; i++) {
    const h = households[i % households.length]!
    const createdAt = now - Math.floor(i / PER_DAY) * DAY - (i % PER_DAY) * 100_000
    const placedBy: PersonRef = { id: `res-${h.id}`, name: h.residentName, role: 'resident' }
    const recent = now - createdAt < 2 * DAY
    const open = recent && i % 20 === 0
    const cancelled = !open && i % 50 === 7
    const rated = !open && !cancelled && i % 5 === 0
    const timeline: Order['timeline'] = [{ at: createdAt, event: 'place', by: placedBy }]
    if (!open && !cancelled) {
      timeline.push({ at: createdAt + 12 * MIN, event: 'claim', by: squad })
      timeline.push({ at: createdAt + 95 * MIN, event: 'deliver', by: squad })
      timeline.push({ at: createdAt + 3 * 3600_000, event: 'confirm', by: placedBy })
      if (rated) timeline.push({ at: createdAt + 3 * 3600_000, event: 'rate', by: placedBy })
    } else if (cancelled) timeline.push({ at: createdAt + 5 * MIN, event: 'cancel', by: placedBy })
    const order: Order = {
      id: `o-${String(i).padStart(7, '0')}`, communityId: 'demo', householdId: h.id,
      address: { buildingId: 'b3', building: '3号楼', unit: h.unit, floor: h.floor, room: h.room },
      kind: 'supplies', status: open ? 'pending' : cancelled ? 'cancelled' : 'confirmed', urgency: i % 7 ? 'normal' : 'urgent',
      lines: [{ itemId: 'rice', name: '大米', unit: '袋', qty: 1 }], window: 'asap', notes: '', requestId: `scale-${i}`,
      placedBy, holder: open || cancelled ? null : squad, partner: null, followUp: rated && i % 40 === 0,
      ...(rated ? { rating: { stars: i % 40 === 0 ? 2 : 5, comment: '', at: createdAt + 3 * 3600_000 } } : {}),
      dueAt: createdAt + 4 * 3600_000, claimDueAt: createdAt + 120 * MIN, timeline, createdAt, updatedAt: timeline[timeline.length - 1]!.at, version: timeline.length,
    }
    await store.orders.insert(order)
  }
  const actor = await loadActor(store, DEMO_PEOPLE.coordinator)
  const camp = await createCampaign(deps, actor, { title: '白菜发放', item: '白菜', qtyPerHousehold: 60, unit: '斤', buildingIds: ['b1', 'b2', 'b3'] }, { budget: { deadline: Infinity } })
  for (let i = 0; i < 1000; i++) {
    // One squad member at the doors: at most 60 actions a minute (core/rate-limit.ts).
    now += 1100
    const res = await dispatch(deps, { id: DEMO_PEOPLE.yuhong }, { action: 'campaign.tick', input: { id: camp.id, householdId: `h3-${String(i).padStart(5, '0')}` } })
    if (!res.ok) throw new Error(res.code)
  }
  const seedSeconds = (performance.now() - t0) / 1000
  const call = (action: string, input: unknown) => dispatch(deps, { id: DEMO_PEOPLE.coordinator }, { action, input })
  // The first coord.stats keeps the settled days; what is timed is the dashboard as it is used.
  const first = await call('coord.stats', {})
  if (!first.ok) throw new Error(first.code)
  const r: ScaleResult = { orders, seedSeconds, stats: [], buildingMap: [], campaignGet: [] }
  for (let i = 0; i < 30; i++) {
    const s = await timed(r.stats, () => call('coord.stats', {}))
    if (!s.ok) throw new Error(`coord.stats ${s.code}`)
    const m = await timed(r.buildingMap, () => call('coord.buildingMap', { buildingId: 'b3' }))
    if (!m.ok) throw new Error(`coord.buildingMap ${m.code}`)
    const c = await timed(r.campaignGet, () => call('campaign.get', { id: camp.id }))
    if (!c.ok || (c.data as { done: number }).done !== 1000) throw new Error('campaign.get')
  }
  await store.close()
  return r
}
