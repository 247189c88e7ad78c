/**
 * The `api` cloud function's body, written against the small part of wx-server-sdk it needs; tests
 * run it with the real SDK's database over an in-memory engine (tests/support/wx-sdk-db.ts). The caller is cloud.getWXContext().OPENID,
 * never anything in the event (WeChat also injects event.userInfo; it is ignored).
 *
 * Notifications: a call that queued notifications runs one dispatcher round after the answer is
 * ready and before returning (bounded by kickBudgetMs), so 请取物 reaches the resident at once;
 * the timer trigger `dispatch` (cloudfunctions/api/config.json, every minute) is the safety net
 * and runs the timed jobs. The timer's event ({ Type: 'Timer', TriggerName: 'dispatch' }, or
 * { action: '__dispatch' } from a server-side caller) is accepted ONLY without an OPENID: calls
 * from the mini program always carry one, timer triggers and server-side invocations never do.
 */
import { openCloudbase } from '../adapters/cloudbase'
import type { CloudDb } from '../adapters/cloud-db'
import { dispatch } from '../api/dispatch'
import type { Deps } from '../deps'
import { cloudOrderSignals } from '../live/cloud-signals'
import { jsonLogger, type Logger } from '../log'
import { cloudNotifyConfig } from '../notify/config'
import { createDispatcher } from '../notify/dispatcher'
import { cloudSubscribeApi, type RobotPoster, type SubscribeRequest } from '../notify/senders'

export interface CloudSdk {
  getWXContext(): { OPENID?: string }
  database(): unknown
  /** cloud.openapi (needs "subscribeMessage.send" in config.json's permissions.openapi). */
  openapi?: { subscribeMessage?: { send(req: SubscribeRequest): Promise<{ errCode?: number; errMsg?: string }> } }
  /** Short-lived links to private cloud-storage files (the function runs with admin rights). */
  getTempFileURL?(req: { fileList: { fileID: string; maxAge: number }[] }): Promise<{
    fileList: { fileID: string; tempFileURL: string; status: number; errMsg?: string }[]
  }> | void
}

export interface CloudMainOptions {
  now?: () => number
  log?: Logger
  /** Settings (ZJ_SUBSCRIBE_TEMPLATES, …; see notify/config.ts); default process.env. */
  env?: Record<string, string | undefined>
  postRobot?: RobotPoster
  /**
   * How long a call waits for the notifications it queued (default 1.5 s): well inside the function's
   * timeout (README: set it to 20 s; WeChat's default is 3 s), so the answer always gets back.
   */
  kickBudgetMs?: number
}

/** A timer trigger's event, or an explicit dispatch request from a server-side caller. */
export function isDispatchEvent(event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false
  const e = event as { Type?: unknown; TriggerName?: unknown; action?: unknown }
  return (e.Type === 'Timer' && typeof e.TriggerName === 'string') || e.action === '__dispatch'
}

export function createCloudMain(cloud: CloudSdk, opts: CloudMainOptions = {}) {
  const deps: Deps = {
    store: openCloudbase(cloud.database() as CloudDb),
    now: opts.now ?? (() => Date.now()),
    log: opts.log ?? jsonLogger((l) => console.log(l)),
  }
  if (cloud.getTempFileURL) {
    const getTempFileURL = cloud.getTempFileURL.bind(cloud)
    deps.photos = {
      async link(fileID, maxAge) {
        // The typings allow void (the callback form); with no callback the SDK returns a promise.
        const r = (await getTempFileURL({ fileList: [{ fileID, maxAge }] }))?.fileList[0]
        if (!r || r.status !== 0 || !r.tempFileURL) throw new Error(`getTempFileURL: ${r?.errMsg ?? 'no link'}`)
        return r.tempFileURL
      },
    }
  }
  const config = cloudNotifyConfig(opts.env ?? process.env)
  const dispatcher = createDispatcher({
    deps,
    config,
    subscribe: cloud.openapi?.subscribeMessage ? cloudSubscribeApi({ subscribeMessage: cloud.openapi.subscribeMessage }) : null,
    ...(opts.postRobot ? { postRobot: opts.postRobot } : {}),
  })
  let kicked = false
  deps.notify = {
    config,
    kick() {
      kicked = true
    },
  }
  const budget = opts.kickBudgetMs ?? 1_500
  // Order changes → `order_signals`, the collection the mini program watches (live/cloud-signals.ts).
  const signals = cloudOrderSignals(cloud.database() as CloudDb, deps.log)
  deps.events = signals

  async function deliverQueued(): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const tick = dispatcher.tick().catch((e: unknown) => {
      deps.log.error('notify.tick.error', { error: e instanceof Error ? e.name : 'unknown' })
    })
    // Whatever is not sent within the budget keeps its lease and is sent by the timer after it expires.
    await Promise.race([tick, new Promise<void>((r) => (timer = setTimeout(r, budget)))])
    clearTimeout(timer)
  }

  return async function main(event: unknown): Promise<unknown> {
    const { OPENID } = cloud.getWXContext()
    if (!OPENID && isDispatchEvent(event)) {
      const report = await dispatcher.drain({ jobs: true })
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
