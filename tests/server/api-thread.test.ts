/**
 * The local host's HTTP thread (host/api-thread.ts, api-front.ts): POST /api read on its own thread,
 * answered by the main thread after the COMMIT; everything else passed through to the host's own
 * server. Most host tests already run through it (tests/support/host.ts, as main.ts); these pin what
 * only the thread can get wrong.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { OrderView } from '../../src/core/views'
import { serveHost } from '../../src/server/host/api-thread'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { rid } from '../support/app'
import { startHost, type RunningHost } from '../support/host'

let host: RunningHost | null = null
afterEach(async () => {
  await host?.stop()
  host = null
})

describe('api thread', () => {
  it('answers each of many concurrent calls with its own result', async () => {
    host = await startHost({ apiThread: true })
    const token = await host.signIn(DEMO_PEOPLE.zhao)
    // The clock moves 10 s per read, so 120 places stay under the household’s 10 a minute.
    const t0 = Date.now()
    let reads = 0
    host.deps.now = () => t0 + 10_000 * reads++
    const ids = Array.from({ length: 60 }, () => rid('th'))
    const replies = await Promise.all(ids.map((requestId) => host!.api<OrderView>(token, 'order.place', { requestId, kind: 'garbage' })))
    const store = host.deps.store
    for (const [i, r] of replies.entries()) {
      expect(r.ok).toBe(true)
      if (!r.ok) continue
      // The same request id again is the same order: this reply is the order of that request.
      const again = await host.api<OrderView>(token, 'order.place', { requestId: ids[i], kind: 'garbage' })
      expect(again.ok && again.data.id).toBe(r.data.id)
      expect((await store.orders.get(r.data.id))?.status).toBe('pending')
    }
    expect(new Set(replies.map((r) => r.ok && r.data.id)).size).toBe(60)
  })

  it('checks the session on the main thread, on the store’s clock', async () => {
    host = await startHost({ apiThread: true })
    const token = await host.signIn(DEMO_PEOPLE.zhao)
    expect((await host.api(token, 'order.mine', {})).ok).toBe(true)
    const realNow = host.deps.now
    host.deps.now = () => realNow() + 8 * 24 * 60 * 60 * 1000
    expect(await host.api(token, 'order.mine', {})).toMatchObject({ ok: false, code: 'AUTH.SESSION_EXPIRED' })
    expect(await host.api('forged.token', 'order.mine', {})).toMatchObject({ ok: false, code: 'AUTH.NOT_SIGNED_IN' })
  })

  it('passes other routes through: files, the health check, a malformed body refused on the thread', async () => {
    const staticDir = join((await import('node:os')).tmpdir(), `zj-front-${process.pid}-${Date.now()}`)
    mkdirSync(staticDir, { recursive: true })
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>宅家送</title>')
    host = await startHost({ apiThread: true, staticDir })
    const page = await fetch(`${host.url}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toContain('宅家送')
    expect(await (await fetch(`${host.url}/api/health`)).json()).toEqual({ ok: true, data: { up: true } })
    const bad = await fetch(`${host.url}/api`, { method: 'POST', body: '{not json' })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ ok: false, code: 'REQUEST.MALFORMED' })
  })

  it('refuses to start on a port in use, and closes the server behind it', async () => {
    const taken = createServer()
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r))
    const port = (taken.address() as AddressInfo).port
    const server = createServer((_req, res) => res.end('backend'))
    try {
      await expect(
        serveHost({ server, port, host: '127.0.0.1', answer: async () => ({ status: 200, json: '{}' }), thread: true, onFailure: () => undefined }),
      ).rejects.toThrow(/EADDRINUSE/)
      expect(server.listening).toBe(false)
    } finally {
      await new Promise((r) => taken.close(r))
    }
  })
})
