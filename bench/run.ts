/**
 * `npm run bench`: speed and memory targets, checked on the real SQLite store through the real
 * dispatcher (no HTTP). Exits non-zero when a target is missed.
 *
 * Targets (2-core machine): order.place p95 < 5 ms; order.claim p95 < 5 ms; squad.board with
 * 600 open orders p95 < 50 ms; coord.stats and coord.followups over 3,000 orders p95 < 100 ms;
 * heap growth after 3,000 orders < 64 MB; campaign.get over 5,000 households (1,000 ticked) p95 < 5 ms
 * (it reads the campaign's counters, never the tasks); campaign.get with 10k and 100k orders stored
 * and 5,000 households p95 < 50 ms (bench/coordinator-scale.ts). Section 'scaling' (bench/scaling.ts):
 * the six reads that must stay flat as history grows, at 10k, 100k and 1M orders, 1M / 10k ≤ 2.
 * Section 'coordinator-backlog' (bench/coordinator-backlog.ts): the dashboard's reads with 20,000
 * orders waiting, reported without a target.
 *
 * Over HTTP against the host's own process (BENCHMARKS.md, "Morning rush over HTTP"): 'rush'
 * (100 clients: ≥ 2,000 mutations/s, p99 ≤ 25 ms, 0 lost orders after SIGKILL, 0 double claims;
 * BENCH_RUSH_SECONDS sets the window, default 15), 'claim-race' (1,000 orders × 50 workers, every
 * order one claimer) and 'floor' (the same conditional claim on SQLite alone; the rush as a share).
 * BENCH_HOST_PROF=<dir> profiles the host (--cpu-prof); BENCH_HOST_FLAGS passes node flags to
 * the host (e.g. "--trace-gc", written to the host's log); BENCH_RUSH_TRACE=<file> writes every
 * request of the rush (when due, how long, what) with the wall-clock time of its start, to line up
 * with the host's log. All are bench-only.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqlite } from '../src/server/adapters/sqlite'
import { dispatch } from '../src/server/api/dispatch'
import type { Deps } from '../src/server/deps'
import { memoryLogger } from '../src/server/log'
import { DEMO_ISOLATED, DEMO_PEOPLE, seedDemo } from '../src/server/seed/demo'
import { loadActor } from '../src/server/actor'
import { createCampaign } from '../src/server/usecases/campaigns'
import { clientWeight } from './client-weight'
import { cloudCold } from './cloud-cold'
import { coordinatorBacklog } from './coordinator-backlog'
import { coordinatorScale } from './coordinator-scale'
import { scaling } from './scaling'
import { rush } from './rush'
import { claimRace } from './claim-race'
import { floor } from './floor'

import { pct, printSection, writeResults, met, type Section } from './report'

async function timed<T>(samples: number[], fn: () => Promise<T>): Promise<T> {
  const t = performance.now()
  const r = await fn()
  samples.push(performance.now() - t)
  return r
}

async function useCases(): Promise<Section> {
  const dir = mkdtempSync(join(tmpdir(), 'zhaijia-bench-'))
  const store = openSqlite({ file: join(dir, 'bench.db') })
  let now = Date.UTC(2026, 10, 22, 1, 0)
  const deps: Deps = { store, now: () => now, log: memoryLogger() }
  await seedDemo(store, now)
  // Every isolated household gets a resident account for the benchmark.
  for (const [i, h] of DEMO_ISOLATED.entries()) {
    await store.people.put({ id: `bench-${i}`, name: `住户${i}`, phone: h.phone, households: [h.id], squadOf: null, coordinatorOf: null, createdAt: now })
  }
  const heap0 = process.memoryUsage().heapUsed
  const place: number[] = []
  const ids: string[] = []
  for (let i = 0; i < 3000; i++) {
    now += 1000
    const res = await timed(place, () =>
      dispatch(deps, { id: `bench-${i % DEMO_ISOLATED.length}` }, {
        action: 'order.place',
        input: { requestId: `bench-req-${i}`, kind: 'supplies', urgency: i % 7 ? 'normal' : 'urgent', urgentReason: '药快吃完了', lines: [{ itemId: 'rice', qty: 1 }, { itemId: 'water20', qty: 2 }] },
      }),
    )
    if (!res.ok) throw new Error(res.code)
    ids.push((res.data as { id: string }).id)
  }
  const claim: number[] = []
  for (const id of ids.slice(0, 2400)) {
    // One squad member claiming 2,400 orders: at most 60 actions a minute (core/rate-limit.ts).
    now += 1100
    const res = await timed(claim, () => dispatch(deps, { id: DEMO_PEOPLE.yuhong }, { action: 'order.claim', input: { id } }))
    if (!res.ok) throw new Error(res.code)
  }
  const board: number[] = []
  for (let i = 0; i < 30; i++) {
    const res = await timed(board, () => dispatch(deps, { id: DEMO_PEOPLE.wangnan }, { action: 'squad.board', input: {} }))
    // A page of 50 (squad.board pages in the store), and the count of all 600 waiting.
    if (!res.ok || (res.data as { orders: unknown[]; total: number }).orders.length !== 50 || (res.data as { total: number }).total !== 600) throw new Error('board size')
  }
  // The coordinator's dashboard over the same day: 3,000 orders, 600 still open.
  const stats: number[] = []
  const followups: number[] = []
  for (let i = 0; i < 20; i++) {
    const s = await timed(stats, () => dispatch(deps, { id: DEMO_PEOPLE.coordinator }, { action: 'coord.stats', input: {} }))
    if (!s.ok || (s.data as { waiting: number }).waiting !== 600) throw new Error('stats')
    const f = await timed(followups, () => dispatch(deps, { id: DEMO_PEOPLE.coordinator }, { action: 'coord.followups', input: {} }))
    if (!f.ok) throw new Error('followups')
  }
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1e6
  // A distribution to 5,000 households: building b3 gets 4,928 more (72 + 4,928), then 1,000 ticks.
  const community = (await store.communities.get('demo'))!
  await store.communities.put({ ...community, buildings: [...community.buildings, { id: 'b3', name: '3号楼', gridId: 'g3' }] })
  for (let i = 0; i < 4928; i++) {
    const unit = 1 + (i % 8)
    const floor = 1 + Math.floor(i / 8) % 40
    const room = `${floor}${String(1 + Math.floor(i / 320)).padStart(2, '0')}`
    await store.households.put({ id: `h3-${String(i).padStart(5, '0')}`, communityId: 'demo', buildingId: 'b3', building: '3号楼', unit, floor, room, code: `8${String(i).padStart(5, '0')}`, isolation: 'none', specialNeeds: [], residentName: '', phone: '' })
  }
  const coordActor = await loadActor(store, DEMO_PEOPLE.coordinator)
  const camp = await createCampaign(deps, coordActor, { title: '白菜发放', item: '白菜', qtyPerHousehold: 60, unit: '斤', buildingIds: ['b1', 'b2', 'b3'] }, { budget: { deadline: Infinity } })
  if (camp.total !== 5000 || camp.status !== 'open') throw new Error(`campaign total ${camp.total}`)
  for (let i = 0; i < 1000; i++) {
    now += 1100
    const res = await dispatch(deps, { id: DEMO_PEOPLE.yuhong }, { action: 'campaign.tick', input: { id: camp.id, householdId: `h3-${String(i).padStart(5, '0')}` } })
    if (!res.ok) throw new Error(res.code)
  }
  const campaignGet: number[] = []
  for (let i = 0; i < 50; i++) {
    const res = await timed(campaignGet, () => dispatch(deps, { id: DEMO_PEOPLE.coordinator }, { action: 'campaign.get', input: { id: camp.id } }))
    if (!res.ok || (res.data as { done: number }).done !== 1000) throw new Error('campaign.get')
  }
  // The coordinator's reads at scale (bench/coordinator-scale.ts): 10k and 100k orders, 5,000 households.
  const scale = [await coordinatorScale(10_000, timed), await coordinatorScale(100_000, timed)]
  for (const r of scale) console.log(`seeded ${r.orders} orders and 5,000 households in ${r.seedSeconds.toFixed(1)} s`)
  const rows = [
    ['order.place p95 (ms)', pct(place, 0.95), 5],
    ['order.claim p95 (ms)', pct(claim, 0.95), 5],
    ['squad.board, 600 open, first page of 50, p95 (ms)', pct(board, 0.95), 50],
    ['coord.stats, 3,000 orders, p95 (ms)', pct(stats, 0.95), 100],
    ['coord.followups, 3,000 orders, p95 (ms)', pct(followups, 0.95), 100],
    ['heap growth after 3,000 orders (MB)', heapMb, 64],
    ['campaign.get, 5,000 households, p95 (ms)', pct(campaignGet, 0.95), 5],
    ...scale.flatMap((r) => {
      const k = `${r.orders / 1000}k orders`
      return [
        // coord.stats and coord.buildingMap at 10k → 1M: the 'scaling' section (bench/scaling.ts).
        [`campaign.get, 5,000 households, ${k}, p95 (ms)`, pct(r.campaignGet, 0.95), 50],
      ] as const
    }),
  ] as const
  await store.close()
  return {
    id: 'use-cases',
    title: 'Use cases in process (real dispatcher, SQLite file)',
    figures: rows.map(([name, value, target]) => {
      const m = /^(.*?)(?: \((ms|MB)\))?$/.exec(name)!
      return { name: m[1]!, value, unit: m[2] ?? '', target: { op: '<' as const, value: target } }
    }),
  }
}

/** Each section of `npm run bench`, in order. `BENCH_ONLY=id,id` runs a subset. */
const SECTIONS: Array<[string, () => Promise<Section>]> = [
  ['use-cases', useCases],
  ['coordinator-backlog', coordinatorBacklog],
  ['scaling', scaling],
  ['rush', rush],
  ['claim-race', claimRace],
  ['floor', floor],
  ['client-weight', clientWeight],
  ['cloud-cold', cloudCold],
]

async function main() {
  const only = process.env.BENCH_ONLY?.split(',').filter(Boolean)
  const sections: Section[] = []
  for (const [id, run] of SECTIONS) {
    if (only && !only.includes(id)) continue
    const s = await run()
    printSection(s)
    sections.push(s)
  }
  const file = new URL('./results.json', import.meta.url).pathname
  writeResults(sections, file, Boolean(only))
  const missed = sections.flatMap((s) => s.figures.filter((f) => met(f) === false))
  console.log(`\n${missed.length ? `${missed.length} target(s) missed` : 'every target met'}; results in bench/results.json`)
  process.exit(missed.length ? 1 : 0)
}

void main()
