/**
 * The doorstep protocol (上门流程) and the parcel hold (家属送物静置). Pure: no clock, no store.
 *
 * Six steps per order, one tap each, timestamped, in this order:
 *   消杀楼道 → 拆除封条 → 电话通知取物 → 居民已取 → 恢复封条 → 再次消杀
 *
 * How the steps map to the existing statuses. Every step is its own event in the ONE transition
 * table (transitions.ts), so the status changes stay there and nowhere else:
 *
 *   status       step                 row
 *   delivering   disinfect_corridor   delivering → delivering
 *   delivering   remove_seal          delivering → delivering
 *   delivering   call_resident        delivering → at_door      (the existing row: 请取物 on the resident's phone)
 *   at_door      picked_up            at_door    → at_door
 *   at_door      restore_seal         at_door    → at_door
 *   at_door      disinfect_again      at_door    → delivered    (outcome 'handed')
 *
 * Why: `delivering` already means "the squad is on its way / in the building", and `at_door` is the
 * one status the resident watches for ("open the door now"). The first two steps happen before the
 * resident is told to come out, so they live in `delivering`; call_resident is the existing
 * delivering → at_door row; the resident's part and the squad's clean-up happen while the door is
 * open, so they stay in `at_door`; the order is only `delivered` once the door is sealed and the
 * corridor disinfected again — the squad's job is not finished before that.
 *
 * Other endings at the door:
 *  - 无人应答 no_answer: at_door → claimed (existing row). The attempt is over: the step records
 *    are cleared (they stay on the timeline) and the next attempt starts again at 消杀楼道.
 *  - 放门口 / 部分缺货: `deliver` (order.deliver) with outcome 'left_at_door' or 'partial' is the
 *    last step (再次消杀) with an explicit outcome, so it needs the same five steps before it (and it
 *    records 再次消杀). 部分缺货 names the missing lines, which must be lines of the order. For
 *    放门口 the squad skips 居民已取 with a reason (e.g. "放门口，居民稍后自取").
 *
 * Skipping: a tap always addresses the next expected step. With a reason the step is recorded as
 * skipped (the reason is kept on the step and on the timeline); without one it is recorded as
 * done. Tapping any other step is refused (ORDER.STEP_OUT_OF_ORDER), which names the step that
 * is due. A skipped step still fires its event, so skipping 电话通知取物 still moves to at_door.
 *
 * The protocol is mandatory: order.advance's call_resident is the 电话通知取物 step, and order.deliver
 * is the 再次消杀 step with an explicit outcome; both are refused out of turn like any other step.
 *
 * Parcels (kind 'handover'): the holder first records 已到门岗 ('parcel_arrived', parcelArrivedAt: the
 * parcel is at the gate), then 已消杀 ('disinfect_parcel') on the claimed order at T; 已消杀 before
 * 已到门岗 is refused (ORDER.PARCEL_NOT_ARRIVED), so the hold never starts before the parcel is there
 * (expected tomorrow 14:00, not started tonight). depart and call_resident are refused until
 * T + community.parcelHoldMinutes. `deliverableAt`
 * on the order is that instant, for the board's countdown (then 可配送).
 */
import { formatBeijing } from '../time'
import { PROTOCOL_STEPS, type Order, type ProtocolStep, type ProtocolStepRecord } from './types'

// The steps and their type live in types.ts (the order's own vocabulary); re-exported for callers.
export { PROTOCOL_STEPS, type ProtocolStep }
// The one table of step labels is labels.ts STEP_LABELS.
export { stepLabel } from './labels'

export const isProtocolStep = (s: unknown): s is ProtocolStep =>
  typeof s === 'string' && (PROTOCOL_STEPS as readonly string[]).includes(s)

/** Default hold after a parcel is disinfected, when the community record does not say. */
export const DEFAULT_PARCEL_HOLD_MINUTES = 120
/** The holds a coordinator can choose for their community (社区按防疫要求定). */
export const PARCEL_HOLD_CHOICES = [30, 60, 120, 180, 240] as const

/** The steps recorded so far in this attempt (orders stored before the protocol have none). */
export function protocolOf(order: Pick<Order, 'protocol'>): readonly ProtocolStepRecord[] {
  return order.protocol ?? []
}

/** The step the squad should tap next, or null when all six are recorded. */
export function nextStep(order: Pick<Order, 'protocol'>): ProtocolStep | null {
  return PROTOCOL_STEPS[protocolOf(order).length] ?? null
}

/** Whether the current attempt is being worked step by step (see the note at the top). */
export function protocolStarted(order: Pick<Order, 'protocol'>): boolean {
  return protocolOf(order).length > 0
}

/** All six steps recorded (done or skipped with a reason). */
export function protocolDone(order: Pick<Order, 'protocol'>): boolean {
  return nextStep(order) === null
}

/** Steps recorded as skipped, with their reasons (for the coordinators' review). */
export function skippedSteps(order: Pick<Order, 'protocol'>): ProtocolStepRecord[] {
  return protocolOf(order).filter((r) => r.skipReason !== undefined)
}

/** When a parcel disinfected at `disinfectedAt` may leave for the door. */
export function deliverableAt(disinfectedAt: number, holdMinutes: number): number {
  return disinfectedAt + holdMinutes * 60_000
}

/** Whether a handover order may go to the door at `now`; other kinds always may. */
export type ParcelReadiness = 'ready' | 'not_disinfected' | 'holding'

export function parcelReadiness(order: Pick<Order, 'kind' | 'deliverableAt'>, now: number): ParcelReadiness {
  if (order.kind !== 'handover') return 'ready'
  if (order.deliverableAt === undefined) return 'not_disinfected'
  return now < order.deliverableAt ? 'holding' : 'ready'
}

/** '2小时', '1小时30分钟', '45分钟'. */
export function holdLabel(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  if (h === 0) return `${m}分钟`
  return m === 0 ? `${h}小时` : `${h}小时${m}分钟`
}

/** '消杀后需静置2小时，14:35后可配送' (a date is added when it is not the same Beijing day). */
export function parcelHoldMessage(disinfectedAt: number, readyAt: number, now: number): string {
  const minutes = Math.round((readyAt - disinfectedAt) / 60_000)
  const sameDay = formatBeijing(readyAt, 'YYYY-MM-DD') === formatBeijing(now, 'YYYY-MM-DD')
  const when = formatBeijing(readyAt, sameDay ? 'HH:mm' : 'MM-DD HH:mm')
  return `消杀后需静置${holdLabel(minutes)}，${when}后可配送`
}
