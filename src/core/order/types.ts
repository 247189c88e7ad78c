/** The order aggregate, as stored and as returned to clients (after redaction, see policy.ts). */

export type OrderKind = 'supplies' | 'meal' | 'handover' | 'garbage'
export type Urgency = 'normal' | 'urgent'
export type MealSlotName = 'breakfast' | 'lunch' | 'dinner'
export type DeliveryWindow = 'asap' | 'morning' | 'afternoon' | 'evening'
export type PersonRole = 'resident' | 'squad' | 'coordinator'

export const ORDER_STATUSES = [
  'pending',
  'claimed',
  'delivering',
  'at_door',
  'delivered',
  'confirmed',
  'cancelled',
] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

/** Statuses in which somebody still has to act for the resident. */
export const ACTIVE_STATUSES: readonly OrderStatus[] = ['pending', 'claimed', 'delivering', 'at_door']

export interface OrderLine {
  /** Catalog item id, or 'other' for a free-text line. */
  itemId: string
  name: string
  unit: string
  qty: number
  note?: string
  /** Medicine that needs a prescription: the squad must bring the paper too. */
  prescription?: boolean
  /** Medicine only: a photo of the box so the squad buys the right one (core/photo.ts file id). */
  photo?: string
}

export interface MealRequest {
  dish: string
  /** Beijing date 'YYYY-MM-DD' and named slot, or an exact instant (epoch ms). */
  date: string
  slot: MealSlotName | 'exact'
  at?: number
  dietary: string[]
}

export interface HandoverRequest {
  /** Who brings it to the gate, e.g. 父母, and what. */
  bringer: string
  items: string
  expectedAt: number
}

/** A person as others see them on an order. Phone only where policy allows. */
export interface PersonRef {
  id: string
  name: string
  role: PersonRole
}

export interface OrderAddress {
  buildingId: string
  building: string
  unit: number
  floor: number
  room: string
}

export interface TimelineEntry {
  at: number
  event: OrderEventName
  by: PersonRef
  note?: string
}

export const ORDER_EVENTS = [
  'place',
  'cancel',
  'claim',
  'release',
  'reassign',
  'assign',
  'depart',
  'call_resident',
  'no_answer',
  'deliver',
  'confirm',
  'rate',
  // squad: pairs, parcels and the doorstep protocol (see protocol.ts)
  'add_partner',
  'parcel_arrived',
  'disinfect_parcel',
  'disinfect_corridor',
  'remove_seal',
  'picked_up',
  'restore_seal',
  'disinfect_again',
  // coordinator: a deactivated squad member's orders (squad.deactivate)
  'return_to_board',
  'drop_partner',
  // squad: a 代下单 placed twice for the same household (or a coordinator); see transitions.ts
  'cancel_duplicate',
] as const
export type OrderEventName = (typeof ORDER_EVENTS)[number]

export type DeliveryOutcome = 'handed' | 'left_at_door' | 'partial'

/** The doorstep protocol's six steps, in order (rules: protocol.ts; labels: labels.ts STEP_LABELS). */
export const PROTOCOL_STEPS = [
  'disinfect_corridor',
  'remove_seal',
  'call_resident',
  'picked_up',
  'restore_seal',
  'disinfect_again',
] as const
export type ProtocolStep = (typeof PROTOCOL_STEPS)[number]

/** One tap of the doorstep protocol (protocol.ts): done, or skipped with a reason. */
export interface ProtocolStepRecord {
  step: ProtocolStep
  at: number
  by: PersonRef
  /** Present when the step was skipped. */
  skipReason?: string
}

export interface Rating {
  stars: number
  comment: string
  at: number
}

export interface Order {
  id: string
  communityId: string
  householdId: string
  address: OrderAddress
  kind: OrderKind
  status: OrderStatus
  urgency: Urgency
  urgentReason?: string
  lines: OrderLine[]
  meal?: MealRequest
  handover?: HandoverRequest
  window: DeliveryWindow
  notes: string
  /** Client-generated id of the submission: the same (placedBy, requestId) never makes two orders. */
  requestId: string
  placedBy: PersonRef
  holder: PersonRef | null
  partner: PersonRef | null
  outcome?: DeliveryOutcome
  missing?: string[]
  rating?: Rating
  /**
   * Doorstep protocol steps of the current attempt, in order (protocol.ts). Absent on orders stored
   * before the protocol existed: read it through protocolOf().
   */
  protocol?: ProtocolStepRecord[]
  /** Handover parcels: when the squad recorded 已到门岗 (the parcel reached the gate); 已消杀 needs it. */
  parcelArrivedAt?: number
  /** Handover parcels: when the squad recorded 已消杀. */
  disinfectedAt?: number
  /** Handover parcels: disinfectedAt + the community's hold; no depart/call before this (可配送). */
  deliverableAt?: number
  /** The optional photo of the restored door seal (core/photo.ts), by the holder or partner. */
  sealPhoto?: { fileId: string; at: number; by: PersonRef }
  /** Cancelled as 重复下单: the id of the same household's open order that is kept. */
  duplicateOf?: string
  /** Set when a resident rated 2 stars or less: the coordinators' 回访 queue. */
  followUp: boolean
  /** The coordinator's 回访 done: when, by whom, what came of it. */
  followUpDone?: { at: number; by: PersonRef; note: string }
  /** Delivery deadline (送达时限): when it should be at the door (core/order/schedule.ts orderDeadlines). */
  dueAt: number
  /**
   * Claim deadline (接单时限): somebody must have claimed it by then. Absent on orders placed before
   * community deadlines existed (they only have dueAt).
   */
  claimDueAt?: number
  /** When the timer job flagged it as not claimed by its claim deadline (once; core/order/deadlines.ts). */
  claimOverdueAt?: number
  /** When the timer job flagged it as not delivered by its delivery deadline (once). */
  deliverOverdueAt?: number
  /**
   * The next deadline the timer job must look at (derived by watchAt() in deadlines.ts, kept on
   * every write for the store's bounded query); absent when no deadline is left to flag.
   */
  watchAt?: number
  timeline: TimelineEntry[]
  createdAt: number
  updatedAt: number
  /** Incremented on every write; with status it is the compare-and-set guard. */
  version: number
}

/** What every recorded event has: the transition row it took (from → to), when, by whom, a note. */
interface EventBase<T extends Exclude<OrderEventName, 'place'>> {
  type: T
  at: number
  by: PersonRef
  from: OrderStatus
  to: OrderStatus
  note?: string
}

/** A protocol step before the last: the step's record (done, or skipped with a reason). */
export type StepEventName = Exclude<ProtocolStep, 'disinfect_again'>

/**
 * The events decide() returns and evolve() applies, one shape per event type: each carries exactly
 * the fields its change needs, so evolve reads no field its event type does not have.
 */
export type OrderEvent =
  /** 接单 / 指派: the new holder. */
  | (EventBase<'claim' | 'assign'> & { holder: PersonRef })
  /** 改派: the new holder; the partner is cleared (the new holder picks their own). */
  | (EventBase<'reassign'> & { holder: PersonRef })
  /** Back to the board: holder, partner and this attempt's steps cleared. */
  | EventBase<'release' | 'return_to_board'>
  | EventBase<'drop_partner'>
  | EventBase<'cancel' | 'depart' | 'confirm' | 'no_answer'>
  | (EventBase<StepEventName> & { step: ProtocolStepRecord })
  /** The last step (再次消杀), with how it ended: by the step itself ('handed') or order.deliver. */
  | (EventBase<'disinfect_again' | 'deliver'> & { step: ProtocolStepRecord; outcome: DeliveryOutcome; missing: string[] })
  | (EventBase<'add_partner'> & { partner: PersonRef })
  /** 已到门岗: the family's parcel reached the gate (the hold can start only after it). */
  | (EventBase<'parcel_arrived'> & { parcelArrivedAt: number })
  | (EventBase<'disinfect_parcel'> & { disinfectedAt: number; deliverableAt: number })
  /** 重复下单: cancelled, naming the household's open order it duplicates. */
  | (EventBase<'cancel_duplicate'> & { duplicateOf: string })
  | (EventBase<'rate'> & { rating: Rating })
