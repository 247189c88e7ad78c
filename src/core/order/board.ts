/**
 * Pure helpers for the squad's pages (任务大厅, 我的任务, 上门): grouping by building, the type
 * filter, due / overdue / countdown wording. No clock: every function takes `now`.
 */
import { formatBeijing } from '../time'
import { nextStep, parcelReadiness, protocolOf, PROTOCOL_STEPS, type ProtocolStep } from './protocol'
import type { Order, OrderAddress, OrderKind } from './types'

/** The board's type chips: 全部 plus one per kind. */
export type KindFilter = 'all' | OrderKind

export const KIND_FILTERS: readonly { value: KindFilter; label: string }[] = [
  { value: 'all', label: '全部' },
  { value: 'supplies', label: '物资' },
  { value: 'meal', label: '订餐' },
  { value: 'handover', label: '家属送物' },
  { value: 'garbage', label: '垃圾' },
]

export function matchesKind(order: Pick<Order, 'kind'>, f: KindFilter): boolean {
  return f === 'all' || order.kind === f
}

/** The board's scope: the whole community, or only the buildings of my grid (网格). */
export type ScopeFilter = 'all' | 'grid'

export function inScope(
  order: { address: Pick<OrderAddress, 'buildingId'> },
  scope: ScopeFilter,
  grid: { buildingIds: readonly string[] } | null,
): boolean {
  return scope === 'all' || grid === null || grid.buildingIds.includes(order.address.buildingId)
}

export interface BuildingGroup<T> {
  buildingId: string
  building: string
  orders: T[]
}

/**
 * Orders grouped by building, groups in building order (1号楼, 2号楼, … 10号楼: numeric-aware);
 * within a group the orders keep the order they came in (the server's sort).
 */
export function groupByBuilding<T extends { address: Pick<OrderAddress, 'buildingId' | 'building'> }>(
  orders: readonly T[],
): BuildingGroup<T>[] {
  const groups = new Map<string, BuildingGroup<T>>()
  for (const o of orders) {
    const key = o.address.buildingId || o.address.building
    let g = groups.get(key)
    if (!g) {
      g = { buildingId: o.address.buildingId, building: o.address.building, orders: [] }
      groups.set(key, g)
    }
    g.orders.push(o)
  }
  return [...groups.values()].sort((a, b) =>
    a.building.localeCompare(b.building, 'zh-CN', { numeric: true }) || a.buildingId.localeCompare(b.buildingId),
  )
}

/** '1号楼2单元' — what the board shows before the order is claimed (the room is redacted). */
export function unitLabel(a: Pick<OrderAddress, 'building' | 'unit'>): string {
  return `${a.building}${a.unit}单元`
}

/** '1号楼2单元502'; just the unit while the room is hidden. */
export function doorLabel(a: Pick<OrderAddress, 'building' | 'unit' | 'room'>): string {
  return a.room ? `${unitLabel(a)}${a.room}` : unitLabel(a)
}

/**
 * Past a deadline: the delivery deadline (dueAt), or — while it waits on the board — the claim
 * deadline (deadlines.ts). A deadline has passed from the instant it falls due.
 */
export function isOverdue(order: Pick<Order, 'dueAt'> & Partial<Pick<Order, 'status' | 'claimDueAt'>>, now: number): boolean {
  return order.dueAt <= now || (order.status === 'pending' && order.claimDueAt !== undefined && order.claimDueAt <= now)
}

/** Nobody claimed it by its claim deadline, while the delivery deadline is still ahead (超时未接). */
export function isClaimLate(order: Pick<Order, 'dueAt'> & Partial<Pick<Order, 'status' | 'claimDueAt'>>, now: number): boolean {
  return order.dueAt > now && order.status === 'pending' && order.claimDueAt !== undefined && order.claimDueAt <= now
}

/** A span in words: '45分钟', '1小时5分钟', '2天3小时'; under a minute is '不到1分钟'. */
export function durationLabel(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000)
  if (minutes < 1) return '不到1分钟'
  const d = Math.floor(minutes / 1440)
  const h = Math.floor((minutes % 1440) / 60)
  const m = minutes % 60
  if (d > 0) return h > 0 ? `${d}天${h}小时` : `${d}天`
  if (h > 0) return m > 0 ? `${h}小时${m}分钟` : `${h}小时`
  return `${m}分钟`
}

/** A countdown clock: '1:23:45', '0:05:09'. */
export function clockLabel(ms: number): string {
  const s = Math.ceil(Math.max(0, ms) / 1000)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  return `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`
}

/** '今天 14:00', '明天 09:30', '11-25 18:00' (Beijing). */
export function dayTimeLabel(at: number, now: number): string {
  const day = formatBeijing(at, 'YYYY-MM-DD')
  if (day === formatBeijing(now, 'YYYY-MM-DD')) return `今天 ${formatBeijing(at, 'HH:mm')}`
  if (day === formatBeijing(now + 86_400_000, 'YYYY-MM-DD')) return `明天 ${formatBeijing(at, 'HH:mm')}`
  if (day === formatBeijing(now - 86_400_000, 'YYYY-MM-DD')) return `昨天 ${formatBeijing(at, 'HH:mm')}`
  return formatBeijing(at, 'MM-DD HH:mm')
}

/** The board's red badge: '已超时 1小时5分钟' past delivery, '超时未接 20分钟' past claim only; else null. */
export function overdueLabel(order: Pick<Order, 'dueAt'> & Partial<Pick<Order, 'status' | 'claimDueAt'>>, now: number): string | null {
  if (order.dueAt <= now) return `已超时 ${durationLabel(now - order.dueAt)}`
  if (isClaimLate(order, now)) return `超时未接 ${durationLabel(now - order.claimDueAt!)}`
  return null
}

/** '今天 14:00前送达', or '已超时 1小时5分钟'. */
export function dueLabel(order: Pick<Order, 'dueAt'>, now: number): string {
  return isOverdue(order, now) ? `已超时 ${durationLabel(now - order.dueAt)}` : `${dayTimeLabel(order.dueAt, now)}前送达`
}

/** Where a parcel stands for the countdown: other kinds are always 'ready'. */
export type ParcelState =
  | { state: 'not_parcel' }
  | { state: 'not_disinfected' }
  | { state: 'holding'; left: number; label: string }
  | { state: 'ready'; label: string }

export function parcelState(order: Pick<Order, 'kind' | 'deliverableAt'>, now: number): ParcelState {
  if (order.kind !== 'handover') return { state: 'not_parcel' }
  switch (parcelReadiness(order, now)) {
    case 'not_disinfected':
      return { state: 'not_disinfected' }
    case 'holding': {
      const left = (order.deliverableAt ?? now) - now
      return { state: 'holding', left, label: `还需静置 ${clockLabel(left)}` }
    }
    default:
      return { state: 'ready', label: '可配送' }
  }
}

/** 1-based position of the step due next ('第3步'), 0 when all six are recorded. */
export function stepNumber(order: Pick<Order, 'protocol'>): number {
  const n = nextStep(order)
  return n === null ? 0 : PROTOCOL_STEPS.indexOf(n) + 1
}

/** The record of a step in the current attempt, if it was tapped. */
export function stepRecord(order: Pick<Order, 'protocol'>, step: ProtocolStep) {
  return protocolOf(order).find((r) => r.step === step)
}
