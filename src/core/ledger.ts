/**
 * The ledger (台账): every order of a community, one row each, as a coordinator reports it upward.
 * Pure: which orders a filter keeps, and the row an order becomes (Beijing times, the timeline
 * summarised). A row names the door (楼栋/单元/房号: the coordinator keeps the register) and the
 * squad members who worked it, never the resident's name or phone.
 */
import { kindLabel, statusLabel, eventLabel, urgencyLabel } from './order/labels'
import { orderSummary } from './order/summary'
import type { Order, OrderKind, OrderStatus } from './order/types'
import { addBeijingDays, beijingDate, formatBeijing, fromBeijing } from './time'

export interface LedgerFilters {
  /** Beijing dates 'YYYY-MM-DD', inclusive; default: the last 7 days up to today. */
  from?: string
  to?: string
  buildingId?: string
  kind?: OrderKind
  status?: OrderStatus
  /** A squad member who held the order (or was its partner). */
  workerId?: string
}

/** The longest range one ledger covers (a quarter). */
export const LEDGER_MAX_DAYS = 92
export const LEDGER_DEFAULT_DAYS = 7

export interface LedgerRange {
  from: string
  to: string
  /** [start, end) instants. */
  start: number
  end: number
}

/** The filter's dates, defaulted and ordered; null when `from` is after `to` or the range is too long. */
export function ledgerRange(f: LedgerFilters, now: number): LedgerRange | null {
  const to = f.to ?? beijingDate(now)
  const from = f.from ?? addBeijingDays(fromBeijing(to, 12), -(LEDGER_DEFAULT_DAYS - 1))
  if (from > to) return null
  const start = fromBeijing(from, 0)
  const end = fromBeijing(to, 0) + 24 * 3600_000
  if ((end - start) / (24 * 3600_000) > LEDGER_MAX_DAYS) return null
  return { from, to, start, end }
}

/** What the store cannot filter by (it pages by community and placing time, status and worker). */
export function keepsOrder(o: Order, f: LedgerFilters): boolean {
  if (f.buildingId !== undefined && o.address.buildingId !== f.buildingId) return false
  if (f.kind !== undefined && o.kind !== f.kind) return false
  if (f.status !== undefined && o.status !== f.status) return false
  if (f.workerId !== undefined && o.holder?.id !== f.workerId && o.partner?.id !== f.workerId) return false
  return true
}

export interface LedgerRow {
  id: string
  /** Beijing date of placing. */
  date: string
  building: string
  unit: number
  room: string
  kind: string
  items: string
  urgent: string
  status: string
  worker: string
  placedAt: string
  claimedAt: string
  deliveredAt: string
  /** 'x 星' or ''. */
  rating: string
  /** '10:02 下单 → 10:15 接单（于红）→ …'. */
  timeline: string
}

/** The columns of the table and the export, in order, with their Chinese headers. */
export const LEDGER_COLUMNS: readonly { key: keyof LedgerRow; header: string; width: number }[] = [
  { key: 'date', header: '日期', width: 12 },
  { key: 'id', header: '订单号', width: 22 },
  { key: 'building', header: '楼栋', width: 8 },
  { key: 'unit', header: '单元', width: 6 },
  { key: 'room', header: '房号', width: 7 },
  { key: 'kind', header: '类型', width: 8 },
  { key: 'items', header: '内容', width: 24 },
  { key: 'urgent', header: '加急', width: 6 },
  { key: 'status', header: '状态', width: 8 },
  { key: 'worker', header: '经办人', width: 12 },
  { key: 'placedAt', header: '下单时间', width: 17 },
  { key: 'claimedAt', header: '接单时间', width: 17 },
  { key: 'deliveredAt', header: '送达时间', width: 17 },
  { key: 'rating', header: '评价', width: 6 },
  { key: 'timeline', header: '过程', width: 60 },
]

const FULL = 'YYYY-MM-DD HH:mm'
const firstAt = (o: Order, events: readonly string[]) => o.timeline.find((t) => events.includes(t.event))?.at

export function ledgerRow(o: Order): LedgerRow {
  const claimed = firstAt(o, ['claim', 'assign'])
  const delivered = firstAt(o, ['deliver', 'disinfect_again'])
  const workers = [o.holder?.name, o.partner?.name].filter((n): n is string => !!n)
  return {
    id: o.id,
    date: beijingDate(o.createdAt),
    building: o.address.building,
    unit: o.address.unit,
    room: o.address.room,
    kind: kindLabel(o.kind),
    items: orderSummary(o),
    urgent: o.urgency === 'urgent' ? urgencyLabel(o.urgency) : '',
    status: statusLabel(o.status),
    worker: workers.join('、'),
    placedAt: formatBeijing(o.createdAt, FULL),
    claimedAt: claimed !== undefined ? formatBeijing(claimed, FULL) : '',
    deliveredAt: delivered !== undefined ? formatBeijing(delivered, FULL) : '',
    rating: o.rating ? `${o.rating.stars}星` : '',
    timeline: o.timeline
      .map((t) => `${formatBeijing(t.at, 'MM-DD HH:mm')} ${eventLabel(t.event)}${t.by.role === 'squad' ? `（${t.by.name}）` : ''}`)
      .join(' → '),
  }
}
