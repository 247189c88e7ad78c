/**
 * Hand-overs (家属送物): 已到门岗 is a recorded step that must come before 已消杀, so the hold can
 * never start before the parcel is at the gate. Given/when/then over decide/evolve (pure).
 */
import { describe, expect, it } from 'vitest'
import type { Actor } from '../../src/core/actor'
import { decide, evolve, type OrderCommand } from '../../src/core/order/decide'
import { arrivalLines } from '../../src/core/order/arrival'
import { AppError } from '../../src/core/errors'
import { fromBeijing } from '../../src/core/time'
import type { Order, PersonRef } from '../../src/core/order/types'
import { rulesFor } from '../../src/core/notify/events'
import { residentMessage } from '../../src/core/notify/texts'
import { makeOrder } from '../support/fixtures'

const HOLDER: PersonRef = { id: 'squad-a', name: '于红', role: 'squad' }
const holder: Actor = { id: HOLDER.id, name: HOLDER.name, households: [], squadOf: 'c1', coordinatorOf: null }
const other: Actor = { id: 'squad-b', name: '王楠', households: [], squadOf: 'c1', coordinatorOf: null }
const TONIGHT = fromBeijing('2026-11-22', 20) // 20:00 Beijing
const TOMORROW_2PM = fromBeijing('2026-11-23', 14)
const HOLD = 120

const run = (o: Order, cmd: OrderCommand, actor: Actor, at: number) => evolve(o, decide(o, cmd, actor, at))
const refusal = (fn: () => unknown): AppError => {
  try {
    fn()
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('not refused')
}

/** Claimed tonight; the family expects to be at the gate tomorrow at 14:00. */
const parcel = (): Order =>
  makeOrder({
    communityId: 'c1',
    householdId: 'h1',
    kind: 'handover',
    lines: [],
    status: 'claimed',
    holder: HOLDER,
    handover: { bringer: '父母', items: '药和水果', expectedAt: TOMORROW_2PM },
    dueAt: TOMORROW_2PM + 4 * 3600_000,
    createdAt: TONIGHT - 3600_000,
    version: 2,
  })

describe('given a parcel expected at the gate tomorrow at 14:00, claimed tonight', () => {
  it('when the squad taps 已消杀 tonight, then it is refused with PARCEL_NOT_ARRIVED and nothing changes', () => {
    const o = parcel()
    const before = structuredClone(o)
    const e = refusal(() => decide(o, { type: 'disinfect_parcel', holdMinutes: HOLD }, holder, TONIGHT))
    expect(e.code).toBe('ORDER.PARCEL_NOT_ARRIVED')
    expect(e.message).toBe('包裹还没到门岗，到了再消杀')
    expect(o).toEqual(before)
  })

  it('when it reaches the gate at 14:05 and is disinfected at 14:10, then the hold runs from 14:10 and the timeline has both steps in order', () => {
    const arrived = run(parcel(), { type: 'parcel_arrived' }, holder, TOMORROW_2PM + 5 * 60_000)
    expect(arrived).toMatchObject({ status: 'claimed', parcelArrivedAt: TOMORROW_2PM + 5 * 60_000 })
    expect(arrived.disinfectedAt).toBeUndefined()
    const held = run(arrived, { type: 'disinfect_parcel', holdMinutes: HOLD }, holder, TOMORROW_2PM + 10 * 60_000)
    expect(held).toMatchObject({ disinfectedAt: TOMORROW_2PM + 10 * 60_000, deliverableAt: TOMORROW_2PM + 10 * 60_000 + HOLD * 60_000 })
    expect(held.timeline.slice(-2).map((t) => t.event)).toEqual(['parcel_arrived', 'disinfect_parcel'])
  })

  it('when 已到门岗 is tapped twice, then the second is refused and the first time stays', () => {
    const arrived = run(parcel(), { type: 'parcel_arrived' }, holder, TOMORROW_2PM)
    expect(refusal(() => decide(arrived, { type: 'parcel_arrived' }, holder, TOMORROW_2PM + 60_000)).code).toBe('ORDER.PARCEL_ALREADY_ARRIVED')
  })

  it('when someone else of the squad taps 已到门岗, then only the holder may (NOT_HOLDER)', () => {
    expect(refusal(() => decide(parcel(), { type: 'parcel_arrived' }, other, TOMORROW_2PM)).code).toBe('ORDER.NOT_HOLDER')
  })

  it('when 已到门岗 is tapped on an order that is not a hand-over, then NOT_A_PARCEL', () => {
    const supplies = { ...parcel(), kind: 'supplies' as const }
    expect(refusal(() => decide(supplies, { type: 'parcel_arrived' }, holder, TOMORROW_2PM)).code).toBe('ORDER.NOT_A_PARCEL')
  })

  it('when it is still waiting on the board (pending), then 已到门岗 is refused: claim it first', () => {
    const pending = { ...parcel(), status: 'pending' as const, holder: null }
    expect(refusal(() => decide(pending, { type: 'parcel_arrived' }, holder, TOMORROW_2PM)).code).toBe('ORDER.INVALID_TRANSITION')
  })
})

describe('the resident hears and sees 已到门岗', () => {
  it('the household is told by inbox only; the text names no person or door', () => {
    const arrived = run(parcel(), { type: 'parcel_arrived' }, holder, TOMORROW_2PM)
    expect(rulesFor('parcel_arrived', arrived)).toEqual([{ kind: 'parcel_arrived', audience: 'household', channels: ['inbox'] }])
    const msg = residentMessage('parcel_arrived', arrived, TOMORROW_2PM)
    expect(msg.title).toBe('已到门岗')
    expect(msg.body).toContain('门岗')
    expect(msg.body).not.toMatch(/于红|602|父母/)
  })

  it("the order page's lines say 已到门岗 with the time once recorded, before the hold", () => {
    const now = TOMORROW_2PM + 5 * 60_000
    const before = arrivalLines(parcel(), now).map((l) => l.key)
    expect(before).not.toContain('arrived')
    const arrived = run(parcel(), { type: 'parcel_arrived' }, holder, now)
    const lines = arrivalLines(arrived, now)
    expect(lines.find((l) => l.key === 'arrived')?.text).toBe('今天 14:05 已到门岗')
    const keys = lines.map((l) => l.key)
    expect(keys.indexOf('arrived')).toBeLessThan(keys.indexOf('hold'))
    expect(lines.find((l) => l.key === 'hold')?.text).toBe('东西已到门岗，社工消杀后静置，再送上门')
  })
})
