/**
 * Authorization policy: who may see and do what to which order. Pure; used by the api before any
 * write, and by redact() before anything leaves the server.
 */
import type { Actor } from '../actor'
import type { Relation } from './transitions'
import { ACTIVE_STATUSES, type Order } from './types'

export function relationsTo(actor: Actor, order: Order): ReadonlySet<Relation> {
  const r = new Set<Relation>()
  if (actor.households.includes(order.householdId)) r.add('member')
  if (actor.squadOf === order.communityId) {
    r.add('squad')
    if (order.holder?.id === actor.id || order.partner?.id === actor.id) r.add('holder')
    if (order.placedBy.role === 'squad' && order.placedBy.id === actor.id) r.add('placer')
  }
  if (actor.coordinatorOf === order.communityId) r.add('coordinator')
  return r
}

/** May the actor read this order at all? Members, the community's squad and its coordinators. */
export function canView(actor: Actor, order: Order): boolean {
  return relationsTo(actor, order).size > 0
}

/**
 * The resident's phone is visible to the squad member only while they hold the active order
 * (and to coordinators, who keep the register). Residents see their holder's name.
 */
export function canSeeResidentPhone(actor: Actor, order: Order): boolean {
  const r = relationsTo(actor, order)
  if (r.has('coordinator')) return true
  return r.has('holder') && ACTIVE_STATUSES.includes(order.status)
}

/** The household's member may call the squad member only while the order is active. */
export function canSeeHolderPhone(actor: Actor, order: Order): boolean {
  return relationsTo(actor, order).has('member') && ACTIVE_STATUSES.includes(order.status) && order.holder !== null
}
