/**
 * GET /api/live on the real local host over HTTP: who hears which order changes, how fast, with
 * what in them, and who is refused. Also the H5 client (src/client/live-sse.ts) against it.
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { OrderView } from '../../src/core/views'
import { sseParser, subscribeSse } from '../../src/client/live-sse'
import { loadOrCreateSecret, SESSION_TTL_MS, signSession } from '../../src/server/host/session'
import { ORDER_CHANGE_KEYS, ORDER_CHANGE_KEYS_NO_HOUSEHOLD } from '../../src/server/live/bus'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { rid } from '../support/app'
import { startHost, type RunningHost } from '../support/host'

const { zhao, zhang, yuhong, wangnan, coordinator } = DEMO_PEOPLE

let hosts: RunningHost[] = []
let streams: Stream[] = []
afterEach(async () => {
  streams.forEach((s) => s.close())
  streams = []
  await Promise.all(hosts.map((h) => h.stop()))
  hosts = []
})
const start = async (live?: NonNullable<Parameters<typeof startHost>[0]>['live']) => {
  const h = await startHost(live ? { live } : {})
  hosts.push(h)
  return h
}

interface Ev {
  event: string
  data: string
  at: number
}

interface Stream {
  status: number
  contentType: string | null
  /** The refusal body for a non-200 answer. */
  body?: unknown
  events: Ev[]
  raw: string
  /** Resolves with the first event (already received or yet to come) matching `pred`. */
  next(pred: (e: Ev) => boolean, timeoutMs?: number): Promise<Ev>
  close(): void
}

async function open(host: RunningHost, token: string | null, query = '', viaQueryToken = false): Promise<Stream> {
  const ctrl = new AbortController()
  const q = viaQueryToken && token ? `token=${encodeURIComponent(token)}${query ? '&' + query : ''}` : query
  const res = await fetch(`${host.url}/api/live${q ? '?' + q : ''}`, {
    headers: token && !viaQueryToken ? { authorization: `Bearer ${token}` } : {},
    signal: ctrl.signal,
  })
  const events: Ev[] = []
  const waiters = new Set<() => void>()
  const s: Stream = {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    raw: '',
    next(pred, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.find(pred)
          if (!hit) return false
          waiters.delete(check)
          clearTimeout(t)
          resolve(hit)
          return true
        }
        const t = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.event))}`))
        }, timeoutMs)
        if (!check()) waiters.add(check)
      })
    },
    close: () => ctrl.abort(),
  }
  if (res.status !== 200) {
    s.body = await res.json()
    return s
  }
  streams.push(s)
  const feed = sseParser((event, data) => {
    events.push({ event, data, at: performance.now() })
    waiters.forEach((w) => w())
  })
  void (async () => {
    const reader = res.body!.getReader()
    const dec = new TextDecoder()
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        const text = dec.decode(value, { stream: true })
        s.raw += text
        feed(text)
      }
    } catch {
      // aborted
    }
  })()
  await s.next((e) => e.event === 'ready')
  return s
}

const orderEvents = (s: Stream) => s.events.filter((e) => e.event === 'order').map((e) => JSON.parse(e.data) as Record<string, unknown>)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function place(host: RunningHost, token: string, kind: 'garbage' | 'supplies' = 'garbage'): Promise<OrderView> {
  const res = await host.api<OrderView>(token, 'order.place', kind === 'garbage' ? { requestId: rid(), kind } : {
    requestId: rid(),
    kind,
    lines: [{ itemId: 'rice', qty: 1 }],
    notes: '放门口，谢谢',
  })
  if (!res.ok) throw new Error(res.message)
  return res.data
}

describe('GET /api/live', () => {
  it("a squad member's stream hears a resident's new order within 2 s", async () => {
    const host = await start()
    const squad = await open(host, await host.signIn(yuhong))
    expect(squad.status).toBe(200)
    expect(squad.contentType).toMatch(/^text\/event-stream/)
    const resident = await host.signIn(zhao)

    const t0 = performance.now()
    const placed = await place(host, resident)
    const ev = await squad.next((e) => e.event === 'order' && e.data.includes(placed.id), 2000)
    const latency = ev.at - t0
    console.log(`live latency (place → squad stream): ${latency.toFixed(1)} ms`)
    expect(latency).toBeLessThan(2000)
    // No household id for the squad: it spells the door (bus.ts mayKnowHousehold).
    expect(JSON.parse(ev.data)).toEqual({
      orderId: placed.id,
      communityId: 'demo',
      status: 'pending',
      version: 1,
    })

    // Status changes follow: the claim (by another member) reaches this stream too.
    await host.api(await host.signIn(wangnan), 'order.claim', { id: placed.id })
    await squad.next((e) => e.event === 'order' && e.data.includes('"claimed"'), 2000)
  })

  it("a resident's stream carries their own household's changes and nobody else's", async () => {
    const host = await start()
    const zhaoToken = await host.signIn(zhao)
    const mine = await open(host, zhaoToken)
    const coord = await open(host, await host.signIn(coordinator))

    // Another household's order: the coordinator hears it, Zhao hears nothing.
    const theirs = await place(host, await host.signIn(zhang))
    await coord.next((e) => e.data.includes(theirs.id), 2000)
    await sleep(400)
    expect(orderEvents(mine)).toEqual([])

    // Zhao's own order, then the squad's claim and a status change (已送达 flow starts with these).
    const own = await place(host, zhaoToken)
    await mine.next((e) => e.data.includes(own.id) && e.data.includes('"pending"'), 2000)
    await host.api(await host.signIn(yuhong), 'order.claim', { id: own.id })
    await host.api(await host.signIn(yuhong), 'order.advance', { id: own.id, event: 'depart' })
    await mine.next((e) => e.data.includes('"delivering"'), 2000)
    expect(orderEvents(mine).map((e) => [e.orderId, e.status, e.version])).toEqual([
      [own.id, 'pending', 1],
      [own.id, 'claimed', 2],
      [own.id, 'delivering', 3],
    ])
    expect(orderEvents(mine).some((e) => e.orderId === theirs.id)).toBe(false)
  })

  it('a refused or failed command publishes nothing', async () => {
    const host = await start()
    const squad = await open(host, await host.signIn(yuhong))
    const zhaoToken = await host.signIn(zhao)
    const requestId = rid()
    const first = await host.api<OrderView>(zhaoToken, 'order.place', { requestId, kind: 'garbage' })
    if (!first.ok) throw new Error(first.message)
    const placed = first.data
    await squad.next((e) => e.data.includes(placed.id))
    // Zhang may not cancel Zhao's order; Wang Nan loses the claim to Yu Hong.
    expect((await host.api(await host.signIn(zhang), 'order.cancel', { id: placed.id })).ok).toBe(false)
    expect((await host.api(await host.signIn(yuhong), 'order.claim', { id: placed.id })).ok).toBe(true)
    expect((await host.api(await host.signIn(wangnan), 'order.claim', { id: placed.id })).ok).toBe(false)
    // The same submission again (idempotent) creates nothing.
    expect(await host.api<OrderView>(zhaoToken, 'order.place', { requestId, kind: 'garbage' })).toMatchObject({ ok: true, data: { id: placed.id } })
    await sleep(300)
    expect(orderEvents(squad).map((e) => e.status)).toEqual(['pending', 'claimed'])
  })

  it('refuses missing, forged and expired sessions with 401 and the JSON envelope', async () => {
    const host = await start()
    const none = await open(host, null)
    expect(none.status).toBe(401)
    expect(none.contentType).toMatch(/^application\/json/)
    expect(none.body).toEqual({ ok: false, code: 'AUTH.NOT_SIGNED_IN', message: '请先登录' })

    const [body] = (await host.signIn(zhao)).split('.')
    const forged = await open(host, `${body}.AAAA`)
    expect(forged.status).toBe(401)
    expect(forged.body).toMatchObject({ ok: false, code: 'AUTH.NOT_SIGNED_IN' })
    const forgedQuery = await open(host, `${body}.AAAA`, '', true)
    expect(forgedQuery.status).toBe(401)

    // A body claiming to be someone else under a real signature's name is still forged.
    const [, sig] = (await host.signIn(yuhong)).split('.')
    const swapped = Buffer.from(JSON.stringify({ sub: yuhong, exp: Date.now() + 60_000 })).toString('base64url')
    expect((await open(host, `${swapped}.${sig}`)).status).toBe(401)

    // A genuine but expired session.
    const secret = loadOrCreateSecret(join(host.dataDir, 'session.secret'))
    const old = signSession(secret, zhao, Date.now() - SESSION_TTL_MS - 60_000).token
    const expired = await open(host, old)
    expect(expired.status).toBe(401)
    expect(expired.body).toMatchObject({ ok: false, code: 'AUTH.SESSION_EXPIRED' })
    expect(host.live.connections()).toBe(0)
  })

  it('accepts the token as ?token= too, and never logs it', async () => {
    const host = await start()
    const token = await host.signIn(yuhong)
    const s = await open(host, token, '', true)
    expect(s.status).toBe(200)
    const placed = await place(host, await host.signIn(zhao))
    await s.next((e) => e.data.includes(placed.id))
    s.close()
    await waitFor(() => host.live.connections() === 0)
    const log = host.log.lines.join('\n')
    expect(log).toContain('live.open')
    expect(log).toContain('live.close')
    expect(log).not.toContain(token)
    expect(log).not.toContain(token.split('.')[1]!)
  })

  it('events carry only ids, status and version: no names, rooms, phones or notes', async () => {
    const host = await start()
    const squad = await open(host, await host.signIn(yuhong))
    const zhaoToken = await host.signIn(zhao)
    const mine = await open(host, zhaoToken)
    const placed = await place(host, zhaoToken, 'supplies')
    await host.api(await host.signIn(yuhong), 'order.claim', { id: placed.id })
    await squad.next((e) => e.data.includes('"claimed"'))
    await mine.next((e) => e.data.includes('"claimed"'))
    for (const [s, keys] of [
      [squad, ORDER_CHANGE_KEYS_NO_HOUSEHOLD],
      [mine, ORDER_CHANGE_KEYS],
    ] as const) {
      for (const e of s.events.filter((x) => x.event === 'order')) {
        const obj = JSON.parse(e.data) as Record<string, unknown>
        expect(Object.keys(obj).sort()).toEqual([...keys].sort())
        for (const v of Object.values(obj)) expect(['string', 'number']).toContain(typeof v)
        // Names (赵先生, 于红), phones, the note, the building name.
        expect(e.data).not.toMatch(/赵|于红|138\d{8}|139\d{8}|放门口|号楼|room|address|phone|name/)
      }
      // Only the event kinds we document.
      expect(new Set(s.events.map((e) => e.event))).toEqual(new Set(['ready', 'order']))
    }
  })

  it('narrowing: a resident may not ask for the community, a squad member not for a foreign household', async () => {
    const host = await start()
    const zhaoToken = await host.signIn(zhao)
    const asResident = await open(host, zhaoToken, 'communityId=demo')
    expect(asResident.status).toBe(403)
    expect(asResident.body).toMatchObject({ ok: false, code: 'AUTH.FORBIDDEN' })
    expect((await open(host, await host.signIn(yuhong), 'communityId=elsewhere')).status).toBe(403)
    expect((await open(host, zhaoToken, 'householdId=h1-2-502')).status).toBe(403)
    expect((await open(host, zhaoToken, 'communityId=demo&householdId=h1-1-301')).status).toBe(400)

    // A coordinator narrowed to one household hears only that one.
    const coord = await open(host, await host.signIn(coordinator), 'communityId=demo')
    expect(coord.status).toBe(200)
    const narrow = await open(host, zhaoToken, 'householdId=h1-1-301')
    const theirs = await place(host, await host.signIn(zhang))
    const own = await place(host, zhaoToken)
    await narrow.next((e) => e.data.includes(own.id))
    await coord.next((e) => e.data.includes(own.id))
    expect(orderEvents(narrow).map((e) => e.orderId)).toEqual([own.id])
    expect(orderEvents(coord).map((e) => e.orderId)).toEqual([theirs.id, own.id])
  })

  it('caps streams per person at 5 and frees a slot when one closes', async () => {
    const host = await start()
    const token = await host.signIn(yuhong)
    const five = await Promise.all(Array.from({ length: 5 }, () => open(host, token)))
    expect(five.map((s) => s.status)).toEqual([200, 200, 200, 200, 200])
    const sixth = await open(host, token)
    expect(sixth.status).toBe(429)
    expect(sixth.body).toMatchObject({ ok: false, code: 'LIVE.TOO_MANY_STREAMS' })
    // Someone else is not affected.
    expect((await open(host, await host.signIn(wangnan))).status).toBe(200)
    five[0]!.close()
    await waitFor(() => host.live.connections() === 5)
    expect((await open(host, token)).status).toBe(200)
    expect(host.bus.size()).toBe(6)
  })

  it('sends a heartbeat comment and cleans up when the client goes away', async () => {
    const host = await start({ heartbeatMs: 100 })
    const s = await open(host, await host.signIn(yuhong))
    await waitFor(() => s.raw.includes(': ping\n\n'))
    expect(host.bus.size()).toBe(1)
    s.close()
    await waitFor(() => host.live.connections() === 0 && host.bus.size() === 0)
  })

  it('only GET opens a stream', async () => {
    const host = await start()
    const res = await fetch(`${host.url}/api/live`, { method: 'POST' })
    expect(res.status).toBe(404)
  })
})

describe('H5 client (subscribeSse) against the host', () => {
  it('signals new orders, reconnects when the stream ends and re-signals once after it', async () => {
    const host = await start({ maxAgeMs: 400 })
    const token = await host.signIn(yuhong)
    let changes = 0
    const statuses: string[] = []
    const stop = subscribeSse({ communityId: 'demo' }, () => changes++, {
      base: host.url,
      getToken: () => token,
      minDelayMs: 20,
      onStatus: (st) => statuses.push(st),
    })
    try {
      await waitFor(() => statuses.includes('open'))
      await place(host, await host.signIn(zhao))
      await waitFor(() => changes === 1)
      // The server ends the stream at maxAge; the client comes back and signals the gap.
      await waitFor(() => statuses.filter((x) => x === 'open').length >= 2, 3000)
      expect(statuses).toContain('down')
      expect(changes).toBeGreaterThanOrEqual(2)
      const before = changes
      await place(host, await host.signIn(zhang))
      await waitFor(() => changes > before)
    } finally {
      stop()
    }
    await waitFor(() => host.live.connections() === 0)
  })

  it('gives up on 401 (signed out) instead of hammering the host', async () => {
    const host = await start()
    const statuses: string[] = []
    let calls = 0
    const stop = subscribeSse({ householdIds: ['h1-1-301'] }, () => undefined, {
      base: host.url,
      getToken: () => 'not.a-token',
      fetch: (input, init) => {
        calls++
        return fetch(input, init)
      },
      minDelayMs: 10,
      onStatus: (st) => statuses.push(st),
    })
    await waitFor(() => statuses.includes('stopped'))
    await sleep(100)
    stop()
    expect(calls).toBe(1)
  })
})

async function waitFor(cond: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time')
    await sleep(10)
  }
}
