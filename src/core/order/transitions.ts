/**
 * The order state machine: ONE explicit table. Every status change in the product is a row here;
 * use cases never assign `status` by hand (see decide.ts).
 *
 * `who` names the relation the actor must have to the order (see policy.ts):
 *  - member:      belongs to the order's household (resident)
 *  - squad:       squad member of the order's community
 *  - holder:      the squad member who claimed it, or their partner (首接负责制)
 *  - coordinator: coordinator of the order's community
 */
import type { OrderEventName, OrderStatus } from './types'

export type Relation = 'member' | 'squad' | 'holder' | 'coordinator'

export interface Transition {
  from: OrderStatus
  event: Exclude<OrderEventName, 'place'>
  to: OrderStatus
  who: readonly Relation[]
}

export const TRANSITIONS: readonly Transition[] = [
  { from: 'pending', event: 'cancel', to: 'cancelled', who: ['member', 'coordinator'] },
  { from: 'pending', event: 'claim', to: 'claimed', who: ['squad'] },
  { from: 'claimed', event: 'release', to: 'pending', who: ['holder'] },
  { from: 'claimed', event: 'reassign', to: 'claimed', who: ['coordinator'] },
  { from: 'delivering', event: 'reassign', to: 'delivering', who: ['coordinator'] },
  { from: 'claimed', event: 'depart', to: 'delivering', who: ['holder'] },
  { from: 'delivering', event: 'call_resident', to: 'at_door', who: ['holder'] },
  { from: 'at_door', event: 'no_answer', to: 'claimed', who: ['holder'] },
  { from: 'at_door', event: 'deliver', to: 'delivered', who: ['holder'] },
  { from: 'delivered', event: 'confirm', to: 'confirmed', who: ['member'] },
  { from: 'delivered', event: 'rate', to: 'confirmed', who: ['member'] },
  { from: 'confirmed', event: 'rate', to: 'confirmed', who: ['member'] },
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
