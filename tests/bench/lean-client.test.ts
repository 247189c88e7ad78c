/**
 * The benches' HTTP client (bench/lean-client.ts) against a real node:http server: it must read
 * every answer the way a full HTTP client would, or the rush would count wrong replies as answers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { makeClient } from '../../bench/lean-client'

let server: Server | null = null
let connections = 0

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  connections = 0
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')))
  })
  server.on('connection', () => connections++)
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const json = (res: ServerResponse, body: unknown) => {
  const data = Buffer.from(JSON.stringify(body), 'utf8')
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': data.length })
  res.end(data)
}

afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((r) => server?.close(r))
  server = null
})

describe('bench lean client', () => {
  it('posts the action with the bearer token and reads UTF-8 answers over one kept-alive socket', async () => {
    const seen: Array<{ auth: string | undefined; path: string | undefined; body: unknown }> = []
    const url = await serve((req, res, body) => {
      seen.push({ auth: req.headers.authorization, path: req.url, body: JSON.parse(body) })
      json(res, { ok: true, data: { text: `白菜${seen.length}斤`, n: seen.length } })
    })
    const client = makeClient(url, 4)
    for (let i = 1; i <= 3; i++) {
      const { reply, ms } = await client.call('tok-1', 'order.place', { note: '明天中午一份盖饭' })
      expect(reply).toEqual({ ok: true, data: { text: `白菜${i}斤`, n: i } })
      expect(ms).toBeGreaterThan(0)
    }
    expect(seen).toHaveLength(3)
    expect(seen[0]).toEqual({ auth: 'Bearer tok-1', path: '/api', body: { action: 'order.place', input: { note: '明天中午一份盖饭' } } })
    expect(connections).toBe(1)
    client.close()
  })

  it('queues calls beyond its sockets and answers each its own reply', async () => {
    const url = await serve((_req, res, body) => {
      const { input } = JSON.parse(body) as { input: { i: number } }
      setTimeout(() => json(res, { ok: true, data: input.i * 10 }), 5)
    })
    const client = makeClient(url, 3)
    const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => client.call('t', 'x', { i })))
    expect(replies.map((r) => r.reply.data)).toEqual(Array.from({ length: 12 }, (_, i) => i * 10))
    expect(connections).toBe(3)
    client.close()
  })

  it('reads an answer that arrives in pieces', async () => {
    const text = JSON.stringify({ ok: true, data: '大白'.repeat(3000) })
    const data = Buffer.from(text, 'utf8')
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': data.length })
      // Cut inside a three-byte character, flushed apart.
      res.write(data.subarray(0, 1001))
      setTimeout(() => res.end(data.subarray(1001)), 20)
    })
    const client = makeClient(url, 1)
    expect((await client.call('t', 'x', {})).reply).toEqual(JSON.parse(text))
    client.close()
  })

  it('opens a new socket after an answer that closes its connection', async () => {
    const url = await serve((_req, res) => {
      res.setHeader('connection', 'close')
      json(res, { ok: true })
    })
    const client = makeClient(url, 1)
    await client.call('t', 'x', {})
    await client.call('t', 'x', {})
    expect(connections).toBe(2)
    client.close()
  })

  it('refuses an answer without a length, and a connection dropped before the answer', async () => {
    const url = await serve((req, res, body) => {
      if (JSON.parse(body).action === 'drop') return req.socket.destroy()
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"ok":')
      res.end('true}')
    })
    const client = makeClient(url, 2)
    await expect(client.call('t', 'chunked', {})).rejects.toThrow(/content-length/)
    await expect(client.call('t', 'drop', {})).rejects.toMatchObject({ code: 'ECONNRESET' })
    client.close()
  })
})
