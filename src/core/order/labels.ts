/** Chinese labels for statuses and events, shared by pages and messages. */
import { assertNever } from '../errors'
import type { OrderEventName, OrderKind, OrderStatus, ProtocolStep, Urgency } from './types'

/**
 * The doorstep steps' names: the ONE table every page, message and refusal reads (through stepLabel,
 * and eventLabel for the steps' events on the timeline).
 */
export const STEP_LABELS: Readonly<Record<ProtocolStep, string>> = {
  disinfect_corridor: '消杀楼道',
  remove_seal: '拆除封条',
  call_resident: '电话通知取物',
  picked_up: '居民已取',
  restore_seal: '恢复封条',
  disinfect_again: '再次消杀',
}

export function stepLabel(s: ProtocolStep): string {
  return STEP_LABELS[s]
}

export function statusLabel(s: OrderStatus): string {
  switch (s) {
    case 'pending':
      return '待接单'
    case 'claimed':
      return '已接单'
    case 'delivering':
      return '配送中'
    case 'at_door':
      return '请取物'
    case 'delivered':
      return '已送达'
    case 'confirmed':
      return '已确认'
    case 'cancelled':
      return '已取消'
    default:
      return assertNever(s)
  }
}

export function eventLabel(e: OrderEventName): string {
  switch (e) {
    case 'place':
      return '下单'
    case 'cancel':
      return '取消订单'
    case 'claim':
      return '接单'
    case 'release':
      return '退回订单'
    case 'reassign':
      return '改派'
    case 'assign':
      return '指派'
    case 'depart':
      return '出发配送'
    case 'disinfect_corridor':
    case 'remove_seal':
    case 'call_resident':
    case 'picked_up':
    case 'restore_seal':
    case 'disinfect_again':
      return STEP_LABELS[e]
    case 'no_answer':
      return '无人应答'
    case 'deliver':
      return '送达'
    case 'confirm':
      return '确认收货'
    case 'rate':
      return '评价'
    case 'add_partner':
      return '添加搭档'
    case 'parcel_arrived':
      return '已到门岗'
    case 'disinfect_parcel':
      return '物品消杀'
    case 'cancel_duplicate':
      return '重复下单取消'
    case 'return_to_board':
      return '退回任务大厅'
    case 'drop_partner':
      return '移除搭档'
    default:
      return assertNever(e)
  }
}

export function kindLabel(k: OrderKind): string {
  switch (k) {
    case 'supplies':
      return '生活物资'
    case 'meal':
      return '订餐'
    case 'handover':
      return '家属送物'
    case 'garbage':
      return '清运垃圾'
    default:
      return assertNever(k)
  }
}

export function urgencyLabel(u: Urgency): string {
  switch (u) {
    case 'normal':
      return '普通'
    case 'urgent':
      return '加急'
    default:
      return assertNever(u)
  }
}
