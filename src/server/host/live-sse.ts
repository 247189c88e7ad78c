/**
 * GET /api/live on the local host: order changes as Server-Sent Events.
 *
 * Auth: the same signed session as POST /api, as `Authorization: Bearer <token>` or, for clients
 * that cannot set headers (EventSource), `?token=<token>`. The token is never logged. A missing,
 * forged or expired token gets 401 with the api's JSON envelope before any stream starts.
 *
 * Scope: the person is looked up from the store when the stream opens (like loadActor per call).
 * A squad member or coordinator hears every change in their community; a resident hears changes of
 * their own households' orders (live/bus.ts mayReceive mirrors canView). Optional narrowing:
 * `?communityId=c` or `?householdId=h` (repeatable); asking for something the person may not see
 * is 403. Roles are re-read when the stream is re-opened: streams end after `maxAgeMs` (10 min)
 * and the client reconnects, so a removed squad member stops hearing within that time.
 *
 * Wire format (text/event-stream):
 *   retry: 3000
 *   event: ready      data: {"heartbeatMs":15000}           (once, when subscribed)
 *   event: order      data: {"orderId","communityId","householdId","status","version"}
 *                      (householdId only for the household's residents and the coordinator)
 *   : ping                                                   (every heartbeatMs)
 *
 * Limits: at most `maxPerPerson` (5) open streams per person (429 beyond); a client that does not
 * read (over 256 KB buffered) is dropped and reconnects.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { loadActor } from '../actor'
import type { Deps } from '../deps'
import type { Actor } from '../../core/actor'
import {
  inScope,
  mayKnowHousehold,
  mayReceive,
  ORDER_CHANGE_KEYS,
  ORDER_CHANGE_KEYS_NO_HOUSEHOLD,
  type LiveScope,
  type OrderBus,
  type OrderChange,
} from '../live/bus'
import { bearerToken, sendError } from './http-reply'
import { verifySession } from './session'

export interface LiveOptions {
  deps: Deps
  secret: Buffer
  bus: OrderBus
  heartbeatMs?: number
  maxPerPerson?: number
  maxAgeMs?: number
}

export interface LiveEndpoint {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>
  /** Open streams (all people). */
  connections(): number
  /** Ends every stream (shutdown). */
  closeAll(): void
}

const MAX_BUFFERED = 256 * 1024
const MAX_HOUSEHOLD_PARAMS = 20

export function createLiveEndpoint(opts: LiveOptions): LiveEndpoint {
  const { deps, secret, bus } = opts
  const heartbeatMs = opts.heartbeatMs ?? 15_000
  const maxPerPerson = opts.maxPerPerson ?? 5
  const maxAgeMs = opts.maxAgeMs ?? 10 * 60_000
  const open = new Map<string, Set<ServerResponse>>()

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const token = bearerToken(req) ?? (url.searchParams.get('token') || undefined)
    const v = verifySession(secret, token, deps.now())
    if (!('sub' in v)) return sendError(res, 401, v.error)
    const actor = await loadActor(deps.store, v.sub)

    const scope = parseScope(url)
    if (scope === 'invalid') return sendError(res, 400, 'REQUEST.INVALID_INPUT')
    if (scope && !scopeAllowed(scope)) return sendError(res, 403, 'AUTH.FORBIDDEN')
    function scopeAllowed(s: Exclude<LiveScope, null>): boolean {
      if ('communityId' in s) return actor.squadOf === s.communityId || actor.coordinatorOf === s.communityId
      return s.householdIds.every((h) => actor.households.includes(h))
    }

    const mine = open.get(actor.id) ?? new Set<ServerResponse>()
    if (mine.size >= maxPerPerson) return sendError(res, 429, 'LIVE.TOO_MANY_STREAMS')
    mine.add(res)
    open.set(actor.id, mine)

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    req.socket.setNoDelay(true)
    req.socket.setKeepAlive(true)
    const opened = deps.now()

    const write = (chunk: string) => {
      if (res.writableEnded || res.destroyed) return
      res.write(chunk)
      if (res.writableLength > MAX_BUFFERED) {
        deps.log.info('live.drop', { person: actor.id, reason: 'slow-reader' })
        res.destroy()
      }
    }
    const unsubscribe = bus.subscribe(
      (e) => mayReceive(actor, e) && inScope(scope, e),
      (e) => write(`event: order\ndata: ${JSON.stringify(wireEvent(actor, e))}\n\n`),
    )
    const heartbeat = setInterval(() => write(': ping\n\n'), heartbeatMs)
    heartbeat.unref()
    const expire = setTimeout(() => res.end(), maxAgeMs)
    expire.unref()

    let closed = false
    const cleanup = () => {
      if (closed) return
      closed = true
      unsubscribe()
      clearInterval(heartbeat)
      clearTimeout(expire)
      mine.delete(res)
      if (mine.size === 0 && open.get(actor.id) === mine) open.delete(actor.id)
      deps.log.info('live.close', { person: actor.id, ms: deps.now() - opened })
    }
    // 'close' on the response: the client went away, we ended the stream, or the server shut down.
    // (Not req 'close': on Node ≥ 16 it fires once the request body is read, i.e. at once for a GET.)
    res.on('close', cleanup)

    write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ heartbeatMs })}\n\n`)
    deps.log.info('live.open', {
      person: actor.id,
      scope: !scope ? 'all' : 'communityId' in scope ? 'community' : 'households',
      streams: mine.size,
    })
  }

  return {
    handle,
    connections: () => [...open.values()].reduce((n, s) => n + s.size, 0),
    closeAll() {
      for (const set of open.values()) for (const res of [...set]) res.end()
    },
  }
}

/**
 * Only the allowed keys reach the wire, whatever a publisher put on the object; the household id
 * only for those who may know it (bus.ts mayKnowHousehold): a squad member's stream never has it.
 */
function wireEvent(actor: Actor, e: OrderChange): Partial<OrderChange> {
  const keys = mayKnowHousehold(actor, e) ? ORDER_CHANGE_KEYS : ORDER_CHANGE_KEYS_NO_HOUSEHOLD
  const out = {} as Record<string, unknown>
  for (const k of keys) out[k] = e[k]
  return out as Partial<OrderChange>
}

function parseScope(url: URL): LiveScope | 'invalid' {
  const communityId = url.searchParams.get('communityId')
  const householdIds = url.searchParams
    .getAll('householdId')
    .flatMap((h) => h.split(','))
    .map((h) => h.trim())
    .filter(Boolean)
  if (communityId && householdIds.length > 0) return 'invalid'
  if (householdIds.length > MAX_HOUSEHOLD_PARAMS) return 'invalid'
  if (communityId) return { communityId }
  if (householdIds.length > 0) return { householdIds }
  return null
}

