/**
 * The `api` cloud function's body, written against the small part of wx-server-sdk it needs; tests
 * run it with the real SDK's database over an in-memory engine (tests/support/wx-sdk-db.ts). The caller is cloud.getWXContext().OPENID,
 * never anything in the event (WeChat also injects event.userInfo; it is ignored).
 *
 * Notifications: a call that queued notifications runs one dispatcher round after the answer is
 * ready and before returning, so 请取物 reaches the resident at once. The round runs INSIDE the
 * returned promise: the runtime freezes whatever is left running once the handler resolves (it
 * would resume, half-done, in a later call, or never). The round stops starting sends at its
 * deadline (kickBudgetMs) and hands what it leased back to the queue; a send already started
 * finishes within its own timeout. The timer trigger `dispatch` (cloudfunctions/api/config.json,
 * every minute) sends the rest and runs the timed jobs, under the same rule (timerBudgetMs). The timer's event ({ Type: 'Timer', TriggerName: 'dispatch' }, or
 * { action: '__dispatch' } from a server-side caller) is accepted ONLY without an OPENID: calls
 * from the mini program always carry one, timer triggers and server-side invocations never do.
 */
import { randomUUID } from 'node:crypto'
import { cloudPhotoPath } from '../../core/photo'
import { openCloudbase } from '../adapters/cloudbase'
import type { CloudDb } from '../adapters/cloud-db'
import { dispatch } from '../api/dispatch'
import type { Deps } from '../deps'
import { cloudOrderSignals } from '../live/cloud-signals'
import { jsonLogger, type Logger } from '../log'
import { cloudNotifyConfig } from '../notify/config'
import { createDispatcher } from '../notify/dispatcher'
import { cloudSubscribeApi, fetchRobotPoster, type RobotPoster, type SubscribeRequest } from '../notify/senders'

export interface CloudSdk {
  getWXContext(): { OPENID?: string }
  database(): unknown
  /** cloud.openapi (needs "subscribeMessage.send" in config.json's permissions.openapi). */
  openapi?: { subscribeMessage?: { send(req: SubscribeRequest): Promise<{ errCode?: number; errMsg?: string }> } }
  /** Short-lived links to private cloud-storage files (the function runs with admin rights). */
  getTempFileURL?(req: { fileList: { fileID: string; maxAge: number }[] }): Promise<{
    fileList: { fileID: string; tempFileURL: string; status: number; errMsg?: string }[]
  }> | void
  /** Private cloud storage (the function writes with admin rights; the rule keeps clients out). */
  uploadFile?(req: { cloudPath: string; fileContent: Buffer }): Promise<{ fileID: string }> | void
}

export interface CloudMainOptions {
  now?: () => number
  log?: Logger
  /** Settings (ZJ_SUBSCRIBE_TEMPLATES, …; see notify/config.ts; ZJ_SETUP_CODE for community.setup); default process.env. */
  env?: Record<string, string | undefined>
  postRobot?: RobotPoster
  /**
   * How long a call waits for the notifications it queued (default 1.5 s): well inside the function's
   * timeout (README: set it to 20 s; WeChat's default is 3 s), so the answer always gets back.
   */
  kickBudgetMs?: number
  /** How long the timer's round may start sends (default 12 s, inside the 20 s function timeout). */
  timerBudgetMs?: number
  /** Real time for the budgets (default Date.now; `now` is the domain clock, which tests stop). */
  wallClock?: () => number
}

/** A robot post that hangs gives up after this long, so a round ends soon after its deadline. */
const CLOUD_ROBOT_TIMEOUT_MS = 4_000

/** A timer trigger's event, or an explicit dispatch request from a server-side caller. */
export function isDispatchEvent(event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false
  const e = event as { Type?: unknown; TriggerName?: unknown; action?: unknown }
  return (e.Type === 'Timer' && typeof e.TriggerName === 'string') || e.action === '__dispatch'
}

export function createCloudMain(cloud: CloudSdk, opts: CloudMainOptions = {}) {
  const env = opts.env ?? process.env
  const deps: Deps = {
    store: openCloudbase(cloud.database() as CloudDb),
    now: opts.now ?? (() => Date.now()),
    log: opts.log ?? jsonLogger((l) => console.log(l)),
  }
  // The first coordinator's one-time code (community.setup); unset → SETUP.DISABLED.
  const setupCode = env.ZJ_SETUP_CODE?.trim()
  if (setupCode) deps.setupCode = setupCode
  if (cloud.getTempFileURL) {
    const getTempFileURL = cloud.getTempFileURL.bind(cloud)
    deps.photos = {
      async link(fileID, maxAge) {
        // The typings allow void (the callback form); with no callback the SDK returns a promise.
        const r = (await getTempFileURL({ fileList: [{ fileID, maxAge }] }))?.fileList[0]
        if (!r || r.status !== 0 || !r.tempFileURL) throw new Error(`getTempFileURL: ${r?.errMsg ?? 'no link'}`)
        return r.tempFileURL
      },
      async uploaded(fileID, { folder }) {
        // Storage does not tell the function who uploaded a file: the path says which order it was
        // taken for (client/photo.ts uploads to `<folder>/…`), getTempFileURL whether it exists
        // (status 0; a missing file answers a non-zero status such as STORAGE_FILE_NONEXIST).
        const path = cloudPhotoPath(fileID)
        if (!path || !path.startsWith(`${folder}/`) || path.split('/').includes('..')) return false
        const r = (await getTempFileURL({ fileList: [{ fileID, maxAge: 60 }] }))?.fileList[0]
        if (!r) throw new Error('getTempFileURL: no answer')
        return r.status === 0
      },
    }
  }
  if (cloud.uploadFile && cloud.getTempFileURL) {
    const uploadFile = cloud.uploadFile.bind(cloud)
    const link = deps.photos
    deps.exports = {
      async save(fileName, bytes, maxAgeSeconds) {
        // A random folder per file: the name is the coordinator's, the path is nobody's to guess.
        const cloudPath = `exports/${randomUUID()}/${fileName}`
        const r = await uploadFile({ cloudPath, fileContent: Buffer.from(bytes) })
        if (!r?.fileID) throw new Error('uploadFile: no fileID')
        return link!.link(r.fileID, maxAgeSeconds)
      },
    }
  }
  const config = cloudNotifyConfig(env)
  const wall = opts.wallClock ?? Date.now
  const dispatcher = createDispatcher({
    deps,
    config,
    subscribe: cloud.openapi?.subscribeMessage ? cloudSubscribeApi({ subscribeMessage: cloud.openapi.subscribeMessage }) : null,
    postRobot: opts.postRobot ?? fetchRobotPoster(CLOUD_ROBOT_TIMEOUT_MS),
    wallClock: wall,
  })
  let kicked = false
  deps.notify = {
    config,
    kick() {
      kicked = true
    },
  }
  const budget = opts.kickBudgetMs ?? 1_500
  const timerBudget = opts.timerBudgetMs ?? 12_000
  // Order changes → `order_signals`, the collection the mini program watches (live/cloud-signals.ts).
  const signals = cloudOrderSignals(cloud.database() as CloudDb, deps.log)
  deps.events = signals

  /** One round, awaited to its end: nothing of it runs after the handler resolves. */
  async function deliverQueued(): Promise<void> {
    try {
      const report = await dispatcher.tick({ deadline: wall() + budget })
      if (report.deferred > 0) deps.log.info('notify.kick.deferred', { deferred: report.deferred })
    } catch (e) {
      deps.log.error('notify.tick.error', { error: e instanceof Error ? e.name : 'unknown' })
    }
  }

  return async function main(event: unknown): Promise<unknown> {
    const { OPENID } = cloud.getWXContext()
    if (!OPENID && isDispatchEvent(event)) {
      const report = await dispatcher.drain({ jobs: true, deadline: wall() + timerBudget })
      deps.log.info('notify.timer', { ...report })
      return { ok: true, data: report }
    }
    kicked = false
    const request =
      typeof event === 'object' && event !== null
        ? { action: (event as { action?: unknown }).action, input: (event as { input?: unknown }).input }
        : event
    const result = await dispatch(deps, OPENID ? { id: OPENID } : { error: 'AUTH.NOT_SIGNED_IN' }, request)
    await signals.flush()
    if (kicked) {
      kicked = false
      await deliverQueued()
    }
    return result
  }
}
