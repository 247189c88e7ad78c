/** Read-side use cases: my orders, one order, the squad's board and tasks. */
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import { canView } from '../../core/order/policy'
import { ACTIVE_STATUSES, type Order } from '../../core/order/types'
import type { BoardList, OrderList, OrderView } from '../../core/views'
import { BOARD_PAGE_SIZE } from '../../core/schemas'
import type { Deps } from '../deps'
import type { OrderQuery } from '../ports'
import { eachOrder } from './order-pages'
import { toView, toViews } from './order-view'

/** Every order of a query up to `cap` (the board needs all open orders, not the newest 100). */
export async function listAll(deps: Deps, q: OrderQuery, cap = 2000): Promise<Order[]> {
  const out: Order[] = []
  await eachOrder(deps, q, (o) => {
    out.push(o)
    return out.length < cap
  })
  return out
}

export async function myOrders(deps: Deps, actor: Actor): Promise<OrderList> {
  if (actor.households.length === 0) throw new AppError('HOUSEHOLD.NONE_BOUND')
  const page = await deps.store.orders.list({ householdIds: actor.households, limit: 100 })
  return { orders: await toViews(deps, actor, page.items) }
}

export async function getOrder(deps: Deps, actor: Actor, input: ParsedInputOf<'order.get'>): Promise<OrderView> {
  const order = await deps.store.orders.get(input.id)
  if (!order || !canView(actor, order)) throw new AppError('ORDER.NOT_FOUND')
  return toView(deps, actor, order)
}

/**
 * One page of the board, in the store's order (core/order/board-page.ts): overdue first (past its
 * claim deadline, or its delivery deadline for orders without one), then urgent, then by that
 * deadline. Nothing is cut: `hasMore` and `total` say what the pages read so far leave out.
 */
export async function squadBoard(deps: Deps, actor: Actor, input: ParsedInputOf<'squad.board'>): Promise<BoardList> {
  const page = await deps.store.orders.board({
    communityId: actor.squadOf!,
    now: deps.now(),
    limit: input.limit ?? BOARD_PAGE_SIZE,
    cursor: input.cursor ?? null,
  })
  return { orders: await toViews(deps, actor, page.items), next: page.next, hasMore: page.next !== null, total: page.total, overdue: page.overdue }
}

export async function squadTasks(deps: Deps, actor: Actor): Promise<OrderList> {
  const orders = await listAll(deps, { holderId: actor.id, statuses: ACTIVE_STATUSES.filter((s) => s !== 'pending') })
  orders.sort(
    (a, b) =>
      a.address.building.localeCompare(b.address.building, 'zh') ||
      a.address.unit - b.address.unit ||
      a.address.floor - b.address.floor ||
      a.address.room.localeCompare(b.address.room),
  )
  return { orders: await toViews(deps, actor, orders) }
}
