/**
 * Message text for each channel. Pure.
 *
 * Residents (inbox + subscribe) hear about their own order, so their texts may name what was
 * ordered and who holds it. Group texts (robot markdown) are built from a building's name and a
 * unit number ONLY — never a room, a name, a phone, a health detail (urgent reasons, special needs,
 * medicine) or free text a resident typed; privacy.ts double-checks before anything is posted.
 */
import { formatBeijing } from '../time'
import { kindLabel, statusLabel } from '../order/labels'
import { orderNo } from '../order/duplicate'
import type { DeliveryOutcome, Order, OrderKind, OrderStatus } from '../order/types'
import { oneLine, truncateBytes, truncateChars, utf8Bytes } from './fields'
import { COMMUNITY_SCOPE, COORDINATORS_SCOPE, ROBOT_MARKDOWN_MAX_BYTES, type ResidentKind, type SubscribeFields } from './types'

// ---------------------------------------------------------------------------------------------
// Residents


export interface ResidentMessage {
  title: string
  body: string
  /** Present for the four subscribe kinds. */
  fields?: SubscribeFields
}

/** What was ordered, in a few words: '大米等3样', '订餐：青菜粥', '家属送物', '清运垃圾'. */
export function orderSummary(order: Pick<Order, 'kind' | 'lines' | 'meal'>): string {
  switch (order.kind) {
    case 'supplies': {
      const first = order.lines[0]
      if (!first) return kindLabel('supplies')
      return order.lines.length > 1 ? `${first.name}等${order.lines.length}样` : `${first.name}${first.qty}${first.unit}`
    }
    case 'meal':
      return order.meal ? `订餐：${order.meal.dish}` : kindLabel('meal')
    case 'handover':
    case 'garbage':
      return kindLabel(order.kind)
  }
}

function deliveredTip(outcome: DeliveryOutcome | undefined, missing: readonly string[]): string {
  switch (outcome) {
    case 'left_at_door':
      return '物品已放在门口，请尽快取回'
    case 'partial':
      return missing.length ? `部分缺货：${missing.join('、')}` : '部分物品缺货'
    case 'handed':
    case undefined:
      return '请在小程序里确认收货'
  }
}

/** The resident's message for `kind` about `order` (already in its new state), at `at`. */
export function residentMessage(kind: ResidentKind, order: Order, at: number): ResidentMessage {
  const summary = truncateChars(oneLine(orderSummary(order)), 40)
  const holder = order.holder?.name || '社工'
  const fields = (status: string, tip: string): SubscribeFields => ({
    status,
    summary,
    tip,
    by: holder,
    time: at,
    orderNo: order.id,
  })
  switch (kind) {
    case 'claimed': {
      const tip = `${holder}已接单，正在准备`
      return { title: '已接单', body: `${holder}已接单，正在为您准备「${summary}」。`, fields: fields('已接单', tip) }
    }
    case 'at_door': {
      const tip = '社工已到门口，请戴好口罩开门取物'
      return { title: '请取物', body: `社工已到门口，请戴好口罩开门取物（${summary}）。`, fields: fields('请取物', tip) }
    }
    case 'delivered': {
      const tip = deliveredTip(order.outcome, order.missing ?? [])
      return { title: '已送达', body: `「${summary}」已送达。${tip}。`, fields: fields('已送达', tip) }
    }
    case 'no_answer': {
      const tip = '敲门和电话无人应答，将重新安排配送'
      return {
        title: '无人应答',
        body: `社工上门时无人应答，订单已退回重新安排配送（${summary}）。请保持电话畅通。`,
        fields: fields('无人应答', tip),
      }
    }
    case 'cancelled':
      return { title: '订单已取消', body: `「${summary}」已取消。` }
    case 'released':
      return { title: '订单已退回', body: `原接单社工已退回「${summary}」，正在等待其他社工接单。` }
    case 'reassigned':
      return { title: '已改派', body: `「${summary}」改由${holder}负责。` }
    case 'returned':
      return { title: '正在重新安排', body: `「${summary}」已退回任务大厅，社区正在安排其他社工接单。` }
    case 'parcel_arrived':
      return { title: '已到门岗', body: '家属送来的东西已到小区门岗，社工消杀、静置后送上门。' }
    case 'duplicate_cancelled': {
      const kept = order.duplicateOf ? `，保留订单${orderNo(order.duplicateOf)}` : ''
      return { title: '重复订单已取消', body: `您的重复订单已取消${kept}。「${summary}」不会重复送。` }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Groups (robot markdown). Inputs are building names, unit numbers, counts and labels only.

/** '1号楼群', '社区群', '工作人员群'. */
export function scopeLabel(scope: string, buildings: readonly { id: string; name: string }[]): string {
  if (scope === COMMUNITY_SCOPE) return '社区群'
  if (scope === COORDINATORS_SCOPE) return '工作人员群'
  return `${buildings.find((b) => b.id === scope)?.name ?? scope}群`
}

/** 社工已到3号楼，请3单元居民准备取物 */
export function arrivingText(building: string, unit: number): string {
  return `**社工已到${building}，请${unit}单元居民准备取物**\n> 请戴好口罩，接到电话后再开门。`
}

/**
 * To the squad member a coordinator handed an order to. Building and unit only: the door and the
 * phone are on the task page, for as long as they hold it (this message stays in their inbox).
 */
export function handedToYouMessage(order: Order): { title: string; body: string } {
  const where = `${order.address.building}${order.address.unit}单元`
  const kind = kindLabel(order.kind)
  const what = truncateChars(oneLine(orderSummary(order)), 40)
  return { title: '新任务', body: `社区把${where}的一单${kind}交给您了${what === kind ? '' : `：「${what}」`}。请尽快处理。` }
}

export function urgentText(building: string, unit: number, kind: OrderKind, at: number): string {
  return `**<font color="warning">加急需求</font>**\n> ${building}${unit}单元有一单${kindLabel(kind)}加急，待接单（${formatBeijing(at, 'HH:mm')}）`
}

/** '45分钟', '2小时', '1小时30分钟' */
export function durationLabel(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000))
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  if (h === 0) return `${m}分钟`
  return m === 0 ? `${h}小时` : `${h}小时${m}分钟`
}

/**
 * The staff group's overdue alert. `deadline` says which one passed: 'claim' (nobody claimed it in
 * time) or 'deliver' (not at the door in time); without it, the plain wording.
 */
export function overdueText(
  building: string,
  unit: number,
  kind: OrderKind,
  status: OrderStatus,
  overdueMs: number,
  deadline?: 'claim' | 'deliver',
): string {
  const what = deadline === 'claim' ? '，还没有人接单' : deadline === 'deliver' ? '，还没有送达' : ''
  return `**<font color="warning">超时提醒</font>**\n> ${building}${unit}单元一单${kindLabel(kind)}（${statusLabel(status)}）已超时${durationLabel(overdueMs)}${what}，请协调处理`
}

/** The same alert in each coordinator's 消息 inbox: building, unit, kind and status only. */
export function overdueInboxMessage(
  building: string,
  unit: number,
  kind: OrderKind,
  status: OrderStatus,
  overdueMs: number,
  deadline: 'claim' | 'deliver',
): { title: string; body: string } {
  return {
    title: deadline === 'claim' ? '超时未接单' : '超时未送达',
    body: `${building}${unit}单元一单${kindLabel(kind)}（${statusLabel(status)}）${deadline === 'claim' ? '超过接单时限' : '超过送达时限'}${durationLabel(overdueMs)}，请尽快协调处理。`,
  }
}

export interface DailyStats {
  /** Beijing date 'YYYY-MM-DD'. */
  date: string
  placed: number
  urgent: number
  delivered: number
  cancelled: number
  active: number
  overdue: number
  /** New orders today per building name, in the community's building order. */
  byBuilding: { building: string; placed: number }[]
}

export function dailyText(communityName: string, s: DailyStats): string {
  const [, m, d] = s.date.split('-')
  const lines = [
    `**${communityName}配送日报（${Number(m)}月${Number(d)}日）**`,
    `> 今日新需求：${s.placed}单（加急：${s.urgent}单）`,
    `> 今日送达：${s.delivered}单，取消：${s.cancelled}单`,
    `> 仍在处理：${s.active}单，其中超时：<font color="warning">${s.overdue}单</font>`,
  ]
  if (s.byBuilding.length) lines.push(`各楼新需求：${s.byBuilding.map((b) => `${b.building}：${b.placed}单`).join('；')}`)
  return lines.join('\n')
}

/** A coordinator's campaign notice (checked by the privacy guard before it is queued). */
export function noticeText(text: string): string {
  return `**社区通知**\n${truncateBytes(text.trim(), 3000)}`
}

export function testText(label: string, at: number): string {
  return `**测试消息**\n> 宅家送已连接${label}机器人（${formatBeijing(at, 'MM-DD HH:mm')}）。收到这条消息说明设置成功，无需回复。`
}

// ---------------------------------------------------------------------------------------------
// Merging for the rate limit

export const MERGED_HEADER = '**以下消息因发送频率限制合并发送**'
const SEPARATOR = '\n\n'

/**
 * Packs messages into as few posts as fit `maxBytes` each (UTF-8), in order, every message in
 * exactly one post. A message too long for one post is cut to fit. One message → posted as is.
 */
export function packPosts(messages: readonly string[], maxBytes = ROBOT_MARKDOWN_MAX_BYTES): { text: string; count: number }[] {
  if (messages.length === 1) return [{ text: truncateBytes(messages[0]!, maxBytes), count: 1 }]
  const room = maxBytes - utf8Bytes(MERGED_HEADER) - utf8Bytes(SEPARATOR)
  const posts: { parts: string[]; bytes: number }[] = []
  for (const raw of messages) {
    const msg = truncateBytes(raw, room)
    const size = utf8Bytes(msg)
    const last = posts[posts.length - 1]
    if (last && last.bytes + utf8Bytes(SEPARATOR) + size <= room) {
      last.parts.push(msg)
      last.bytes += utf8Bytes(SEPARATOR) + size
    } else {
      posts.push({ parts: [msg], bytes: size })
    }
  }
  return posts.map((p) => ({
    text: p.parts.length === 1 ? p.parts[0]! : [MERGED_HEADER, ...p.parts].join(SEPARATOR),
    count: p.parts.length,
  }))
}

/**
 * 复制群公告: a group message as paste-ready plain text for groups without a robot — the robot
 * markdown's bold, quote and colour marks removed, prefixed with 【宅家送】.
 */
export function announcementText(markdown: string): string {
  const plain = markdown
    .replace(/<font[^>]*>(.*?)<\/font>/g, '$1')
    .replace(/\*\*(.*?)\*\*/g, '$1')
    .split('\n')
    .map((l) => l.replace(/^>\s?/, '').trim())
    .filter(Boolean)
    .join('\n')
  return `【宅家送】${plain}`
}

/** What a building group hears when the squad gets there: 社工已到1号楼，请2单元居民准备取物. */
export function arrivingAnnouncement(building: string, units: readonly number[]): string {
  const u = [...new Set(units)].sort((a, b) => a - b).map((n) => `${n}单元`).join('、')
  return announcementText(`**社工已到${building}，请${u}居民准备取物**\n> 请戴好口罩，接到电话后再开门。`)
}
