/**
 * Reading an order query page after page (100 orders a page), for the reads that need more than one
 * page: the coordinator's figures and follow-ups, the grids, a member's tasks, the timer job's daily
 * summary.
 *
 * Between two pages the event loop runs other work first. The local host answers every request on
 * one thread and better-sqlite3 reads synchronously, so a read of a day's orders otherwise held every
 * other request until its last page (tens of ms with a few thousand orders, most of a second with a
 * rush's backlog: BENCHMARKS.md, coordinator-backlog). On CloudBase each page is a network read anyway;
 * the yield costs a turn.
 */
import type { Order } from '../../core/order/types'
import type { Deps } from '../deps'
import { MAX_PAGE, type OrderQuery } from '../ports'

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Hands each order of `q` to `each`, newest first, until it returns false or the orders end. */
export async function eachOrder(deps: Deps, q: Omit<OrderQuery, 'limit' | 'cursor'>, each: (o: Order) => boolean | void): Promise<void> {
  let cursor: string | null = null
  for (;;) {
    if (cursor) await nextTurn()
    const page = await deps.store.orders.list({ ...q, limit: MAX_PAGE, cursor })
    for (const o of page.items) if (each(o) === false) return
    if (!page.next) return
    cursor = page.next
  }
}
