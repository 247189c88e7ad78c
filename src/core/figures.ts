/**
 * The coordinator's figures per Beijing day (件件有着落、事事有回音), pure. A day's figures are those
 * of the orders PLACED that day (a cohort): what became of them, however late, so a day's numbers
 * settle as its orders close and can be kept once they have (see usecases/figures.ts).
 *
 * - responseRate: share of the day's orders (not cancelled before anyone could answer) claimed
 *   within their claim deadline; an order cancelled as 重复下单 (cancel_duplicate) is never measured,
 *   claimed or not: its twin was kept, so it is no failure of the squad (it counts as cancelled);
 * - onTimeRate: share of the delivered ones delivered by their due time;
 * - satisfaction: share of the ratings given that are 4 or 5 stars;
 * - medianClaimMinutes / medianDeliverMinutes: from placing to the first claim / to delivery;
 * - householdsServed: distinct households with at least one delivered order.
 * A rate or median with nothing to measure is null (shown as "—"), never 0 or 100.
 */
import { addBeijingDays, beijingDate, fromBeijing } from './time'
import type { Order } from './order/types'

/** Claim deadlines (minutes) for orders stored before they carried their own (claimDueAt). */
export const DEFAULT_CLAIM_MINUTES = { urgent: 30, normal: 120 } as const

export interface DayFigures {
  /** Beijing date 'YYYY-MM-DD'. */
  date: string
  placed: number
  delivered: number
  cancelled: number
  /** 0..1 or null. */
  responseRate: number | null
  onTimeRate: number | null
  satisfaction: number | null
  ratings: number
  medianClaimMinutes: number | null
  medianDeliverMinutes: number | null
  householdsServed: number
  /** Orders of the day still open when counted: the day may still change. */
  open: number
}

export const FIGURE_DAYS = 14

/** The last `n` Beijing dates up to today, oldest first. */
export function lastDates(now: number, n = FIGURE_DAYS): string[] {
  return Array.from({ length: n }, (_, i) => addBeijingDays(now, i - (n - 1)))
}

/** [start, end) instants of a Beijing date. */
export function dayBounds(date: string): { start: number; end: number } {
  const start = fromBeijing(date, 0)
  return { start, end: start + 24 * 60 * 60_000 }
}

/** When the order had to be claimed by: its own deadline if it carries one, else the defaults. */
export function claimDeadline(o: Pick<Order, 'createdAt' | 'urgency' | 'claimDueAt'>): number {
  if (typeof o.claimDueAt === 'number') return o.claimDueAt
  return o.createdAt + DEFAULT_CLAIM_MINUTES[o.urgency] * 60_000
}

const firstAt = (o: Order, events: readonly string[]): number | null => {
  for (const t of o.timeline) if (events.includes(t.event)) return t.at
  return null
}

const CLAIM_EVENTS = ['claim', 'assign'] as const
const DELIVER_EVENTS = ['deliver', 'disinfect_again'] as const

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

const rate = (n: number, of: number): number | null => (of === 0 ? null : n / of)
const minutes = (ms: number) => Math.round((ms / 60_000) * 10) / 10

/** The figures of one day from the orders placed that day (others are ignored), as of `now`. */
export function dayFigures(date: string, orders: readonly Order[], now: number): DayFigures {
  const { start, end } = dayBounds(date)
  const day = orders.filter((o) => o.createdAt >= start && o.createdAt < end)
  let answerable = 0
  let answeredInTime = 0
  let delivered = 0
  let onTime = 0
  let cancelled = 0
  let open = 0
  let ratings = 0
  let happy = 0
  const toClaim: number[] = []
  const toDeliver: number[] = []
  const served = new Set<string>()
  for (const o of day) {
    const claimedAt = firstAt(o, CLAIM_EVENTS)
    const deliveredAt = firstAt(o, DELIVER_EVENTS)
    if (o.status === 'cancelled') cancelled++
    if (o.status !== 'delivered' && o.status !== 'confirmed' && o.status !== 'cancelled') open++
    // Not measurable (yet): withdrawn before anyone had to answer, or unclaimed with time left.
    const deadline = claimDeadline(o)
    const cancelledAt = firstAt(o, ['cancel', 'cancel_duplicate'])
    const duplicate = firstAt(o, ['cancel_duplicate']) !== null
    const withdrawn = duplicate || (claimedAt === null && cancelledAt !== null && cancelledAt < deadline)
    const stillTime = claimedAt === null && cancelledAt === null && deadline > now
    if (!withdrawn && !stillTime) {
      answerable++
      if (claimedAt !== null && claimedAt <= deadline) answeredInTime++
    }
    if (claimedAt !== null) toClaim.push(claimedAt - o.createdAt)
    if (deliveredAt !== null) {
      delivered++
      served.add(o.householdId)
      toDeliver.push(deliveredAt - o.createdAt)
      if (deliveredAt <= o.dueAt) onTime++
    }
    if (o.rating) {
      ratings++
      if (o.rating.stars >= 4) happy++
    }
  }
  const mc = median(toClaim)
  const md = median(toDeliver)
  return {
    date,
    placed: day.length,
    delivered,
    cancelled,
    responseRate: rate(answeredInTime, answerable),
    onTimeRate: rate(onTime, delivered),
    satisfaction: rate(happy, ratings),
    ratings,
    medianClaimMinutes: mc === null ? null : minutes(mc),
    medianDeliverMinutes: md === null ? null : minutes(md),
    householdsServed: served.size,
    open,
  }
}

/**
 * A day's figures may be kept for good once the day is at least `settleDays` old and none of its
 * orders is open; ratings given later than that are not counted (said on the dashboard).
 */
export function isSettled(f: DayFigures, now: number, settleDays = 2): boolean {
  return f.open === 0 && f.date <= addBeijingDays(now, -settleDays) && f.date < beijingDate(now)
}
