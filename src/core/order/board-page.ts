/**
 * The squad board's order as an index order, pure (both store adapters serve it from an index).
 *
 * The board lists a community's waiting (pending) orders: overdue first, then urgent, then by
 * deadline. For a waiting order "overdue" (deadlines.ts isPastDeadline) means its board deadline has
 * passed: the claim deadline (claimDueAt, never later than dueAt: schedule.ts orderDeadlines), or
 * dueAt for orders stored before claim deadlines existed. So with boardAt = claimDueAt ?? dueAt the
 * board is four index ranges over (community, pending, urgency, boardAt, id), read one after another:
 *   0 urgent, boardAt ≤ asOf   1 normal, boardAt ≤ asOf   2 urgent, boardAt > asOf   3 normal, boardAt > asOf
 * each by boardAt, then id, ascending. A page is a run of that sequence; its cursor carries the
 * instant the first page was read (asOf), so later pages split overdue from not at the same instant
 * and the pages neither repeat nor skip an order that crossed its deadline in between.
 */
import type { Order, Urgency } from './types'

export type BoardSegment = 0 | 1 | 2 | 3

export const BOARD_SEGMENTS: readonly { segment: BoardSegment; urgency: Urgency; overdue: boolean }[] = [
  { segment: 0, urgency: 'urgent', overdue: true },
  { segment: 1, urgency: 'normal', overdue: true },
  { segment: 2, urgency: 'urgent', overdue: false },
  { segment: 3, urgency: 'normal', overdue: false },
]

/** The instant a waiting order becomes overdue on the board. */
export function boardAt(o: Pick<Order, 'dueAt'> & Partial<Pick<Order, 'claimDueAt'>>): number {
  return typeof o.claimDueAt === 'number' ? Math.min(o.claimDueAt, o.dueAt) : o.dueAt
}

export function boardSegment(o: Pick<Order, 'dueAt' | 'urgency'> & Partial<Pick<Order, 'claimDueAt'>>, asOf: number): BoardSegment {
  const overdue = boardAt(o) <= asOf
  const urgent = o.urgency === 'urgent'
  return overdue ? (urgent ? 0 : 1) : urgent ? 2 : 3
}

/** The board's order at `asOf`: segment, then boardAt, then id. */
export function compareBoard(asOf: number) {
  return (a: Order, b: Order): number =>
    boardSegment(a, asOf) - boardSegment(b, asOf) || boardAt(a) - boardAt(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** Where the next page starts: after (segment, boardAt, id), splitting at asOf. */
export interface BoardCursor {
  asOf: number
  segment: BoardSegment
  boardAt: number
  id: string
}

export function encodeBoardCursor(c: BoardCursor): string {
  return `b1.${c.asOf}.${c.segment}.${c.boardAt}.${c.id}`
}

/** null for anything that is not a cursor this module made. */
export function decodeBoardCursor(s: string | null | undefined): BoardCursor | null {
  if (!s) return null
  const m = /^b1\.(\d{1,15})\.([0-3])\.(-?\d{1,15})\.(.{1,200})$/s.exec(s)
  if (!m) return null
  return { asOf: Number(m[1]), segment: Number(m[2]) as BoardSegment, boardAt: Number(m[3]), id: m[4]! }
}

/** The cursor after `o`, read at `asOf`. */
export function boardCursorAfter(o: Order, asOf: number): string {
  return encodeBoardCursor({ asOf, segment: boardSegment(o, asOf), boardAt: boardAt(o), id: o.id })
}
