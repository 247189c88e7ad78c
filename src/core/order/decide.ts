/**
 * Decider for the order aggregate: `decide` checks a command against the current order and the
 * transition table and returns the event to record; `evolve` applies an event. Both are pure.
 * Order of checks: transition row (status) → relation (who) → the command's own rules (protocol
 * order, parcel hold, targets), so a refusal never tells a stranger more than the status.
 */
import { AppError, assertNever } from '../errors'
import type { Actor } from '../actor'
import { findTransition, type Relation, type Transition } from './transitions'
import type { DeliveryOutcome, Order, OrderEvent, PersonRef, ProtocolStep, ProtocolStepRecord } from './types'
import { relationsTo } from './policy'
import { withWatch } from './deadlines'
import {
  deliverableAt,
  isProtocolStep,
  nextStep,
  parcelHoldMessage,
  parcelReadiness,
  protocolOf,
  stepLabel,
} from './protocol'
import { lateStepRefusal, stepTime } from './step-time'
import { expectKept, orderNo, type KeptOrder } from './duplicate'

/**
 * A person named as partner or reassign target, as the server's records describe them. The use
 * case looks them up; decide checks they are on this community's squad.
 */
export interface SquadCandidate {
  id: string
  name: string
  squadOf: string | null
}

export type OrderCommand =
  | { type: 'cancel'; reason?: string }
  /** 重复下单: keep is the household's other open order the use case found or was named (null: none). */
  | { type: 'cancel_duplicate'; keep: KeptOrder | null }
  | { type: 'claim' }
  | { type: 'release'; reason: string }
  | { type: 'reassign'; to: SquadCandidate; reason?: string }
  /** A waiting order nobody claimed: the coordinator names the squad member who takes it. */
  | { type: 'assign'; to: SquadCandidate; reason?: string }
  | { type: 'depart' }
  /** Same as { type: 'step', step: 'call_resident' } (kept for order.advance). */
  | { type: 'call_resident' }
  | { type: 'no_answer' }
  /** The last protocol step (再次消杀) with an explicit outcome (or the one-tap path, protocol.ts). */
  | { type: 'deliver'; outcome: DeliveryOutcome; missing?: string[] }
  | { type: 'confirm' }
  | { type: 'rate'; stars: number; comment: string }
  /** One tap of the doorstep protocol: done, or skipped when a reason is given. */
  /** tappedAt: a late step from the offline queue, recorded at that time within bounds (step-time.ts). */
  | { type: 'step'; step: ProtocolStep; skipReason?: string; tappedAt?: number }
  | { type: 'add_partner'; partner: SquadCandidate }
  /** Handover parcels: 已到门岗, the parcel is at the gate (before 已消杀). */
  | { type: 'parcel_arrived' }
  /** holdMinutes: the community's parcelHoldMinutes. */
  | { type: 'disinfect_parcel'; holdMinutes: number }
  /** The holder was deactivated: back to the board, holder and partner cleared (note: why). */
  | { type: 'return_to_board'; note: string }
  /** The partner (partnerId) was deactivated: the order keeps its holder and loses the partner. */
  | { type: 'drop_partner'; partnerId: string; note: string }

/** The event name a command fires: a protocol step fires the step's own event. */
export function eventOf(cmd: OrderCommand): Transition['event'] {
  return cmd.type === 'step' ? cmd.step : cmd.type
}

export type { OrderEvent }

function actorRef(actor: Actor, relations: ReadonlySet<Relation>): PersonRef {
  const role = relations.has('member') ? 'resident' : relations.has('coordinator') && !relations.has('squad') ? 'coordinator' : 'squad'
  return { id: actor.id, name: actor.name, role }
}

export function decide(order: Order, cmd: OrderCommand, actor: Actor, now: number): OrderEvent {
  if (cmd.type === 'step' && cmd.tappedAt !== undefined) {
    // A late step: the refusal says plainly what became of the order (step-time.ts).
    try {
      return decideNow(order, cmd, actor, now)
    } catch (e) {
      throw e instanceof AppError ? lateStepRefusal(order, cmd.step, actor, e) : e
    }
  }
  return decideNow(order, cmd, actor, now)
}

function decideNow(order: Order, cmd: OrderCommand, actor: Actor, now: number): OrderEvent {
  const relations = relationsTo(actor, order)
  const event = eventOf(cmd)
  const t = findTransition(order.status, event)
  if (!t) {
    // The holder tapping a step of the other phase at the door hears which step is due.
    if (isProtocolStep(event) && relations.has('holder') && (order.status === 'delivering' || order.status === 'at_door')) {
      throw stepOutOfOrder(order, event)
    }
    if (cmd.type === 'claim' && order.holder) {
      throw new AppError('ORDER.ALREADY_CLAIMED', {
        message: `这个订单已由${order.holder.name}接单`,
        details: { holder: order.holder.name },
      })
    }
    if (cmd.type === 'rate' && order.rating) throw new AppError('ORDER.ALREADY_RATED')
    // The placer may only withdraw an unclaimed 代下单; a claimed twin goes as 重复下单.
    if (cmd.type === 'cancel' && relations.has('placer') && order.holder && order.status === 'claimed') {
      throw new AppError('ORDER.ALREADY_CLAIMED', {
        message: `这个订单已由${order.holder.name}接单，不能撤回；如果是重复下单，请选「重复下单」`,
        details: { holder: order.holder.name },
      })
    }
    throw new AppError('ORDER.INVALID_TRANSITION', {
      details: { status: order.status, event },
    })
  }
  if (!t.who.some((r) => relations.has(r))) {
    if (cmd.type === 'cancel_duplicate' && relations.has('squad')) {
      throw new AppError('ORDER.NOT_PLACER', { message: '只有代下单的队员、接单人或社区工作人员才能按重复下单取消' })
    }
    if (t.who.includes('placer') && relations.has('squad')) throw new AppError('ORDER.NOT_PLACER')
    if (t.who.includes('holder') && relations.has('squad')) throw new AppError('ORDER.NOT_HOLDER')
    throw new AppError('AUTH.FORBIDDEN')
  }
  // The row's from/to and who; each case names its own event type (the row's event is the same).
  // Each event starts with its type, then `base`: a literal that starts with a spread and adds keys
  // gets a shape of its own every time on Node 20 (deadlines.ts withWatch, shapes.test.ts).
  const base = { at: now, by: actorRef(actor, relations), from: t.from, to: t.to }
  switch (cmd.type) {
    case 'claim':
      return { type: 'claim', ...base, holder: { id: actor.id, name: actor.name, role: 'squad' } }
    case 'release':
      return { type: 'release', ...base, note: cmd.reason }
    case 'reassign': {
      const to = squadRef(order, cmd.to)
      if (order.holder?.id === to.id) {
        throw new AppError('ORDER.ALREADY_HOLDER', { message: `这个订单已经由${to.name}负责了` })
      }
      return { type: 'reassign', ...base, note: `改派给${to.name}${cmd.reason ? `：${cmd.reason}` : ''}`, holder: to }
    }
    case 'assign': {
      const to = squadRef(order, cmd.to)
      return { type: 'assign', ...base, note: `指派给${to.name}${cmd.reason ? `：${cmd.reason}` : ''}`, holder: to }
    }
    case 'cancel':
      return { type: 'cancel', ...base, ...(cmd.reason ? { note: cmd.reason } : {}) }
    case 'cancel_duplicate': {
      const keep = expectKept(order, cmd.keep)
      return { type: 'cancel_duplicate', ...base, note: `重复下单，保留订单${orderNo(keep.id)}`, duplicateOf: keep.id }
    }
    case 'deliver': {
      // Delivering is the protocol's last step (再次消杀) with an explicit outcome (protocol.ts).
      expectStep(order, 'disinfect_again')
      const missing = cmd.outcome === 'partial' ? missingLines(order, cmd.missing ?? []) : []
      const note =
        cmd.outcome === 'left_at_door' ? '放门口' : cmd.outcome === 'partial' ? `部分缺货：${missing.join('、')}` : undefined
      return {
        type: 'deliver',
        ...base,
        ...(note ? { note } : {}),
        outcome: cmd.outcome,
        missing,
        step: { step: 'disinfect_again' as const, at: now, by: base.by },
      }
    }
    case 'rate':
      if (order.rating) throw new AppError('ORDER.ALREADY_RATED')
      return { type: 'rate', ...base, rating: { stars: cmd.stars, comment: cmd.comment, at: now } }
    case 'depart':
      expectParcelReady(order, now)
      return { type: 'depart', ...base }
    case 'call_resident':
    case 'step': {
      const step = cmd.type === 'step' ? cmd.step : 'call_resident'
      const skipReason = cmd.type === 'step' ? cmd.skipReason : undefined
      if (step === 'call_resident') expectParcelReady(order, now)
      expectStep(order, step)
      const at = cmd.type === 'step' && cmd.tappedAt !== undefined ? stepTime(order, step, cmd.tappedAt, now) : now
      const record: ProtocolStepRecord = { step, at, by: base.by, ...(skipReason ? { skipReason } : {}) }
      const note = skipReason ? { note: `跳过：${skipReason}` } : {}
      // Completing the last step delivers the order (protocol.ts).
      if (step === 'disinfect_again') return { type: step, ...base, ...note, step: record, outcome: 'handed', missing: [] }
      return { type: step, ...base, ...note, step: record }
    }
    case 'add_partner': {
      // 首接负责制: the claimer chooses the pair, not the partner.
      if (order.holder?.id !== actor.id) throw new AppError('ORDER.NOT_CLAIMER')
      const partner = squadRef(order, cmd.partner)
      if (partner.id === order.holder.id) throw new AppError('ORDER.PARTNER_IS_HOLDER')
      return { type: 'add_partner', ...base, note: `搭档：${partner.name}`, partner }
    }
    case 'parcel_arrived':
      if (order.kind !== 'handover') throw new AppError('ORDER.NOT_A_PARCEL')
      if (order.parcelArrivedAt !== undefined) throw new AppError('ORDER.PARCEL_ALREADY_ARRIVED')
      return { type: 'parcel_arrived', ...base, parcelArrivedAt: now }
    case 'disinfect_parcel': {
      if (order.kind !== 'handover') throw new AppError('ORDER.NOT_A_PARCEL')
      if (order.disinfectedAt !== undefined) throw new AppError('ORDER.PARCEL_ALREADY_DISINFECTED')
      // The hold starts when the parcel is disinfected, and it can only be disinfected at the gate.
      if (order.parcelArrivedAt === undefined) throw new AppError('ORDER.PARCEL_NOT_ARRIVED')
      const readyAt = deliverableAt(now, cmd.holdMinutes)
      return { type: 'disinfect_parcel', ...base, note: parcelHoldMessage(now, readyAt, now), disinfectedAt: now, deliverableAt: readyAt }
    }
    case 'return_to_board':
      return { type: 'return_to_board', ...base, note: cmd.note }
    case 'drop_partner':
      // Only the partner named: a pair changed since the caller looked is not touched.
      if (order.partner?.id !== cmd.partnerId) {
        throw new AppError('ORDER.INVALID_TRANSITION', { message: '这个订单没有这位搭档', details: { status: order.status, event: 'drop_partner' } })
      }
      return { type: 'drop_partner', ...base, note: cmd.note }
    case 'no_answer':
      return { type: 'no_answer', ...base }
    case 'confirm':
      return { type: 'confirm', ...base }
    default:
      return assertNever(cmd)
  }
}

/**
 * Reassign target or partner: must be on this order's community's squad. The refusal does not
 * name the person, so an id cannot be used to learn a resident's name.
 */
function squadRef(order: Order, c: SquadCandidate): PersonRef {
  if (c.squadOf !== order.communityId) throw new AppError('ORDER.NOT_SQUAD_MEMBER')
  return { id: c.id, name: c.name, role: 'squad' }
}

function stepOutOfOrder(order: Order, step: ProtocolStep): AppError {
  const due = nextStep(order)
  const done = protocolOf(order).some((r) => r.step === step)
  const message =
    due === null
      ? '上门步骤已全部完成'
      : done
        ? `「${stepLabel(step)}」已登记，现在应进行「${stepLabel(due)}」`
        : `请先完成「${stepLabel(due)}」，确实无法完成请填写原因跳过`
  return new AppError('ORDER.STEP_OUT_OF_ORDER', { message, details: { step, expected: due } })
}

function expectStep(order: Order, step: ProtocolStep): void {
  if (nextStep(order) !== step) throw stepOutOfOrder(order, step)
}

function expectParcelReady(order: Order, now: number): void {
  const r = parcelReadiness(order, now)
  switch (r) {
    case 'ready':
      return
    case 'not_disinfected':
      throw new AppError('ORDER.PARCEL_NOT_DISINFECTED')
    case 'holding':
      throw new AppError('ORDER.PARCEL_HOLD', {
        message: parcelHoldMessage(order.disinfectedAt ?? now, order.deliverableAt ?? now, now),
        details: { deliverableAt: order.deliverableAt ?? null },
      })
    default:
      return assertNever(r)
  }
}

/** 部分缺货: the missing names, deduplicated; each must be a line on the order. */
function missingLines(order: Order, names: readonly string[]): string[] {
  const unique = [...new Set(names)]
  if (unique.length === 0) {
    throw new AppError('REQUEST.INVALID_INPUT', { message: '请选择缺货的物品', fields: { missing: '请选择缺货的物品' } })
  }
  const onOrder = new Set(order.lines.map((l) => l.name))
  const unknown = unique.filter((n) => !onOrder.has(n))
  if (unknown.length > 0) {
    throw new AppError('ORDER.UNKNOWN_LINE', {
      message: `「${unknown.join('、')}」不是这个订单里的物品`,
      details: { unknown: unknown.join('、') },
    })
  }
  return unique
}

/** Applies an event; the next deadline to watch (deadlines.ts) follows the new state. */
export function evolve(order: Order, ev: OrderEvent): Order {
  return withWatch(apply(order, ev))
}

function apply(order: Order, ev: OrderEvent): Order {
  const next: Order = {
    ...order,
    status: ev.to,
    updatedAt: ev.at,
    version: order.version + 1,
    // A step is on the timeline when it was done (a late step from the offline queue: when tapped).
    timeline: [...order.timeline, { at: 'step' in ev ? ev.step.at : ev.at, event: ev.type, by: ev.by, ...(ev.note ? { note: ev.note } : {}) }],
  }
  switch (ev.type) {
    case 'claim':
    case 'assign':
      next.holder = ev.holder
      return next
    case 'reassign':
      // The new holder picks their own partner.
      next.holder = ev.holder
      next.partner = null
      return next
    case 'release':
    case 'return_to_board':
      next.holder = null
      next.partner = null
      next.protocol = []
      return next
    case 'drop_partner':
      next.partner = null
      return next
    case 'deliver':
    case 'disinfect_again':
      withStep(next, order, ev.step)
      next.outcome = ev.outcome
      next.missing = ev.missing
      return next
    case 'disinfect_corridor':
    case 'remove_seal':
    case 'call_resident':
    case 'picked_up':
    case 'restore_seal':
      withStep(next, order, ev.step)
      return next
    case 'no_answer':
      // This attempt is over; the next one starts again at 消杀楼道 (the timeline keeps this one).
      next.protocol = []
      return next
    case 'add_partner':
      next.partner = ev.partner
      return next
    case 'parcel_arrived':
      next.parcelArrivedAt = ev.parcelArrivedAt
      return next
    case 'cancel_duplicate':
      next.duplicateOf = ev.duplicateOf
      return next
    case 'disinfect_parcel':
      next.disinfectedAt = ev.disinfectedAt
      next.deliverableAt = ev.deliverableAt
      return next
    case 'rate':
      next.rating = ev.rating
      next.followUp = ev.rating.stars <= 2
      return next
    case 'cancel':
    case 'depart':
    case 'confirm':
      return next
    default:
      return assertNever(ev)
  }
}

/** A step's record joins this attempt's protocol. */
function withStep(next: Order, order: Order, step: ProtocolStepRecord): void {
  next.protocol = [...protocolOf(order), step]
}
