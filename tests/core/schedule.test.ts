/** Beijing-time rules, checked at instants where UTC and Beijing disagree about the date. */
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/core/errors'
import { deadlineProblems, DEFAULT_DEADLINES, dueAt, effectiveDeadlines, mealTime, orderDeadlines } from '../../src/core/order/schedule'
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

describe('deadlines (default settings: urgent 30/120 min, normal 120/1440 min)', () => {
  const now = bj('2026-11-22', 9)
  const MIN = 60_000
  it('urgent: claimed within 30 minutes, at the door within 2 hours, whatever the window', () => {
    expect(orderDeadlines(now, 'supplies', 'urgent', 'asap')).toEqual({ claimBy: now + 30 * MIN, deliverBy: now + 120 * MIN })
    expect(orderDeadlines(now, 'garbage', 'urgent', 'evening')).toEqual({ claimBy: now + 30 * MIN, deliverBy: now + 120 * MIN })
    expect(DEFAULT_DEADLINES).toEqual({ urgentClaimMinutes: 30, urgentDeliverMinutes: 120, normalClaimMinutes: 120, normalDeliverMinutes: 1440 })
  })
  it('normal 尽快: claimed within 2 hours, delivered within a day', () => {
    expect(orderDeadlines(now, 'supplies', 'normal', 'asap')).toEqual({ claimBy: now + 120 * MIN, deliverBy: now + 1440 * MIN })
    expect(dueAt(now, 'supplies', 'normal', 'asap')).toBe(now + 1440 * MIN)
  })
  it('a window ends at its Beijing hour, today or else tomorrow; the claim deadline never comes after it', () => {
    expect(dueAt(now, 'supplies', 'normal', 'morning')).toBe(bj('2026-11-22', 12))
    expect(dueAt(bj('2026-11-22', 13), 'supplies', 'normal', 'morning')).toBe(bj('2026-11-23', 12))
    expect(dueAt(now, 'garbage', 'normal', 'evening')).toBe(bj('2026-11-22', 21))
    // 11:30 for the morning: 2 h to claim would pass noon; it must be claimed by noon.
    expect(orderDeadlines(bj('2026-11-22', 11, 30), 'supplies', 'normal', 'morning')).toEqual({
      claimBy: bj('2026-11-22', 12),
      deliverBy: bj('2026-11-22', 12),
    })
  })
  it('a meal is due when it is served, and claimed by then at the latest', () => {
    expect(orderDeadlines(now, 'meal', 'normal', 'asap', DEFAULT_DEADLINES, { mealAt: bj('2026-11-22', 12) })).toEqual({
      claimBy: now + 120 * MIN,
      deliverBy: bj('2026-11-22', 12),
    })
    expect(orderDeadlines(bj('2026-11-22', 11, 20), 'meal', 'normal', 'asap', DEFAULT_DEADLINES, { mealAt: bj('2026-11-22', 12) }).claimBy).toBe(
      bj('2026-11-22', 12),
    )
  })
  it('a parcel from outside is due 4 hours after its hold ends', () => {
    const at = bj('2026-11-22', 14)
    expect(orderDeadlines(now, 'handover', 'normal', 'asap', DEFAULT_DEADLINES, { handoverAt: at, holdMs: 120 * MIN }).deliverBy).toBe(
      at + 120 * MIN + 4 * 60 * MIN,
    )
  })
  it('the community’s own settings', () => {
    const s = { urgentClaimMinutes: 15, urgentDeliverMinutes: 60, normalClaimMinutes: 60, normalDeliverMinutes: 480 }
    expect(orderDeadlines(now, 'supplies', 'urgent', 'asap', s)).toEqual({ claimBy: now + 15 * MIN, deliverBy: now + 60 * MIN })
    expect(orderDeadlines(now, 'supplies', 'normal', 'asap', s)).toEqual({ claimBy: now + 60 * MIN, deliverBy: now + 480 * MIN })
    expect(effectiveDeadlines(undefined)).toEqual(DEFAULT_DEADLINES)
    expect(effectiveDeadlines(s)).toEqual(s)
  })
})

describe('deadline settings: refusals', () => {
  const ok = { urgentClaimMinutes: 30, urgentDeliverMinutes: 120, normalClaimMinutes: 120, normalDeliverMinutes: 1440 }
  it('accepts the defaults', () => {
    expect(deadlineProblems(ok)).toEqual({})
  })
  it('refuses zero, negative, fractional and missing minutes, field by field, in Chinese', () => {
    expect(deadlineProblems({ ...ok, urgentClaimMinutes: 0 })).toEqual({ urgentClaimMinutes: '加急接单时限必须大于0分钟' })
    expect(deadlineProblems({ ...ok, normalDeliverMinutes: -5 })).toEqual({ normalDeliverMinutes: '普通送达时限必须大于0分钟' })
    expect(deadlineProblems({ ...ok, normalClaimMinutes: 12.5 })).toEqual({ normalClaimMinutes: '普通接单时限必须是整数分钟' })
    expect(deadlineProblems({ ...ok, urgentDeliverMinutes: undefined })).toEqual({ urgentDeliverMinutes: '请填写加急送达时限（分钟）' })
    expect(deadlineProblems({ ...ok, urgentDeliverMinutes: 20000 })).toEqual({ urgentDeliverMinutes: '加急送达时限不能超过10080分钟（7天）' })
  })
  it('refuses a claim deadline that is not shorter than the delivery deadline', () => {
    expect(deadlineProblems({ ...ok, urgentClaimMinutes: 120 })).toEqual({ urgentClaimMinutes: '加急接单时限必须短于加急送达时限' })
    expect(deadlineProblems({ ...ok, normalClaimMinutes: 2000 })).toEqual({ normalClaimMinutes: '普通接单时限必须短于普通送达时限' })
  })
})
