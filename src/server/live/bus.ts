/**
 * Order changes, live: an in-process pub/sub the use cases publish to after a successful write
 * (runCommand's compare-and-set, placeOrder's insert), and the local host's GET /api/live streams
 * from. An event says only which order changed and where it now stands: ids, status, version. No
 * names, rooms, phones or notes, so a listener learns nothing it could not learn by re-fetching,
 * and what it re-fetches goes through the api (policy and redaction stay on the server).
 */
import type { Actor } from '../../core/actor'
import type { Order, OrderStatus } from '../../core/order/types'
import type { Logger } from '../log'

export interface OrderChange {
  orderId: string
  communityId: string
  householdId: string
  status: OrderStatus
  version: number
}

/** The keys an OrderChange carries, and nothing else (tests hold the wire format to this list). */
export const ORDER_CHANGE_KEYS = ['orderId', 'communityId', 'householdId', 'status', 'version'] as const

/**
 * What a listener who may not know the household gets: the change without `householdId` (ids spell
 * the door, 'h1-2-502' = 1号楼2单元502). The squad's board only needs "something changed".
 */
export const ORDER_CHANGE_KEYS_NO_HOUSEHOLD = ['orderId', 'communityId', 'status', 'version'] as const

/**
 * May this listener see the household id of the change? Its own residents and the community's
 * coordinator. The rest of the squad may not (the holder cannot be told from the event alone; a
 * holder re-fetches through order.get, which gives it to them).
 */
export function mayKnowHousehold(actor: Actor, e: Pick<OrderChange, 'communityId' | 'householdId'>): boolean {
  return actor.households.includes(e.householdId) || actor.coordinatorOf === e.communityId
}

/** Where use cases publish (Deps.events). Publishing never throws into the caller. */
export interface EventSink {
  publish(e: OrderChange): void
}

export interface OrderBus extends EventSink {
  /** Hear the changes `filter` accepts; returns the unsubscribe. */
  subscribe(filter: (e: OrderChange) => boolean, fn: (e: OrderChange) => void): () => void
  /** Current number of subscribers. */
  size(): number
}

/** The change an order's current state amounts to: picked field by field, never spread. */
export function orderChange(order: Order): OrderChange {
  return {
    orderId: order.id,
    communityId: order.communityId,
    householdId: order.householdId,
    status: order.status,
    version: order.version,
  }
}

/** For use cases: publish `order` if a sink is wired; a faulty sink never fails the write. */
export function publishOrderChange(deps: { events?: EventSink; log: Logger }, order: Order): void {
  if (!deps.events) return
  try {
    deps.events.publish(orderChange(order))
  } catch (e) {
    deps.log.error('live.publish.error', { error: e instanceof Error ? e.name : 'unknown' })
  }
}

export function createOrderBus(log?: Logger): OrderBus {
  const subs = new Set<{ filter: (e: OrderChange) => boolean; fn: (e: OrderChange) => void }>()
  return {
    publish(e) {
      // A copy: subscribers may unsubscribe (or subscribe) while we deliver.
      for (const s of [...subs]) {
        try {
          if (s.filter(e)) s.fn(e)
        } catch (err) {
          log?.error('live.subscriber.error', { error: err instanceof Error ? err.name : 'unknown' })
        }
      }
    },
    subscribe(filter, fn) {
      const s = { filter, fn }
      subs.add(s)
      return () => {
        subs.delete(s)
      }
    },
    size: () => subs.size,
  }
}

/**
 * May this actor hear about this change? The same relations as canView (core/order/policy.ts):
 * a member of the order's household, the community's squad, or its coordinator. Evaluated against
 * the actor as loaded when the stream opened.
 */
export function mayReceive(actor: Actor, e: Pick<OrderChange, 'communityId' | 'householdId'>): boolean {
  return (
    actor.households.includes(e.householdId) ||
    actor.squadOf === e.communityId ||
    actor.coordinatorOf === e.communityId
  )
}

/** What a stream asked for (optional narrowing; never widens what mayReceive allows). */
export type LiveScope = { communityId: string } | { householdIds: string[] } | null

export function inScope(scope: LiveScope, e: Pick<OrderChange, 'communityId' | 'householdId'>): boolean {
  if (!scope) return true
  if ('communityId' in scope) return e.communityId === scope.communityId
  return scope.householdIds.includes(e.householdId)
}
