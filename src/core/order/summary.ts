/** One-line Chinese summaries of an order, for lists and cards. */
import { assertNever } from '../errors'
import { formatBeijing } from '../time'
import { MEAL_SLOTS } from './schedule'
import type { Order } from './types'

export function linesSummary(order: Pick<Order, 'lines'>, max = 3): string {
  const parts = order.lines.slice(0, max).map((l) => `${l.name}×${l.qty}${l.unit}`)
  if (order.lines.length > max) parts.push(`等${order.lines.length}样`)
  return parts.join('、')
}

export function orderSummary(order: Pick<Order, 'kind' | 'lines' | 'meal' | 'handover'>): string {
  switch (order.kind) {
    case 'supplies':
      return linesSummary(order)
    case 'meal': {
      const m = order.meal
      if (!m) return '订餐'
      const when = m.slot === 'exact' && m.at ? formatBeijing(m.at, 'MM-DD HH:mm') : `${m.date.slice(5)} ${MEAL_SLOTS[m.slot as keyof typeof MEAL_SLOTS]?.label ?? ''}`
      return `${when} ${m.dish}${m.dietary.length ? `（${m.dietary.join('、')}）` : ''}`
    }
    case 'handover':
      return order.handover ? `${order.handover.bringer}送来：${order.handover.items}` : '家属送物'
    case 'garbage':
      return '清运生活垃圾'
    default:
      return assertNever(order.kind)
  }
}
