/**
 * order.cancelProxy: the squad takes back a 代下单 (rules in core/order/transitions.ts, decide.ts,
 * duplicate.ts). 'withdrawn': the placer, while nobody has claimed it. 'duplicate' (重复下单): the
 * placer, the holder or a coordinator, keeping another open order of the same household: the one
 * named, or else the one core/order/duplicate.ts picks from the household's recent orders.
 * Here: only the facts decide needs from the store (the kept order).
 */
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import { pickKept, type KeptOrder } from '../../core/order/duplicate'
import { canView } from '../../core/order/policy'
import type { Order } from '../../core/order/types'
import type { OrderView } from '../../core/views'
import type { Deps } from '../deps'
import { runCommand } from './order-commands'

/** How many of the household's newest orders are looked at for its twin. */
const RECENT_ORDERS = 50

const kept = (o: Order): KeptOrder => ({ id: o.id, householdId: o.householdId, status: o.status, kind: o.kind, createdAt: o.createdAt })

export async function cancelProxyOrder(d: Deps, a: Actor, i: ParsedInputOf<'order.cancelProxy'>): Promise<OrderView> {
  if (i.reason === 'withdrawn') return runCommand(d, a, i.id, { type: 'cancel', reason: '社工撤回代下单' })
  let named: KeptOrder | null = null
  if (i.duplicateOf !== undefined) {
    const o = await d.store.orders.get(i.duplicateOf)
    // An order the caller may not see is no twin of this one (and its existence is not told).
    named = o && canView(a, o) ? kept(o) : null
  }
  if (i.duplicateOf === undefined) {
    // The household never changes on an order, so its twin can be looked for before the write.
    const order = await d.store.orders.get(i.id)
    if (order && canView(a, order)) {
      const recent = await d.store.orders.list({ householdIds: [order.householdId], limit: RECENT_ORDERS })
      named = pickKept(order, recent.items.map(kept))
    }
  }
  return runCommand(d, a, i.id, { type: 'cancel_duplicate', keep: named })
}
