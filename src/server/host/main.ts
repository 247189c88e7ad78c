/**
 * `npm start`: the local host. One Node process that builds the H5 bundle if needed, serves it,
 * and answers POST /api with the same dispatcher the cloud function runs, on SQLite.
 *
 * Settings (environment): PORT (8080), HOST (127.0.0.1 — loopback only unless set),
 * DATA_DIR (.data: the SQLite file and the session secret), SKIP_H5_BUILD=1 to serve what is there,
 * ZJ_DEMO=0 to start without the demo community (an empty store gets a one-time setup code for the
 * first coordinator, printed as `setup code: …`), ZJ_DEV_SIGNIN=1 to keep the dev sign-in on when
 * HOST is not loopback.
 */
import { createServer } from 'node:http'
import { join, resolve } from 'node:path'
import { openSqlite } from '../adapters/sqlite'
import { groupCommit } from '../adapters/sqlite-group-commit'
import { memoryAttempts } from '../adapters/memory-attempts'
import { startCheckpointer } from '../adapters/sqlite-checkpointer'
import { RATE_WINDOW_MAX_MS } from '../../core/rate-limit'
import type { Deps } from '../deps'
import { batchedWriter, jsonLogger } from '../log'
import { DEMO_COMMUNITY_ID, seedDemo } from '../seed/demo'
import { buildH5, h5IsStale } from './h5-build'
import { createHandler, devSignInMode } from './http-app'
import { serveHost, type Serving } from './api-thread'
import { serverTimeouts } from './body-limit'
import { loadOrCreateSetupCode } from './setup-code'
import { createPhotoRoutes } from './photos'
import { createExportRoutes } from './exports'
import { createHostNotify } from './notify-host'
import { createLiveEndpoint } from './live-sse'
import { createOrderBus } from '../live/bus'
import { loadOrCreateSecret } from './session'

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..', '..')
  const port = Number(process.env.PORT ?? 8080)
  const host = process.env.HOST ?? '127.0.0.1'
  const dataDir = resolve(root, process.env.DATA_DIR ?? '.data')
  const staticDir = join(root, 'dist', 'h5')
  // The log written in batches of up to 20 ms (log.ts batchedWriter), flushed on the way out.
  const logOut = batchedWriter()
  process.on('exit', logOut.flush)
  const log = jsonLogger(logOut.write)

  const dbFile = join(dataDir, 'zhaijia.db')
  const store = openSqlite({ file: dbFile })
  // The api's writes in batches (one event-loop turn, or a few ms when busy); answers wait for the COMMIT.
  const commits = groupCommit(store.db)
  // WAL checkpoints in a worker thread, never inside a COMMIT on this one (sqlite-checkpointer.ts).
  const checkpoints = startCheckpointer(store.db, dbFile, {
    between: (fn) => commits.beforeNextBatch(fn),
    onFallback: (reason) => log.error('sqlite.checkpointer_fallback', { reason: reason.slice(0, 200) }),
    onRestart: (r) => log.info('sqlite.wal_restart', { frames: r.frames, tail: r.tail, ms: Math.round(r.ms * 10) / 10 }),
  })
  // Rate-limit windows in memory (one process: exact while it runs; a restart forgets one minute).
  const rates = memoryAttempts()
  const deps: Deps = { store, now: () => Date.now(), log, rates }
  const rateSweep = setInterval(() => rates.sweep(deps.now() - 2 * RATE_WINDOW_MAX_MS), RATE_WINDOW_MAX_MS)
  rateSweep.unref()
  const demo = process.env.ZJ_DEMO !== '0'
  if (demo && (await seedDemo(store, deps.now()))) log.info('seeded demo community', { community: 'demo' })
  const communityIds = () => (store.db.prepare('SELECT id FROM communities ORDER BY id').all() as { id: string }[]).map((r) => r.id)
  let setupLine = ''
  if (!demo) {
    // No demo: the first coordinator creates the community with a one-time code (community.setup).
    const setup = await loadOrCreateSetupCode({
      file: join(dataDir, 'setup.code'),
      setup: store.setup,
      hasCommunity: async () => communityIds().length > 0,
    })
    if (setup.state !== 'none') deps.setupCode = setup.code
    log.info('setup', { state: setup.state })
    setupLine =
      setup.state === 'open'
        ? `  setup code: ${setup.code}   (sign in, then 创建社区 with this code)\n`
        : setup.state === 'used'
          ? '  setup code: used (the community is set up)\n'
          : ''
  }
  const secret = loadOrCreateSecret(join(dataDir, 'session.secret'))

  if (process.env.SKIP_H5_BUILD !== '1' && h5IsStale(root, staticDir)) {
    log.info('building the H5 bundle (first run or sources changed; about a minute)')
    await buildH5(root)
  }

  // Notifications: dispatcher every 2 s, groups without a robot post to this host's own sink
  // (POST /dev/robot/<community>-<scope>; see them at /dev/groups).
  const sinkHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  const notify = createHostNotify({
    deps,
    sinkBase: () => `http://${sinkHost}:${port}`,
    // Demo: the demo community, as always. Without: the communities there are at start.
    communities: demo ? [DEMO_COMMUNITY_ID] : communityIds(),
    env: process.env,
  })
  deps.notify = notify.runtime

  // Live order changes: use cases publish to the bus, GET /api/live streams them (SSE).
  const bus = createOrderBus(log)
  deps.events = bus
  const live = createLiveEndpoint({ deps, secret, bus })

  // Photos (seal, medicine box) from the H5 build, stored under the data directory.
  const photos = createPhotoRoutes({ deps, secret, dir: join(dataDir, 'uploads') })
  deps.photos = photos.links
  // The ledger's XLSX exports, behind signed 10-minute links.
  const exportRoutes = createExportRoutes({ deps, secret, dir: join(dataDir, 'exports') })
  deps.exports = exportRoutes.files

  const devSignIn = devSignInMode(host, process.env)
  const handler = createHandler({ deps, secret, staticDir, devRoutes: notify.sink.handle, live, photos, exports: exportRoutes, devSignIn: devSignIn.on, commits })
  const server = createServer(handler)
  // Slow clients: headers within 20 s, a whole request within 60 s, or Node answers 408 (body-limit.ts).
  serverTimeouts(server)
  // HTTP on its own thread (api-thread.ts): it listens on PORT, sends each POST /api here as a
  // session token and a body, and passes everything else to this server on a loopback port.
  // ZJ_API_THREAD=0: this server listens on PORT itself.
  let serving: Serving | null = null
  const started = () => {
    notify.start()
    const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1'
    log.info(loopback ? 'listening on loopback only (set HOST to change)' : 'listening on a non-loopback address', {
      host,
      port,
    })
    log.info(devSignIn.line)
    logOut.flush()
    process.stdout.write(`\n  宅家送 is running: http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}\n  ${devSignIn.line}\n${setupLine}\n`)
  }
  serveHost({
    server,
    port,
    host,
    answer: handler.answer,
    thread: process.env.ZJ_API_THREAD !== '0',
    onFailure: (reason) => {
      log.error('host.api_thread_failed', { reason: reason.slice(0, 200) })
      logOut.flush()
      process.exit(1)
    },
  }).then(
    (s) => {
      serving = s
      started()
    },
    (e: unknown) => {
      process.stderr.write(`host failed to start: ${e instanceof Error ? e.message : String(e)}\n`)
      process.exit(1)
    },
  )
  const stop = () => {
    clearInterval(rateSweep)
    live.closeAll()
    void (serving?.stop() ?? Promise.resolve())
      .then(() => notify.stop())
      .then(() => checkpoints.stop())
      .then(() => {
        commits.flush()
        return store.close()
      })
      .then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e: unknown) => {
  process.stderr.write(`host failed to start: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
