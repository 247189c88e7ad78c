/**
 * The coordinator's last 14 Beijing days (core/figures.ts). Settled days are kept in the store
 * (FiguresRepo) and read back in one request; only the days not kept yet (today, yesterday, a
 * day with orders still open) are computed, from the orders placed since the oldest of them, read
 * newest first through the store's index on (community, createdAt), 100 at a time.
 */
import { dayBounds, dayFigures, isSettled, lastDates, type DayFigures } from '../../core/figures'
import type { Order } from '../../core/order/types'
import { addBeijingDays } from '../../core/time'
import type { Deps } from '../deps'
import { eachOrder } from './order-pages'

/** A day is kept after this many days even with an order still open (its `open` says so). */
const SETTLE_ANYWAY_DAYS = 7

/** The community's orders placed since `from`, newest first (the store's index on community and time). */
export async function ordersSince(deps: Deps, communityId: string, from: number): Promise<Order[]> {
  const orders: Order[] = []
  await eachOrder(deps, { communityId, createdFrom: from }, (o) => void orders.push(o))
  return orders
}

/**
 * `read(from)` hands over the orders placed since at least `from` (a caller that already read a
 * longer stretch passes it on instead of reading again).
 */
export async function lastDays(
  deps: Deps,
  communityId: string,
  now: number,
  read: (from: number) => Promise<readonly Order[]> = (from) => ordersSince(deps, communityId, from),
): Promise<DayFigures[]> {
  const dates = lastDates(now)
  const kept = new Map((await deps.store.figures.get(communityId, dates)).map((f) => [f.date, f]))
  const missing = dates.filter((d) => !kept.has(d))
  if (missing.length === 0) return dates.map((d) => kept.get(d)!)
  const orders = await read(dayBounds(missing[0]!).start)
  const oldEnough = addBeijingDays(now, -SETTLE_ANYWAY_DAYS)
  for (const date of missing) {
    const f = dayFigures(date, orders, now)
    if (isSettled(f, now) || (f.date <= oldEnough && f.open > 0)) await deps.store.figures.put(communityId, f)
    kept.set(date, f)
  }
  return dates.map((d) => kept.get(d)!)
}
