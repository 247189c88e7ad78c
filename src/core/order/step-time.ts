/**
 * Steps tapped without signal (offline queue, client/step-queue.ts): the time a late step is
 * recorded at, when a resend is the same step, and how a refusal of a late step is worded. Pure.
 *
 * The time (`tappedAt`, the phone's clock at the tap) is kept within bounds:
 *  - Not in the future. Up to STEP_CLOCK_SKEW_MS (2 min) ahead of the server is a phone clock a
 *    little fast: clamped to now. Further ahead is a phone clock that is wrong: refused
 *    (ORDER.STEP_TIME_INVALID, reason 'future'), because none of its times can be trusted.
 *  - Not before the attempt: the attempt starts at the latest claim / assign / reassign / depart
 *    (the event that put this holder on this trip to the door). A tap earlier than that, by more
 *    than the skew, belongs to an earlier trip or holder: refused (reason 'before_attempt'). Within
 *    the skew it is clamped to the attempt's start.
 *  - Not before the previous step of the attempt: clamped to that step's time (the steps are in
 *    order, so the step cannot have happened earlier; a slow phone clock must not lose the step).
 *
 * Idempotency: a step sent with tappedAt (a resend from the queue, whose first send may have landed
 * without an answer) that is already recorded in the current attempt is the same step: answered ok
 * with the order as it is, nothing written, nothing notified. The key is (order, step, attempt):
 * the attempt's records are order.protocol, which no_answer / release / return_to_board clear.
 * A tap without tappedAt (online, answered at once) keeps the plain rule: a repeat is refused as
 * 已登记 (ORDER.STEP_OUT_OF_ORDER).
 */
import { AppError } from '../errors'
import type { Actor } from '../actor'
import { relationsTo } from './policy'
import { protocolOf, stepLabel, type ProtocolStep } from './protocol'
import type { Order, OrderEventName } from './types'

/** How far a phone's clock may run ahead of (or behind) the server's and still be believed. */
export const STEP_CLOCK_SKEW_MS = 2 * 60_000

/** Events that start an attempt: this holder, this trip to the door. */
const ATTEMPT_STARTS: readonly OrderEventName[] = ['claim', 'assign', 'reassign', 'depart']

/** When the current attempt started (null: never claimed). */
export function attemptStartedAt(order: Pick<Order, 'timeline'>): number | null {
  for (let i = order.timeline.length - 1; i >= 0; i--) {
    const t = order.timeline[i]!
    if (ATTEMPT_STARTS.includes(t.event)) return t.at
  }
  return null
}

/** The time to record a step tapped at `tappedAt`, heard by the server at `now` (see the note above). */
export function stepTime(order: Pick<Order, 'timeline' | 'protocol'>, step: ProtocolStep, tappedAt: number, now: number): number {
  if (tappedAt > now + STEP_CLOCK_SKEW_MS) {
    throw new AppError('ORDER.STEP_TIME_INVALID', {
      message: `手机时间比实际时间快了很多，离线时点的「${stepLabel(step)}」没有记上。请把手机设为自动设置时间后重新点`,
      details: { reason: 'future', step },
    })
  }
  const start = attemptStartedAt(order)
  if (start !== null && tappedAt < start - STEP_CLOCK_SKEW_MS) {
    throw new AppError('ORDER.STEP_TIME_INVALID', {
      message: `「${stepLabel(step)}」是在这一趟出发之前点的，没有记上。请按现在的进度重新点`,
      details: { reason: 'before_attempt', step },
    })
  }
  const previous = protocolOf(order).at(-1)?.at
  const floor = Math.max(start ?? -Infinity, previous ?? -Infinity)
  return Math.min(now, Math.max(tappedAt, floor))
}

/**
 * A resend that needs no write: the step is already recorded in this attempt, and the caller
 * holds the order (holder or partner) or recorded that step themselves (it landed, then the order
 * was reassigned: saying it was not recorded would be false).
 */
export function stepAlreadyRecorded(order: Order, step: ProtocolStep, actor: Actor): boolean {
  const rec = protocolOf(order).find((r) => r.step === step)
  if (!rec) return false
  return relationsTo(actor, order).has('holder') || rec.by.id === actor.id
}

/**
 * A late step refused because the order moved on while the phone was offline: the same code,
 * said plainly (what happened to the order, and that the step was not recorded).
 */
export function lateStepRefusal(order: Order, step: ProtocolStep, actor: Actor, err: AppError): AppError {
  if (err.code !== 'ORDER.NOT_HOLDER' && err.code !== 'ORDER.INVALID_TRANSITION' && err.code !== 'ORDER.STEP_OUT_OF_ORDER') return err
  const lost = `刚才离线时点的「${stepLabel(step)}」没有记上`
  const details = { ...(err.details ?? {}), step }
  if (order.status === 'cancelled') {
    return new AppError('ORDER.INVALID_TRANSITION', { message: `这个订单已经取消了，${lost}`, details })
  }
  if (order.status === 'pending') {
    return new AppError('ORDER.INVALID_TRANSITION', { message: `这个订单已经退回任务大厅，${lost}`, details })
  }
  if (!relationsTo(actor, order).has('holder')) {
    return new AppError('ORDER.NOT_HOLDER', { message: `这个订单已经改派给别人了，${lost}`, details })
  }
  if (err.code === 'ORDER.STEP_OUT_OF_ORDER') return err
  return new AppError(err.code, { message: `订单已经有了新进展，${lost}，请按现在的步骤继续`, details })
}
