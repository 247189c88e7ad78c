/**
 * Time rules for orders, in Beijing time: meal slots and their cutoffs, and when an order is due
 * (past due = overdue on the squad's board and in the coordinators' figures).
 */
import { AppError } from '../errors'
import { addBeijingDays, beijingDate, fromBeijing } from '../time'
import type { DeliveryWindow, MealSlotName, OrderKind, Urgency } from './types'

export interface SlotRule {
  label: string
  /** Serving time, Beijing wall clock. */
  serve: [number, number]
  /** Orders close at this wall-clock time, `dayBefore` days before the serving date. */
  cutoff: [number, number]
  dayBefore: 0 | 1
}

export const MEAL_SLOTS: Record<MealSlotName, SlotRule> = {
  breakfast: { label: '早餐', serve: [7, 30], cutoff: [20, 0], dayBefore: 1 },
  lunch: { label: '午餐', serve: [12, 0], cutoff: [10, 0], dayBefore: 0 },
  dinner: { label: '晚餐', serve: [18, 0], cutoff: [16, 0], dayBefore: 0 },
}

/** An exact-time meal must be ordered at least this long before. */
export const EXACT_MEAL_LEAD_MS = 2 * 60 * 60 * 1000

export const URGENT_DUE_MS = 60 * 60 * 1000
export const NORMAL_DUE_MS = 4 * 60 * 60 * 1000

export interface MealTime {
  date: string
  at: number
  cutoffAt: number
}

/** Resolves a meal choice to its serving instant and cutoff; refuses a slot past its cutoff. */
export function mealTime(
  now: number,
  day: 'today' | 'tomorrow',
  slot: MealSlotName | 'exact',
  time?: string,
): MealTime {
  const date = day === 'today' ? beijingDate(now) : addBeijingDays(now, 1)
  let at: number
  let cutoffAt: number
  if (slot === 'exact') {
    if (!time) throw new AppError('REQUEST.INVALID_INPUT', { fields: { 'meal.time': '请选择具体送餐时间' } })
    const [h, m] = time.split(':').map(Number)
    at = fromBeijing(date, h!, m!)
    cutoffAt = at - EXACT_MEAL_LEAD_MS
  } else {
    const rule = MEAL_SLOTS[slot]
    at = fromBeijing(date, rule.serve[0], rule.serve[1])
    const cutoffDate = rule.dayBefore ? addBeijingDays(at, -1) : date
    cutoffAt = fromBeijing(cutoffDate, rule.cutoff[0], rule.cutoff[1])
  }
  if (now >= cutoffAt) {
    throw new AppError('REQUEST.INVALID_INPUT', {
      message: '这个时段已经截止预订了',
      fields: { 'meal.slot': slot === 'exact' ? '请至少提前2小时预订' : `${MEAL_SLOTS[slot].label}已截止预订，请选其他时段` },
    })
  }
  return { date, at, cutoffAt }
}

/** When an order should be at the door. */
export function dueAt(
  now: number,
  kind: OrderKind,
  urgency: Urgency,
  window: DeliveryWindow,
  specific?: { mealAt?: number; handoverAt?: number; holdMs?: number },
): number {
  if (kind === 'meal' && specific?.mealAt) return specific.mealAt
  if (kind === 'handover' && specific?.handoverAt) return specific.handoverAt + (specific.holdMs ?? 0) + NORMAL_DUE_MS
  if (urgency === 'urgent') return now + URGENT_DUE_MS
  const today = beijingDate(now)
  const end = (h: number) => {
    const t = fromBeijing(today, h)
    return t > now ? t : fromBeijing(addBeijingDays(now, 1), h)
  }
  switch (window) {
    case 'asap':
      return now + NORMAL_DUE_MS
    case 'morning':
      return end(12)
    case 'afternoon':
      return end(18)
    case 'evening':
      return end(21)
  }
}
