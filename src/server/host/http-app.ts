/**
 * The local host's HTTP surface: POST /api runs the same dispatcher as the cloud function,
 * /api/dev/* is the dev sign-in (local host only), everything else serves the H5 build.
 *
 * Dev sign-in: GET /api/dev/people lists the demo people (when the demo community is there);
 * POST /api/dev/sign-in takes `{ personId }` of a person the store knows, or `{ name }` alone to
 * sign in a NEW person under that name. It is on when the host listens on loopback, or with
 * ZJ_DEV_SIGNIN=1 (devSignInMode); off, all three answer 404 AUTH.DEV_SIGN_IN_OFF.
 */
import { randomBytes } from 'node:crypto'
import { createReadStream, existsSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import * as v from 'valibot'
import { DevSignInInput, fieldErrors } from '../../core/schemas'
import { dispatch, type Caller } from '../api/dispatch'
import type { Deps } from '../deps'
import type { Person } from '../ports'
import { DEMO_COMMUNITY_ID, demoCards } from '../seed/demo'
import type { LiveEndpoint } from './live-sse'
import type { PhotoRoutes } from './photos'
import type { ExportRoutes } from './exports'
import { bearerToken, errorJson, sendError, sendJson, sendJsonText } from './http-reply'
import { ANSWERED, isBodyFailure, pathOf, readApiBody, readJsonBody, refuseBody, refuseOversized } from './body-limit'
import { sessionVerifier, signSession } from './session'
import type { GroupCommit } from '../adapters/sqlite-group-commit'

export interface HostOptions {
  deps: Deps
  secret: Buffer
  /** The H5 build output (dist/h5). */
  staticDir: string
  /** Local-host extras (the robot webhook sink, /dev/groups); answers true when it handled the request. */
  devRoutes?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>
  /** GET /api/live (order changes as Server-Sent Events, live-sse.ts); absent → 404. */
  live?: LiveEndpoint
  /** POST /api/upload, GET /api/photo (photos.ts); absent → 404. */
  photos?: PhotoRoutes
  /** GET /api/export (exports.ts): the ledger's files behind signed links; absent → 404. */
  exports?: ExportRoutes
  /** The dev sign-in routes (/api/dev/people, /api/dev/sign-in); default on. See devSignInMode. */
  devSignIn?: boolean
  /** A request body must arrive whole within this (default BODY_TIMEOUT_MS, 30 s); else 408. */
  bodyTimeoutMs?: number
  /**
   * The store's group commit (adapters/sqlite-group-commit.ts): an api call's writes join the
   * event-loop turn's transaction and every answer waits for its COMMIT. Absent: each write commits alone.
   */
  commits?: GroupCommit
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host)
}

/** Whether the dev sign-in is on for this HOST and environment, and the line the host logs at start. */
export function devSignInMode(host: string, env: Record<string, string | undefined>): { on: boolean; line: string } {
  if (isLoopback(host)) return { on: true, line: 'dev sign-in: on (loopback)' }
  if (env.ZJ_DEV_SIGNIN === '1') return { on: true, line: 'dev sign-in: on (ZJ_DEV_SIGNIN=1)' }
  return { on: false, line: 'dev sign-in: off (HOST is not loopback; set ZJ_DEV_SIGNIN=1 to enable)' }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
}

/** The host's request handler, and its POST /api answerer (for the HTTP thread: api-thread.ts serveHost). */
export type HostHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<void>) & { answer: ApiAnswerFn }

export function createHandler(opts: HostOptions): HostHandler {
  const { deps, secret } = opts
  const answer = apiAnswerer(deps, secret, opts.commits)
  /** POST /api: the session says who calls, the dispatcher answers, the answer waits for its COMMIT. */
  const api = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readApiBody(req, res, opts.bodyTimeoutMs)
    if (body === ANSWERED) return
    const a = await answer(bearerToken(req), body)
    sendJsonText(res, a.status, a.json)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Size limits first, before any route reads a byte (body-limit.ts): 414 for the URL, 413 for a
    // declared body over the route's limit.
    const pathname = pathOf(req.url)
    if (refuseOversized(req, res, pathname)) return
    const isApiCall = pathname === '/api' && req.method === 'POST'
    // Other routes write too (sign-in, uploads, the robot sink) and may land in an open batch:
    // their answers also wait for its COMMIT.
    if (opts.commits && !isApiCall) endAfterCommit(res, opts.commits)
    // The api first: nearly every request is one, and no other route answers POST /api.
    if (isApiCall) return api(req, res)
    const url = new URL(req.url ?? '/', 'http://host')
    const readJson = () => readJsonBody(req, opts.bodyTimeoutMs)
    try {
      if (opts.devRoutes && (await opts.devRoutes(req, res, url))) return
      if (opts.photos && (await opts.photos.handle(req, res, url))) return
      if (opts.exports && (await opts.exports.handle(req, res, url))) return
      if (url.pathname.startsWith('/api/dev/') && opts.devSignIn === false) {
        return sendError(res, 404, 'AUTH.DEV_SIGN_IN_OFF')
      }
      if (url.pathname === '/api/dev/people' && req.method === 'GET') {
        // The demo cards only where the demo community is; a new person signs in by name either way.
        const demo = await deps.store.communities.get(DEMO_COMMUNITY_ID)
        return sendJson(res, 200, { ok: true, data: { people: demo ? demoCards() : [] } })
      }
      if (url.pathname === '/api/dev/sign-in' && req.method === 'POST') {
        const body = await readJson()
        if (isBodyFailure(body)) return refuseBody(res, url.pathname, body)
        const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
        if (fields.personId !== undefined) {
          // A person the store knows (the demo people, or anyone who signed in by name before).
          const known = typeof fields.personId === 'string' && fields.personId ? await deps.store.people.get(fields.personId) : null
          if (!known) return sendError(res, 200, 'AUTH.UNKNOWN_PERSON', '未找到该用户')
          deps.log.info('dev.sign-in', { person: known.id })
          return sendJson(res, 200, { ok: true, data: { ...signSession(secret, known.id, deps.now()), personId: known.id } })
        }
        const parsed = v.safeParse(DevSignInInput, { name: fields.name })
        if (!parsed.success) {
          const errors = fieldErrors(parsed.issues)
          return sendJson(res, 400, {
            ok: false,
            code: 'REQUEST.INVALID_INPUT',
            message: Object.values(errors)[0] ?? '请填写称呼',
            fields: errors,
          })
        }
        // A new person: the host gives them an id; the name is theirs to keep.
        const person: Person = {
          id: `p-${randomBytes(8).toString('hex')}`,
          name: parsed.output.name,
          phone: '',
          households: [],
          squadOf: null,
          coordinatorOf: null,
          createdAt: deps.now(),
        }
        await deps.store.people.put(person)
        deps.log.info('dev.sign-in', { person: person.id, new: true })
        return sendJson(res, 200, { ok: true, data: { ...signSession(secret, person.id, deps.now()), personId: person.id } })
      }
      if (url.pathname === '/api/live' && req.method === 'GET' && opts.live) return await opts.live.handle(req, res, url)
      if (url.pathname === '/api/health') return sendJson(res, 200, { ok: true, data: { up: true } })
      if (url.pathname.startsWith('/api')) return sendError(res, 404, 'REQUEST.UNKNOWN_ACTION', '不支持的操作')
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end()
        return
      }
      return serveStatic(opts.staticDir, url.pathname, res)
    } catch (e) {
      deps.log.error('host.internal', { path: url.pathname, error: e instanceof Error ? e.name : 'unknown' })
      if (!res.headersSent) sendError(res, 500, 'INTERNAL')
    }
  }
  return Object.assign(handle, { answer })
}

/** An api answer as the HTTP layer writes it: the status and the envelope's JSON text. */
export interface ApiAnswer {
  status: number
  json: string
}

/**
 * The api's answer to a session token and a body: the session says who calls (checked here, on the
 * store's clock), the dispatcher answers, and the envelope comes back once every write made before
 * it is committed (group commit); 500 INTERNAL if that COMMIT failed (never answered "ok") or the
 * call threw. Never rejects. One per host (createHandler's `answer`): POST /api here and the HTTP
 * thread (api-thread.ts) share it.
 */
export type ApiAnswerFn = (token: string | undefined, body: unknown) => Promise<ApiAnswer>

function apiAnswerer(deps: Deps, secret: Buffer, commits: GroupCommit | undefined): ApiAnswerFn {
  const verify = sessionVerifier(secret)
  const internal: ApiAnswer = { status: 500, json: errorJson('INTERNAL') }
  return async (token, body) => {
    try {
      const v = verify(token, deps.now())
      const caller: Caller = 'sub' in v ? { id: v.sub } : v
      commits?.join()
      const result = await dispatch(deps, caller, body)
      if (commits) {
        try {
          await commits.settled()
        } catch (e) {
          deps.log.error('host.commit_failed', { error: e instanceof Error ? e.name : 'unknown' })
          return internal
        }
      }
      return { status: 200, json: JSON.stringify(result) }
    } catch (e) {
      deps.log.error('host.internal', { path: '/api', error: e instanceof Error ? e.name : 'unknown' })
      return internal
    }
  }
}

/** Holds `res.end` until the writes made so far are committed; a failed COMMIT drops the connection unanswered. */
function endAfterCommit(res: ServerResponse, commits: GroupCommit): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse
  res.end = ((...args: unknown[]) => {
    commits.settled().then(
      () => end(...args),
      () => res.destroy(),
    )
    return res
  }) as unknown as ServerResponse['end']
}

function serveStatic(root: string, pathname: string, res: ServerResponse): void {
  let rel: string
  try {
    rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '')
  } catch {
    res.writeHead(400).end()
    return
  }
  let file = join(root, rel)
  if (!file.startsWith(root + sep) && file !== root) {
    res.writeHead(403).end()
    return
  }
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html')
  if (!existsSync(file)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('H5 页面还没有构建好 (run npm run build:h5)')
    return
  }
  const isHtml = file.endsWith('.html')
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': isHtml ? 'no-cache' : 'public, max-age=31536000, immutable',
  })
  createReadStream(file).pipe(res)
}
