/**
 * 'coordinator-backlog': the coordinator's dashboard (调度总览) while a rush leaves a backlog. The
 * page reloads coord.stats and coord.followups on every change it hears, at most a second apart
 * (client/live.ts), so during a rush it asks once a second, on the same one thread that answers the
 * squad and the residents. Seeded straight through the store port, on a SQLite file: the demo
 * community with 20,000 orders placed today still waiting and 5,000 delivered (the backlog the
 * morning rush leaves after 20 s: bench/rush.ts). Reported with no target (the issue sets none):
 * how long a call takes, and the longest the host's thread is held at once while it runs (other
 * requests wait that long). Compare with the 3,000-order day in 'use-cases'.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Order } from '../src/core/order/types'
import { openSqlite } from '../src/server/adapters/sqlite'
import { dispatch } from '../src/server/api/dispatch'
import type { Deps } from '../src/server/deps'
import { memoryLogger } from '../src/server/log'
import { DEMO_PEOPLE, seedDemo } from '../src/server/seed/demo'
import { pct, type Section } from './report'

const WAITING = 20_000
const DELIVERED = 5_000

export async function coordinatorBacklog(): Promise<Section> {
  const store = openSqlite({ file: join(mkdtempSync(join(tmpdir(), 'zhaijia-backlog-')), 'backlog.db') })
  const start = Date.UTC(2026, 10, 22, 0, 0) // 08:00 Beijing
  let now = start
  const deps: Deps = { store, now: () => now, log: memoryLogger() }
  await seedDemo(store, now - 24 * 3600_000)
  const placed = await dispatch(deps, { id: DEMO_PEOPLE.zhao }, { action: 'order.place', input: { requestId: 'backlog-0', kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] } })
  if (!placed.ok) throw new Error(placed.code)
  const template = (await store.orders.get((placed.data as { id: string }).id))!
  const t0 = performance.now()
  store.db.exec('BEGIN')
  for (let i = 0; i < WAITING + DELIVERED; i++) {
    const at = start + 1000 + i * 100
    const base: Order = { ...template, id: `obacklog${String(i).padStart(6, '0')}`, requestId: `backlog-${i + 1}`, createdAt: at, updatedAt: at, dueAt: at + 4 * 3600_000, timeline: [{ at, event: 'place', by: template.placedBy }] }
    if (i < DELIVERED) {
      const by = { id: DEMO_PEOPLE.yuhong, name: '于红', role: 'squad' as const }
      await store.orders.insert({ ...base, status: 'delivered', holder: by, updatedAt: at + 600_000, timeline: [...base.timeline, { at: at + 60_000, event: 'claim', by }, { at: at + 600_000, event: 'disinfect_again', by }] })
    } else {
      await store.orders.insert(base)
    }
  }
  store.db.exec('COMMIT')
  const seedSeconds = (performance.now() - t0) / 1000
  now = start + (WAITING + DELIVERED) * 100 + 60_000

  // The order placed for the template waits too: WAITING + 1.
  // The longest the event loop went without a turn while the call ran (a 1 ms timer's gaps).
  const run = async (action: 'coord.stats' | 'coord.followups', took: number[], held: number[]) => {
    let last = performance.now()
    let worst = 0
    const timer = setInterval(() => {
      const t = performance.now()
      worst = Math.max(worst, t - last)
      last = t
    }, 1)
    await new Promise((r) => setTimeout(r, 5))
    last = performance.now()
    const t = performance.now()
    const res = await dispatch(deps, { id: DEMO_PEOPLE.coordinator }, { action, input: {} })
    took.push(performance.now() - t)
    worst = Math.max(worst, performance.now() - last)
    clearInterval(timer)
    held.push(worst)
    if (!res.ok) throw new Error(res.code)
    if (action === 'coord.stats' && (res.data as { waiting: number }).waiting !== WAITING + 1) throw new Error('stats')
  }
  const stats: number[] = []
  const statsHeld: number[] = []
  const followups: number[] = []
  const followupsHeld: number[] = []
  for (let i = 0; i < 7; i++) {
    await run('coord.stats', stats, statsHeld)
    await run('coord.followups', followups, followupsHeld)
  }
  await store.close()
  const ms = (name: string, xs: number[]) => ({ name, value: pct(xs, 0.5), unit: 'ms' })
  return {
    id: 'coordinator-backlog',
    title: `The coordinator's dashboard during a backlog: ${WAITING.toLocaleString('en')} orders waiting, ${DELIVERED.toLocaleString('en')} delivered today (SQLite file, real dispatcher)`,
    figures: [
      ms('coord.stats, median', stats),
      ms('coord.stats, longest hold of the thread (median)', statsHeld),
      ms('coord.followups, median', followups),
      ms('coord.followups, longest hold of the thread (median)', followupsHeld),
      { name: 'seeding the backlog through the store port', value: seedSeconds, unit: 's' },
    ],
  }
}
