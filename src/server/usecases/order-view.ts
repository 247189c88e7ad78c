/** Turns a stored order into what a given viewer may see (policy.ts decides). */
import type { Actor } from '../../core/actor'
import { canSeeHolderPhone, canSeeResidentPhone, relationsTo } from '../../core/order/policy'
import type { Order, PersonRef } from '../../core/order/types'
import type { OrderView } from '../../core/views'
import type { Deps } from '../deps'

export async function toView(deps: Deps, actor: Actor, order: Order): Promise<OrderView> {
  const rel = relationsTo(actor, order)
  // Squad members who do not hold the order see the building and unit, not the door, and no
  // resident's name: enough to choose what to claim, nothing that says who lives where.
  //
  // Nor the household id: ids spell the door ('h1-2-502' is 1号楼2单元502), so it is left out,
  // not replaced by an opaque token. The board and a non-holder's order.get need no way to tell
  // households apart (a token would still link one door's orders together), and the cloud has no
  // server secret to key a token that could not be brute-forced over the few hundred ids a
  // community has. The household's residents, the holder/partner and the coordinator keep it; so
  // does a squad member who placed the order for the household (代下单): they chose the door.
  const placedIt = rel.has('squad') && order.placedBy.id === actor.id
  const mayKnowHousehold = rel.has('member') || rel.has('holder') || rel.has('coordinator') || placedIt
  // Copies that keep one shape per kind of order: a spread copy given a key its source lacks (the
  // phones below) gets a shape of its own on Node 20 (deadlines.ts withWatch, shapes.test.ts).
  const view: OrderView = mayKnowHousehold ? Object.assign({}, order) : withoutHousehold(order)
  if (!mayKnowHousehold) {
    view.address = { ...order.address, floor: 0, room: '' }
    view.placedBy = anonymous(order.placedBy)
    view.timeline = order.timeline.map((t) => ({ ...t, by: anonymous(t.by) }))
  }
  if (canSeeResidentPhone(actor, order)) {
    const h = await deps.store.households.get(order.householdId)
    if (h) view.residentPhone = h.phone
  }
  if (canSeeHolderPhone(actor, order) && order.holder) {
    const p = await deps.store.people.get(order.holder.id)
    if (p) view.holderPhone = p.phone
  }
  return view
}

function withoutHousehold(order: Order): OrderView {
  const { householdId: _hidden, ...view } = order
  return view
}

/** A resident as a squad member who does not hold the order sees them. */
const anonymous = (p: PersonRef): PersonRef => (p.role === 'resident' ? { ...p, id: '', name: '居民' } : p)

export function toViews(deps: Deps, actor: Actor, orders: Order[]): Promise<OrderView[]> {
  return Promise.all(orders.map((o) => toView(deps, actor, o)))
}
