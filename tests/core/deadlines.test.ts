/** Overdue flags and the timer's watch, pure (core/order/deadlines.ts). */
import { describe, expect, it } from 'vitest'
import { escalate, rewatch, watchAt } from '../../src/core/order/deadlines'
import { makeOrder } from '../support/fixtures'

const T = Date.UTC(2026, 10, 22, 1, 0)
const MIN = 60_000

describe('deadlines: flags and watch', () => {
  const pending = () => makeOrder({ status: 'pending', claimDueAt: T + 30 * MIN, dueAt: T + 120 * MIN, version: 1 })

  it('watches the claim deadline while waiting, then the delivery deadline, then nothing', () => {
    const o = pending()
    expect(watchAt(o)).toBe(T + 30 * MIN)
    expect(watchAt({ ...o, status: 'claimed' })).toBe(T + 120 * MIN)
    expect(watchAt({ ...o, claimOverdueAt: T + 30 * MIN })).toBe(T + 120 * MIN)
    expect(watchAt({ ...o, claimOverdueAt: T, deliverOverdueAt: T })).toBeUndefined()
    expect(watchAt({ ...o, status: 'delivered' })).toBeUndefined()
    // Stored before deadlines existed: only the delivery deadline.
    const { claimDueAt: _c, ...legacy } = o
    expect(watchAt(legacy)).toBe(T + 120 * MIN)
  })

  it('given a waiting order, when its claim deadline comes, then it is flagged for claim once (not a millisecond before)', () => {
    const o = pending()
    expect(escalate(o, T + 30 * MIN - 1)).toBeNull()
    const e = escalate(o, T + 30 * MIN)!
    expect(e.flagged).toEqual(['claim'])
    expect(e.next).toMatchObject({ claimOverdueAt: T + 30 * MIN, version: 2, watchAt: T + 120 * MIN })
    expect(escalate(e.next, T + 31 * MIN)).toBeNull()
  })

  it('given a waiting order past both deadlines, then both are flagged in one write', () => {
    const e = escalate(pending(), T + 121 * MIN)!
    expect(e.flagged).toEqual(['claim', 'deliver'])
    expect(e.next.watchAt).toBeUndefined()
  })

  it('given an order claimed in time, then only its delivery deadline is ever flagged', () => {
    const o = { ...pending(), status: 'claimed' as const }
    expect(escalate(o, T + 60 * MIN)).toBeNull()
    expect(escalate(o, T + 120 * MIN)!.flagged).toEqual(['deliver'])
  })

  it('rewatch moves a stale watch and leaves a right one alone', () => {
    const stale = { ...pending(), status: 'claimed' as const, watchAt: T + 30 * MIN }
    expect(rewatch(stale)).toMatchObject({ watchAt: T + 120 * MIN, version: 2 })
    expect(rewatch({ ...stale, watchAt: T + 120 * MIN })).toBeNull()
  })
})
