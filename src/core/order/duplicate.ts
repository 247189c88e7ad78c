/**
 * 重复下单: an order placed twice for the same household (usually a 代下单 next to the resident's
 * own, or two 代下单 by two squad members). Pure: which order is kept, and whether a named one may be.
 *
 * The kept order must be another order of the SAME household that is still open (pending, claimed,
 * delivering or at the door): cancelling one of two leaves the household served. Without a name the
 * kept order is chosen: same kind first, then the earliest placed (the original), then by id.
 */
import { AppError } from '../errors'
import { ACTIVE_STATUSES, type Order } from './types'

/** What decide needs to know about the order that is kept. */
export type KeptOrder = Pick<Order, 'id' | 'householdId' | 'status' | 'kind' | 'createdAt'>

/** '#A1B2C3': the short number residents and the squad see for an order. */
export function orderNo(id: string): string {
  return `#${id.slice(-6).toUpperCase()}`
}

/** Whether `keep` may be kept when `order` is cancelled as its duplicate. */
export function mayKeep(order: Pick<Order, 'id' | 'householdId'>, keep: KeptOrder): boolean {
  return keep.id !== order.id && keep.householdId === order.householdId && ACTIVE_STATUSES.includes(keep.status)
}

/** The order to keep among the household's orders, or null when none is open. */
export function pickKept(order: Pick<Order, 'id' | 'householdId' | 'kind'>, candidates: readonly KeptOrder[]): KeptOrder | null {
  const open = candidates.filter((c) => mayKeep(order, c))
  open.sort(
    (a, b) =>
      Number(b.kind === order.kind) - Number(a.kind === order.kind) || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )
  return open[0] ?? null
}

/** The kept order, checked; refused with ORDER.NOT_DUPLICATE when it is missing or not a twin. */
export function expectKept(order: Pick<Order, 'id' | 'householdId'>, keep: KeptOrder | null): KeptOrder {
  if (keep === null) {
    throw new AppError('ORDER.NOT_DUPLICATE', { message: '这一户没有别的未完成订单，不是重复下单' })
  }
  if (!mayKeep(order, keep)) {
    const message =
      keep.id === order.id
        ? '要保留的不能是这一单自己'
        : keep.householdId !== order.householdId
          ? '要保留的订单不是同一户的，不是重复下单'
          : `订单${orderNo(keep.id)}已经结束了，不能作为保留的订单`
    throw new AppError('ORDER.NOT_DUPLICATE', { message, details: { keep: keep.id } })
  }
  return keep
}
