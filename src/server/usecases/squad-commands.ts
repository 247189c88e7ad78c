/**
 * The delivery squad's commands beyond claim/release: the doorstep protocol, pairs, parcels, and
 * the coordinator's reassignment. Each one is read → decide → compare-and-set via runCommand; the
 * rules live in core/order (decide.ts, protocol.ts). Here: only the facts decide needs from the
 * store (who a named person is, the community's parcel hold).
 */
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import type { SquadCandidate } from '../../core/order/decide'
import { DEFAULT_PARCEL_HOLD_MINUTES } from '../../core/order/protocol'
import { stepAlreadyRecorded } from '../../core/order/step-time'
import type { Order } from '../../core/order/types'
import type { OrderView } from '../../core/views'
import type { Deps } from '../deps'
import { runCommand } from './order-commands'

/** A person as decide sees a partner or reassign target. Unknown ids are nobody's squad. */
async function candidate(deps: Deps, id: string): Promise<SquadCandidate> {
  const p = await deps.store.people.get(id)
  return { id, name: p?.name ?? '', squadOf: p?.squadOf ?? null }
}

/**
 * One doorstep step. With tappedAt (a late step from the offline queue) it is recorded at that time
 * within bounds, and a resend of a step already recorded in this attempt is answered as it is
 * (core/order/step-time.ts).
 */
export const stepOrder = (d: Deps, a: Actor, i: ParsedInputOf<'order.step'>): Promise<OrderView> =>
  runCommand(
    d,
    a,
    i.id,
    {
      type: 'step',
      step: i.step,
      ...(i.skipReason ? { skipReason: i.skipReason } : {}),
      ...(i.tappedAt !== undefined ? { tappedAt: i.tappedAt } : {}),
    },
    i.tappedAt !== undefined ? (o) => stepAlreadyRecorded(o, i.step, a) : undefined,
  )

export async function addPartner(d: Deps, a: Actor, i: ParsedInputOf<'order.addPartner'>): Promise<OrderView> {
  return runCommand(d, a, i.id, { type: 'add_partner', partner: await candidate(d, i.partnerId) })
}

export async function reassignOrder(d: Deps, a: Actor, i: ParsedInputOf<'order.reassign'>): Promise<OrderView> {
  const to = await candidate(d, i.toId)
  const type = (o: Order) => (o.status === 'pending' ? ('assign' as const) : ('reassign' as const))
  return runCommand(d, a, i.id, (o) => (i.reason ? { type: type(o), to, reason: i.reason } : { type: type(o), to }))
}

/** Handover parcels: 已到门岗, recorded by the holder or partner (before 已消杀). */
export const parcelArrived = (d: Deps, a: Actor, i: ParsedInputOf<'order.parcelArrived'>): Promise<OrderView> =>
  runCommand(d, a, i.id, { type: 'parcel_arrived' })

/**
 * The hold comes from the caller's squad community: decide only accepts the command from the
 * holder, who is on the order's community squad, so that is the order's community.
 */
export async function disinfectParcel(d: Deps, a: Actor, i: ParsedInputOf<'order.disinfectParcel'>): Promise<OrderView> {
  const community = a.squadOf ? await d.store.communities.get(a.squadOf) : null
  const holdMinutes = community?.parcelHoldMinutes ?? DEFAULT_PARCEL_HOLD_MINUTES
  return runCommand(d, a, i.id, { type: 'disinfect_parcel', holdMinutes })
}
