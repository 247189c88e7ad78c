/**
 * squad.deactivate (coordinator): a member of the coordinator's community squad can no longer act.
 *
 * validate (schema) → authorize (coordinator standing; then: the person is on THIS community's
 * squad, not the coordinator themself) → use case:
 *  1. the person record loses its squad standing (squadOf null, grid cleared) and remembers it
 *     (squadDeactivatedAt, squadFormerOf) — from this write on, every squad action they try is
 *     refused by access.ts, because standing is read from the record on every call;
 *  2. every open order they HOLD goes back to the board through the transition table's
 *     return_to_board row, and every open order where they were only the PARTNER loses the partner
 *     (drop_partner) — each one read → decide → compare-and-set via runCommand, which also writes
 *     the resident's notice (core/notify/events.ts: returned) and publishes the live signal the rest
 *     of the squad's boards listen to.
 * Idempotent: a second call finds them deactivated, sweeps again (an order claimed in the instant
 * before step 1 is caught then) and answers alreadyInactive.
 */
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import { AppError, isAppError } from '../../core/errors'
import type { OrderCommand } from '../../core/order/decide'
import type { Order, OrderStatus } from '../../core/order/types'
import type { DeactivateView } from '../../core/views'
import type { Deps } from '../deps'
import type { Person } from '../ports'
import { runCommand } from './order-commands'
import { listAll } from './order-queries'

export const RETURN_NOTE = '队员已停用，订单退回任务大厅'
export const PARTNER_NOTE = '搭档已停用'
const HELD: OrderStatus[] = ['claimed', 'delivering', 'at_door']

export async function deactivateSquadMember(deps: Deps, actor: Actor, input: ParsedInputOf<'squad.deactivate'>): Promise<DeactivateView> {
  const communityId = actor.coordinatorOf!
  if (input.personId === actor.id) throw new AppError('SQUAD.CANNOT_DEACTIVATE_SELF')
  const person = await deps.store.people.get(input.personId)
  if (!person) throw new AppError('SQUAD.NOT_MEMBER')
  const active = person.squadOf === communityId
  const former = person.squadOf === null && person.squadFormerOf === communityId && person.squadDeactivatedAt !== undefined
  if (!active && !former) throw new AppError(person.squadOf !== null ? 'SQUAD.NOT_YOUR_COMMUNITY' : 'SQUAD.NOT_MEMBER')

  const now = deps.now()
  let deactivatedAt = person.squadDeactivatedAt ?? now
  if (active) {
    deactivatedAt = now
    const next: Person = { ...person, squadOf: null, squadGridId: null, squadDeactivatedAt: now, squadFormerOf: communityId }
    await deps.store.people.put(next)
    deps.log.info('squad.deactivated', { community: communityId })
  }

  // What they hold or pair on (holderId matches holder or partner; the store's holder/partner
  // indexes), in this community.
  const orders = (await listAll(deps, { holderId: person.id, statuses: HELD })).filter((o) => o.communityId === communityId)
  let returned = 0
  let partnerDropped = 0
  for (const o of orders) {
    const command = (order: Order): OrderCommand =>
      order.holder?.id === person.id
        ? { type: 'return_to_board', note: RETURN_NOTE }
        : { type: 'drop_partner', partnerId: person.id, note: PARTNER_NOTE }
    try {
      const view = await runCommand(deps, actor, o.id, command)
      if (view.status === 'pending') returned++
      else partnerDropped++
    } catch (e) {
      // Delivered, cancelled or handed on meanwhile: nothing of theirs is left on it.
      if (!isAppError(e) || (e.code !== 'ORDER.INVALID_TRANSITION' && e.code !== 'ORDER.NOT_FOUND')) throw e
    }
  }
  return { personId: person.id, name: person.name, deactivatedAt, returned, partnerDropped, alreadyInactive: !active }
}
