/**
 * Live order changes behind one interface, for pages that should update without pull-to-refresh:
 *
 *   subscribeOrders({ communityId }, onChange)        squad board, coordinator dashboard
 *   subscribeOrders({ householdIds: [...] }, onChange) a resident's orders
 *   useLiveReload(scope | null, reload)               the hook: re-runs the page's query
 *
 * onChange is a SIGNAL only ("something in this scope changed"): the page re-fetches through
 * call(), so the server's policy and redaction decide what it shows. Nothing here hands order
 * data to a page.
 *
 * h5 (local host): GET /api/live, Server-Sent Events read with fetch (live-sse.ts).
 * weapp (cloud): a database watch on `order_signals`, the cloud function's per-order change records
 *   ({ communityId, status, version } for the community, { householdId, status, version } for the
 *   household's residents, and nothing else; server/live/cloud-signals.ts has the collection's
 *   security rule and why the squad's records carry no household id). We deliberately do not watch `orders`: a watch delivers
 *   whole documents to the device, room numbers and notes included, whether or not we render them.
 *   Watched documents are never read here, only the fact that a change arrived.
 *   A listener covers at most 5,000 records: the community watch is limited to active orders (an
 *   order leaving that set, e.g. 已送达, still signals), a household watch covers one household.
 */
import Taro, { useDidHide, useDidShow } from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'
import { ACTIVE_STATUSES } from '../core/order/types'
import { coalescer } from './coalesce'
import { subscribeSse, type LiveScope } from './live-sse'
import { getSessionToken } from './session'

export type { LiveScope } from './live-sse'

/** The cloud collection the mini program watches (written by the `api` function only). */
export const ORDER_SIGNALS = 'order_signals'

/** Calls `onChange` when an order in `scope` changes (and after a reconnect). Returns the stop function. */
export function subscribeOrders(scope: LiveScope, onChange: () => void): () => void {
  if ('householdIds' in scope && scope.householdIds.length === 0) return () => undefined
  if (process.env.TARO_ENV === 'h5') {
    return subscribeSse(scope, onChange, { getToken: getSessionToken })
  }
  return subscribeWatch(scope, onChange)
}

/** While changes keep arriving, an open page still reloads at least this often (coalesce.ts). */
export const LIVE_MAX_WAIT_MS = 1_000

/**
 * Re-runs `reload` `debounceMs` after the last change in `scope` (bursts coalesce into one reload,
 * and a page reloads at least every `maxWaitMs` while they last). `null` waits (e.g. until the page
 * knows its household). The subscription is open only while the page is shown: useQuery already
 * reloads when a page comes back, so nothing is missed.
 */
export function useLiveReload(scope: LiveScope | null, reload: () => unknown, debounceMs = 200, maxWaitMs = LIVE_MAX_WAIT_MS): void {
  const latest = useRef(reload)
  latest.current = reload
  const [shown, setShown] = useState(true)
  useDidShow(() => setShown(true))
  useDidHide(() => setShown(false))
  const key = scope ? JSON.stringify(normalize(scope)) : null
  useEffect(() => {
    if (!key || !shown) return
    const reloads = coalescer(() => void latest.current(), debounceMs, maxWaitMs)
    const stop = subscribeOrders(JSON.parse(key) as LiveScope, reloads.signal)
    return () => {
      reloads.cancel()
      stop()
    }
  }, [key, shown, debounceMs, maxWaitMs])
}

/** Same scope, same key: household ids sorted and unique. */
function normalize(scope: LiveScope): LiveScope {
  if ('communityId' in scope) return { communityId: scope.communityId }
  return { householdIds: [...new Set(scope.householdIds)].sort() }
}

interface WatchSnapshot {
  type?: string
  docChanges?: unknown[]
}

/** weapp: one watcher per condition, each restarted with backoff after an error. */
function subscribeWatch(scope: LiveScope, onChange: () => void): () => void {
  const db = Taro.cloud.database()
  const _ = db.command
  // One household per watcher: the security rule's `doc.householdId in …households` can only be
  // checked against an equality condition.
  const conditions =
    'communityId' in scope
      ? [{ communityId: scope.communityId, status: _.in([...ACTIVE_STATUSES]) }]
      : scope.householdIds.map((householdId) => ({ householdId }))
  const stops = conditions.map((where) => {
    let stopped = false
    let failures = 0
    let started = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let watcher: { close(): Promise<unknown> } | null = null
    const start = () => {
      if (stopped) return
      try {
        watcher = db
          .collection(ORDER_SIGNALS)
          .where(where)
          .watch({
            onChange(res) {
              const snap = res as unknown as WatchSnapshot
              if (snap.type === 'init') {
                failures = 0
                // The first snapshot is the current state: news only after a restart.
                if (started) onChange()
                started = true
                return
              }
              if (snap.docChanges && snap.docChanges.length > 0) onChange()
            },
            onError() {
              // The watch is closed by the SDK on error: start a new one later.
              watcher = null
              restart()
            },
          })
      } catch {
        restart()
      }
    }
    const restart = () => {
      if (stopped) return
      const base = Math.min(30_000, 1_000 * 2 ** failures)
      failures++
      timer = setTimeout(start, base / 2 + Math.random() * (base / 2))
    }
    start()
    return () => {
      stopped = true
      clearTimeout(timer)
      void watcher?.close().catch(() => undefined)
    }
  })
  return () => stops.forEach((s) => s())
}
