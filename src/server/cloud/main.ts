/**
 * The `api` cloud function's body, written against the small part of wx-server-sdk it needs so
 * tests can run it with the in-memory database engine. The caller is cloud.getWXContext().OPENID,
 * never anything in the event (WeChat also injects event.userInfo; it is ignored).
 */
import { openCloudbase } from '../adapters/cloudbase'
import type { CloudDb } from '../adapters/cloud-db'
import { dispatch } from '../api/dispatch'
import type { Deps } from '../deps'
import { jsonLogger, type Logger } from '../log'

export interface CloudSdk {
  getWXContext(): { OPENID?: string }
  database(): unknown
}

export function createCloudMain(cloud: CloudSdk, opts: { now?: () => number; log?: Logger } = {}) {
  const deps: Deps = {
    store: openCloudbase(cloud.database() as CloudDb),
    now: opts.now ?? (() => Date.now()),
    log: opts.log ?? jsonLogger((l) => console.log(l)),
  }
  return async function main(event: unknown): Promise<unknown> {
    const { OPENID } = cloud.getWXContext()
    const request =
      typeof event === 'object' && event !== null
        ? { action: (event as { action?: unknown }).action, input: (event as { input?: unknown }).input }
        : event
    return dispatch(deps, OPENID ? { id: OPENID } : { error: 'AUTH.NOT_SIGNED_IN' }, request)
  }
}
