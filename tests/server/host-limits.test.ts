/**
 * Size and time limits on every route of the local host (src/server/host/body-limit.ts), over real
 * HTTP against startHost. Raw sockets, so the test controls exactly what is sent: a declared length
 * with no body, a chunked body with no length, a body that stops half way.
 */
import { formatBeijing } from '../../src/core/time'
import { existsSync, readdirSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { openSqlite } from '../../src/server/adapters/sqlite'
import { MAX_API_BODY, MAX_ROBOT_BODY, MAX_URL_BYTES } from '../../src/server/host/body-limit'
import { MAX_PHOTO_BYTES } from '../../src/core/photo'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { rid } from '../support/app'
import { startHost, type RunningHost } from '../support/host'

let host: RunningHost | null = null
afterEach(async () => {
  await host?.stop()
  host = null
})

interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: string
  ms: number
}

/**
 * Sends `head` (request line and headers, without the blank line), then `body` as given (a string is
 * sent as is: chunked framing is the caller's), and reads the answer (its Content-Length says where it ends).
 */
function raw(url: string, head: string[], body: Buffer | string = '', o: { keepOpen?: boolean } = {}): Promise<RawAnswer> {
  const { port } = new URL(url)
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1')
    let got = Buffer.alloc(0)
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error('no answer in 5 s'))
    }, 5000)
    const tryParse = () => {
      const end = got.indexOf('\r\n\r\n')
      if (end === -1) return
      const lines = got.subarray(0, end).toString('latin1').split('\r\n')
      const headers: Record<string, string> = {}
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':')
        headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim()
      }
      const length = Number(headers['content-length'] ?? NaN)
      if (!Number.isFinite(length) || got.length < end + 4 + length) return
      clearTimeout(timer)
      socket.destroy()
      resolve({
        status: Number(lines[0]!.split(' ')[1]),
        headers,
        body: got.subarray(end + 4, end + 4 + length).toString('utf8'),
        ms: Date.now() - started,
      })
    }
    socket.on('data', (d) => {
      got = Buffer.concat([got, d])
      tryParse()
    })
    // The server may close while we are still sending: what it answered first is what counts.
    socket.on('error', () => tryParse())
    socket.on('connect', () => {
      socket.write(`${head.join('\r\n')}\r\n\r\n`)
      if (body.length > 0) socket.write(body)
      if (!o.keepOpen) socket.end()
    })
  })
}

const hostHeader = 'Host: 127.0.0.1'
/** A JSON body as chunks (no Content-Length), `size` bytes or more, the last chunk and all. */
const chunked = (text: string) => {
  const parts: string[] = []
  for (let i = 0; i < text.length; i += 16 * 1024) {
    const c = text.slice(i, i + 16 * 1024)
    parts.push(`${Buffer.byteLength(c).toString(16)}\r\n${c}\r\n`)
  }
  return `${parts.join('')}0\r\n\r\n`
}
const json = (r: RawAnswer) => JSON.parse(r.body) as { ok: boolean; code?: string; message?: string }

const count = (h: RunningHost, table: string) =>
  ((h.deps.store as ReturnType<typeof openSqlite>).db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n

describe('host body limits: 413 before the body is read', () => {
  it('POST /api: a declared length over 256 KB is refused at once; a chunked one as soon as it passes; nothing is written', async () => {
    host = await startHost()
    const token = await host.signIn(DEMO_PEOPLE.zhao)
    const orders = count(host, 'orders')
    // Declared and never sent: the answer cannot have waited for the body.
    const declared = await raw(host.url, ['POST /api HTTP/1.1', hostHeader, `Content-Length: ${MAX_API_BODY + 1}`, 'Content-Type: application/json'], '', { keepOpen: true })
    expect(declared.status).toBe(413)
    expect(declared.headers.connection).toBe('close')
    expect(json(declared)).toEqual({ ok: false, code: 'REQUEST.MALFORMED', message: '请求内容太大' })
    // A real order with 300 KB of notes, chunked.
    const order = JSON.stringify({ action: 'order.place', input: { requestId: rid(), kind: 'garbage', notes: 'x'.repeat(300 * 1024) } })
    const big = await raw(host.url, ['POST /api HTTP/1.1', hostHeader, `Authorization: Bearer ${token}`, 'Transfer-Encoding: chunked'], chunked(order))
    expect(big.status).toBe(413)
    expect(json(big).code).toBe('REQUEST.MALFORMED')
    expect(count(host, 'orders')).toBe(orders)
    // Under the limit, the same path works (200 KB of JSON reaches the dispatcher, which validates it).
    const fine = await host.api(token, 'order.place', { requestId: rid(), kind: 'garbage', notes: 'x'.repeat(200 * 1024) })
    expect(fine).toMatchObject({ ok: false, code: 'REQUEST.INVALID_INPUT' })
    expect(await host.api(token, 'order.place', { requestId: rid(), kind: 'garbage' })).toMatchObject({ ok: true })
    expect(count(host, 'orders')).toBe(orders + 1)
  })

  it('POST /api/dev/sign-in: over 256 KB is 413 and no one is created', async () => {
    host = await startHost()
    const people = count(host, 'people')
    const declared = await raw(host.url, ['POST /api/dev/sign-in HTTP/1.1', hostHeader, `Content-Length: ${MAX_API_BODY + 1}`], '', { keepOpen: true })
    expect(declared.status).toBe(413)
    expect(json(declared).code).toBe('REQUEST.MALFORMED')
    const body = JSON.stringify({ name: '新人', pad: 'y'.repeat(MAX_API_BODY) })
    const big = await raw(host.url, ['POST /api/dev/sign-in HTTP/1.1', hostHeader, 'Transfer-Encoding: chunked'], chunked(body))
    expect(big.status).toBe(413)
    expect(count(host, 'people')).toBe(people)
    // A normal sign-in by name still creates the person.
    const ok = await fetch(`${host.url}/api/dev/sign-in`, { method: 'POST', body: JSON.stringify({ name: '新人' }) })
    expect(ok.status).toBe(200)
    expect(count(host, 'people')).toBe(people + 1)
  })

  it('a client that sends the whole of a refused declared body still reads the 413, every time', async () => {
    host = await startHost()
    const token = await host.signIn(DEMO_PEOPLE.yuhong)
    // fetch sends the body right behind the headers and fails the whole call if the connection is
    // reset under it: the host reads and drops the body before it closes (body-limit.ts, linger).
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${host.url}/api/upload`, {
        method: 'POST',
        headers: { 'content-type': 'image/png', authorization: `Bearer ${token}` },
        body: new Uint8Array(MAX_PHOTO_BYTES + 1024 * 1024),
      })
      expect(res.status).toBe(413)
      expect(res.headers.get('connection')).toBe('close')
      expect(((await res.json()) as { code: string }).code).toBe('UPLOAD.TOO_LARGE')
    }
    const dir = join(host.dataDir, 'uploads')
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([])
  })

  it('POST /api/upload: over 2 MB is 413 UPLOAD.TOO_LARGE, declared or streamed, and nothing is stored', async () => {
    host = await startHost()
    const token = await host.signIn(DEMO_PEOPLE.yuhong)
    const auth = `Authorization: Bearer ${token}`
    const declared = await raw(host.url, ['POST /api/upload HTTP/1.1', hostHeader, auth, `Content-Length: ${MAX_PHOTO_BYTES + 1}`], '', { keepOpen: true })
    expect(declared.status).toBe(413)
    expect(json(declared).code).toBe('UPLOAD.TOO_LARGE')
    const png = Buffer.alloc(MAX_PHOTO_BYTES + 64 * 1024, 1)
    png.write('\x89PNG\r\n\x1a\n', 'latin1')
    const frames: Buffer[] = []
    for (let i = 0; i < png.length; i += 64 * 1024) {
      const c = png.subarray(i, i + 64 * 1024)
      frames.push(Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n'))
    }
    frames.push(Buffer.from('0\r\n\r\n'))
    const streamed = await raw(host.url, ['POST /api/upload HTTP/1.1', hostHeader, auth, 'Transfer-Encoding: chunked'], Buffer.concat(frames))
    expect(streamed.status).toBe(413)
    expect(json(streamed).code).toBe('UPLOAD.TOO_LARGE')
    const dir = join(host.dataDir, 'uploads')
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([])
  })

  it('POST /dev/robot/<name>: over 64 KB is 413 and the group keeps nothing; a normal post is kept', async () => {
    host = await startHost({ notify: true })
    const post = JSON.stringify({ msgtype: 'text', text: { content: '通'.repeat(MAX_ROBOT_BODY) } })
    const big = await raw(host.url, ['POST /dev/robot/limit-test HTTP/1.1', hostHeader, 'Content-Type: application/json', 'Transfer-Encoding: chunked'], chunked(post))
    expect(big.status).toBe(413)
    expect(json(big).code).toBe('REQUEST.MALFORMED')
    const declared = await raw(host.url, ['POST /dev/robot/limit-test HTTP/1.1', hostHeader, `Content-Length: ${MAX_ROBOT_BODY + 1}`], '', { keepOpen: true })
    expect(declared.status).toBe(413)
    const log = async () =>
      ((await (await fetch(`${host!.url}/api/dev/robot-log`)).json()) as { data: { groups: { name: string; messages: unknown[] }[] } }).data.groups.find(
        (g) => g.name === 'limit-test',
      )
    expect(await log()).toBeUndefined()
    const ok = await fetch(`${host.url}/dev/robot/limit-test`, { method: 'POST', body: JSON.stringify({ msgtype: 'text', text: { content: '测试' } }) })
    expect(await ok.json()).toEqual({ errcode: 0, errmsg: 'ok' })
    expect((await log())?.messages).toHaveLength(1)
    // /dev/groups shows when each group got it in Beijing time, not UTC.
    const page = await (await fetch(`${host.url}/dev/groups`)).text()
    const shown = /<time datetime="([^"]+)">(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) 北京时间<\/time>/.exec(page)
    expect(shown, page).toBeTruthy()
    expect(shown![2]).toBe(formatBeijing(Date.parse(shown![1]!), 'YYYY-MM-DD HH:mm:ss'))
    // UTC+8, to the second.
    const at = Date.parse(shown![1]!)
    expect(Math.floor((at + 8 * 3600_000) / 1000) * 1000).toBe(Date.parse(`${shown![2]!.replace(' ', 'T')}Z`))
  })

  it('a route that reads no body refuses a declared one over 256 KB too', async () => {
    host = await startHost()
    const r = await raw(host.url, ['GET /api/health HTTP/1.1', hostHeader, `Content-Length: ${MAX_API_BODY + 1}`], '', { keepOpen: true })
    expect(r.status).toBe(413)
    expect((await fetch(`${host.url}/api/health`)).status).toBe(200)
  })
})

describe('host URL and time limits', () => {
  it('a URL over 8 KB is 414 REQUEST.URL_TOO_LONG on any route; 8 KB of query is fine', async () => {
    host = await startHost()
    const token = await host.signIn(DEMO_PEOPLE.zhao)
    const long = `/api/health?q=${'a'.repeat(MAX_URL_BYTES)}`
    const r = await fetch(host.url + long)
    expect(r.status).toBe(414)
    expect(await r.json()).toEqual({ ok: false, code: 'REQUEST.URL_TOO_LONG', message: '请求地址太长' })
    const orders = count(host, 'orders')
    const api = await fetch(`${host.url}/api?${'b'.repeat(MAX_URL_BYTES)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ action: 'order.place', input: { requestId: rid(), kind: 'garbage' } }),
    })
    expect(api.status).toBe(414)
    expect(count(host, 'orders')).toBe(orders)
    const atLimit = `/api/health?q=${'a'.repeat(MAX_URL_BYTES - '/api/health?q='.length)}`
    expect((await fetch(host.url + atLimit)).status).toBe(200)
    expect((await fetch(`${host.url}/api/live?token=${'c'.repeat(MAX_URL_BYTES)}`)).status).toBe(414)
  })

  it('a body that does not arrive in time is answered 408 REQUEST.TIMEOUT and nothing is written', async () => {
    host = await startHost({ bodyTimeoutMs: 300 })
    const token = await host.signIn(DEMO_PEOPLE.zhao)
    const orders = count(host, 'orders')
    const body = JSON.stringify({ action: 'order.place', input: { requestId: rid(), kind: 'garbage' } })
    const r = await raw(
      host.url,
      ['POST /api HTTP/1.1', hostHeader, `Authorization: Bearer ${token}`, `Content-Length: ${Buffer.byteLength(body)}`],
      body.slice(0, 20),
      { keepOpen: true },
    )
    expect(r.status).toBe(408)
    expect(r.ms).toBeGreaterThanOrEqual(290)
    expect(json(r)).toEqual({ ok: false, code: 'REQUEST.TIMEOUT', message: '请求超时，请检查网络后再试' })
    const up = await raw(
      host.url,
      ['POST /api/upload HTTP/1.1', hostHeader, `Authorization: Bearer ${token}`, 'Content-Length: 1000'],
      '\x89PNG',
      { keepOpen: true },
    )
    expect(up.status).toBe(408)
    expect(count(host, 'orders')).toBe(orders)
    // The whole body in time: placed.
    expect(await host.api(token, 'order.place', { requestId: rid(), kind: 'garbage' })).toMatchObject({ ok: true })
  })
})
