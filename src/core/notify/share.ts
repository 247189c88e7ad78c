/**
 * Share cards (onShareAppMessage): what a forwarded card shows in a WeChat chat and which page it
 * opens. Titles never carry names, doors, phones or health status; the opened page still asks the
 * server, which shows the order only to those allowed to see it.
 */
import { kindLabel } from '../order/labels'
import type { OrderKind } from '../order/types'

export interface ShareCard {
  title: string
  path: string
}

export function orderShareCard(orderId: string, kind: OrderKind): ShareCard {
  return { title: `宅家送 · ${kindLabel(kind)}订单进度`, path: `/resident/pages/detail/index?id=${encodeURIComponent(orderId)}` }
}

export const BOARD_SHARE_CARD: ShareCard = { title: '宅家送 · 任务大厅，有单子待接', path: '/squad/pages/board/index' }
