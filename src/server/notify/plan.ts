/**
 * Turns an order change into the notification records written with it (its outbox), following
 * the one table in core/notify/events.ts. Every use case that writes an order calls this and
 * passes the result to orders.insert/update, so the change and its notifications are atomic.
 */
import { createHash } from 'node:crypto'
import { ARRIVING_BUCKET_MS, rulesFor, type NoticeRule } from '../../core/notify/events'
import { arrivingText, handedToYouMessage, residentMessage, urgentText } from '../../core/notify/texts'
import { isResidentKind, isSubscribeKind, type Channel, type NoticeKind, type Notification, type SubscribeFields } from '../../core/notify/types'
import type { Order, OrderEventName } from '../../core/order/types'
import type { Deps } from '../deps'

/** 'n' + 31 hex digits: derived from the dedupe key, so the same message is the same record. */
export function notificationId(key: string): string {
  return 'n' + createHash('sha256').update(key).digest('hex').slice(0, 31)
}

export interface NewNotification {
  key: string
  channel: Channel
  communityId: string
  to: string
  kind: NoticeKind
  orderId?: string
  title?: string
  body: string
  fields?: SubscribeFields
  at: number
}

export function newNotification(p: NewNotification): Notification {
  return {
    id: notificationId(p.key),
    key: p.key,
    channel: p.channel,
    communityId: p.communityId,
    to: p.to,
    kind: p.kind,
    ...(p.orderId !== undefined ? { orderId: p.orderId } : {}),
    title: p.title ?? '',
    body: p.body,
    ...(p.fields ? { fields: p.fields } : {}),
    status: 'pending',
    attempts: 0,
    nextAt: p.at,
    leaseUntil: 0,
    leaseId: null,
    createdAt: p.at,
  }
}


/**
 * Whether a subscribe record for `kind` could ever be sent here: the platform sends subscribe
 * messages and has a template for the kind (the dispatcher would skip it otherwise). Without a
 * notification runtime (use cases alone, in tests) every record is written.
 */
function canSubscribe(deps: Deps, kind: NoticeKind): boolean {
  const config = deps.notify?.config
  if (!config) return true
  return config.subscribe && isSubscribeKind(kind) && config.templates[kind] !== undefined
}

/**
 * The outbox for `event` having produced `order` (the new state), caused by `actorId`.
 * Residents: one record per member of the household (but not the actor) and channel.
 */
export async function planOrderOutbox(deps: Deps, order: Order, event: OrderEventName, actorId: string): Promise<Notification[]> {
  const rules = rulesFor(event, order)
  if (rules.length === 0) return []
  const at = order.updatedAt
  const out: Notification[] = []
  for (const rule of rules) out.push(...(await planRule(deps, rule, order, at, actorId)))
  return out
}

async function planRule(deps: Deps, rule: NoticeRule, order: Order, at: number, actorId: string): Promise<Notification[]> {
  // Spread last in each literal below: one that starts with a spread and adds keys gets a shape of
  // its own every time on Node 20 (core/order/deadlines.ts withWatch, shapes.test.ts).
  const base = { communityId: order.communityId, orderId: order.id, kind: rule.kind, at }
  switch (rule.audience) {
    case 'household': {
      if (!isResidentKind(rule.kind)) throw new Error(`notice kind ${rule.kind} is not for residents`)
      const msg = residentMessage(rule.kind, order, at)
      const people = (await deps.store.people.listByHousehold(order.householdId)).filter((p) => p.id !== actorId)
      const out: Notification[] = []
      for (const person of people) {
        for (const channel of rule.channels) {
          if (channel === 'subscribe' && (!msg.fields || !canSubscribe(deps, rule.kind))) continue
          out.push(
            newNotification({
              key: `order:${order.id}:v${order.version}:${rule.kind}:${channel}:${person.id}`,
              channel,
              to: person.id,
              title: msg.title,
              body: msg.body,
              ...(channel === 'subscribe' && msg.fields ? { fields: msg.fields } : {}),
              ...base,
            }),
          )
        }
      }
      return out
    }
    case 'building': {
      const { buildingId, building, unit } = order.address
      // One post per building and unit in each quarter hour, however many doors the squad works.
      const bucket = Math.floor(at / ARRIVING_BUCKET_MS)
      if (rule.kind !== 'arriving') throw new Error(`notice kind ${rule.kind} has no building text`)
      const { orderId: _shared, ...groupBase } = base
      return [
        newNotification({
          key: `${rule.kind}:${order.communityId}:${buildingId}:${unit}:${bucket}`,
          channel: 'robot',
          to: buildingId,
          body: arrivingText(building, unit),
          ...groupBase,
        }),
      ]
    }
    case 'holder': {
      if (rule.kind !== 'handed_to_you') throw new Error(`notice kind ${rule.kind} has no holder text`)
      if (!order.holder || order.holder.id === actorId) return []
      const msg = handedToYouMessage(order)
      return [
        newNotification({
          key: `order:${order.id}:v${order.version}:${rule.kind}:inbox:${order.holder.id}`,
          channel: 'inbox',
          to: order.holder.id,
          title: msg.title,
          body: msg.body,
          ...base,
        }),
      ]
    }
    case 'coordinators':
      if (rule.kind !== 'urgent') throw new Error(`notice kind ${rule.kind} has no coordinators text`)
      return [
        newNotification({
          key: `order:${order.id}:v${order.version}:${rule.kind}:robot:coordinators`,
          channel: 'robot',
          to: 'coordinators',
          body: urgentText(order.address.building, order.address.unit, order.kind, at),
          ...base,
        }),
      ]
  }
}
