/**
 * Resends: a command sent again (a network retry, a double tap, the same call from two phones of
 * the same person) whose effect the order already shows, from this caller. It is answered with the
 * order as it is (no write, no notification, no event), so a retry never hears "already claimed by
 * you" or "invalid transition" for what it did itself. Pure; runCommand asks before deciding.
 *
 * Only commands whose goal state is unambiguous are resends. Left out on purpose:
 *  - rate (a rating is given once: ORDER.ALREADY_RATED), disinfect_parcel and parcel_arrived (once:
 *    ORDER.PARCEL_ALREADY_DISINFECTED / ORDER.PARCEL_ALREADY_ARRIVED), reassign/assign to the same person (ORDER.ALREADY_HOLDER):
 *    each has its own stable refusal that says so and changes nothing;
 *  - doorstep steps without tappedAt: a live tap of a recorded step hears which step is due
 *    (ORDER.STEP_OUT_OF_ORDER); the offline queue resends with tappedAt and is answered ok
 *    (step-time.ts stepAlreadyRecorded);
 *  - no_answer, return_to_board, drop_partner: the same event may rightly happen again later.
 */
import type { Actor } from '../actor'
import { assertNever } from '../errors'
import type { OrderCommand } from './decide'
import { relationsTo } from './policy'
import type { Order } from './types'

export function isResend(order: Order, cmd: OrderCommand, actor: Actor): boolean {
  const rel = relationsTo(actor, order)
  const last = order.timeline[order.timeline.length - 1]
  const lastIsMine = (event: string) => last !== undefined && last.event === event && last.by.id === actor.id
  switch (cmd.type) {
    case 'claim':
      // The claimer still holds it (whatever step they are at).
      return order.holder?.id === actor.id && (order.status === 'claimed' || order.status === 'delivering' || order.status === 'at_door')
    case 'release':
      // Back on the board by this caller's release, and nobody took it since.
      return order.status === 'pending' && lastIsMine('release')
    case 'cancel':
      return order.status === 'cancelled' && (rel.has('member') || rel.has('coordinator') || (rel.has('placer') && lastIsMine('cancel')))
    case 'cancel_duplicate':
      // Already cancelled as 重复下单 by this caller.
      return order.status === 'cancelled' && order.duplicateOf !== undefined && lastIsMine('cancel_duplicate')
    case 'confirm':
      return order.status === 'confirmed' && rel.has('member')
    case 'depart':
      return order.status === 'delivering' && lastIsMine('depart')
    case 'deliver':
      return order.status === 'delivered' && lastIsMine('deliver') && order.outcome === cmd.outcome
    case 'add_partner':
      return rel.has('holder') && order.holder?.id === actor.id && order.partner?.id === cmd.partner.id
    case 'reassign':
    case 'assign':
    case 'call_resident':
    case 'no_answer':
    case 'rate':
    case 'step':
    case 'disinfect_parcel':
    case 'parcel_arrived':
    case 'return_to_board':
    case 'drop_partner':
      return false
    default:
      return assertNever(cmd)
  }
}
