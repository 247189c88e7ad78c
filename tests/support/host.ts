/** Starts the real local host (HTTP server + SQLite file) on an ephemeral loopback port. */
import { mkdtempSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Result } from '../../src/core/contract'
import { openSqlite } from '../../src/server/adapters/sqlite'
import { groupCommit } from '../../src/server/adapters/sqlite-group-commit'
import type { Deps } from '../../src/server/deps'
import { createHandler } from '../../src/server/host/http-app'
import { serveHost } from '../../src/server/host/api-thread'
import { serverTimeouts } from '../../src/server/host/body-limit'
import { createPhotoRoutes } from '../../src/server/host/photos'
import { createExportRoutes } from '../../src/server/host/exports'
import { createLiveEndpoint, type LiveEndpoint, type LiveOptions } from '../../src/server/host/live-sse'
import { createOrderBus, type OrderBus } from '../../src/server/live/bus'
import { loadOrCreateSecret, signSession } from '../../src/server/host/session'
import { memoryLogger } from '../../src/server/log'
import { DEMO_COMMUNITY_ID, seedDemo } from '../../src/server/seed/demo'
import { createHostNotify, type HostNotify } from '../../src/server/host/notify-host'

export interface RunningHost {
  url: string
  dataDir: string
  deps: Deps
  log: ReturnType<typeof memoryLogger>
  /** Order changes (deps.events) and the GET /api/live endpoint that streams them. */
  bus: OrderBus
  live: LiveEndpoint
  stop(): Promise<void>
  signIn(personId: string): Promise<string>
  /** A session for any person id, signed with this host's secret (people the test created itself). */
  session(personId: string): string
  api<T = unknown>(token: string | null, action: string, input?: unknown): Promise<Result<T>>
}

export async function startHost(
  opts: {
    dataDir?: string
    staticDir?: string
    live?: Pick<LiveOptions, 'heartbeatMs' | 'maxPerPerson' | 'maxAgeMs'>
    /** Run the notification loop and the webhook sink (/dev/robot, /dev/groups) as `npm start` does. */
    notify?: boolean
    /** false: no demo community (ZJ_DEMO=0), an empty store. */
    demo?: boolean
    /** The one-time code community.setup accepts (what `ZJ_DEMO=0 npm start` makes and prints). */
    setupCode?: string
    /** The dev sign-in routes (default on, as on loopback); false as with a non-loopback HOST. */
    devSignIn?: boolean
    /** How long a request body may take to arrive (default 30 s, body-limit.ts). */
    bodyTimeoutMs?: number
    /** false: one thread, no HTTP thread in front (default: as ZJ_API_THREAD, on). */
    apiThread?: boolean
  } = {},
): Promise<RunningHost> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'zhaijia-host-'))
  const store = openSqlite({ file: join(dataDir, 'zhaijia.db') })
  // As main.ts: the api's writes share one transaction per event-loop turn (sqlite-group-commit.ts).
  const commits = groupCommit(store.db)
  const log = memoryLogger()
  const deps: Deps = { store, now: () => Date.now(), log, ...(opts.setupCode ? { setupCode: opts.setupCode } : {}) }
  if (opts.demo !== false) await seedDemo(store, deps.now())
  const secret = loadOrCreateSecret(join(dataDir, 'session.secret'))
  const bus = createOrderBus(log)
  deps.events = bus
  const live = createLiveEndpoint({ deps, secret, bus, ...opts.live })
  const photos = createPhotoRoutes({ deps, secret, dir: join(dataDir, 'uploads'), ...(opts.bodyTimeoutMs ? { bodyTimeoutMs: opts.bodyTimeoutMs } : {}) })
  deps.photos = photos.links
  const exportRoutes = createExportRoutes({ deps, secret, dir: join(dataDir, 'exports') })
  deps.exports = exportRoutes.files
  let base = ''
  const notify: HostNotify | null = opts.notify
    ? createHostNotify({ deps, sinkBase: () => base, communities: [DEMO_COMMUNITY_ID], env: {}, intervalMs: 500 })
    : null
  if (notify) deps.notify = notify.runtime
  const handler = createHandler({
    deps,
    secret,
    staticDir: opts.staticDir ?? join(dataDir, 'no-h5-build'),
    live,
    photos,
    exports: exportRoutes,
    ...(notify ? { devRoutes: notify.sink.handle } : {}),
    ...(opts.devSignIn === false ? { devSignIn: false } : {}),
    ...(opts.bodyTimeoutMs ? { bodyTimeoutMs: opts.bodyTimeoutMs } : {}),
    commits,
  })
  const server: Server = createServer(handler)
  serverTimeouts(server)
  // As main.ts: behind the HTTP thread (api-thread.ts), unless ZJ_API_THREAD=0 or the test says.
  const serving = await serveHost({
    server,
    port: 0,
    host: '127.0.0.1',
    answer: handler.answer,
    thread: opts.apiThread ?? process.env.ZJ_API_THREAD !== '0',
    ...(opts.bodyTimeoutMs ? { bodyTimeoutMs: opts.bodyTimeoutMs } : {}),
    onFailure: (reason) => log.error('host.api_thread_failed', { reason }),
  })
  const url = `http://127.0.0.1:${serving.port}`
  base = url
  notify?.start()
  const post = async (path: string, body: unknown, token?: string | null) =>
    (await fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })).json()
  return {
    url,
    dataDir,
    deps,
    log,
    bus,
    live,
    async stop() {
      await notify?.stop()
      live.closeAll()
      await serving.stop()
      commits.flush()
      await store.close()
    },
    session: (personId) => signSession(secret, personId, Date.now()).token,
    async signIn(personId) {
      const res = (await post('/api/dev/sign-in', { personId })) as Result<{ token: string }>
      if (!res.ok) throw new Error(res.message)
      return res.data.token
    },
    api: (token, action, input = {}) => post('/api', { action, input }, token) as never,
  }
}
