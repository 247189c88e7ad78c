/**
 * Late doorstep steps (core/order/step-time.ts): the time they are recorded at, the bounds that
 * refuse them, the resend that is the same step, and the plain words when the order moved on.
 */
import { describe, expect, it } from 'vitest'
import type { Actor } from '../../src/core/actor'
import { decide, evolve } from '../../src/core/order/decide'
import { AppError } from '../../src/core/errors'
import { attemptStartedAt, STEP_CLOCK_SKEW_MS, stepAlreadyRecorded, stepTime } from '../../src/core/order/step-time'
import type { Order, PersonRef } from '../../src/core/order/types'
import { makeOrder } from '../support/fixtures'

const MIN = 60_000
const T = Date.UTC(2026, 10, 22, 2, 0)
const HOLDER: PersonRef = { id: 'squad-a', name: '于红', role: 'squad' }
const holder: Actor = { id: HOLDER.id, name: HOLDER.name, households: [], squadOf: 'c-1', coordinatorOf: null }
const other: Actor = { id: 'squad-b', name: '王楠', households: [], squadOf: 'c-1', coordinatorOf: null }

/** Claimed at T, departed at T+10min, 消杀楼道 recorded at T+15min. */
function departed(overrides: Partial<Order> = {}): Order {
  return makeOrder({
    status: 'delivering',
    holder: HOLDER,
    timeline: [
      { at: T - 30 * MIN, event: 'place', by: { id: 'res-1', name: '赵先生', role: 'resident' } },
      { at: T, event: 'claim', by: HOLDER },
      { at: T + 10 * MIN, event: 'depart', by: HOLDER },
      { at: T + 15 * MIN, event: 'disinfect_corridor', by: HOLDER },
    ],
    protocol: [{ step: 'disinfect_corridor', at: T + 15 * MIN, by: HOLDER }],
    ...overrides,
  })
}

function refusal(f: () => unknown): AppError {
  try {
    f()
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('expected a refusal')
}

describe('the time a late step is recorded at', () => {
  it('given a step tapped offline within the bounds, when it arrives later, then it is recorded at the tap', () => {
    expect(stepTime(departed(), 'remove_seal', T + 20 * MIN, T + 40 * MIN)).toBe(T + 20 * MIN)
  })

  it('given a phone clock a little fast, when the tap is less than 2 minutes ahead, then it is recorded now', () => {
    const now = T + 40 * MIN
    expect(stepTime(departed(), 'remove_seal', now + STEP_CLOCK_SKEW_MS, now)).toBe(now)
  })

  it('given a phone clock far ahead, when the tap is more than 2 minutes in the future, then it is refused', () => {
    const now = T + 40 * MIN
    const e = refusal(() => stepTime(departed(), 'remove_seal', now + STEP_CLOCK_SKEW_MS + 1, now))
    expect(e.code).toBe('ORDER.STEP_TIME_INVALID')
    expect(e.details).toMatchObject({ reason: 'future' })
    expect(e.message).toContain('「拆除封条」没有记上')
  })

  it('given a tap before the previous step, when it arrives, then it is recorded at the previous step', () => {
    expect(stepTime(departed(), 'remove_seal', T + 12 * MIN, T + 40 * MIN)).toBe(T + 15 * MIN)
  })

  it('given a tap older than the depart that started this attempt, when it arrives, then it is refused', () => {
    const e = refusal(() => stepTime(departed({ protocol: [] }), 'disinfect_corridor', T + 10 * MIN - STEP_CLOCK_SKEW_MS - 1, T + 40 * MIN))
    expect(e.code).toBe('ORDER.STEP_TIME_INVALID')
    expect(e.details).toMatchObject({ reason: 'before_attempt' })
  })

  it('given a tap just before the depart (within the skew), when it arrives, then it is recorded at the depart', () => {
    expect(stepTime(departed({ protocol: [] }), 'disinfect_corridor', T + 9 * MIN, T + 40 * MIN)).toBe(T + 10 * MIN)
  })

  it('given a reassignment after the depart, then the attempt starts at the reassignment', () => {
    const o = departed()
    o.timeline.push({ at: T + 30 * MIN, event: 'reassign', by: { id: 'coord', name: '刘主任', role: 'coordinator' } })
    expect(attemptStartedAt(o)).toBe(T + 30 * MIN)
    expect(attemptStartedAt(makeOrder())).toBeNull()
  })

  it('given decide with tappedAt, then the record and the timeline carry the tap time and updatedAt is now', () => {
    const now = T + 40 * MIN
    const o = departed()
    const next = evolve(o, decide(o, { type: 'step', step: 'remove_seal', tappedAt: T + 20 * MIN }, holder, now))
    expect(next.protocol!.at(-1)).toMatchObject({ step: 'remove_seal', at: T + 20 * MIN })
    expect(next.timeline.at(-1)).toMatchObject({ event: 'remove_seal', at: T + 20 * MIN })
    expect(next.updatedAt).toBe(now)
  })
})

describe('a resend is the same step', () => {
  it('given the step recorded in this attempt, then the holder resending it needs no write', () => {
    expect(stepAlreadyRecorded(departed(), 'disinfect_corridor', holder)).toBe(true)
    expect(stepAlreadyRecorded(departed(), 'remove_seal', holder)).toBe(false)
  })

  it('given a new attempt (protocol cleared), then the step is not recorded in it', () => {
    expect(stepAlreadyRecorded(departed({ protocol: [] }), 'disinfect_corridor', holder)).toBe(false)
  })

  it('given the order reassigned, then only the one who recorded the step hears it is done', () => {
    const o = departed({ holder: { id: other.id, name: other.name, role: 'squad' } })
    expect(stepAlreadyRecorded(o, 'disinfect_corridor', holder)).toBe(true)
    const byOther = departed({ protocol: [{ step: 'disinfect_corridor', at: T + 15 * MIN, by: { id: 'squad-c', name: '朝鲁', role: 'squad' } }] })
    expect(stepAlreadyRecorded({ ...byOther, holder: { id: 'squad-c', name: '朝鲁', role: 'squad' } }, 'disinfect_corridor', holder)).toBe(false)
  })
})

describe('a late step for an order that moved on', () => {
  const late = { type: 'step' as const, step: 'remove_seal' as const, tappedAt: T + 20 * MIN }

  it('given the order reassigned to someone else, then ORDER.NOT_HOLDER says so plainly', () => {
    const o = departed({ holder: { id: other.id, name: other.name, role: 'squad' } })
    const e = refusal(() => decide(o, late, holder, T + 40 * MIN))
    expect(e.code).toBe('ORDER.NOT_HOLDER')
    expect(e.message).toBe('这个订单已经改派给别人了，刚才离线时点的「拆除封条」没有记上')
  })

  it('given the order claimed again by someone else (status claimed), then it is still NOT_HOLDER', () => {
    const o = departed({ status: 'claimed', protocol: [], holder: { id: other.id, name: other.name, role: 'squad' } })
    expect(refusal(() => decide(o, late, holder, T + 40 * MIN)).code).toBe('ORDER.NOT_HOLDER')
  })

  it('given the order cancelled, then ORDER.INVALID_TRANSITION says it was cancelled', () => {
    const o = departed({ status: 'cancelled', holder: null, protocol: [] })
    const e = refusal(() => decide(o, late, holder, T + 40 * MIN))
    expect(e.code).toBe('ORDER.INVALID_TRANSITION')
    expect(e.message).toBe('这个订单已经取消了，刚才离线时点的「拆除封条」没有记上')
  })

  it('given the order back on the board, then ORDER.INVALID_TRANSITION says so', () => {
    const o = departed({ status: 'pending', holder: null, protocol: [] })
    const e = refusal(() => decide(o, late, holder, T + 40 * MIN))
    expect(e.code).toBe('ORDER.INVALID_TRANSITION')
    expect(e.message).toBe('这个订单已经退回任务大厅，刚才离线时点的「拆除封条」没有记上')
  })

  it('given a tap without tappedAt, then the plain refusal is unchanged', () => {
    const o = departed({ status: 'cancelled', holder: null, protocol: [] })
    expect(refusal(() => decide(o, { type: 'step', step: 'remove_seal' }, holder, T + 40 * MIN)).message).toBe('订单当前状态不能进行这个操作')
  })
})
