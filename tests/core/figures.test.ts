/**
 * The coordinator's figures per Beijing day from a hand-made history, compared with values worked
 * out by hand: rates over what can be measured, medians, households served, and "—" (null) where
 * nothing can be measured yet.
 */
import { describe, expect, it } from 'vitest'
import { claimDeadline, dayFigures, isSettled, lastDates, median } from '../../src/core/figures'
import type { Order, TimelineEntry } from '../../src/core/order/types'
import { fromBeijing } from '../../src/core/time'
import { makeOrder, makePersonRef } from '../support/fixtures'

const DAY = '2026-11-20'
const at = (h: number, m = 0) => fromBeijing(DAY, h, m)
const MIN = 60_000
const squad = makePersonRef({ role: 'squad', name: '于红' })

function history(o: Partial<Order>, events: [TimelineEntry['event'], number][]): Order {
  const base = makeOrder(o)
  return { ...base, timeline: [...base.timeline, ...events.map(([event, t]) => ({ event, at: t, by: squad }))] }
}

// Placed on 11-20 (Beijing):
const a = history({ householdId: 'h-a', createdAt: at(8), urgency: 'urgent', dueAt: at(9), status: 'confirmed', rating: { stars: 5, comment: '', at: at(10) } }, [
  ['claim', at(8, 10)], // 10 min, inside the 30-min urgent deadline
  ['deliver', at(8, 50)], // 50 min, before due 9:00
])
const b = history({ householdId: 'h-b', createdAt: at(9), dueAt: at(12), status: 'confirmed', rating: { stars: 2, comment: '慢', at: at(15) } }, [
  ['claim', at(11, 30)], // 150 min: past the 120-min normal deadline
  ['deliver', at(13)], // after due 12:00
])
const c = history({ householdId: 'h-a', createdAt: at(10), dueAt: at(14), status: 'delivered' }, [
  ['assign', at(10, 20)], // 20 min
  ['disinfect_again', at(11, 40)], // 100 min, on time
])
// Withdrawn by the resident 5 minutes in: nothing was asked of the squad.
const d = history({ householdId: 'h-d', createdAt: at(12), dueAt: at(16), status: 'cancelled' }, [['cancel', at(12, 5)]])
// Nobody claimed it in time (deadline 16:00); still open at 18:00.
const e = history({ householdId: 'h-e', createdAt: at(14), dueAt: at(18), status: 'pending' }, [])
// Placed at 17:30, deadline 19:30: at 18:00 there is still time.
const f = history({ householdId: 'h-f', createdAt: at(17, 30), dueAt: at(21), status: 'pending' }, [])
// The day before and the day after: not this day's.
const other = [makeOrder({ createdAt: at(0) - 1 }), makeOrder({ createdAt: at(24) })]

describe('dayFigures', () => {
  const now = at(18)
  const fig = dayFigures(DAY, [a, b, c, d, e, f, ...other], now)

  it('counts the orders placed that Beijing day and what became of them', () => {
    expect(fig).toMatchObject({ date: DAY, placed: 6, delivered: 3, cancelled: 1, open: 2, ratings: 2 })
  })

  it('answered in time: a and c of a, b, c, e (d withdrawn, f still has time)', () => {
    expect(fig.responseRate).toBe(2 / 4)
  })

  it('on time: a and c of the three delivered', () => {
    expect(fig.onTimeRate).toBe(2 / 3)
  })

  it('satisfied: one of the two ratings is 4 stars or more', () => {
    expect(fig.satisfaction).toBe(1 / 2)
  })

  it('medians: to claim 10, 20, 150 → 20 min; to deliver 50, 100, 240 → 100 min', () => {
    expect(fig.medianClaimMinutes).toBe(20)
    expect(fig.medianDeliverMinutes).toBe(100)
  })

  it('households served: h-a (twice) and h-b', () => {
    expect(fig.householdsServed).toBe(2)
  })

  it('says "nothing to measure" as null, never 0 or 100', () => {
    const empty = dayFigures(DAY, [], now)
    expect(empty).toMatchObject({ placed: 0, responseRate: null, onTimeRate: null, satisfaction: null, medianClaimMinutes: null })
    const waiting = dayFigures(DAY, [f], now)
    expect(waiting.responseRate).toBeNull()
  })

  it('settles a day once it is two days old and nothing of it is open', () => {
    const closed = dayFigures(DAY, [a, b, c, d], at(18))
    expect(isSettled(closed, fromBeijing('2026-11-21', 12))).toBe(false)
    expect(isSettled(closed, fromBeijing('2026-11-22', 12))).toBe(true)
    expect(isSettled(fig, fromBeijing('2026-11-25', 12))).toBe(false)
  })
})

describe('helpers', () => {
  it('claim deadline: the order\'s own, else 30 min urgent / 120 min normal', () => {
    expect(claimDeadline({ createdAt: 0, urgency: 'urgent' })).toBe(30 * MIN)
    expect(claimDeadline({ createdAt: 0, urgency: 'normal' })).toBe(120 * MIN)
    expect(claimDeadline({ createdAt: 0, urgency: 'normal', claimDueAt: 5 })).toBe(5)
  })

  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 2, 3])).toBe(2.5)
    expect(median([])).toBeNull()
  })

  it('the last 14 Beijing dates, oldest first, ending today', () => {
    const d = lastDates(fromBeijing('2026-11-20', 23, 30))
    expect(d).toHaveLength(14)
    expect(d[0]).toBe('2026-11-07')
    expect(d[13]).toBe('2026-11-20')
  })
})
