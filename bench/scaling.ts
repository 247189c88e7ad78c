/**
 * Scaling 10k → 1M: the six reads whose cost must not grow with history — squad.board,
 * order.mine, squad.tasks, coord.stats, coord.ledger, coord.buildingMap — through the real
 * dispatcher on a SQLite file holding 10k, 100k and 1M orders, p95 at each size and the ratio
 * 1M / 10k (target ≤ 2: every query served by an index and bounded by a page).
 *
 * Seeding goes straight through the store port (orders.insert, register.putMany), in
 * transactions of SEED_CHUNK orders: 1,000 orders a day going back in time, two communities
 * (demo: the 72 demo households plus 3,928 in 3号楼; north: 1,000), 5,000 households in all. All
 * settled (confirmed, 2% cancelled, a fifth rated) but the last two days, where a fixed number
 * are still open: waiting on the board (some overdue, some urgent) and in progress, held by the
 * three demo squad members, who also hold the settled history. So the open set is the same at
 * every size; only the history grows. The measured resident's household (h1-1-301) places every
 * 50th order, so its first page of order.mine is full at every size (at 10k an ordinary household
 * has two orders and the comparison would be two rows against a hundred).
 *
 * The query plans: every statement the six reads run (better-sqlite3 `verbose`) is put through
 * EXPLAIN QUERY PLAN on the 1M store; a statement that SCANs a table (rather than SEARCHing an
 * index) counts against the target of none.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Order, OrderStatus, PersonRef } from '../src/core/order/types'
import { openSqlite } from '../src/server/adapters/sqlite'
import { dispatch } from '../src/server/api/dispatch'
import type { Deps } from '../src/server/deps'
import { memoryLogger } from '../src/server/log'
import type { Household } from '../src/server/ports'
import { DEMO_PEOPLE, seedDemo } from '../src/server/seed/demo'
import { pct, type Figure, type Section } from './report'

/** `SCALING_SIZES=20000,50000` tries the section on smaller stores (the first is the base of the ratios). */
const SIZES: readonly number[] = process.env.SCALING_SIZES?.split(',').map(Number) ?? [10_000, 100_000, 1_000_000]
const PER_DAY = 1_000
const DAY = 24 * 3600_000
const MIN = 60_000
const SEED_CHUNK = 20_000
const RUNS = 40
/** Orders of the last two days still open, by where they stand. */
const OPEN_WAITING = 240
const OPEN_WORKING = 60

const READS = [
  { action: 'squad.board', who: DEMO_PEOPLE.yuhong, input: {} },
  { action: 'order.mine', who: DEMO_PEOPLE.zhao, input: {} },
  { action: 'squad.tasks', who: DEMO_PEOPLE.yuhong, input: {} },
  { action: 'coord.stats', who: DEMO_PEOPLE.coordinator, input: {} },
  { action: 'coord.ledger', who: DEMO_PEOPLE.coordinator, input: {} },
  { action: 'coord.buildingMap', who: DEMO_PEOPLE.coordinator, input: { buildingId: 'b3' } },
] as const

type Action = (typeof READS)[number]['action']

interface Seeded {
  orders: number
  seedSeconds: number
  dbMb: number
  call(r: (typeof READS)[number]): Promise<unknown>
  /** EXPLAIN QUERY PLAN of every SELECT the six reads run, by read and statement. */
  plans(): Promise<Map<string, string[]>>
  close(): Promise<void>
  times: Map<Action, number[]>
}

function households(): Household[] {
  const out: Household[] = []
  for (let i = 0; i < 3928; i++) {
    const unit = 1 + (i % 8)
    const floor = 1 + (Math.floor(i / 8) % 40)
    const room = `${floor}${String(1 + Math.floor(i / 320)).padStart(2, '0')}`
    out.push({
      id: `h3-${String(i).padStart(5, '0')}`, communityId: 'demo', buildingId: 'b3', building: '3号楼', unit, floor, room,
      code: `8${String(i).padStart(5, '0')}`, isolation: i % 4 === 0 ? 'home_isolation' : 'none', specialNeeds: i % 50 === 0 ? ['独居老人'] : [],
      residentName: `住户${i}`, phone: `139${String(i).padStart(8, '0')}`,
    })
  }
  for (let i = 0; i < 1000; i++) {
    out.push({
      id: `hn-${String(i).padStart(4, '0')}`, communityId: 'north', buildingId: 'n1', building: '北1号楼', unit: 1 + (i % 4), floor: 1 + (Math.floor(i / 4) % 25), room: `${1 + (Math.floor(i / 4) % 25)}0${1 + Math.floor(i / 100)}`,
      code: `7${String(i).padStart(5, '0')}`, isolation: 'none', specialNeeds: [], residentName: `北住户${i}`, phone: `137${String(i).padStart(8, '0')}`,
    })
  }
  return out
}

const SQUAD: PersonRef[] = [
  { id: DEMO_PEOPLE.yuhong, name: '于红', role: 'squad' },
  { id: DEMO_PEOPLE.wangnan, name: '王楠', role: 'squad' },
  { id: DEMO_PEOPLE.chaolu, name: '朝鲁', role: 'squad' },
]

/** The i-th order back from `now` (0 is the newest). */
function makeOrder(i: number, now: number, hs: readonly Household[], zhao: Household): Order {
  const h = i % 50 === 0 ? zhao : hs[i % hs.length]!
  const createdAt = now - Math.floor(i / PER_DAY) * DAY - (i % PER_DAY) * 80_000 - 60_000
  const placedBy: PersonRef = { id: `res-${h.id}`, name: h.residentName, role: 'resident' }
  const squad = SQUAD[i % 3]!
  // The newest orders of the demo community are the open ones (a fixed number at every size).
  const open = i < 2 * PER_DAY && h.communityId === 'demo' && i % 4 === 1
  const openRank = Math.floor(i / 4)
  const waiting = open && openRank < OPEN_WAITING
  const working = open && !waiting && openRank < OPEN_WAITING + OPEN_WORKING
  const settled = !waiting && !working
  const cancelled = settled && i % 50 === 7
  const rated = settled && !cancelled && i % 5 === 0
  const timeline: Order['timeline'] = [{ at: createdAt, event: 'place', by: placedBy }]
  let status: OrderStatus = 'pending'
  if (working) {
    timeline.push({ at: createdAt + 10 * MIN, event: 'claim', by: squad })
    status = 'claimed'
  } else if (cancelled) {
    timeline.push({ at: createdAt + 5 * MIN, event: 'cancel', by: placedBy })
    status = 'cancelled'
  } else if (settled) {
    timeline.push({ at: createdAt + 12 * MIN, event: 'claim', by: squad })
    timeline.push({ at: createdAt + 95 * MIN, event: 'deliver', by: squad })
    timeline.push({ at: createdAt + 3 * 3600_000, event: 'confirm', by: placedBy })
    if (rated) timeline.push({ at: createdAt + 3 * 3600_000, event: 'rate', by: placedBy })
    status = 'confirmed'
  }
  const urgent = i % 7 === 0
  return {
    id: `o-${String(i).padStart(7, '0')}`, communityId: h.communityId, householdId: h.id,
    address: { buildingId: h.buildingId, building: h.building, unit: h.unit, floor: h.floor, room: h.room },
    kind: 'supplies', status, urgency: urgent ? 'urgent' : 'normal', ...(urgent ? { urgentReason: '药快吃完了' } : {}),
    lines: [{ itemId: 'rice', name: '大米', unit: '袋', qty: 1 }], window: 'asap', notes: '', requestId: `scale-${i}`,
    placedBy, holder: working || (settled && !cancelled) ? squad : null, partner: null, followUp: rated && i % 40 === 0,
    ...(rated ? { rating: { stars: i % 40 === 0 ? 2 : 5, comment: '', at: createdAt + 3 * 3600_000 } } : {}),
    dueAt: createdAt + (urgent ? 2 : 6) * 3600_000, claimDueAt: createdAt + (urgent ? 30 : 120) * MIN,
    timeline, createdAt, updatedAt: timeline[timeline.length - 1]!.at, version: timeline.length,
  }
}

async function seed(orders: number): Promise<Seeded> {
  const dir = mkdtempSync(join(tmpdir(), 'zhaijia-scaling-'))
  const file = join(dir, 'scaling.db')
  let tracing: string[] | null = null
  const store = openSqlite({ file, trace: (sql) => tracing?.push(sql) })
  const now = Date.UTC(2026, 10, 22, 6, 0) // 14:00 Beijing
  const deps: Deps = { store, now: () => now, log: memoryLogger() }
  // A bigger page cache while seeding and reading (the default 2 MB thrashes on 1M rows' indexes).
  store.db.pragma('cache_size = -262144')
  const days = Math.ceil(orders / PER_DAY)
  await seedDemo(store, now - (days + 30) * DAY)
  const t0 = performance.now()
  const community = (await store.communities.get('demo'))!
  await store.communities.put({ ...community, buildings: [...community.buildings, { id: 'b3', name: '3号楼', gridId: 'g3' }] })
  await store.communities.put({ id: 'north', name: '北苑', buildings: [{ id: 'n1', name: '北1号楼', gridId: 'gn' }], parcelHoldMinutes: 120, createdAt: now - (days + 30) * DAY })
  const hs = households()
  await store.register.putMany(hs)
  const zhao = (await store.households.get('h1-1-301'))!
  // Oldest first, as they would have been placed; each chunk one transaction (the port's insert
  // runs its statement synchronously, so BEGIN … COMMIT around the calls holds them all).
  let waiting = 0
  let yuhongWorking = 0
  for (let start = orders - 1; start >= 0; start -= SEED_CHUNK) {
    store.db.exec('BEGIN')
    const writes: Promise<unknown>[] = []
    for (let i = start; i > start - SEED_CHUNK && i >= 0; i--) {
      const o = makeOrder(i, now, hs, zhao)
      if (o.status === 'pending') waiting++
      if (o.status === 'claimed' && o.holder?.id === DEMO_PEOPLE.yuhong) yuhongWorking++
      writes.push(store.orders.insert(o))
    }
    store.db.exec('COMMIT')
    await Promise.all(writes)
  }
  store.db.exec('ANALYZE')
  const seedSeconds = (performance.now() - t0) / 1000
  const dbMb = ((store.db.pragma('page_count', { simple: true }) as number) * (store.db.pragma('page_size', { simple: true }) as number)) / 1e6

  const call = async (r: (typeof READS)[number]) => {
    const res = await dispatch(deps, { id: r.who }, { action: r.action, input: r.input })
    if (!res.ok) throw new Error(`${r.action}: ${res.code}`)
    return res.data
  }
  // Once each, untimed: the first coord.stats keeps the settled days' figures (as in use).
  for (const r of READS) await call(r)
  // The answers are what the seeding says (the same at every size).
  const board = (await call(READS[0])) as { orders: unknown[]; total: number; hasMore: boolean }
  if (waiting !== OPEN_WAITING || board.total !== waiting || board.orders.length !== 50 || !board.hasMore) throw new Error(`board ${board.total}`)
  const mine = (await call(READS[1])) as { orders: unknown[] }
  if (mine.orders.length !== 100) throw new Error(`order.mine ${mine.orders.length}`)
  const tasks = (await call(READS[2])) as { orders: unknown[] }
  if (tasks.orders.length !== yuhongWorking || yuhongWorking === 0) throw new Error(`squad.tasks ${tasks.orders.length}`)

  const plans = async () => {
    const out = new Map<string, string[]>()
    for (const r of READS) {
      tracing = []
      await call(r)
      const sqls = [...new Set(tracing.filter((s) => /^\s*SELECT/i.test(s)))]
      tracing = null
      for (const sql of sqls) {
        const plan = store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]
        out.set(`${r.action}: ${sql.replace(/\s+/g, ' ').replace(/'[^']*'/g, '?').replace(/-?\d[\d.e+]*/g, '?').slice(0, 150)}`, plan.map((p) => p.detail))
      }
    }
    return out
  }
  const close = async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return { orders, seedSeconds, dbMb, call, plans, close, times: new Map<Action, number[]>(READS.map((r) => [r.action, []])) }
}

/**
 * A plan step that reads a whole table or index rather than searching it. `SCAN (subquery-N)` reads
 * the rows a subquery produced (orders.list's one range per status, each cut at the page), not a
 * table: the subquery's own steps are listed, and checked, beside it.
 */
const scans = (steps: readonly string[]) => steps.filter((s) => /^SCAN /.test(s) && !/^SCAN CONSTANT ROW/.test(s) && !/^SCAN \(subquery-\d+\)$/.test(s))

export async function scaling(): Promise<Section> {
  const stores: Seeded[] = []
  for (const n of SIZES) {
    const r = await seed(n)
    console.log(`scaling: seeded ${n.toLocaleString('en')} orders in ${r.seedSeconds.toFixed(1)} s (${r.dbMb.toFixed(0)} MB)`)
    stores.push(r)
  }
  // Timed with every size open, round by round (each read at each size in turn), so the load of
  // this shared machine at any moment falls on all sizes alike and the ratios compare like with like.
  for (let run = 0; run < RUNS; run++) {
    for (const st of stores) {
      for (const r of READS) {
        const t = performance.now()
        await st.call(r)
        st.times.get(r.action)!.push(performance.now() - t)
      }
    }
  }
  const results = stores.map((st) => ({ ...st, p95: Object.fromEntries([...st.times].map(([a, xs]) => [a, pct(xs, 0.95)])) as Record<Action, number> }))
  const lastPlans = await stores[stores.length - 1]!.plans()
  for (const st of stores) await st.close()
  const k = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1000}k`)
  const first = results[0]!
  const last = results[results.length - 1]!
  console.log('\nscaling: query plans of the six reads (1M orders), EXPLAIN QUERY PLAN')
  for (const [sql, steps] of lastPlans) console.log(`  ${sql}\n    -> ${steps.join(' | ')}`)
  const scanning = [...lastPlans].filter(([, steps]) => scans(steps).length > 0)
  const figures: Figure[] = [
    ...results.map((r) => ({ name: `seeding ${k(r.orders)} orders + 5,000 households`, value: r.seedSeconds, unit: 's' })),
    ...results.map((r) => ({ name: `store file at ${k(r.orders)} orders`, value: r.dbMb, unit: 'MB' })),
    ...READS.flatMap(({ action }) => [
      ...results.map((r) => ({ name: `${action}, ${k(r.orders)} orders, p95`, value: r.p95[action], unit: 'ms' })),
      {
        name: `${action}: p95 ${k(last.orders)} / ${k(first.orders)}`,
        value: last.p95[action] / first.p95[action],
        unit: '×',
        target: { op: '<=' as const, value: 2 },
      },
    ]),
    {
      name: 'statements of the six reads that scan a table (1M)',
      value: scanning.length,
      unit: '',
      target: { op: '<=' as const, value: 0 },
      ...(scanning.length ? { note: scanning.map(([sql]) => sql).join('; ') } : {}),
    },
  ]
  return { id: 'scaling', title: 'Scaling 10k → 1M orders (SQLite file, real dispatcher)', figures }
}
