/** Beijing-time rules, checked at instants where UTC and Beijing disagree about the date. */
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/core/errors'
import { dueAt, mealTime } from '../../src/core/order/schedule'
import { beijingDate, formatBeijing, fromBeijing } from '../../src/core/time'

const bj = (date: string, h: number, m = 0) => fromBeijing(date, h, m)

describe('Beijing time', () => {
  it('is UTC+8 regardless of the machine zone', () => {
    expect(fromBeijing('2026-11-22', 8)).toBe(Date.UTC(2026, 10, 22, 0, 0))
    // 23:30 UTC on the 21st is already the 22nd in Beijing.
    expect(beijingDate(Date.UTC(2026, 10, 21, 23, 30))).toBe('2026-11-22')
    expect(formatBeijing(Date.UTC(2026, 10, 21, 23, 30))).toBe('11-22 07:30')
  })
})

describe('meal slots and cutoffs', () => {
  it('lunch today is open until 10:00 Beijing time and closed from 10:00', () => {
    const t = mealTime(bj('2026-11-22', 9, 59), 'today', 'lunch')
    expect(t).toEqual({ date: '2026-11-22', at: bj('2026-11-22', 12), cutoffAt: bj('2026-11-22', 10) })
    expect(() => mealTime(bj('2026-11-22', 10, 0), 'today', 'lunch')).toThrow(AppError)
    try {
      mealTime(bj('2026-11-22', 10, 0), 'today', 'lunch')
    } catch (e) {
      expect((e as AppError).fields).toEqual({ 'meal.slot': '午餐已截止预订，请选其他时段' })
    }
  })

  it('tomorrow is computed on the Beijing calendar even late at night UTC', () => {
    // 2026-11-22 17:00 UTC = 2026-11-23 01:00 Beijing: "tomorrow" is the 24th.
    const t = mealTime(Date.UTC(2026, 10, 22, 17, 0), 'tomorrow', 'lunch')
    expect(t.date).toBe('2026-11-24')
  })

  it('breakfast closes at 20:00 the evening before', () => {
    expect(mealTime(bj('2026-11-22', 19, 59), 'tomorrow', 'breakfast').cutoffAt).toBe(bj('2026-11-22', 20))
    expect(() => mealTime(bj('2026-11-22', 20, 0), 'tomorrow', 'breakfast')).toThrow(AppError)
  })

  it('an exact time needs two hours of notice', () => {
    expect(mealTime(bj('2026-11-22', 10, 59), 'today', 'exact', '13:00').at).toBe(bj('2026-11-22', 13))
    expect(() => mealTime(bj('2026-11-22', 11, 0), 'today', 'exact', '13:00')).toThrow(AppError)
  })
})

describe('due times', () => {
  const now = bj('2026-11-22', 9)
  it('urgent is due in an hour, as soon as possible in four', () => {
    expect(dueAt(now, 'supplies', 'urgent', 'asap')).toBe(now + 3_600_000)
    expect(dueAt(now, 'supplies', 'normal', 'asap')).toBe(now + 4 * 3_600_000)
  })
  it('a window ends at its Beijing hour, today or else tomorrow', () => {
    expect(dueAt(now, 'supplies', 'normal', 'morning')).toBe(bj('2026-11-22', 12))
    expect(dueAt(bj('2026-11-22', 13), 'supplies', 'normal', 'morning')).toBe(bj('2026-11-23', 12))
    expect(dueAt(now, 'garbage', 'normal', 'evening')).toBe(bj('2026-11-22', 21))
  })
  it('a meal is due when it is served', () => {
    expect(dueAt(now, 'meal', 'normal', 'asap', { mealAt: bj('2026-11-22', 12) })).toBe(bj('2026-11-22', 12))
  })
})
