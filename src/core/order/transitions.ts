/**
 * The order state machine: ONE explicit table. Every status change in the product is a row here;
 * use cases never assign `status` by hand (see decide.ts).
 *
 * `who` names the relation the actor must have to the order (see policy.ts):
 *  - member:      belongs to the order's household (resident)
 *  - squad:       squad member of the order's community
 *  - holder:      the squad member who claimed it, or their partner (首接负责制)
 *  - coordinator: coordinator of the order's community
 *  - placer:      the squad member who placed it for the household (代下单, placedBy)
 */
import type { OrderEventName, OrderStatus } from './types'

export type Relation = 'member' | 'squad' | 'holder' | 'coordinator' | 'placer'

export interface Transition {
  from: OrderStatus
  event: Exclude<OrderEventName, 'place'>
  to: OrderStatus
  who: readonly Relation[]
}

export const TRANSITIONS: readonly Transition[] = [
  // The squad member who placed a 代下单 may withdraw it while nobody has claimed it.
  { from: 'pending', event: 'cancel', to: 'cancelled', who: ['member', 'coordinator', 'placer'] },
  // 重复下单: the same household has another open order, which is kept (decide.ts checks it). Unclaimed:
  // the placer or a coordinator; claimed: also the holder. It leaves the board and is never overdue.
  { from: 'pending', event: 'cancel_duplicate', to: 'cancelled', who: ['placer', 'coordinator'] },
  { from: 'claimed', event: 'cancel_duplicate', to: 'cancelled', who: ['holder', 'placer', 'coordinator'] },
  { from: 'pending', event: 'claim', to: 'claimed', who: ['squad'] },
  { from: 'claimed', event: 'release', to: 'pending', who: ['holder'] },
  // Nobody took it in time: the coordinator names who does (指派), or hands it over (改派).
  { from: 'pending', event: 'assign', to: 'claimed', who: ['coordinator'] },
  { from: 'claimed', event: 'reassign', to: 'claimed', who: ['coordinator'] },
  { from: 'delivering', event: 'reassign', to: 'delivering', who: ['coordinator'] },
  { from: 'claimed', event: 'depart', to: 'delivering', who: ['holder'] },
  // The doorstep protocol, one row per step (order and skipping rules: protocol.ts).
  { from: 'delivering', event: 'disinfect_corridor', to: 'delivering', who: ['holder'] },
  { from: 'delivering', event: 'remove_seal', to: 'delivering', who: ['holder'] },
  { from: 'delivering', event: 'call_resident', to: 'at_door', who: ['holder'] },
  { from: 'at_door', event: 'picked_up', to: 'at_door', who: ['holder'] },
  { from: 'at_door', event: 'restore_seal', to: 'at_door', who: ['holder'] },
  { from: 'at_door', event: 'disinfect_again', to: 'delivered', who: ['holder'] },
  { from: 'at_door', event: 'no_answer', to: 'claimed', who: ['holder'] },
  // The last step with an explicit outcome (放门口 / 部分缺货 / 已交付).
  { from: 'at_door', event: 'deliver', to: 'delivered', who: ['holder'] },
  // Pairs: the claimer adds (or changes) a partner while the order is being worked.
  { from: 'claimed', event: 'add_partner', to: 'claimed', who: ['holder'] },
  { from: 'delivering', event: 'add_partner', to: 'delivering', who: ['holder'] },
  { from: 'at_door', event: 'add_partner', to: 'at_door', who: ['holder'] },
  // Handover parcels: 已到门岗 first (the parcel is at the gate), then 已消杀 starts the hold (community.parcelHoldMinutes) before depart.
  { from: 'claimed', event: 'parcel_arrived', to: 'claimed', who: ['holder'] },
  { from: 'claimed', event: 'disinfect_parcel', to: 'claimed', who: ['holder'] },
  { from: 'delivered', event: 'confirm', to: 'confirmed', who: ['member'] },
  { from: 'delivered', event: 'rate', to: 'confirmed', who: ['member'] },
  { from: 'confirmed', event: 'rate', to: 'confirmed', who: ['member'] },
  // A squad member is deactivated (squad.deactivate): what they held goes back to the board, and
  // orders where they were only the partner lose the partner. The coordinator acts.
  { from: 'claimed', event: 'return_to_board', to: 'pending', who: ['coordinator'] },
  { from: 'delivering', event: 'return_to_board', to: 'pending', who: ['coordinator'] },
  { from: 'at_door', event: 'return_to_board', to: 'pending', who: ['coordinator'] },
  { from: 'claimed', event: 'drop_partner', to: 'claimed', who: ['coordinator'] },
  { from: 'delivering', event: 'drop_partner', to: 'delivering', who: ['coordinator'] },
  { from: 'at_door', event: 'drop_partner', to: 'at_door', who: ['coordinator'] },
]

/** Orders are created by 'place' (resident for their household, or a squad member as 代下单). */
export const INITIAL_STATUS: OrderStatus = 'pending'

export function findTransition(from: OrderStatus, event: Transition['event']): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.event === event)
}

/** Events that may be fired from a status (for buttons on a page). */
export function eventsFrom(from: OrderStatus): Transition['event'][] {
  return TRANSITIONS.filter((t) => t.from === from).map((t) => t.event)
}
