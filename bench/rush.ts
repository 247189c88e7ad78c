/**
 * 'rush': the morning rush over HTTP. The real host (bench/http-host.ts) in its own process, this
 * process as 100 concurrent keep-alive clients:
 *  - 40 residents placing supply orders (each client rotates over its own 100 households),
 *  - 40 squad members claiming placed orders and walking them through 出发 and the six doorstep
 *    steps (each client rotates over its own 50 squad members; a step is sent by the order's claimer;
 *    a client holds at most MAX_HELD orders at a time),
 *  - 20 squad members with the board open.
 *
 * Two phases on the same host, one after the other:
 *  1. **At the target rate** (the target). The 80 working clients together offer
 *     BENCH_RUSH_RATE mutations a second (default 2,000: each client one request every 40 ms, the
 *     clients spread evenly over the interval); each board reloads every BENCH_BOARD_EVERY_MS (default
 *     1,000 ms: what an open board does while orders stream in, client/live.ts). A latency is counted
 *     from the moment the request was due, not from when it was sent, so a client held up by a slow
 *     answer counts the wait too (no "coordinated omission"). Targets: the rate is reached and
 *     p99 ≤ 25 ms.
 *  2. **Saturation.** Every client sends its next request as soon as the last is answered, boards
 *     included: the most this host does. With 100 clients and no pause, a latency is by Little's law
 *     about 100 ÷ (requests per second) however fast the host is, so this phase reports capacity and
 *     latencies without a latency target.
 * The paced phase has a 6 s warm-up (the rate ramps up over its first 4 s), the saturation phase 2 s;
 * then each has a window (BENCH_RUSH_SECONDS, default 15; the saturation window is two thirds of it). Then the host is SIGKILLed (nothing flushed on the way out) and the SQLite file
 * is read: every acknowledged order.place is there exactly once by request id, and every order has
 * at most one acknowledged claimer, who is its holder.
 */
import Database from 'better-sqlite3'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PROTOCOL_STEPS } from '../src/core/order/protocol'
import { startHost } from './http-host'
import { makeClient, type Reply } from './lean-client'
import { pct, type Figure, type Section } from './report'
import { seedRush, type SeededPerson } from './rush-seed'

const RESIDENT_CLIENTS = 40
const SQUAD_CLIENTS = 40
const BOARD_CLIENTS = 20
const HOUSEHOLDS_PER_CLIENT = 100
const SQUAD_PER_CLIENT = 50
/**
 * Before each window: the host starts cold (its code is compiled as it runs), so the offered rate
 * ramps from a quarter to all of it over the first RAMP_MS of the warm-up; at full rate at once, the
 * queue built while compiling took most of a 15 s window to drain.
 */
const WARMUP_MS = 6_000
const RAMP_MS = 4_000
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

/** CPU seconds of one thread of a process (the main thread's id is the pid), from /proc (Linux). */
export function threadCpuSecondsOf(pid: number, tid: number): number {
  const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** The rush's mutations per second of the last run in this process (the 'floor' section compares). */
export let lastRushRate: number | null = null

type Kind = 'place' | 'claim' | 'step' | 'board'
type PhaseName = 'paced' | 'saturation'

interface Window {
  name: PhaseName
  /** Warm-up starts here; the clients switch to this phase's pacing. */
  from: number
  start: number
  end: number
}

interface Tally {
  samples: Record<Kind, number[]>
  mutations: number
  requests: number
  boardSizes: number
  cpu0: { host: number; main: number; client: number }
  cpu1: { host: number; main: number; client: number }
}

const newTally = (): Tally => ({
  samples: { place: [], claim: [], step: [], board: [] },
  mutations: 0,
  requests: 0,
  boardSizes: 0,
  cpu0: { host: 0, main: 0, client: 0 },
  cpu1: { host: 0, main: 0, client: 0 },
})

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - performance.now())))

/**
 * This VM's speed right now: a fixed integer loop, in ms (the same loop took 390–510 ms on the same
 * machine within an hour; the rush's figures move with it).
 */
export function calibrate(): number {
  const t = performance.now()
  let x = 0
  for (let i = 0; i < 3e8; i++) x += i % 7
  if (x < 0) throw new Error('unreachable')
  return performance.now() - t
}

export async function rush(): Promise<Section> {
  const calibrationMs = calibrate()
  const seconds = Number(process.env.BENCH_RUSH_SECONDS ?? 15)
  const rate = Number(process.env.BENCH_RUSH_RATE ?? 2000)
  const boardEveryMs = Number(process.env.BENCH_BOARD_EVERY_MS ?? 1000)
  const workers = RESIDENT_CLIENTS + SQUAD_CLIENTS
  /** One request per working client every this many ms adds up to `rate`. */
  const workEveryMs = (workers * 1000) / rate

  const dataDir = mkdtempSync(join(tmpdir(), 'zhaijia-rush-'))
  const seeded = await seedRush(dataDir, { households: RESIDENT_CLIENTS * HOUSEHOLDS_PER_CLIENT, squad: SQUAD_CLIENTS * SQUAD_PER_CLIENT })
  const host = await startHost(dataDir)
  const client = makeClient(host.url, workers + BOARD_CLIENTS)
  /**
   * A request the network failed (a keep-alive socket the host closed as it was reused) is counted as
   * refused, under its code, instead of ending the run: it was never acknowledged, so it counts as
   * neither a placed order nor a claim.
   */
  const call = (token: string, action: string, input: unknown): Promise<{ reply: Reply }> =>
    client.call(token, action, input).catch((e: unknown) => ({
      reply: { ok: false, code: `NET.${(e as { code?: string }).code ?? 'ERROR'}` },
    }))

  const t0 = performance.now()
  const paced: Window = { name: 'paced', from: t0, start: t0 + WARMUP_MS, end: t0 + WARMUP_MS + seconds * 1000 }
  const satFrom = paced.end
  const saturation: Window = { name: 'saturation', from: satFrom, start: satFrom + 2_000, end: satFrom + 2_000 + (seconds * 2000) / 3 }
  const windows = [paced, saturation]
  const tallies: Record<PhaseName, Tally> = { paced: newTally(), saturation: newTally() }
  const phaseAt = (t: number): Window | null => windows.find((w) => t >= w.from && t < w.end) ?? null
  const windowAt = (t: number): Tally | null => {
    const w = windows.find((x) => t >= x.start && t <= x.end)
    return w ? tallies[w.name] : null
  }

  const trace: Array<[number, number, Kind]> = []
  const refused = new Map<string, number>()
  const placed: Array<{ orderId: string; personId: string; requestId: string }> = []
  const claimedBy = new Map<string, string[]>()
  const unclaimed: string[] = []

  /**
   * One client's clock: in the paced phase its requests are due on a fixed grid, slot k at `offsetMs`
   * + k × `everyMs` into the phase, so the clients' requests stay evenly spread over every interval
   * however long any answer takes; `due()` waits for the next one and returns it. The ramp: over the
   * first RAMP_MS a client sends on a growing share of its slots (a quarter, up to all) and lets the
   * rest pass. (Stretching the intervals instead, as this did before, moved each client's grid by
   * its own amount: after the ramp the clients' requests came in bunches, up to three times the
   * rate for 50 ms, then little.) In saturation a request is due when it is sent. A client that
   * falls behind sends at once, and the time it was behind counts in its latency.
   */
  const pacer = (everyMs: number, offsetMs: number) => {
    let slot = -1
    // Each client starts at its own point of the share, so the ramp thins the grid evenly.
    let credit = offsetMs / everyMs
    let phase: PhaseName | null = null
    return async (): Promise<number | null> => {
      const now = performance.now()
      const w = phaseAt(now)
      if (!w) return null
      if (w.name === 'saturation') return now
      if (phase !== w.name) {
        phase = w.name
        slot = -1
      }
      let dueAt: number
      for (;;) {
        dueAt = w.from + offsetMs + ++slot * everyMs
        credit += 0.25 + 0.75 * Math.min(1, (dueAt - w.from) / RAMP_MS)
        if (credit >= 1) break
      }
      credit -= 1
      if (dueAt >= w.end) {
        await sleepUntil(w.end)
        return performance.now()
      }
      await sleepUntil(dueAt)
      return dueAt
    }
  }

  const record = (kind: Kind, dueAt: number, reply: Reply) => {
    if (!reply.ok) refused.set(`${kind}: ${reply.code}`, (refused.get(`${kind}: ${reply.code}`) ?? 0) + 1)
    const end = performance.now()
    const tally = windowAt(dueAt)
    if (!tally) return
    tally.requests++
    tally.samples[kind].push(end - dueAt)
    if (process.env.BENCH_RUSH_TRACE) trace.push([Math.round(dueAt - t0), Math.round(end - dueAt), kind])
    if (reply.ok && kind !== 'board') tally.mutations++
  }
  const slice = (xs: SeededPerson[], i: number, n: number) => xs.slice(i * n, (i + 1) * n)
  const spread = (i: number, n: number, everyMs: number) => (everyMs * i) / n

  const resident = async (c: number) => {
    const pool = slice(seeded.residents, c, HOUSEHOLDS_PER_CLIENT)
    const due = pacer(workEveryMs, spread(c, workers, workEveryMs))
    for (let seq = 0; ; seq++) {
      const at = await due()
      if (at === null) return
      const p = pool[seq % pool.length]!
      const requestId = `rush-${c}-${seq}`
      const { reply } = await call(p.token, 'order.place', {
        requestId,
        kind: 'supplies',
        urgency: 'normal',
        lines: [{ itemId: 'rice', qty: 1 }, { itemId: 'water20', qty: 2 }],
      })
      record('place', at, reply)
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
    const due = pacer(workEveryMs, spread(RESIDENT_CLIENTS + c, workers, workEveryMs))
    let k = 0
    for (;;) {
      const at = await due()
      if (at === null) return
      if (unclaimed.length > 0 && held.length < MAX_HELD) {
        const id = unclaimed.shift()!
        const by = pool[k++ % pool.length]!
        const { reply } = await call(by.token, 'order.claim', { id })
        record('claim', at, reply)
        if (reply.ok) {
          claimedBy.set(id, [...(claimedBy.get(id) ?? []), by.id])
          held.push({ id, by, next: 0 })
        }
      } else if (held.length > 0) {
        const h = held[0]!
        const { reply } =
          h.next === 0
            ? await call(h.by.token, 'order.advance', { id: h.id, event: 'depart' })
            : await call(h.by.token, 'order.step', { id: h.id, step: PROTOCOL_STEPS[h.next - 1] })
        record('step', at, reply)
        if (!reply.ok || ++h.next > PROTOCOL_STEPS.length) held.shift()
      } else {
        // Nothing to claim or walk yet: this slot passes.
        await new Promise((r) => setTimeout(r, 1))
      }
    }
  }

  const board = async (c: number) => {
    const reader = seeded.squad[c]!
    const due = pacer(boardEveryMs, spread(c, BOARD_CLIENTS, boardEveryMs))
    for (;;) {
      const at = await due()
      if (at === null) return
      const { reply } = await call(reader.token, 'squad.board', {})
      record('board', at, reply)
      const tally = windowAt(at)
      if (reply.ok && tally) tally.boardSizes += (reply.data as { orders: unknown[] }).orders.length
    }
  }

  const cpuTrace: Array<[number, number]> = []
  const cpuSampler = process.env.BENCH_RUSH_TRACE
    ? setInterval(() => cpuTrace.push([Math.round(performance.now() - t0), threadCpuSecondsOf(host.child.pid!, host.child.pid!)]), 500)
    : null
  const loops = [
    ...Array.from({ length: RESIDENT_CLIENTS }, (_, c) => resident(c)),
    ...Array.from({ length: SQUAD_CLIENTS }, (_, c) => squad(c)),
    ...Array.from({ length: BOARD_CLIENTS }, (_, c) => board(c)),
  ]
  const cpuNow = () => ({
    host: cpuSecondsOf(host.child.pid!),
    main: threadCpuSecondsOf(host.child.pid!, host.child.pid!),
    client: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
  })
  for (const w of windows) {
    await sleepUntil(w.start)
    tallies[w.name].cpu0 = cpuNow()
    await sleepUntil(w.end)
    tallies[w.name].cpu1 = cpuNow()
  }
  await Promise.all(loops)
  if (cpuSampler) clearInterval(cpuSampler)
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

  if (process.env.BENCH_RUSH_TRACE) writeFileSync(process.env.BENCH_RUSH_TRACE, JSON.stringify({ trace, cpu: cpuTrace, wall0: Date.now() - (performance.now() - t0) }))
  const refusedNote = [...refused].map(([k, n]) => `${k} ×${n}`).join(', ')
  if (refusedNote) console.log(`rush refused: ${refusedNote}`)

  const phaseFigures = (w: Window, targets: boolean): Figure[] => {
    const t = tallies[w.name]
    // Whole milliseconds: the window is a whole number of them after t0, and the float sum
    // (t0 + 21,000) - (t0 + 6,000) came out a hair over 15 s, so 30,000 mutations read 1,999.9999…/s, a miss.
    const secs = Math.round(w.end - w.start) / 1000
    const label = w.name === 'paced' ? `at ${rate}/s offered` : 'saturation'
    const ms = (name: string, xs: number[], p: number, target?: number): Figure => ({
      name: `${label}: ${name} p${Math.round(p * 100)}`,
      value: pct(xs, p),
      unit: 'ms',
      ...(target !== undefined && targets ? { target: { op: '<=' as const, value: target } } : {}),
    })
    const mutations = [...t.samples.place, ...t.samples.claim, ...t.samples.step]
    return [
      {
        name: `${label}: mutations/s (place + claim + step, acknowledged)`,
        value: t.mutations / secs,
        unit: '/s',
        ...(targets ? { target: { op: '>=' as const, value: 2000 } } : {}),
      },
      ms('all mutations', mutations, 0.5),
      ms('all mutations', mutations, 0.99, 25),
      ...(['place', 'claim', 'step'] as const).flatMap((k) => [ms(`order.${k}`, t.samples[k], 0.5), ms(`order.${k}`, t.samples[k], 0.99)]),
      ms('squad.board', t.samples.board, 0.5),
      ms('squad.board', t.samples.board, 0.99),
      { name: `${label}: squad.board reads/s`, value: t.samples.board.length / secs, unit: '/s' },
      { name: `${label}: squad.board orders per answer (mean)`, value: t.samples.board.length ? t.boardSizes / t.samples.board.length : 0, unit: '' },
      { name: `${label}: host CPU per request, all kinds`, value: ((t.cpu1.host - t.cpu0.host) * 1000) / Math.max(1, t.requests), unit: 'ms' },
      { name: `${label}: host CPU busy (all its threads)`, value: ((t.cpu1.host - t.cpu0.host) / secs) * 100, unit: '%' },
      { name: `${label}: host main thread busy (use cases and SQL)`, value: ((t.cpu1.main - t.cpu0.main) / secs) * 100, unit: '%' },
      { name: `${label}: host main thread CPU per request`, value: ((t.cpu1.main - t.cpu0.main) * 1000) / Math.max(1, t.requests), unit: 'ms' },
      { name: `${label}: bench client CPU busy`, value: ((t.cpu1.client - t.cpu0.client) / secs) * 100, unit: '%' },
    ]
  }
  lastRushRate = tallies.saturation.mutations / ((saturation.end - saturation.start) / 1000)

  return {
    id: 'rush',
    title: `Morning rush over HTTP: 100 keep-alive clients, host in its own process; ${rate} mutations/s offered for ${seconds} s, then saturation`,
    figures: [
      ...phaseFigures(paced, true),
      ...phaseFigures(saturation, false),
      { name: 'machine speed: a fixed CPU loop before the run (lower is faster)', value: calibrationMs, unit: 'ms' },
      { name: 'orders acknowledged (whole run)', value: placed.length, unit: '' },
      { name: 'lost orders after SIGKILL (acknowledged, not stored once)', value: lost, unit: '', target: { op: '<=', value: 0 } },
      { name: 'double claims', value: doubleClaims, unit: '', target: { op: '<=', value: 0 } },
      { name: 'refused mutations (whole run)', value: [...refused].filter(([k]) => !k.startsWith('board')).reduce((n, [, c]) => n + c, 0), unit: '', ...(refusedNote ? { note: refusedNote } : {}) },
    ],
  }
}
