/**
 * Decider for the order aggregate: `decide` checks a command against the current order and the
 * transition table and returns the event to record; `evolve` applies an event. Both are pure.
 */
import { AppError, assertNever } from '../errors'
import type { Actor } from '../actor'
import { findTransition, type Relation, type Transition } from './transitions'
import type { DeliveryOutcome, Order, OrderStatus, PersonRef, Rating } from './types'
import { relationsTo } from './policy'

export type OrderCommand =
  | { type: 'cancel'; reason?: string }
  | { type: 'claim' }
  | { type: 'release'; reason: string }
  | { type: 'reassign'; to: PersonRef }
  | { type: 'depart' }
  | { type: 'call_resident' }
  | { type: 'no_answer' }
  | { type: 'deliver'; outcome: DeliveryOutcome; missing?: string[] }
  | { type: 'confirm' }
  | { type: 'rate'; stars: number; comment: string }

export interface OrderEvent {
  type: Transition['event']
  at: number
  by: PersonRef
  from: OrderStatus
  to: OrderStatus
  note?: string
  holder?: PersonRef | null
  outcome?: DeliveryOutcome
  missing?: string[]
  rating?: Rating
}

function actorRef(actor: Actor, relations: ReadonlySet<Relation>): PersonRef {
  const role = relations.has('member') ? 'resident' : relations.has('coordinator') && !relations.has('squad') ? 'coordinator' : 'squad'
  return { id: actor.id, name: actor.name, role }
}

export function decide(order: Order, cmd: OrderCommand, actor: Actor, now: number): OrderEvent {
  const relations = relationsTo(actor, order)
  const t = findTransition(order.status, cmd.type)
  if (!t) {
    if (cmd.type === 'claim' && order.holder) {
      throw new AppError('ORDER.ALREADY_CLAIMED', {
        message: `这个订单已由${order.holder.name}接单`,
        details: { holder: order.holder.name },
      })
    }
    if (cmd.type === 'rate' && order.rating) throw new AppError('ORDER.ALREADY_RATED')
    throw new AppError('ORDER.INVALID_TRANSITION', {
      details: { status: order.status, event: cmd.type },
    })
  }
  if (!t.who.some((r) => relations.has(r))) {
    if (t.who.includes('holder') && relations.has('squad')) throw new AppError('ORDER.NOT_HOLDER')
    throw new AppError('AUTH.FORBIDDEN')
  }
  const base = { type: t.event, at: now, by: actorRef(actor, relations), from: t.from, to: t.to }
  switch (cmd.type) {
    case 'claim':
      return { ...base, holder: { id: actor.id, name: actor.name, role: 'squad' } }
    case 'release':
      return { ...base, note: cmd.reason, holder: null }
    case 'reassign':
      return { ...base, note: `改派给${cmd.to.name}`, holder: cmd.to }
    case 'cancel':
      return cmd.reason ? { ...base, note: cmd.reason } : base
    case 'deliver':
      return { ...base, outcome: cmd.outcome, missing: cmd.missing ?? [] }
    case 'rate':
      if (order.rating) throw new AppError('ORDER.ALREADY_RATED')
      return { ...base, rating: { stars: cmd.stars, comment: cmd.comment, at: now } }
    case 'depart':
    case 'call_resident':
    case 'no_answer':
    case 'confirm':
      return base
    default:
      return assertNever(cmd)
  }
}

export function evolve(order: Order, ev: OrderEvent): Order {
  const next: Order = {
    ...order,
    status: ev.to,
    updatedAt: ev.at,
    version: order.version + 1,
    timeline: [...order.timeline, { at: ev.at, event: ev.type, by: ev.by, ...(ev.note ? { note: ev.note } : {}) }],
  }
  switch (ev.type) {
    case 'claim':
    case 'reassign':
      next.holder = ev.holder ?? null
      return next
    case 'release':
      next.holder = null
      next.partner = null
      return next
    case 'deliver':
      next.outcome = ev.outcome
      next.missing = ev.missing ?? []
      return next
    case 'rate':
      next.rating = ev.rating
      next.followUp = (ev.rating?.stars ?? 5) <= 2
      return next
    case 'cancel':
    case 'depart':
    case 'call_resident':
    case 'no_answer':
    case 'confirm':
      return next
    default:
      return assertNever(ev.type)
  }
}
