/**
 * Durability of acknowledged orders across a process kill (issue 12). The host's own entry point
 * runs in a child process on a temporary DATA_DIR (ZJ_DEMO=0: an empty store, set up through the
 * API like a real community). 50 concurrent clients submit `order.place` over HTTP with signed
 * sessions; after a random number of acknowledgements the host is SIGKILLed mid-burst, restarted on
 * the same folder, and:
 *  - every order a client got `ok` for is in the SQLite file exactly once, complete and valid
 *    (columns match the document, pending, version 1, one 'place' timeline entry by the placer,
 *    the lines that were sent, and its outbox: one staff-group record for an urgent order, none
 *    otherwise);
 *  - every client that got no answer retries with the same requestId and gets exactly one order
 *    (a retry of an acknowledged one gets the same order back).
 *
 * No limit is switched off: each round uses its own households (5 orders each, so even 5 slots taken
 * by requests that died with the process plus 5 retries stay within 10 a minute per household).
 */
import Database from 'better-sqlite3'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Order } from '../../src/core/order/types'
import { killSpawnedHosts, spawnHost, type HostProcess } from '../support/host-process'


const ROUNDS = 3
const HOUSEHOLDS_PER_ROUND = 200
const ORDERS_PER_HOUSEHOLD = 5
const PER_ROUND = HOUSEHOLDS_PER_ROUND * ORDERS_PER_HOUSEHOLD // 1,000 submissions a round
const CLIENTS = 50
/** 5 buildings × 4 units × 10 floors × 3 rooms = 600 households = ROUNDS × HOUSEHOLDS_PER_ROUND. */
const BUILDINGS = Array.from({ length: 5 }, (_, i) => ({ name: `${i + 1}号楼`, units: 4, floors: 10, roomsPerFloor: 3 }))

afterAll(killSpawnedHosts)

type Answer<T = unknown> = { ok: true; data: T } | { ok: false; code: string; message: string }

async function post<T>(url: string, body: unknown, token?: string): Promise<Answer<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return (await res.json()) as Answer<T>
}

async function api<T>(host: HostProcess, token: string, action: string, input: unknown): Promise<T> {
  let r: Answer<T>
  try {
    r = await post<T>(`${host.url}/api`, { action, input }, token)
  } catch (e) {
    throw new Error(`${action}: ${String(e)} (${(e as { cause?: unknown }).cause}); host exit ${host.child.exitCode}\n${host.out().slice(-3000)}`)
  }
  if (!r.ok) throw new Error(`${action}: ${r.code} ${r.message}`)
  return r.data
}

async function signIn(host: HostProcess, name: string): Promise<{ token: string; personId: string }> {
  const r = await post<{ token: string; personId: string }>(`${host.url}/api/dev/sign-in`, { name })
  if (!r.ok) throw new Error(`sign-in: ${r.code}`)
  return { token: r.data.token, personId: r.data.personId }
}

/** Runs `work` over `items` with `n` concurrent workers, in order of the list. */
async function pool<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await work(items[next++]!)
    }),
  )
}

interface Resident {
  token: string
  personId: string
  householdId: string
}

interface Submission {
  resident: Resident
  requestId: string
  urgent: boolean
  qty: number
}

const inputOf = (s: Submission) => ({
  requestId: s.requestId,
  kind: 'supplies',
  urgency: s.urgent ? 'urgent' : 'normal',
  ...(s.urgent ? { urgentReason: '药快吃完了' } : {}),
  lines: [{ itemId: 'rice', qty: s.qty }],
})

interface Row {
  id: string
  status: string
  version: number
  household_id: string
  community_id: string
  doc: string
}

/** Everything the SQLite file holds about these submissions' orders, read-only. */
function checkStored(dbFile: string, subs: readonly Submission[], mustHave: ReadonlyMap<string, string>): Map<string, Order> {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true })
  try {
    expect(db.pragma('quick_check', { simple: true })).toBe('ok')
    const households = [...new Set(subs.map((s) => s.resident.householdId))]
    const rows = db
      .prepare(`SELECT id, status, version, household_id, community_id, doc FROM orders WHERE household_id IN (${households.map(() => '?').join(',')})`)
      .all(...households) as Row[]
    const byRequest = new Map<string, Row[]>()
    for (const r of rows) {
      const requestId = (JSON.parse(r.doc) as Order).requestId
      byRequest.set(requestId, [...(byRequest.get(requestId) ?? []), r])
    }
    const outboxes = new Map<string, string[]>()
    for (const n of db.prepare(`SELECT json_extract(doc, '$.orderId') AS orderId, json_extract(doc, '$.kind') AS kind FROM notifications`).all() as {
      orderId: string | null
      kind: string
    }[]) {
      if (n.orderId) outboxes.set(n.orderId, [...(outboxes.get(n.orderId) ?? []), n.kind])
    }
    const found = new Map<string, Order>()
    for (const s of subs) {
      const mineRows = byRequest.get(s.requestId) ?? []
      expect(mineRows.length, `orders for ${s.requestId}`).toBeLessThanOrEqual(1)
      const acked = mustHave.get(s.requestId)
      if (acked !== undefined) expect(mineRows.map((r) => r.id), `acknowledged ${s.requestId}`).toEqual([acked])
      const row = mineRows[0]
      if (!row) continue
      const o = JSON.parse(row.doc) as Order
      // Not half-written: the columns and the document agree, and the document is a whole new order.
      expect([row.status, row.version, row.household_id, row.community_id]).toEqual([o.status, o.version, o.householdId, o.communityId])
      expect(o).toMatchObject({
        id: row.id,
        requestId: s.requestId,
        householdId: s.resident.householdId,
        status: 'pending',
        version: 1,
        kind: 'supplies',
        urgency: s.urgent ? 'urgent' : 'normal',
        holder: null,
        placedBy: { id: s.resident.personId, role: 'resident' },
      })
      expect(o.lines).toEqual([{ itemId: 'rice', name: '大米', unit: '袋', qty: s.qty }])
      expect(o.timeline).toEqual([{ at: o.createdAt, event: 'place', by: o.placedBy }])
      expect(o.updatedAt).toBe(o.createdAt)
      // Its outbox, written in the same transaction: the staff group hears of an urgent order.
      expect(outboxes.get(o.id) ?? [], `outbox of ${s.requestId}`).toEqual(s.urgent ? ['urgent'] : [])
      found.set(s.requestId, o)
    }
    return found
  } finally {
    db.close()
  }
}

describe('acknowledged orders survive a SIGKILL of the host (the real entry point, SQLite file)', () => {
  it(`${ROUNDS} rounds of ${PER_ROUND} submissions from ${CLIENTS} clients, killed mid-burst: none lost, none doubled`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zhaijia-durab-'))
    const dbFile = join(dataDir, 'zhaijia.db')
    const t0 = Date.now()
    let host = await spawnHost(dataDir, { ZJ_DEMO: '0' })

    // A real community through the API: setup code → coordinator → household codes → residents join.
    const code = /setup code: ([A-Z0-9]{8})\b/.exec(host.out())?.[1]
    expect(code, host.out()).toBeTruthy()
    const founder = await signIn(host, '周主任')
    await api(host, founder.token, 'community.setup', { code, name: '东湖社区', buildings: BUILDINGS })
    const first = await api<{ buildings: { id: string }[] }>(host, founder.token, 'coord.householdCodes', {})
    const codes: { householdId: string; code: string }[] = []
    for (const b of first.buildings) {
      codes.push(...(await api<{ rows: { householdId: string; code: string }[] }>(host, founder.token, 'coord.householdCodes', { buildingId: b.id })).rows)
    }
    expect(codes.length).toBe(ROUNDS * HOUSEHOLDS_PER_ROUND)
    const residents: Resident[] = []
    await pool(codes, CLIENTS, async (c) => {
      const who = await signIn(host, `住户${c.householdId.slice(-6)}`)
      await api(host, who.token, 'household.join', { code: c.code, phone: `139${String(residents.length + 1e7).slice(-8)}` })
      residents.push({ ...who, householdId: c.householdId })
    })

    console.log(`durability setup: ${residents.length} households joined in ${Date.now() - t0} ms`)
    const figures = { rounds: 0, submitted: 0, acknowledged: 0, unanswered: 0, lost: 0, duplicates: 0 }
    for (let round = 0; round < ROUNDS; round++) {
      const tRound = Date.now()
      const mine = residents.slice(round * HOUSEHOLDS_PER_ROUND, (round + 1) * HOUSEHOLDS_PER_ROUND)
      const subs: Submission[] = []
      // Interleaved so every household's orders spread over the burst.
      for (let j = 0; j < ORDERS_PER_HOUSEHOLD; j++) {
        mine.forEach((resident, i) =>
          subs.push({ resident, requestId: `dur-${round}-${i}-${j}`, urgent: (i + j) % 7 === 0, qty: 1 + ((i + j) % 5) }),
        )
      }
      const killAfter = Math.floor(PER_ROUND * (0.2 + 0.5 * Math.random()))
      const acked = new Map<string, string>()
      const unanswered: Submission[] = []
      let killed = false
      await pool(subs, CLIENTS, async (s) => {
        if (killed) {
          unanswered.push(s)
          return
        }
        try {
          const r = await post<{ id: string }>(`${host.url}/api`, { action: 'order.place', input: inputOf(s) }, s.resident.token)
          if (!r.ok) throw new Error(`order.place refused: ${r.code} ${r.message}`)
          acked.set(s.requestId, r.data.id)
          if (acked.size >= killAfter && !killed) {
            killed = true
            host.child.kill('SIGKILL')
          }
        } catch (e) {
          // Connection reset or refused: the host died under this request. Anything else is a failure.
          if (!killed) throw e
          unanswered.push(s)
        }
      })
      expect(killed).toBe(true)
      await host.exited
      expect(host.child.signalCode).toBe('SIGKILL')
      // The process that answered is the one that died: nothing listens on its port any more.
      await expect(fetch(`${host.url}/api/health`)).rejects.toThrow()

      // After the kill, before anything else touches the file: every acknowledged order is there, once.
      const stored = checkStored(dbFile, subs, acked)
      // Requests that died in flight may or may not have landed, but never half.
      const landedUnanswered = unanswered.filter((s) => stored.has(s.requestId)).length

      host = await spawnHost(dataDir, { ZJ_DEMO: '0' })
      // The clients without an answer retry with the same request id; a few acknowledged ones retry too.
      const retries = [...unanswered, ...subs.filter((s) => acked.has(s.requestId)).slice(0, 50)]
      const answers = new Map<string, string>()
      await pool(retries, CLIENTS, async (s) => {
        const r = await post<{ id: string }>(`${host.url}/api`, { action: 'order.place', input: inputOf(s) }, s.resident.token)
        if (!r.ok) throw new Error(`retry of ${s.requestId} refused: ${r.code} ${r.message}`)
        answers.set(s.requestId, r.data.id)
      })
      for (const [requestId, id] of acked) if (answers.has(requestId)) expect(answers.get(requestId)).toBe(id)
      for (const s of unanswered) {
        const before = stored.get(s.requestId)
        if (before) expect(answers.get(s.requestId)).toBe(before.id)
      }

      // Every submission of the round now has exactly one order, the one its client was told.
      const all = new Map([...acked, ...answers])
      expect(all.size).toBe(PER_ROUND)
      const final = checkStored(dbFile, subs, all)
      expect(final.size).toBe(PER_ROUND)
      // And the residents see them through the API, each once.
      const sample = mine.slice(0, 10)
      for (const r of sample) {
        const list = await api<{ orders: { id: string }[] }>(host, r.token, 'order.mine', {})
        const want = subs.filter((s) => s.resident === r).map((s) => all.get(s.requestId)!)
        const ids = list.orders.map((o) => o.id)
        for (const id of want) expect(ids.filter((x) => x === id)).toHaveLength(1)
      }

      figures.rounds++
      figures.submitted += PER_ROUND
      figures.acknowledged += acked.size
      figures.unanswered += unanswered.length
      figures.lost += [...acked.keys()].filter((k) => !stored.has(k)).length
      figures.duplicates += final.size - new Set([...final.values()].map((o) => o.id)).size
      console.log(
        `durability round ${round + 1}: killed after ${acked.size} acknowledgements (aimed ${killAfter}); ` +
          `${unanswered.length} unanswered, ${landedUnanswered} of them had landed; retried ${retries.length}, all ok; ${Date.now() - tRound} ms`,
      )
    }
    console.log(
      `durability: rounds ${figures.rounds}, submitted ${figures.submitted}, acknowledged ${figures.acknowledged}, ` +
        `unanswered ${figures.unanswered}, lost ${figures.lost}, duplicates ${figures.duplicates}`,
    )
    expect(figures).toMatchObject({ rounds: ROUNDS, lost: 0, duplicates: 0 })
    host.child.kill('SIGTERM')
    await host.exited
  }, 180_000)
})
