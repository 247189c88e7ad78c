/**
 * The cloud function's order-change sink: two records per order in `order_signals`, rewritten on
 * every change. The mini program watches THIS collection, not `orders`:
 *
 *   `_id` = order id          { communityId, status, version }   the community's squad and coordinator
 *   `_id` = 'h_' + order id   { householdId, status, version }   the household's own residents
 *
 * Why two: the squad reads every record of its community, and a household id spells the door
 * ('h1-2-502' = 1号楼2单元502), so the community record has no household id at all. The resident's
 * watch needs one, and the security rule can only check membership against the raw ids in
 * `people.households` (a rule cannot compute a keyed hash, and the cloud has no server secret to key
 * one with), so the household's record carries the raw id and no community id: the rule lets only
 * that household's residents read it. Nobody else's query can match it: a community watch needs
 * `communityId`, which it lacks, and a `householdId` condition must be one of the reader's own.
 *
 * A database watch ships whole matching documents to the device (the first snapshot even carries
 * every match). Watching `orders` would hand every squad member every household's floor and room
 * (order-view.ts blanks them for members who do not hold the order), notes, rating comments and
 * the queued notification texts, whatever the page renders. A signal record holds only what the
 * local host's SSE events hold; the page re-fetches through the api, where policy applies.
 *
 * Security rule for `order_signals` (console → 数据库 → order_signals → 数据权限 → 自定义安全规则;
 * the cloud function writes with admin rights and is not subject to it). The person's record in
 * `people` has `_id` = OPENID:
 *
 *   {
 *     "read": "get(`database.people.${auth.openid}`).squadOf == doc.communityId || get(`database.people.${auth.openid}`).coordinatorOf == doc.communityId || doc.householdId in get(`database.people.${auth.openid}`).households",
 *     "write": false
 *   }
 *
 * Query conditions must be a subset of the rule: the client watches `where({ communityId, status:
 * _.in(active) })` or `where({ householdId })` (one watcher per household), never a bare collection.
 * `orders`, `people`, `households` stay readable by the cloud function only.
 *
 * Writes are started in publish() and awaited by flush() before the function returns (a frozen
 * instance would otherwise drop them). A failed write is logged and never fails the call: the
 * clients' slow polling is the safety net.
 */
import type { CloudDb } from '../adapters/cloud-db'
import { COLLECTIONS } from '../cloud/manifest'
import type { Logger } from '../log'
import type { EventSink } from './bus'

export interface CloudSignals extends EventSink {
  /** Waits for the writes started so far. */
  flush(): Promise<void>
}

/** The `_id` of an order's household record in `order_signals`. */
export const householdSignalId = (orderId: string): string => `h_${orderId}`

export function cloudOrderSignals(db: CloudDb, log: Logger): CloudSignals {
  const pending = new Set<Promise<void>>()
  return {
    publish(e) {
      const signals = db.collection(COLLECTIONS.orderSignals)
      const write = (id: string, data: Record<string, unknown>) => {
        const p: Promise<void> = signals
          .doc(id)
          .set({ data })
          .then(
            () => undefined,
            (err: unknown) => log.error('live.signal.error', { order: e.orderId, error: err instanceof Error ? err.name : 'unknown' }),
          )
          .finally(() => pending.delete(p))
        pending.add(p)
      }
      write(e.orderId, { communityId: e.communityId, status: e.status, version: e.version })
      write(householdSignalId(e.orderId), { householdId: e.householdId, status: e.status, version: e.version })
    },
    async flush() {
      await Promise.all([...pending])
    },
  }
}
