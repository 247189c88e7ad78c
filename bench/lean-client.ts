/**
 * The HTTP benches' client: keep-alive HTTP/1.1 over plain sockets, one request at a time per
 * socket, written as one string and read back by its Content-Length.
 *
 * Why not node:http's Agent: the bench client shares the host's two cores, and node:http builds a
 * ClientRequest, an IncomingMessage, header objects and buffer chunks for every call. At 2,000
 * requests a second that was a third of a core and a garbage-collected heap that grew until a
 * major collection paused the client for 7–10 ms (with helper threads on the second core) about
 * every 4 s: the requests due in that pause were sent late and counted as the host's latency, 100
 * to 270 of them a time (BENCHMARKS.md, "Morning rush over HTTP", item 19). The host is the real
 * thing either way: it parses real HTTP from real sockets.
 *
 * Only what the host answers on POST /api is understood: a status line, headers with a
 * Content-Length, a body. Anything else (chunked, no length) is an error, so the bench cannot
 * misread an answer silently.
 */
import { connect, type Socket } from 'node:net'

export interface Reply {
  ok: boolean
  code?: string
  data?: unknown
}

interface Pending {
  resolve: (r: { reply: Reply; ms: number }) => void
  reject: (e: Error) => void
  t0: number
}

const HEADER_END = Buffer.from('\r\n\r\n')

class Conn {
  readonly socket: Socket
  pending: Pending | null = null
  private buf: Buffer | null = null
  /** Body length once the head is read; -1 while reading the head. */
  private need = -1
  private bodyAt = 0
  private closeAfter = false
  dead = false

  constructor(host: string, port: number, private readonly release: (c: Conn) => void) {
    this.socket = connect({ host, port, noDelay: true })
    this.socket.on('data', (d: Buffer) => this.onData(d))
    const fail = (e: Error) => {
      this.dead = true
      const p = this.pending
      this.pending = null
      p?.reject(e)
    }
    this.socket.on('error', fail)
    this.socket.on('close', () => fail(Object.assign(new Error('socket closed'), { code: 'ECONNRESET' })))
  }

  send(head: string, body: string, p: Pending): void {
    this.pending = p
    this.socket.write(head + body)
  }

  private onData(d: Buffer): void {
    this.buf = this.buf ? Buffer.concat([this.buf, d]) : d
    const buf = this.buf
    if (this.need < 0) {
      const end = buf.indexOf(HEADER_END)
      if (end < 0) return
      const head = buf.toString('latin1', 0, end).toLowerCase()
      const m = /\r\ncontent-length:\s*(\d+)/.exec(head)
      if (!m) return this.protocolError('answer without content-length')
      this.need = Number(m[1])
      this.bodyAt = end + 4
      this.closeAfter = /\r\nconnection:\s*close/.test(head)
    }
    if (buf.length < this.bodyAt + this.need) return
    if (buf.length > this.bodyAt + this.need) return this.protocolError('bytes after the answer')
    const text = buf.toString('utf8', this.bodyAt, this.bodyAt + this.need)
    this.buf = null
    this.need = -1
    const p = this.pending
    this.pending = null
    if (!p) return this.protocolError('answer without a request')
    const ms = performance.now() - p.t0
    let reply: Reply
    try {
      reply = JSON.parse(text) as Reply
    } catch (e) {
      p.reject(e instanceof Error ? e : new Error(String(e)))
      return
    }
    if (this.closeAfter) {
      this.dead = true
      this.socket.end()
    } else this.release(this)
    p.resolve({ reply, ms })
  }

  private protocolError(what: string): void {
    this.dead = true
    const p = this.pending
    this.pending = null
    this.socket.destroy()
    p?.reject(new Error(`bench client: ${what}`))
  }
}

/** POST /api over keep-alive sockets (at most `sockets` open); resolves with the envelope and the round trip in ms. */
export function makeClient(url: string, sockets: number) {
  const { hostname, port } = new URL(url)
  const p = Number(port)
  const prefix = `POST /api HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n`
  const idle: Conn[] = []
  const all = new Set<Conn>()
  const waiting: Array<(c: Conn) => void> = []
  const release = (c: Conn) => {
    const next = waiting.shift()
    if (next) next(c)
    else idle.push(c)
  }
  const acquire = (): Conn | Promise<Conn> => {
    while (idle.length > 0) {
      const c = idle.pop()!
      if (!c.dead) return c
      all.delete(c)
    }
    for (const c of all) if (c.dead) all.delete(c)
    if (all.size < sockets) {
      const c = new Conn(hostname, p, release)
      all.add(c)
      return c
    }
    return new Promise((resolve) => waiting.push(resolve))
  }
  const call = async (token: string, action: string, input: unknown): Promise<{ reply: Reply; ms: number }> => {
    const body = JSON.stringify({ action, input })
    const got = acquire()
    const c = got instanceof Conn ? got : await got
    return new Promise((resolve, reject) => {
      const head = `${prefix}Authorization: Bearer ${token}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`
      c.send(head, body, { resolve, reject, t0: performance.now() })
    })
  }
  return {
    call,
    close: () => {
      for (const c of all) c.socket.destroy()
      all.clear()
      idle.length = 0
    },
  }
}
