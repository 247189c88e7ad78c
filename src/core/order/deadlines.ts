/**
 * Overdue orders, pure: which deadline an open order has passed, the next deadline the timer job
 * must look at, and the flag the job writes (once per order and deadline).
 *
 * Two deadlines (schedule.ts orderDeadlines): claim (claimDueAt, only while the order waits on the
 * board) and delivery (dueAt, while it is open at all). A deadline has passed at the instant it
 * falls due (`deadline <= now`).
 *
 * The flags (claimOverdueAt, deliverOverdueAt) are fields on the order, written by the job with
 * compare-and-set on status and version, together with the coordinators' notifications: only the
 * write that sets a flag queues its notifications, so each is told once.
 *
 * watchAt is derived from the order and stored with every write, so the store can hand the job
 * exactly the open orders that have a deadline due (orders.listDue), without reading the rest.
 */
import { ACTIVE_STATUSES, type Order } from './types'

export type Deadline = 'claim' | 'deliver'

type DeadlineFields = Pick<Order, 'status' | 'dueAt'> & Partial<Pick<Order, 'claimDueAt' | 'claimOverdueAt' | 'deliverOverdueAt'>>

const isActive = (o: Pick<Order, 'status'>) => ACTIVE_STATUSES.includes(o.status)

/** Waiting on the board past its claim deadline. */
export function isClaimOverdue(o: DeadlineFields, now: number): boolean {
  return o.status === 'pending' && o.claimDueAt !== undefined && o.claimDueAt <= now
}

/** Open past its delivery deadline. */
export function isDeliverOverdue(o: DeadlineFields, now: number): boolean {
  return isActive(o) && o.dueAt <= now
}

/** Past either deadline (the board's and the coordinators' 已超时). */
export function isPastDeadline(o: DeadlineFields, now: number): boolean {
  return isClaimOverdue(o, now) || isDeliverOverdue(o, now)
}

/**
 * The next deadline still to be flagged: the claim deadline while it waits on the board (unless
 * flagged), else the delivery deadline while open (unless flagged); undefined when none is left.
 * An order back on the board (退回) is watched for its claim deadline again.
 */
export function watchAt(o: DeadlineFields): number | undefined {
  if (!isActive(o)) return undefined
  if (o.status === 'pending' && o.claimDueAt !== undefined && o.claimOverdueAt === undefined) {
    return Math.min(o.claimDueAt, o.deliverOverdueAt === undefined ? o.dueAt : Infinity)
  }
  return o.deliverOverdueAt === undefined ? o.dueAt : undefined
}

/**
 * `o` with watchAt recomputed (absent when nothing is left to watch).
 *
 * Copied with Object.assign, not `{ ...o, watchAt }`: on Node 20's V8 a spread copy that adds a
 * key its source lacks gets a shape (map) of its own, every time. With every order change through
 * here that cost the host a new map per order and kept its young-generation collections busy
 * copying megabytes of finished requests (BENCHMARKS.md, item 22; shapes.test.ts).
 */
export function withWatch<T extends Order>(o: T): T {
  const w = watchAt(o)
  if (w !== undefined) return Object.assign({}, o, { watchAt: w })
  if (!('watchAt' in o)) return Object.assign({}, o)
  const { watchAt: _old, ...rest } = o
  return rest as T
}

export interface Escalation {
  /** The order with its new flags, watchAt, version and updatedAt. */
  next: Order
  /** The deadlines flagged by this write (one or both). */
  flagged: Deadline[]
}

/**
 * What the timer job writes for `o` at `now`: the deadlines newly passed get their flag. Returns
 * null when nothing is to flag (then only `watch` may need moving: see `rewatch`).
 */
export function escalate(o: Order, now: number): Escalation | null {
  const flagged: Deadline[] = []
  if (isClaimOverdue(o, now) && o.claimOverdueAt === undefined) flagged.push('claim')
  if (isDeliverOverdue(o, now) && o.deliverOverdueAt === undefined) flagged.push('deliver')
  if (flagged.length === 0) return null
  const next: Order = withWatch({
    ...o,
    ...(flagged.includes('claim') ? { claimOverdueAt: now } : {}),
    ...(flagged.includes('deliver') ? { deliverOverdueAt: now } : {}),
    updatedAt: now,
    version: o.version + 1,
  })
  return { next, flagged }
}

/**
 * An order the store listed as due whose stored watchAt is stale (claimed before its claim
 * deadline, so the delivery deadline is next): the same order with watchAt moved, or null when
 * it is already right.
 */
export function rewatch(o: Order): Order | null {
  const w = watchAt(o)
  if (w === o.watchAt) return null
  return { ...withWatch(o), version: o.version + 1 }
}

/** When the order passed the deadline (for the alert's "已超时 N分钟"). */
export function deadlineOf(o: Pick<Order, 'dueAt' | 'claimDueAt'>, d: Deadline): number {
  return d === 'claim' ? (o.claimDueAt ?? o.dueAt) : o.dueAt
}

/** Since when the order is overdue: the earliest deadline it has passed (undefined when none). */
export function overdueSince(o: DeadlineFields, now: number): number | undefined {
  const passed: number[] = []
  if (isClaimOverdue(o, now)) passed.push(o.claimDueAt!)
  if (isDeliverOverdue(o, now)) passed.push(o.dueAt)
  return passed.length ? Math.min(...passed) : undefined
}
