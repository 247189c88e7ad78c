/**
 * The order state machine, exhaustively: every (status, event) pair is either a row of the table,
 * which succeeds for the relations it names and is refused for everyone else, or it is refused.
 */
import { describe, expect, it } from 'vitest'
import type { Actor } from '../../src/core/actor'
import { decide, evolve, type OrderCommand } from '../../src/core/order/decide'
import { findTransition, TRANSITIONS, type Relation, type Transition } from '../../src/core/order/transitions'
import { ORDER_EVENTS, ORDER_STATUSES, type Order, type PersonRef, type ProtocolStepRecord } from '../../src/core/order/types'
import { isProtocolStep, nextStep, PROTOCOL_STEPS, protocolDone, type ProtocolStep } from '../../src/core/order/protocol'
import { AppError } from '../../src/core/errors'
import { makeOrder } from '../support/fixtures'

const NOW = Date.UTC(2026, 10, 22, 2, 0)
const HOLDER: PersonRef = { id: 'squad-a', name: '于红', role: 'squad' }
const PARTNER_REF: PersonRef = { id: 'squad-b', name: '王楠', role: 'squad' }
const PLACER_REF: PersonRef = { id: 'squad-p', name: '朝鲁门', role: 'squad' }
/** The household's other open order, kept when one is cancelled as 重复下单. */
const TWIN = { id: 'o-twin', householdId: 'h1', status: 'pending' as const, kind: 'supplies' as const, createdAt: NOW - 3600_000 }
const RETURN_NOTE = '队员已停用，订单退回任务大厅'

const actors: Record<Relation | 'stranger' | 'otherSquad', Actor> = {
  member: { id: 'res-1', name: '赵先生', households: ['h1'], squadOf: null, coordinatorOf: null },
  squad: { id: 'squad-b', name: '王楠', households: [], squadOf: 'c1', coordinatorOf: null },
  holder: { id: HOLDER.id, name: HOLDER.name, households: [], squadOf: 'c1', coordinatorOf: null },
  placer: { id: PLACER_REF.id, name: PLACER_REF.name, households: [], squadOf: 'c1', coordinatorOf: null },
  coordinator: { id: 'coord-1', name: '刘主任', households: [], squadOf: null, coordinatorOf: 'c1' },
  stranger: { id: 'res-2', name: '路人', households: ['h9'], squadOf: null, coordinatorOf: null },
  otherSquad: { id: 'squad-x', name: '外社区', households: [], squadOf: 'c2', coordinatorOf: null },
}

function commandFor(event: Transition['event']): OrderCommand {
  switch (event) {
    case 'release':
      return { type: 'release', reason: '临时有急事' }
    case 'reassign':
      return { type: 'reassign', to: { id: 'squad-c', name: '朝鲁门', squadOf: 'c1' } }
    case 'assign':
      return { type: 'assign', to: { id: 'squad-c', name: '朝鲁门', squadOf: 'c1' } }
    case 'deliver':
      return { type: 'deliver', outcome: 'handed' }
    case 'rate':
      return { type: 'rate', stars: 5, comment: '' }
    case 'add_partner':
      return { type: 'add_partner', partner: { id: 'squad-c', name: '朝鲁门', squadOf: 'c1' } }
    case 'disinfect_parcel':
      return { type: 'disinfect_parcel', holdMinutes: 120 }
    case 'return_to_board':
      return { type: 'return_to_board', note: RETURN_NOTE }
    case 'drop_partner':
      return { type: 'drop_partner', partnerId: PARTNER_REF.id, note: '搭档已停用' }
    case 'cancel_duplicate':
      return { type: 'cancel_duplicate', keep: TWIN }
    case 'disinfect_corridor':
    case 'remove_seal':
    case 'call_resident':
    case 'picked_up':
    case 'restore_seal':
    case 'disinfect_again':
      return { type: 'step', step: event }
    default:
      return { type: event } as OrderCommand
  }
}

/** Protocol records for the steps before `upTo` (all steps done, none skipped). */
function stepsBefore(upTo: ProtocolStep): ProtocolStepRecord[] {
  return PROTOCOL_STEPS.slice(0, PROTOCOL_STEPS.indexOf(upTo)).map((step, i) => ({ step, at: NOW - 60_000 * (6 - i), by: HOLDER }))
}

/**
 * An order in `status`, held by HOLDER unless pending or cancelled. With `event`, the order is
 * ready for it: the protocol steps before it are recorded, and a parcel is disinfected and held long
 * enough when the event is disinfect_parcel (a handover, not yet disinfected).
 */
function orderIn(status: Order['status'], event?: Transition['event']): Order {
  const held = status !== 'pending' && status !== 'cancelled'
  const protocol =
    event && isProtocolStep(event) ? stepsBefore(event)
    : event === 'deliver' ? stepsBefore('disinfect_again')
    : status === 'at_door' ? stepsBefore('picked_up')
    : []
  return makeOrder({
    communityId: 'c1',
    householdId: 'h1',
    status,
    holder: held ? HOLDER : null,
    version: 3,
    protocol,
    ...(event === 'parcel_arrived' ? { kind: 'handover' as const, lines: [] } : {}),
    ...(event === 'disinfect_parcel' ? { kind: 'handover' as const, lines: [], parcelArrivedAt: NOW - 60_000 } : {}),
    // Cancelling a 代下单: placed by PLACER (a squad member of the community).
    ...(event === 'cancel' || event === 'cancel_duplicate' ? { placedBy: PLACER_REF } : {}),
    ...(event === 'drop_partner' ? { partner: PARTNER_REF } : {}),
  })
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
    return undefined
  } catch (e) {
    return e instanceof AppError ? e.code : 'NOT_APP_ERROR'
  }
}

describe('transition table', () => {
  it('has at most one row per (from, event)', () => {
    const keys = TRANSITIONS.map((t) => `${t.from}/${t.event}`)
    expect(new Set(keys).size).toBe(keys.length)
  })
  it('never leaves a terminal status', () => {
    expect(TRANSITIONS.filter((t) => t.from === 'cancelled')).toEqual([])
  })
})

describe.each(TRANSITIONS.map((t) => [`${t.from} --${t.event}--> ${t.to}`, t] as const))('allowed: %s', (_, t) => {
  it.each(t.who.map((r) => [r]))('succeeds for %s', (rel) => {
    const order = orderIn(t.from, t.event)
    const ev = decide(order, commandFor(t.event), actors[rel], NOW)
    const next = evolve(order, ev)
    expect(next.status).toBe(t.to)
    expect(next.version).toBe(order.version + 1)
    expect(next.timeline.at(-1)).toMatchObject({ event: t.event, at: NOW, by: { id: actors[rel].id } })
  })

  const refused = (['member', 'squad', 'holder', 'coordinator', 'stranger', 'otherSquad'] as const).filter(
    (r) => !(t.who as readonly string[]).includes(r) && !(r === 'holder' && t.who.includes('squad')),
  )
  it.each(refused.map((r) => [r]))('is refused for %s and changes nothing', (rel) => {
    const order = orderIn(t.from, t.event)
    const before = structuredClone(order)
    const code = codeOf(() => decide(order, commandFor(t.event), actors[rel], NOW))
    expect(['AUTH.FORBIDDEN', 'ORDER.NOT_HOLDER', 'ORDER.NOT_PLACER']).toContain(code)
    expect(order).toEqual(before)
  })
})

const forbiddenPairs = ORDER_STATUSES.flatMap((s) =>
  ORDER_EVENTS.filter((e) => e !== 'place' && !findTransition(s, e as Transition['event'])).map(
    (e) => [s, e as Transition['event']] as const,
  ),
)

describe('forbidden', () => {
  it('covers every other (status, event) pair', () => {
    expect(forbiddenPairs.length + TRANSITIONS.length).toBe(ORDER_STATUSES.length * (ORDER_EVENTS.length - 1))
  })
  it.each(forbiddenPairs)('%s --%s--> is refused for everyone', (status, event) => {
    for (const [name, actor] of Object.entries(actors)) {
      const code = codeOf(() => decide(orderIn(status), commandFor(event), actor, NOW))
      // The holder tapping a protocol step of the other door phase hears which step is due.
      const atDoor = status === 'delivering' || status === 'at_door'
      if (name === 'holder' && atDoor && isProtocolStep(event)) expect(code).toBe('ORDER.STEP_OUT_OF_ORDER')
      else expect(code).toMatch(/^ORDER\.(INVALID_TRANSITION|ALREADY_CLAIMED|ALREADY_RATED)$/)
    }
  })
})

describe('given/when/then', () => {
  it('claim: the claimer becomes the holder; a second claim names them', () => {
    const order = orderIn('pending')
    const claimed = evolve(order, decide(order, { type: 'claim' }, actors.squad, NOW))
    expect(claimed.holder).toEqual({ id: 'squad-b', name: '王楠', role: 'squad' })
    const err = (() => {
      try {
        decide(claimed, { type: 'claim' }, actors.holder, NOW)
      } catch (e) {
        return e as AppError
      }
    })()
    expect(err?.code).toBe('ORDER.ALREADY_CLAIMED')
    expect(err?.message).toContain('王楠')
  })

  it('release: the order goes back to the board without a holder, the reason is on the timeline', () => {
    const order = orderIn('claimed')
    const back = evolve(order, decide(order, { type: 'release', reason: '电动车没电了' }, actors.holder, NOW))
    expect(back).toMatchObject({ status: 'pending', holder: null, partner: null })
    expect(back.timeline.at(-1)?.note).toBe('电动车没电了')
  })

  it('rate ≤ 2 stars puts the order in the follow-up queue; rating twice is refused', () => {
    const order = orderIn('confirmed')
    const rated = evolve(order, decide(order, { type: 'rate', stars: 2, comment: '送晚了' }, actors.member, NOW))
    expect(rated.followUp).toBe(true)
    expect(rated.rating).toEqual({ stars: 2, comment: '送晚了', at: NOW })
    expect(codeOf(() => decide(rated, { type: 'rate', stars: 5, comment: '' }, actors.member, NOW))).toBe('ORDER.ALREADY_RATED')
  })

  it('rate 3+ stars does not need follow-up', () => {
    const order = orderIn('delivered')
    const rated = evolve(order, decide(order, { type: 'rate', stars: 4, comment: '' }, actors.member, NOW))
    expect(rated).toMatchObject({ status: 'confirmed', followUp: false })
  })

  it('deliver records the outcome and missing lines', () => {
    const order = orderIn('at_door', 'deliver')
    const done = evolve(order, decide(order, { type: 'deliver', outcome: 'partial', missing: ['鸡蛋'] }, actors.holder, NOW))
    expect(done).toMatchObject({ status: 'delivered', outcome: 'partial', missing: ['鸡蛋'] })
  })

  it('a squad member of another community cannot claim', () => {
    expect(codeOf(() => decide(orderIn('pending'), { type: 'claim' }, actors.otherSquad, NOW))).toBe('AUTH.FORBIDDEN')
  })
})

describe('given/when/then: the squad at the door', () => {
  const PARTNER: PersonRef = { id: 'squad-b', name: '王楠', role: 'squad' }
  const run = (order: Order, cmd: OrderCommand, actor: Actor, at = NOW) => evolve(order, decide(order, cmd, actor, at))
  const errorOf = (fn: () => unknown): AppError => {
    try {
      fn()
    } catch (e) {
      if (e instanceof AppError) return e
      throw e
    }
    throw new Error('expected a refusal')
  }

  it('the six steps, in order, take the order from delivering to delivered (outcome handed)', () => {
    let o = orderIn('delivering')
    expect(nextStep(o)).toBe('disinfect_corridor')
    const statuses: string[] = []
    PROTOCOL_STEPS.forEach((step, i) => {
      o = run(o, { type: 'step', step }, actors.holder, NOW + i * 60_000)
      statuses.push(o.status)
    })
    expect(statuses).toEqual(['delivering', 'delivering', 'at_door', 'at_door', 'at_door', 'delivered'])
    expect(o).toMatchObject({ outcome: 'handed', missing: [] })
    expect(protocolDone(o)).toBe(true)
    expect(o.protocol?.map((r) => [r.step, r.at, r.by.id])).toEqual(
      PROTOCOL_STEPS.map((step, i) => [step, NOW + i * 60_000, HOLDER.id]),
    )
    expect(o.timeline.slice(-6).map((e) => e.event)).toEqual([...PROTOCOL_STEPS])
  })

  it('a step out of order is refused and names the step that is due; a repeated tap says it is done', () => {
    const o = orderIn('delivering')
    const ahead = errorOf(() => decide(o, { type: 'step', step: 'remove_seal' }, actors.holder, NOW))
    expect(ahead.code).toBe('ORDER.STEP_OUT_OF_ORDER')
    expect(ahead.message).toContain('消杀楼道')
    // Across phases: picked_up has no row in delivering, still the same answer for the holder.
    expect(codeOf(() => decide(o, { type: 'step', step: 'picked_up' }, actors.holder, NOW))).toBe('ORDER.STEP_OUT_OF_ORDER')
    const once = run(o, { type: 'step', step: 'disinfect_corridor' }, actors.holder)
    // Once started, order.advance's call_resident is the same step, in its turn.
    expect(codeOf(() => decide(once, { type: 'call_resident' }, actors.holder, NOW))).toBe('ORDER.STEP_OUT_OF_ORDER')
    const again = errorOf(() => decide(once, { type: 'step', step: 'disinfect_corridor' }, actors.holder, NOW))
    expect(again).toMatchObject({ code: 'ORDER.STEP_OUT_OF_ORDER', message: '「消杀楼道」已登记，现在应进行「拆除封条」' })
  })

  it('skipping a step needs a reason: the step is recorded as skipped, the reason kept', () => {
    const o = orderIn('delivering', 'remove_seal')
    // Without a reason, the step after the due one is refused (that would skip 拆除封条).
    expect(codeOf(() => decide(o, { type: 'step', step: 'call_resident' }, actors.holder, NOW))).toBe('ORDER.STEP_OUT_OF_ORDER')
    const skipped = run(o, { type: 'step', step: 'remove_seal', skipReason: '门上没有封条' }, actors.holder)
    expect(skipped.protocol?.at(-1)).toEqual({ step: 'remove_seal', at: NOW, by: { id: HOLDER.id, name: HOLDER.name, role: 'squad' }, skipReason: '门上没有封条' })
    expect(skipped.timeline.at(-1)).toMatchObject({ event: 'remove_seal', note: '跳过：门上没有封条' })
    expect(nextStep(skipped)).toBe('call_resident')
    // A skipped status step still moves the order.
    const atDoor = run(skipped, { type: 'step', step: 'call_resident', skipReason: '居民已在门口等候' }, actors.holder)
    expect(atDoor.status).toBe('at_door')
  })

  it('the protocol is mandatory: calling the resident or delivering out of turn is refused', () => {
    const fresh = orderIn('delivering')
    expect(codeOf(() => decide(fresh, { type: 'call_resident' }, actors.holder, NOW))).toBe('ORDER.STEP_OUT_OF_ORDER')
    expect(codeOf(() => decide(orderIn('at_door', 'picked_up'), { type: 'deliver', outcome: 'handed' }, actors.holder, NOW))).toBe(
      'ORDER.STEP_OUT_OF_ORDER',
    )
    // order.advance's call_resident is the 电话通知取物 step once its turn has come.
    const called = run(orderIn('delivering', 'call_resident'), { type: 'call_resident' }, actors.holder)
    expect(called).toMatchObject({ status: 'at_door' })
    expect(called.protocol?.at(-1)?.step).toBe('call_resident')
  })

  it('no answer ends the attempt: back to claimed, the next attempt starts at 消杀楼道', () => {
    const o = run(orderIn('at_door'), { type: 'no_answer' }, actors.holder)
    expect(o).toMatchObject({ status: 'claimed', protocol: [] })
    expect(o.timeline.at(-1)?.event).toBe('no_answer')
  })

  it('放门口 and 部分缺货 are the last step with an explicit outcome; they need the steps before it', () => {
    const early = orderIn('at_door', 'restore_seal')
    expect(codeOf(() => decide(early, { type: 'deliver', outcome: 'left_at_door' }, actors.holder, NOW))).toBe('ORDER.STEP_OUT_OF_ORDER')
    const ready = orderIn('at_door', 'deliver')
    const left = run(ready, { type: 'deliver', outcome: 'left_at_door', missing: ['鸡蛋'] }, actors.holder)
    expect(left).toMatchObject({ status: 'delivered', outcome: 'left_at_door', missing: [] })
    expect(left.protocol?.at(-1)?.step).toBe('disinfect_again')
    expect(protocolDone(left)).toBe(true)
    const partial = run(ready, { type: 'deliver', outcome: 'partial', missing: ['鸡蛋', '鸡蛋'] }, actors.holder)
    expect(partial).toMatchObject({ status: 'delivered', outcome: 'partial', missing: ['鸡蛋'] })
    expect(partial.timeline.at(-1)?.note).toBe('部分缺货：鸡蛋')
  })

  it('部分缺货 with a name that is not a line of the order is refused', () => {
    const o = orderIn('at_door', 'deliver')
    const before = structuredClone(o)
    const err = errorOf(() => decide(o, { type: 'deliver', outcome: 'partial', missing: ['鸡蛋', '牛奶'] }, actors.holder, NOW))
    expect(err).toMatchObject({ code: 'ORDER.UNKNOWN_LINE', message: '「牛奶」不是这个订单里的物品' })
    expect(codeOf(() => decide(o, { type: 'deliver', outcome: 'partial', missing: [] }, actors.holder, NOW))).toBe('REQUEST.INVALID_INPUT')
    expect(o).toEqual(before)
  })

  it('the partner can work the order but only the claimer chooses the partner', () => {
    const withPartner = run(orderIn('claimed'), { type: 'add_partner', partner: { ...PARTNER, squadOf: 'c1' } }, actors.holder)
    expect(withPartner.partner).toEqual(PARTNER)
    expect(withPartner.timeline.at(-1)?.note).toBe('搭档：王楠')
    const partnerActor = actors.squad // 王楠, squad-b
    const departed = run(withPartner, { type: 'depart' }, partnerActor)
    const stepped = run(departed, { type: 'step', step: 'disinfect_corridor' }, partnerActor)
    expect(stepped.protocol?.[0]?.by.id).toBe('squad-b')
    expect(codeOf(() => decide(stepped, { type: 'add_partner', partner: { id: 'squad-c', name: '朝鲁门', squadOf: 'c1' } }, partnerActor, NOW))).toBe('ORDER.NOT_CLAIMER')
  })

  it('a partner must be on the community squad and is not the claimer', () => {
    const o = orderIn('claimed')
    expect(codeOf(() => decide(o, { type: 'add_partner', partner: { id: 'squad-x', name: '外社区', squadOf: 'c2' } }, actors.holder, NOW))).toBe('ORDER.NOT_SQUAD_MEMBER')
    expect(codeOf(() => decide(o, { type: 'add_partner', partner: { id: 'res-1', name: '赵先生', squadOf: null } }, actors.holder, NOW))).toBe('ORDER.NOT_SQUAD_MEMBER')
    expect(codeOf(() => decide(o, { type: 'add_partner', partner: { ...HOLDER, squadOf: 'c1' } }, actors.holder, NOW))).toBe('ORDER.PARTNER_IS_HOLDER')
  })

  it('reassign: the coordinator hands the order to another squad member; the old pair is released', () => {
    const o = { ...orderIn('delivering', 'remove_seal'), partner: PARTNER }
    const moved = run(o, { type: 'reassign', to: { id: 'squad-c', name: '朝鲁门', squadOf: 'c1' }, reason: '于红身体不适' }, actors.coordinator)
    expect(moved).toMatchObject({ status: 'delivering', holder: { id: 'squad-c', name: '朝鲁门', role: 'squad' }, partner: null })
    expect(moved.timeline.at(-1)).toMatchObject({ event: 'reassign', note: '改派给朝鲁门：于红身体不适', by: { role: 'coordinator' } })
    // The steps already done stay done.
    expect(nextStep(moved)).toBe('remove_seal')
    expect(codeOf(() => decide(o, { type: 'reassign', to: { id: 'res-1', name: '赵先生', squadOf: null } }, actors.coordinator, NOW))).toBe('ORDER.NOT_SQUAD_MEMBER')
    expect(codeOf(() => decide(o, { type: 'reassign', to: { ...HOLDER, squadOf: 'c1' } }, actors.coordinator, NOW))).toBe('ORDER.ALREADY_HOLDER')
    expect(codeOf(() => decide(o, { type: 'reassign', to: { id: 'squad-c', name: '朝鲁门', squadOf: 'c1' } }, actors.holder, NOW))).toBe('AUTH.FORBIDDEN')
  })

  describe('parcels from outside (handover)', () => {
    const HOLD = 120
    // At the gate (已到门岗 recorded): what comes before it is in tests/core/parcel-arrival.test.ts.
    const parcel = () =>
      makeOrder({ communityId: 'c1', householdId: 'h1', kind: 'handover', lines: [], status: 'claimed', holder: HOLDER, version: 2, parcelArrivedAt: NOW - 60_000 })

    it('cannot leave before it is disinfected', () => {
      expect(codeOf(() => decide(parcel(), { type: 'depart' }, actors.holder, NOW))).toBe('ORDER.PARCEL_NOT_DISINFECTED')
    })

    it('disinfected at T: refused before T + 2h with the time it can go, allowed from T + 2h', () => {
      const T = NOW // 10:00 Beijing
      const held = run(parcel(), { type: 'disinfect_parcel', holdMinutes: HOLD }, actors.holder, T)
      expect(held).toMatchObject({ status: 'claimed', disinfectedAt: T, deliverableAt: T + 2 * 3600_000 })
      const early = errorOf(() => decide(held, { type: 'depart' }, actors.holder, T + 2 * 3600_000 - 1))
      expect(early).toMatchObject({ code: 'ORDER.PARCEL_HOLD', message: '消杀后需静置2小时，12:00后可配送' })
      const gone = run(held, { type: 'depart' }, actors.holder, T + 2 * 3600_000)
      expect(gone.status).toBe('delivering')
    })

    it('call_resident is guarded too (e.g. an order reassigned while delivering)', () => {
      const o = { ...parcel(), status: 'delivering' as const, protocol: stepsBefore('call_resident'), disinfectedAt: NOW, deliverableAt: NOW + 3600_000 }
      expect(codeOf(() => decide(o, { type: 'step', step: 'call_resident' }, actors.holder, NOW))).toBe('ORDER.PARCEL_HOLD')
      expect(run(o, { type: 'step', step: 'call_resident' }, actors.holder, NOW + 3600_000).status).toBe('at_door')
    })

    it('only handover orders are disinfected as parcels, and only once', () => {
      expect(codeOf(() => decide(orderIn('claimed'), { type: 'disinfect_parcel', holdMinutes: HOLD }, actors.holder, NOW))).toBe('ORDER.NOT_A_PARCEL')
      const once = run(parcel(), { type: 'disinfect_parcel', holdMinutes: HOLD }, actors.holder)
      expect(codeOf(() => decide(once, { type: 'disinfect_parcel', holdMinutes: HOLD }, actors.holder, NOW + 1))).toBe('ORDER.PARCEL_ALREADY_DISINFECTED')
    })

    it('other kinds never wait', () => {
      expect(run(orderIn('claimed'), { type: 'depart' }, actors.holder).status).toBe('delivering')
    })
  })
})

describe('given/when/then: a squad member is deactivated (return_to_board, drop_partner)', () => {
  const run = (order: Order, cmd: OrderCommand, actor: Actor, at = NOW) => evolve(order, decide(order, cmd, actor, at))

  it.each(['claimed', 'delivering', 'at_door'] as const)(
    'given an order %s by the deactivated member, when the coordinator returns it, then it is pending with no holder, partner or steps, and the note says why',
    (status) => {
      const order = { ...orderIn(status), partner: PARTNER_REF }
      const back = run(order, { type: 'return_to_board', note: RETURN_NOTE }, actors.coordinator)
      expect(back).toMatchObject({ status: 'pending', holder: null, partner: null, protocol: [], version: order.version + 1 })
      expect(back.timeline.at(-1)).toEqual({ at: NOW, event: 'return_to_board', by: { id: 'coord-1', name: '刘主任', role: 'coordinator' }, note: RETURN_NOTE })
      // No name of the member in the note: the timeline already says who held it.
      expect(back.timeline.at(-1)?.note).not.toContain(HOLDER.name)
    },
  )

  it('given an order back on the board after its claim deadline, then the timer watches its claim deadline again', () => {
    const order = { ...orderIn('claimed'), claimDueAt: NOW - 60_000, dueAt: NOW + 3600_000 }
    const back = run(order, { type: 'return_to_board', note: RETURN_NOTE }, actors.coordinator)
    expect(back.watchAt).toBe(NOW - 60_000)
  })

  it('given a pending, delivered or cancelled order, when the coordinator returns it, then it is refused and unchanged', () => {
    for (const status of ['pending', 'delivered', 'confirmed', 'cancelled'] as const) {
      const order = orderIn(status)
      const before = structuredClone(order)
      expect(codeOf(() => decide(order, { type: 'return_to_board', note: RETURN_NOTE }, actors.coordinator, NOW))).toBe('ORDER.INVALID_TRANSITION')
      expect(order).toEqual(before)
    }
  })

  it('given the holder or another squad member, when they try to return it, then it is refused', () => {
    const order = orderIn('delivering')
    expect(codeOf(() => decide(order, { type: 'return_to_board', note: RETURN_NOTE }, actors.holder, NOW))).toBe('AUTH.FORBIDDEN')
    expect(codeOf(() => decide(order, { type: 'return_to_board', note: RETURN_NOTE }, actors.squad, NOW))).toBe('AUTH.FORBIDDEN')
  })

  it('given an order where the member is only the partner, when the coordinator drops the partner, then the holder keeps it', () => {
    const order = { ...orderIn('delivering', 'remove_seal'), partner: PARTNER_REF }
    const kept = run(order, { type: 'drop_partner', partnerId: PARTNER_REF.id, note: '搭档已停用' }, actors.coordinator)
    expect(kept).toMatchObject({ status: 'delivering', holder: HOLDER, partner: null })
    expect(nextStep(kept)).toBe('remove_seal')
    expect(kept.timeline.at(-1)).toMatchObject({ event: 'drop_partner', note: '搭档已停用' })
    // Someone else as partner (the pair changed meanwhile): refused, nothing changes.
    expect(codeOf(() => decide(order, { type: 'drop_partner', partnerId: 'squad-z', note: '搭档已停用' }, actors.coordinator, NOW))).toBe(
      'ORDER.INVALID_TRANSITION',
    )
  })
})
