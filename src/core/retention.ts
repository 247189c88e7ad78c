/**
 * Retention: a household released from isolation (status 无/已解除 with an end date) is anonymised
 * once its end date lies the community's retention days behind (default 30, settable 7–365 with
 * coord.setRetention). Names, phones and notes go; counts and figures stay (orders are kept, their
 * people shown as 已匿名). Pure: the timer job (server/usecases/retention.ts) applies it.
 */
import type { Order, PersonRef } from './order/types'
import { addBeijingDays } from './time'

export const RETENTION_DAYS = { min: 7, max: 365, default: 30 } as const
export const ANONYMISED = '已匿名'

export function retentionDaysOf(c: { retentionDays?: number }): number {
  return c.retentionDays ?? RETENTION_DAYS.default
}

/** Households whose end date is on or before this Beijing date are due (`now` minus the days). */
export function retentionCutoff(now: number, days: number): string {
  return addBeijingDays(now, -days)
}

/** The register fields anonymising touches. */
export interface RetainedHousehold {
  isolation: string
  endDate?: string
  residentName: string
  phone: string
  specialNeeds: string[]
  anonymisedAt?: number
}

export function isDueForAnonymising(h: RetainedHousehold, cutoff: string): boolean {
  return h.isolation === 'none' && !!h.endDate && h.endDate <= cutoff && h.anonymisedAt === undefined
}

/** The household without its people: name, phone and special needs (health notes) cleared. */
export function anonymisedHousehold<H extends RetainedHousehold>(h: H, at: number): H {
  return { ...h, residentName: '', phone: '', specialNeeds: [], anonymisedAt: at }
}

/**
 * A register write on an anonymised household that brings it back into use (isolated again, or a
 * name or phone entered) clears the mark, so retention anonymises it again after its next release.
 */
export function reopenedIfInUse<H extends RetainedHousehold>(h: H): H {
  if (h.anonymisedAt === undefined) return h
  if (h.isolation === 'none' && !h.residentName && !h.phone) return h
  const { anonymisedAt: _at, ...rest } = h
  return rest as H
}

const person = (p: PersonRef): PersonRef => (p.role === 'resident' ? { ...p, name: ANONYMISED } : p)

/** Free-text lines (其他, 药品) may name anything: their names go too. */
const FREE_TEXT_ITEMS = new Set(['other', 'medicine'])

/**
 * The order without what identifies or describes its residents: their names (placed by, timeline),
 * notes, the urgent reason, the rating's comment, the 回访 note, dietary needs, free-text line names
 * and line notes, the handover's bringer and items. Status, times, lines, quantities, stars and the
 * squad's names stay, so every figure and ledger row counts as before.
 */
export function anonymisedOrder(o: Order): Order {
  const { urgentReason: _reason, ...rest } = o
  const next: Order = {
    ...rest,
    placedBy: person(o.placedBy),
    notes: '',
    lines: o.lines.map(({ note: _note, ...l }) => (FREE_TEXT_ITEMS.has(l.itemId) ? { ...l, name: ANONYMISED } : l)),
    timeline: o.timeline.map(({ note: _note, ...t }) => ({ ...t, by: person(t.by) })),
  }
  if (o.rating) next.rating = { ...o.rating, comment: '' }
  if (o.followUpDone) next.followUpDone = { ...o.followUpDone, note: '' }
  if (o.meal) next.meal = { ...o.meal, dietary: [] }
  if (o.handover) next.handover = { ...o.handover, bringer: ANONYMISED, items: ANONYMISED }
  if (o.sealPhoto) next.sealPhoto = { ...o.sealPhoto, by: person(o.sealPhoto.by) }
  return next
}

/** What a message about an anonymised household's order says instead of its text. */
export const ANONYMISED_MESSAGE = { title: '消息', body: '（已匿名）' } as const
