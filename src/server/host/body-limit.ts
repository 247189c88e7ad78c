/**
 * Request size and time limits shared by every route of the local host:
 *
 * | what                         | limit                 | answer                                   |
 * |------------------------------|-----------------------|------------------------------------------|
 * | URL (path + query)           | 8 KB                  | 414 REQUEST.URL_TOO_LONG                 |
 * | POST /api, /api/dev/sign-in  | 256 KB                | 413 REQUEST.MALFORMED '请求内容太大'      |
 * | POST /api/upload (photos)    | 2 MB (MAX_PHOTO_BYTES) | 413 UPLOAD.TOO_LARGE                    |
 * | POST /dev/robot/<name>       | 64 KB                 | 413 REQUEST.MALFORMED '请求内容太大'      |
 * | any other route              | 256 KB declared       | 413 REQUEST.MALFORMED '请求内容太大'      |
 * | a body not in within         | 30 s (bodyTimeoutMs)  | 408 REQUEST.TIMEOUT                      |
 * | headers / whole request      | 20 s / 60 s (Node)    | 408 from Node itself (serverTimeouts)    |
 *
 * A declared Content-Length over the limit is refused before a byte of the body is read; a body
 * without one (chunked) is read with a running cap and refused as soon as it passes it. Either way the
 * answer says `Connection: close`, so the rest of the body is never used. It is still read and dropped,
 * up to LINGER_BYTES or LINGER_MS, before the connection closes: most clients send the body right
 * behind the headers without waiting, and a connection closed under a client still sending is reset
 * before it reads the 413.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { MAX_PHOTO_BYTES } from '../../core/photo'
import { sendError } from './http-reply'

export const MAX_URL_BYTES = 8 * 1024
export const MAX_API_BODY = 256 * 1024
export const MAX_ROBOT_BODY = 64 * 1024
export const BODY_TIMEOUT_MS = 30_000
const LINGER_BYTES = 8 * 1024 * 1024
const LINGER_MS = 2_000

/** The body limit of the route a request is for. */
export function bodyLimitFor(pathname: string): number {
  if (pathname === '/api/upload') return MAX_PHOTO_BYTES
  if (pathname.startsWith('/dev/robot/')) return MAX_ROBOT_BODY
  return MAX_API_BODY
}

/** The refusal for a body over the route's limit (the rest of the body is then read and dropped: lingerAfter). */
export function tooLarge(res: ServerResponse, pathname: string): void {
  lingerAfter(res.req, res)
  res.setHeader('connection', 'close')
  if (pathname === '/api/upload') return sendError(res, 413, 'UPLOAD.TOO_LARGE')
  sendError(res, 413, 'REQUEST.MALFORMED', '请求内容太大')
}

/** Content-Length as declared, or null (none, or not a number). */
export function declaredLength(req: IncomingMessage): number | null {
  const raw = req.headers['content-length']
  if (raw === undefined) return null
  const n = Number(raw)
  return Number.isFinite(n) && n >= 0 ? n : null
}

/**
 * What every request passes first: the URL and the declared body size. Answers and returns true when
 * it refused the request.
 */
export function refuseOversized(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
  if (Buffer.byteLength(req.url ?? '') > MAX_URL_BYTES) {
    res.setHeader('connection', 'close')
    sendError(res, 414, 'REQUEST.URL_TOO_LONG')
    return true
  }
  const declared = declaredLength(req)
  if (declared !== null && declared > bodyLimitFor(pathname)) {
    tooLarge(res, pathname)
    return true
  }
  return false
}

/**
 * The answer is written at once; the connection closes once the client has sent its body (read
 * and dropped), or after LINGER_BYTES or LINGER_MS, whichever comes first.
 */
function lingerAfter(req: IncomingMessage, res: ServerResponse): void {
  const end = res.end.bind(res) as () => ServerResponse
  res.end = ((chunk?: unknown) => {
    if (chunk !== undefined && typeof chunk !== 'function') res.write(chunk as Buffer)
    let seen = 0
    let done = false
    const finish = () => {
      if (done) return
      done = true
      clearTimeout(timer)
      req.off('data', onData)
      end()
    }
    const onData = (c: Buffer) => {
      seen += c.length
      if (seen > LINGER_BYTES) finish()
    }
    const timer = setTimeout(finish, LINGER_MS)
    req.on('data', onData)
    req.once('end', finish)
    req.once('error', finish)
    res.once('close', finish)
    req.resume()
    return res
  }) as ServerResponse['end']
}

export type BodyFailure = { readonly error: 'too-large' | 'timeout' }

/** The two failures, as unique objects: a parsed body can never be mistaken for one. */
const TOO_LARGE_BODY: BodyFailure = Object.freeze({ error: 'too-large' })
const BODY_TIMED_OUT: BodyFailure = Object.freeze({ error: 'timeout' })

export const isBodyFailure = (x: unknown): x is BodyFailure => x === TOO_LARGE_BODY || x === BODY_TIMED_OUT

/**
 * Reads the whole body, at most `max` bytes, within `timeoutMs`. Stops reading as soon as either
 * is passed (the caller answers 413 / 408 and the connection closes).
 */
export async function readBody(req: IncomingMessage, max: number, timeoutMs: number = BODY_TIMEOUT_MS): Promise<Buffer | BodyFailure> {
  const declared = declaredLength(req)
  if (declared !== null && declared > max) return TOO_LARGE_BODY
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const done = (r: Buffer | BodyFailure) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      if (!Buffer.isBuffer(r)) req.pause()
      resolve(r)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > max) return done(TOO_LARGE_BODY)
      chunks.push(chunk)
    }
    const onEnd = () => done(Buffer.concat(chunks))
    // A client that goes away mid-body: nothing to answer; treated as a timeout (nothing is written).
    const onError = () => done(BODY_TIMED_OUT)
    const timer = setTimeout(() => done(BODY_TIMED_OUT), timeoutMs)
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
  })
}

/** Answers a body that failed to arrive whole: 413 or 408, connection closed. */
export function refuseBody(res: ServerResponse, pathname: string, f: BodyFailure): void {
  if (f.error === 'too-large') return tooLarge(res, pathname)
  res.setHeader('connection', 'close')
  sendError(res, 408, 'REQUEST.TIMEOUT')
}

/**
 * Node's own guards against slow clients: headers within 20 s, the whole request within 60 s (Node
 * answers 408 and closes), checked every `checkMs`. The SSE stream is unaffected (these time the
 * request, not the response).
 */
export function serverTimeouts(server: Server, o: { headersMs?: number; requestMs?: number } = {}): void {
  server.headersTimeout = o.headersMs ?? 20_000
  server.requestTimeout = o.requestMs ?? 60_000
}

/** Returned by readApiBody when it has already answered (the body was too large, too slow or not JSON). */
export const ANSWERED = Symbol('answered')

/** POST /api's JSON body, or ANSWERED after a 413, 408 or 400. */
export async function readApiBody(req: IncomingMessage, res: ServerResponse, timeoutMs: number | undefined): Promise<unknown> {
  const body = await readJsonBody(req, timeoutMs)
  if (isBodyFailure(body)) {
    refuseBody(res, '/api', body)
    return ANSWERED
  }
  if (body === MALFORMED) {
    sendError(res, 400, 'REQUEST.MALFORMED', '请求格式不正确')
    return ANSWERED
  }
  return body
}

const MALFORMED = Symbol('malformed')

/** The request's JSON body; a BodyFailure (too large, too slow), or MALFORMED. */
export async function readJsonBody(req: IncomingMessage, timeoutMs: number | undefined): Promise<unknown> {
  const body = await readBody(req, MAX_API_BODY, timeoutMs)
  if (!Buffer.isBuffer(body)) return body
  try {
    return JSON.parse(body.toString('utf8') || 'null')
  } catch {
    return MALFORMED
  }
}

/** The path of a raw request URL, without parsing a URL that may be refused as too long. */
export function pathOf(raw: string | undefined): string {
  const s = raw ?? '/'
  const q = s.indexOf('?')
  return q === -1 ? s : s.slice(0, q)
}
