/**
 * The HTTP side of the local host, run on its own thread (api-thread.ts starts it): it owns the
 * listening socket, reads every POST /api (size, time, JSON) and hands the main thread only the
 * session token and the body; the main thread checks the session, runs the dispatcher and sends
 * back the envelope's JSON once its writes are committed, and this thread writes it out. Every
 * other request (the H5 files, the live stream, photos, exports, the dev routes) is passed through
 * to the host's own server on a loopback port.
 *
 * Nothing here decides anything: who calls and what happens is decided on the main thread, by
 * the same code (http-app.ts apiAnswerer) as when the host runs on one thread.
 */
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { MessagePort } from 'node:worker_threads'
import { ANSWERED, bodyLimitFor, isBodyFailure, pathOf, readApiBody, readBody, refuseBody, refuseOversized, serverTimeouts } from './body-limit'
import { bearerToken, sendError, sendJsonText } from './http-reply'
import { InFlight } from './in-flight'

export interface FrontData {
  port: number
  host: string
  /** The host's own server, on 127.0.0.1. */
  backendPort: number
  bodyTimeoutMs?: number
}

/** Thread → main: a call to answer. */
export interface CallMessage {
  t: 'call'
  id: number
  /** The Bearer token as sent (checked on the main thread). */
  token: string | undefined
  body: unknown
}
/** Main → thread: the answers, in any order. */
export interface AnswerMessage {
  t: 'answers'
  answers: Array<[id: number, status: number, json: string]>
}
export type FrontEvent = CallMessage | { t: 'listening'; port: number } | { t: 'failed'; reason: string } | { t: 'stopped' }

export function runApiFront(data: FrontData, port: MessagePort): void {
  const waiting = new InFlight<ServerResponse>()
  // Kept-alive loopback connections to the host's server (Node's agent drops an idle one before
  // the server's keep-alive timeout, which the server announces).
  const agent = new Agent({ keepAlive: true })

  port.on('message', (m: AnswerMessage | { t: 'stop' }) => {
    if (m.t === 'answers') {
      for (const [id, status, json] of m.answers) {
        const res = waiting.take(id)
        if (res) sendJsonText(res, status, json)
      }
    } else if (m.t === 'stop') {
      server.closeAllConnections()
      agent.destroy()
      server.close(() => port.postMessage({ t: 'stopped' } satisfies FrontEvent))
    }
  })

  /**
   * Everything but POST /api, to the host's own server; its answer back as it comes (the live
   * stream too). The body is read here first, under the route's own limits (body-limit.ts, the
   * same 413 and 408 the server gives), and sent on whole: the server never answers a half-sent
   * request, so no answer races the rest of its body.
   */
  const passThrough = async (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    const body = await readBody(req, bodyLimitFor(pathname), data.bodyTimeoutMs)
    if (isBodyFailure(body)) return refuseBody(res, pathname, body)
    const headers = endToEnd(req.headers)
    delete headers['transfer-encoding']
    if (body.length > 0 || headers['content-length'] !== undefined) headers['content-length'] = String(body.length)
    let answered = false
    const up = request({ host: '127.0.0.1', port: data.backendPort, method: req.method, path: req.url, headers, agent }, (r) => {
      const back = endToEnd(r.headers)
      // The server ends the connection after this answer: so does this side.
      if (/\bclose\b/i.test(String(r.headers.connection ?? ''))) back.connection = 'close'
      res.writeHead(r.statusCode ?? 502, back)
      r.on('end', () => (answered = true))
      r.pipe(res)
    })
    up.on('error', () => {
      if (!res.headersSent) sendError(res, 502, 'INTERNAL')
      else if (!answered) res.destroy()
    })
    // A client that leaves (a closed live stream) closes the request behind it.
    res.on('close', () => {
      if (!res.writableFinished) up.destroy()
    })
    up.end(body)
  }

  const server = createServer((req, res) => {
    const pathname = pathOf(req.url)
    if (refuseOversized(req, res, pathname)) return
    if (pathname !== '/api' || req.method !== 'POST') return void passThrough(req, res, pathname)
    void readApiBody(req, res, data.bodyTimeoutMs).then((body) => {
      if (body === ANSWERED) return
      const id = waiting.add(res)
      // A client that leaves before its answer: the call still runs (and commits); nothing to write.
      res.on('close', () => waiting.drop(id))
      port.postMessage({ t: 'call', id, token: bearerToken(req), body } satisfies CallMessage)
    })
  })
  serverTimeouts(server)
  server.on('error', (e) => port.postMessage({ t: 'failed', reason: e.message } satisfies FrontEvent))
  server.listen(data.port, data.host, () => {
    const a = server.address()
    port.postMessage({ t: 'listening', port: typeof a === 'object' && a ? a.port : data.port } satisfies FrontEvent)
  })
}

/** Headers without the hop-by-hop ones (RFC 9110 7.6.1): each side of the pass-through keeps its own connection. */
function endToEnd(h: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {}
  for (const [k, v] of Object.entries(h)) if (!HOP_BY_HOP.has(k)) out[k] = v
  return out
}
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade'])
