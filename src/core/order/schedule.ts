/**
 * Time rules for orders, in Beijing time: meal slots and their cutoffs, and an order's two
 * deadlines — claim (接单时限) and delivery (送达时限, the order's `dueAt`) — from the community's
 * settings. Past a deadline = overdue on the squad's board, in the coordinators' figures, and
 * flagged once by the timer job (server/notify/jobs.ts, core/order/deadlines.ts).
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

/** Before community deadlines existed: urgent orders were due in 1 h (kept for reference). */
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

/**
 * A community's deadlines (coord.setDeadlines), in minutes from placement: by when somebody must
 * have claimed an order (接单时限) and by when it must be at the door (送达时限). Stored on the
 * community; absent → DEFAULT_DEADLINES.
 */
export interface DeadlineSettings {
  urgentClaimMinutes: number
  urgentDeliverMinutes: number
  normalClaimMinutes: number
  normalDeliverMinutes: number
}

export const DEFAULT_DEADLINES: DeadlineSettings = {
  urgentClaimMinutes: 30,
  urgentDeliverMinutes: 120,
  normalClaimMinutes: 120,
  normalDeliverMinutes: 1440,
}

/** Upper bound for any deadline setting: 7 days. */
export const MAX_DEADLINE_MINUTES = 7 * 24 * 60

const DEADLINE_LABELS: Record<keyof DeadlineSettings, string> = {
  urgentClaimMinutes: '加急接单时限',
  urgentDeliverMinutes: '加急送达时限',
  normalClaimMinutes: '普通接单时限',
  normalDeliverMinutes: '普通送达时限',
}

/**
 * Checks deadline settings: whole minutes, more than zero, at most 7 days, and the claim deadline
 * before the delivery deadline of the same urgency. Field → Chinese message; empty when valid.
 */
export function deadlineProblems(s: Record<keyof DeadlineSettings, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of Object.keys(DEADLINE_LABELS) as (keyof DeadlineSettings)[]) {
    const v = s[key]
    const label = DEADLINE_LABELS[key]
    if (typeof v !== 'number' || !Number.isFinite(v)) out[key] = `请填写${label}（分钟）`
    else if (!Number.isInteger(v)) out[key] = `${label}必须是整数分钟`
    else if (v <= 0) out[key] = `${label}必须大于0分钟`
    else if (v > MAX_DEADLINE_MINUTES) out[key] = `${label}不能超过${MAX_DEADLINE_MINUTES}分钟（7天）`
  }
  for (const u of ['urgent', 'normal'] as const) {
    const claim = s[`${u}ClaimMinutes`]
    const deliver = s[`${u}DeliverMinutes`]
    if (out[`${u}ClaimMinutes`] || out[`${u}DeliverMinutes`]) continue
    if ((claim as number) >= (deliver as number)) {
      out[`${u}ClaimMinutes`] = `${DEADLINE_LABELS[`${u}ClaimMinutes`]}必须短于${DEADLINE_LABELS[`${u}DeliverMinutes`]}`
    }
  }
  return out
}

/** The community's settings in force (defaults for a community that never set them). */
export function effectiveDeadlines(s: Partial<DeadlineSettings> | undefined | null): DeadlineSettings {
  return { ...DEFAULT_DEADLINES, ...(s ?? {}) }
}

/** A parcel from outside: due this long after its hold ends (it arrives at a known time). */
export const HANDOVER_DELIVER_MS = NORMAL_DUE_MS

export interface OrderDeadlines {
  /** 接单时限: somebody must have claimed it by then. Never after deliverBy. */
  claimBy: number
  /** 送达时限: it must be at the door by then (the order's `dueAt`). */
  deliverBy: number
}

/**
 * Both deadlines of an order placed at `now`, from the community's settings:
 * - urgent: now + urgentDeliverMinutes (whatever the window);
 * - normal, 尽快: now + normalDeliverMinutes; normal with a window (上午/下午/晚上): the window's end,
 *   today or else tomorrow — the resident chose when they want it;
 * - a meal: its serving time; a parcel from outside: its expected arrival + the hold + 4 h;
 * - claim: now + the urgency's claim minutes, but never later than the delivery deadline (a meal
 *   served in 40 minutes must be claimed by then at the latest).
 */
export function orderDeadlines(
  now: number,
  kind: OrderKind,
  urgency: Urgency,
  window: DeliveryWindow,
  settings: DeadlineSettings = DEFAULT_DEADLINES,
  specific?: { mealAt?: number; handoverAt?: number; holdMs?: number },
): OrderDeadlines {
  const deliverBy = deliverDeadline(now, kind, urgency, window, settings, specific)
  const claimMinutes = urgency === 'urgent' ? settings.urgentClaimMinutes : settings.normalClaimMinutes
  return { claimBy: Math.min(now + claimMinutes * 60_000, deliverBy), deliverBy }
}

function deliverDeadline(
  now: number,
  kind: OrderKind,
  urgency: Urgency,
  window: DeliveryWindow,
  settings: DeadlineSettings,
  specific?: { mealAt?: number; handoverAt?: number; holdMs?: number },
): number {
  if (kind === 'meal' && specific?.mealAt) return specific.mealAt
  if (kind === 'handover' && specific?.handoverAt) return specific.handoverAt + (specific.holdMs ?? 0) + HANDOVER_DELIVER_MS
  if (urgency === 'urgent') return now + settings.urgentDeliverMinutes * 60_000
  const today = beijingDate(now)
  const end = (h: number) => {
    const t = fromBeijing(today, h)
    return t > now ? t : fromBeijing(addBeijingDays(now, 1), h)
  }
  switch (window) {
    case 'asap':
      return now + settings.normalDeliverMinutes * 60_000
    case 'morning':
      return end(12)
    case 'afternoon':
      return end(18)
    case 'evening':
      return end(21)
  }
}

/** When an order should be at the door (its delivery deadline; see orderDeadlines). */
export function dueAt(
  now: number,
  kind: OrderKind,
  urgency: Urgency,
  window: DeliveryWindow,
  specific?: { mealAt?: number; handoverAt?: number; holdMs?: number },
  settings: DeadlineSettings = DEFAULT_DEADLINES,
): number {
  return orderDeadlines(now, kind, urgency, window, settings, specific).deliverBy
}
