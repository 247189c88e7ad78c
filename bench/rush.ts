/**
 * 'rush': the morning rush over HTTP. The real host (bench/http-host.ts) in its own process, this
 * process as 100 concurrent keep-alive clients:
 *  - 40 residents placing supply orders (each client rotates over its own 100 households),
 *  - 40 squad members claiming placed orders and walking them through 出发 and the six doorstep
 *    steps (each client rotates over its own 50 squad members; a step is sent by the order's claimer;
 *    a client holds at most MAX_HELD orders at a time),
 *  - 20 squad members reading squad.board.
 * Warm-up, then a fixed window (BENCH_RUSH_SECONDS, default 15): mutations/s and latencies of the
 * requests answered inside the window. Then the host is SIGKILLed (nothing flushed on the way out)
 * and the SQLite file is read: every acknowledged order.place is there exactly once by request id,
 * and every order has at most one acknowledged claimer, who is its holder.
 */
import Database from 'better-sqlite3'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PROTOCOL_STEPS } from '../src/core/order/protocol'
import { makeClient, startHost, type Reply } from './http-host'
import { pct, type Figure, type Section } from './report'
import { seedRush, type SeededPerson } from './rush-seed'

const RESIDENT_CLIENTS = 40
const SQUAD_CLIENTS = 40
const BOARD_CLIENTS = Number(process.env.XB ?? 20)
const HOUSEHOLDS_PER_CLIENT = 100
const SQUAD_PER_CLIENT = 50
const WARMUP_MS = 3_000
/**
 * A squad client holds at most this many orders: it claims while it holds fewer (and one waits), else it
 * walks the oldest it holds through 出发 and the steps, as a worker does at the door. (A rule of "claim
 * while the backlog is long" never stepped once the placers outran the claimers.)
 */
const MAX_HELD = 2

/** CPU seconds a process has used so far (user + system), from /proc (Linux). */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** The rush's mutations per second of the last run in this process (the 'floor' section compares). */
export let lastRushRate: number | null = null

export async function rush(): Promise<Section> {
  const seconds = Number(process.env.BENCH_RUSH_SECONDS ?? 15)
  const dataDir = mkdtempSync(join(tmpdir(), 'zhaijia-rush-'))
  const seeded = await seedRush(dataDir, { households: RESIDENT_CLIENTS * HOUSEHOLDS_PER_CLIENT, squad: SQUAD_CLIENTS * SQUAD_PER_CLIENT })
  const host = await startHost(dataDir)
  const client = makeClient(host.url, RESIDENT_CLIENTS + SQUAD_CLIENTS + BOARD_CLIENTS)

  const samples = { place: [] as number[], claim: [] as number[], step: [] as number[], board: [] as number[] }
  const refused = new Map<string, number>()
  const placed: Array<{ orderId: string; personId: string; requestId: string }> = []
  const claimedBy = new Map<string, string[]>()
  const unclaimed: string[] = []
  let mutationsInWindow = 0
  let requestsInWindow = 0
  let cpu0 = { host: 0, client: 0 }
  let cpu1 = { host: 0, client: 0 }
  let boardSizes = 0
  const t0 = performance.now()
  const windowStart = t0 + WARMUP_MS
  const windowEnd = windowStart + seconds * 1000
  let running = true
  const inWindow = () => {
    const t = performance.now()
    return t >= windowStart && t <= windowEnd
  }
  const record = (kind: keyof typeof samples, ms: number, reply: Reply) => {
    if (!reply.ok) refused.set(`${kind}: ${reply.code}`, (refused.get(`${kind}: ${reply.code}`) ?? 0) + 1)
    if (!inWindow()) return
    requestsInWindow++
    samples[kind].push(ms)
    if (reply.ok && kind !== 'board') mutationsInWindow++
  }
  const slice = (xs: SeededPerson[], i: number, n: number) => xs.slice(i * n, (i + 1) * n)

  const resident = async (c: number) => {
    const pool = slice(seeded.residents, c, HOUSEHOLDS_PER_CLIENT)
    for (let seq = 0; running; seq++) {
      const p = pool[seq % pool.length]!
      const requestId = `rush-${c}-${seq}`
      const { reply, ms } = await client.call(p.token, 'order.place', {
        requestId,
        kind: 'supplies',
        urgency: 'normal',
        lines: [{ itemId: 'rice', qty: 1 }, { itemId: 'water20', qty: 2 }],
      })
      record('place', ms, reply)
      if (reply.ok) {
        const orderId = (reply.data as { id: string }).id
        placed.push({ orderId, personId: p.id, requestId })
        unclaimed.push(orderId)
      }
    }
  }

  const squad = async (c: number) => {
    const pool = slice(seeded.squad, c, SQUAD_PER_CLIENT)
    const held: Array<{ id: string; by: SeededPerson; next: number }> = []
    let k = 0
    while (running) {
      if (unclaimed.length > 0 && held.length < MAX_HELD) {
        const id = unclaimed.shift()!
        const by = pool[k++ % pool.length]!
        const { reply, ms } = await client.call(by.token, 'order.claim', { id })
        record('claim', ms, reply)
        if (reply.ok) {
          claimedBy.set(id, [...(claimedBy.get(id) ?? []), by.id])
          held.push({ id, by, next: 0 })
        }
      } else if (held.length > 0) {
        const h = held[0]!
        const { reply, ms } =
          h.next === 0
            ? await client.call(h.by.token, 'order.advance', { id: h.id, event: 'depart' })
            : await client.call(h.by.token, 'order.step', { id: h.id, step: PROTOCOL_STEPS[h.next - 1] })
        record('step', ms, reply)
        if (!reply.ok || ++h.next > PROTOCOL_STEPS.length) held.shift()
      } else {
        await new Promise((r) => setTimeout(r, 1))
      }
    }
  }

  const board = async (c: number) => {
    const reader = seeded.squad[c]!
    while (running) {
      const { reply, ms } = await client.call(reader.token, 'squad.board', {})
      record('board', ms, reply)
      if (reply.ok && inWindow()) boardSizes += (reply.data as { orders: unknown[] }).orders.length
    }
  }

  const loops = [
    ...Array.from({ length: RESIDENT_CLIENTS }, (_, c) => resident(c)),
    ...Array.from({ length: SQUAD_CLIENTS }, (_, c) => squad(c)),
    ...Array.from({ length: BOARD_CLIENTS }, (_, c) => board(c)),
  ]
  const cpuNow = () => ({ host: cpuSecondsOf(host.child.pid!), client: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 })
  await new Promise((r) => setTimeout(r, windowStart - performance.now()))
  cpu0 = cpuNow()
  await new Promise((r) => setTimeout(r, windowEnd - performance.now()))
  cpu1 = cpuNow()
  running = false
  await Promise.all(loops)
  client.close()
  // Every answer is in; a crash now must not lose any acknowledged order.
  if (process.env.BENCH_HOST_PROF) await host.stop()
  else await host.kill()

  const db = new Database(join(dataDir, 'zhaijia.db'), { readonly: true })
  const rows = db
    .prepare(`SELECT id, holder_id AS holder, json_extract(doc, '$.requestId') AS rid, json_extract(doc, '$.placedBy.id') AS by FROM orders`)
    .all() as Array<{ id: string; holder: string | null; rid: string; by: string }>
  db.close()
  const byKey = new Map<string, number>()
  for (const r of rows) byKey.set(`${r.by}\u0000${r.rid}`, (byKey.get(`${r.by}\u0000${r.rid}`) ?? 0) + 1)
  const byId = new Map(rows.map((r) => [r.id, r]))
  const lost = placed.filter((p) => byId.get(p.orderId)?.rid !== p.requestId || byKey.get(`${p.personId}\u0000${p.requestId}`) !== 1).length
  const doubleClaims = [...claimedBy].filter(([id, who]) => who.length !== 1 || byId.get(id)?.holder !== who[0]).length

  const mutations = [...samples.place, ...samples.claim, ...samples.step]
  const rate = mutationsInWindow / seconds
  lastRushRate = rate
  const ms = (name: string, xs: number[], p: number, target?: number): Figure => ({
    name: `${name} p${Math.round(p * 100)}`,
    value: pct(xs, p),
    unit: 'ms',
    ...(target !== undefined ? { target: { op: '<=' as const, value: target } } : {}),
  })
  const refusedNote = [...refused].map(([k, n]) => `${k} ×${n}`).join(', ')
  if (refusedNote) console.log(`rush refused: ${refusedNote}`)
  return {
    id: 'rush',
    title: `Morning rush over HTTP: 100 keep-alive clients, ${seconds} s window, host in its own process`,
    figures: [
      { name: 'mutations/s (place + claim + step, acknowledged)', value: rate, unit: '/s', target: { op: '>=', value: 2000 } },
      ms('all mutations', mutations, 0.99, 25),
      ...(['place', 'claim', 'step'] as const).flatMap((k) => [ms(`order.${k}`, samples[k], 0.5), ms(`order.${k}`, samples[k], 0.95), ms(`order.${k}`, samples[k], 0.99, 25)]),
      ms('squad.board', samples.board, 0.5),
      ms('squad.board', samples.board, 0.95),
      ms('squad.board', samples.board, 0.99),
      { name: 'squad.board orders per answer (mean)', value: samples.board.length ? boardSizes / samples.board.length : 0, unit: '' },
      { name: 'host CPU per request, all kinds (ms)', value: ((cpu1.host - cpu0.host) * 1000) / Math.max(1, requestsInWindow), unit: 'ms' },
      { name: 'host CPU busy in the window', value: ((cpu1.host - cpu0.host) / seconds) * 100, unit: '%' },
      { name: 'bench client CPU busy in the window', value: ((cpu1.client - cpu0.client) / seconds) * 100, unit: '%' },
      { name: 'orders acknowledged (whole run)', value: placed.length, unit: '' },
      { name: 'lost orders after SIGKILL (acknowledged, not stored once)', value: lost, unit: '', target: { op: '<=', value: 0 } },
      { name: 'double claims', value: doubleClaims, unit: '', target: { op: '<=', value: 0 } },
      { name: 'refused mutations (whole run)', value: [...refused].filter(([k]) => !k.startsWith('board')).reduce((n, [, c]) => n + c, 0), unit: '', ...(refusedNote ? { note: refusedNote } : {}) },
    ],
  }
}
