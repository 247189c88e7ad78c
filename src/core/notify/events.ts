/**
 * Which order events produce which notifications: ONE explicit table over every event name
 * (adding an event to ORDER_EVENTS fails to compile until it has a row here). Pure.
 *
 * Audiences:
 *  - household:    every member of the order's household except whoever caused the event
 *  - building:     the building's group chat (robot); deduplicated per building + unit within
 *                  ARRIVING_BUCKET_MS, so a squad working three doors in one unit posts once
 *  - coordinators: the coordinators' group chat (robot)
 *  - holder:       the squad member now holding the order, when someone else put it in their hands
 */
import type { Order, OrderEventName } from '../order/types'
import type { Channel, NoticeKind } from './types'

export type Audience = 'household' | 'building' | 'coordinators' | 'holder'

export interface NoticeRule {
  kind: NoticeKind
  audience: Audience
  channels: readonly Channel[]
  /** Only when this holds for the order in its new state. */
  when?: (order: Order) => boolean
}

const RESIDENT_ALERT = ['inbox', 'subscribe'] as const
const INBOX = ['inbox'] as const
const GROUP = ['robot'] as const

export const ORDER_EVENT_NOTICES: { readonly [E in OrderEventName]: readonly NoticeRule[] } = {
  place: [{ kind: 'urgent', audience: 'coordinators', channels: GROUP, when: (o) => o.urgency === 'urgent' }],
  cancel: [{ kind: 'cancelled', audience: 'household', channels: INBOX }],
  claim: [{ kind: 'claimed', audience: 'household', channels: RESIDENT_ALERT }],
  release: [{ kind: 'released', audience: 'household', channels: INBOX }],
  reassign: [
    { kind: 'reassigned', audience: 'household', channels: INBOX },
    { kind: 'handed_to_you', audience: 'holder', channels: INBOX },
  ],
  // Assigned by the coordinator: for the resident it is the same news as a claim.
  assign: [
    { kind: 'claimed', audience: 'household', channels: RESIDENT_ALERT },
    { kind: 'handed_to_you', audience: 'holder', channels: INBOX },
  ],
  depart: [],
  // The squad's first tap at the building: the building's group hears which unit to get ready.
  disinfect_corridor: [{ kind: 'arriving', audience: 'building', channels: GROUP }],
  remove_seal: [],
  call_resident: [{ kind: 'at_door', audience: 'household', channels: RESIDENT_ALERT }],
  picked_up: [],
  restore_seal: [],
  disinfect_again: [{ kind: 'delivered', audience: 'household', channels: RESIDENT_ALERT }],
  deliver: [{ kind: 'delivered', audience: 'household', channels: RESIDENT_ALERT }],
  no_answer: [{ kind: 'no_answer', audience: 'household', channels: RESIDENT_ALERT }],
  confirm: [],
  rate: [],
  add_partner: [],
  // The family's parcel reached the gate: the resident hears it is being disinfected.
  parcel_arrived: [{ kind: 'parcel_arrived', audience: 'household', channels: INBOX }],
  disinfect_parcel: [],
  // A deactivated holder's order back on the board: the resident hears it is being re-arranged.
  return_to_board: [{ kind: 'returned', audience: 'household', channels: INBOX }],
  drop_partner: [],
  // 重复下单: the household hears which order is kept (inbox only; no group hears of it).
  cancel_duplicate: [{ kind: 'duplicate_cancelled', audience: 'household', channels: INBOX }],
}

export const ARRIVING_BUCKET_MS = 15 * 60_000

/** The rules that apply to `event` for `order` (in its new state). */
export function rulesFor(event: OrderEventName, order: Order): NoticeRule[] {
  return ORDER_EVENT_NOTICES[event].filter((r) => !r.when || r.when(order))
}
