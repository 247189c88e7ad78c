/** The local host over real HTTP: sessions, the api, persistence across restarts, races. */
import { afterEach, describe, expect, it } from 'vitest'
import type { OrderView } from '../../src/core/views'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { startHost, type RunningHost } from '../support/host'
import { rid } from '../support/app'

let hosts: RunningHost[] = []
afterEach(async () => {
  await Promise.all(hosts.map((h) => h.stop()))
  hosts = []
})
const start = async (dataDir?: string) => {
  const h = await startHost({ dataDir })
  hosts.push(h)
  return h
}

describe('local host', () => {
  it('signs in a demo person and answers as them', async () => {
    const host = await start()
    const people = await (await fetch(host.url + '/api/dev/people')).json()
    expect(people.data.people).toContainEqual({ id: 'res-zhao', name: '赵先生', role: '居家隔离居民' })
    const token = await host.signIn(DEMO_PEOPLE.zhao)
    expect(await host.api(token, 'me.get')).toMatchObject({ ok: true, data: { id: 'res-zhao', name: '赵先生' } })
  })

  it('refuses missing, forged and unknown identities', async () => {
    const host = await start()
    expect(await host.api(null, 'me.get')).toMatchObject({ ok: false, code: 'AUTH.NOT_SIGNED_IN' })
    const token = await host.signIn(DEMO_PEOPLE.zhao)
    const [body] = token.split('.')
    expect(await host.api(`${body}.AAAA`, 'me.get')).toMatchObject({ ok: false, code: 'AUTH.NOT_SIGNED_IN' })
    const res = await (await fetch(host.url + '/api/dev/sign-in', { method: 'POST', body: '{"personId":"root"}' })).json()
    expect(res).toMatchObject({ ok: false, code: 'AUTH.UNKNOWN_PERSON' })
  })

  it('answers malformed bodies and unknown api paths with codes', async () => {
    const host = await start()
    const bad = await fetch(host.url + '/api', { method: 'POST', body: '{not json' })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ ok: false, code: 'REQUEST.MALFORMED' })
    const big = await fetch(host.url + '/api', { method: 'POST', body: 'x'.repeat(300 * 1024) })
    expect(big.status).toBe(413)
    expect((await fetch(host.url + '/api/nope')).status).toBe(404)
  })

  it('keeps orders across a restart (a real SQLite file)', async () => {
    const first = await start()
    const token = await first.signIn(DEMO_PEOPLE.zhao)
    const placed = await first.api<OrderView>(token, 'order.place', {
      requestId: rid(),
      kind: 'supplies',
      lines: [{ itemId: 'rice', qty: 1 }],
    })
    expect(placed.ok).toBe(true)
    await first.stop()
    hosts = []
    const second = await start(first.dataDir)
    // The session secret survived too: the old token still works.
    const mine = await second.api<{ orders: OrderView[] }>(token, 'order.mine')
    expect(mine.ok && mine.data.orders.map((o) => o.id)).toEqual([placed.ok && placed.data.id])
  })

  it('50 concurrent claims of one order over HTTP: exactly one person wins, once', async () => {
    const host = await start()
    const resident = await host.signIn(DEMO_PEOPLE.zhao)
    const placed = await host.api<OrderView>(resident, 'order.place', { requestId: rid(), kind: 'garbage' })
    if (!placed.ok) throw new Error(placed.message)
    const squad = await Promise.all([DEMO_PEOPLE.yuhong, DEMO_PEOPLE.wangnan, DEMO_PEOPLE.chaolu].map((p) => host.signIn(p)))
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => host.api<OrderView>(squad[i % 3]!, 'order.claim', { id: placed.data.id })),
    )
    const wins = results.filter((r) => r.ok)
    const winner = wins[0]!.ok && wins[0]!.data.holder?.id
    // Every ok is the one winner's: its claim and its own resends (answered as they are, core/order/resend.ts).
    expect(wins.every((r) => r.ok && r.data.holder?.id === winner && r.data.version === 2)).toBe(true)
    expect(wins.length).toBeGreaterThanOrEqual(1)
    expect(results.filter((r) => !r.ok && r.code === 'ORDER.ALREADY_CLAIMED')).toHaveLength(50 - wins.length)
    const stored = await host.deps.store.orders.get(placed.data.id)
    expect(stored?.holder?.id).toBe(winner)
    expect(stored?.timeline.filter((t) => t.event === 'claim')).toHaveLength(1)
  })

  it('200 orders × 20 squad members racing over HTTP: every order claimed exactly once', async () => {
    const host = await start()
    // Twenty squad members of the demo community.
    const workers = Array.from({ length: 20 }, (_, i) => `race-worker-${i}`)
    for (const [i, id] of workers.entries())
      await host.deps.store.people.put({
        id,
        name: `队员${i}`,
        phone: '',
        households: [],
        squadOf: 'demo',
        coordinatorOf: null,
        createdAt: Date.now(),
      })
    const tokens = workers.map((w) => host.session(w))
    const residents = await Promise.all([DEMO_PEOPLE.zhao, DEMO_PEOPLE.zhang].map((p) => host.signIn(p)))
    // The host's clock moves 1 s each time it is read, so this burst (200 orders, 4000 claims in a
    // few real seconds) stays under the per-person and per-household rate limits (core/rate-limit.ts).
    const t0 = Date.now()
    let reads = 0
    host.deps.now = () => t0 + 1000 * reads++
    const ids: string[] = []
    for (let i = 0; i < 200; i++) {
      const r = await host.api<OrderView>(residents[i % 2]!, 'order.place', { requestId: rid(), kind: 'garbage' })
      if (!r.ok) throw new Error(r.message)
      ids.push(r.data.id)
    }
    // Each worker walks all 200 in its own shuffled order, one claim at a time; the 20 run at once.
    const shuffled = (xs: string[], seed: number) => {
      const a = [...xs]
      let s = seed + 1
      for (let i = a.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) % 2147483648
        const j = s % (i + 1)
        ;[a[i], a[j]] = [a[j]!, a[i]!]
      }
      return a
    }
    const wins = new Map<string, string[]>()
    const refusals: string[] = []
    await Promise.all(
      workers.map(async (w, i) => {
        for (const id of shuffled(ids, i)) {
          const r = await host.api<OrderView>(tokens[i]!, 'order.claim', { id })
          if (r.ok) wins.set(id, [...(wins.get(id) ?? []), w])
          else refusals.push(r.code)
        }
      }),
    )
    expect(wins.size).toBe(200)
    expect([...wins.values()].every((ws) => ws.length === 1)).toBe(true)
    expect(refusals).toHaveLength(200 * 20 - 200)
    expect(new Set(refusals)).toEqual(new Set(['ORDER.ALREADY_CLAIMED']))
    for (const id of ids) {
      const stored = await host.deps.store.orders.get(id)
      expect(stored?.holder?.id).toBe(wins.get(id)![0])
      expect(stored?.timeline.filter((t) => t.event === 'claim')).toHaveLength(1)
    }
    // The work spread over the squad (nobody was starved by the race).
    const perWorker = new Map<string, number>()
    for (const [w] of wins.values()) perWorker.set(w!, (perWorker.get(w!) ?? 0) + 1)
    expect(perWorker.size).toBeGreaterThan(10)
  }, 120_000)
})
