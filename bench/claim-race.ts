/**
 * 'claim-race': 1,000 pending orders, 50 concurrent workers claiming them over HTTP against the
 * real host process (bench/http-host.ts). Workers start at ten points of the list, five per point,
 * so every order is raced by several workers at once; a worker skips an order it has seen claimed
 * (as the board's live updates would tell it) and otherwise tries it. Each worker rotates over its
 * own ten squad members (the 60 actions/min/person limit holds). Afterwards the SQLite file says:
 * every order was claimed, by exactly the one person the host told "ok", and nobody else heard "ok".
 */
import Database from 'better-sqlite3'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHost } from './http-host'
import { makeClient } from './lean-client'
import { pct, type Section } from './report'
import { seedRush } from './rush-seed'

const ORDERS = 1000
const WORKERS = 50
const PEOPLE_PER_WORKER = 10

export async function claimRace(): Promise<Section> {
  const dataDir = mkdtempSync(join(tmpdir(), 'zhaijia-race-'))
  const seeded = await seedRush(dataDir, { households: ORDERS, squad: WORKERS * PEOPLE_PER_WORKER })
  const host = await startHost(dataDir)
  const client = makeClient(host.url, WORKERS)

  // The orders, placed over HTTP by their households' residents (one each).
  const ids: string[] = []
  for (let i = 0; i < ORDERS; i += WORKERS) {
    const batch = seeded.residents.slice(i, i + WORKERS)
    const replies = await Promise.all(
      batch.map((p, j) =>
        client.call(p.token, 'order.place', { requestId: `race-${i + j}-order`, kind: 'supplies', urgency: 'normal', lines: [{ itemId: 'rice', qty: 1 }] }),
      ),
    )
    for (const { reply } of replies) {
      if (!reply.ok) throw new Error(`claim-race: place refused ${reply.code}`)
      ids.push((reply.data as { id: string }).id)
    }
  }

  const winners = new Map<string, string[]>()
  const seenClaimed = new Set<string>()
  const latencies: number[] = []
  const outcomes = new Map<string, number>()
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, w) => {
      const people = seeded.squad.slice(w * PEOPLE_PER_WORKER, (w + 1) * PEOPLE_PER_WORKER)
      const start = (w % 10) * (ORDERS / 10)
      for (let k = 0, n = 0; k < ORDERS; k++) {
        const id = ids[(start + k) % ORDERS]!
        if (seenClaimed.has(id)) continue
        const by = people[n++ % people.length]!
        const { reply, ms } = await client.call(by.token, 'order.claim', { id })
        latencies.push(ms)
        const outcome = reply.ok ? 'ok' : reply.code!
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
        seenClaimed.add(id)
        if (reply.ok) winners.set(id, [...(winners.get(id) ?? []), by.id])
      }
    }),
  )
  const seconds = (performance.now() - t0) / 1000
  client.close()
  await host.kill()

  const db = new Database(join(dataDir, 'zhaijia.db'), { readonly: true })
  const holders = new Map(
    (db.prepare(`SELECT id, holder_id AS holder FROM orders WHERE status = 'claimed'`).all() as Array<{ id: string; holder: string }>).map((r) => [r.id, r.holder]),
  )
  db.close()
  const exactlyOne = ids.filter((id) => winners.get(id)?.length === 1 && holders.get(id) === winners.get(id)![0]).length
  const attempts = latencies.length
  const note = [...outcomes].map(([k, n]) => `${k} ×${n}`).join(', ')
  console.log(`claim-race outcomes: ${note}`)
  return {
    id: 'claim-race',
    title: `Claim race over HTTP: ${ORDERS} orders, ${WORKERS} concurrent workers`,
    figures: [
      { name: 'claim attempts answered/s', value: attempts / seconds, unit: '/s' },
      { name: 'claim attempts (won + lost)', value: attempts, unit: '', note },
      { name: 'claim p50', value: pct(latencies, 0.5), unit: 'ms' },
      { name: 'claim p99', value: pct(latencies, 0.99), unit: 'ms' },
      { name: 'orders with exactly one claimer, who holds it', value: exactlyOne, unit: '', target: { op: '>=', value: ORDERS } },
      { name: 'orders claimed twice', value: [...winners.values()].filter((w) => w.length > 1).length, unit: '', target: { op: '<=', value: 0 } },
    ],
  }
}
