/**
 * Notifications (the outbox): one record per (message, channel, recipient), written in the same
 * transaction or document write as the change it reports, then sent by the dispatcher
 * (src/server/notify/dispatcher.ts). Pure types; no clock, no store.
 *
 * Channels:
 *  - inbox:     the in-app 消息 list, per person. The only channel on the local host.
 *  - subscribe: a WeChat subscribe message (订阅消息) to one person; needs a consent per message.
 *  - robot:     a WeCom (企业微信) group-robot post to a building's, the community's or the
 *               coordinators' group chat. Never carries a name, room number, phone or health status.
 */

export const CHANNELS = ['inbox', 'subscribe', 'robot'] as const
export type Channel = (typeof CHANNELS)[number]

/** The four WeChat subscribe-message templates residents can consent to. */
export const SUBSCRIBE_KINDS = ['claimed', 'at_door', 'delivered', 'no_answer'] as const
export type SubscribeKind = (typeof SUBSCRIBE_KINDS)[number]

export const isSubscribeKind = (s: unknown): s is SubscribeKind =>
  typeof s === 'string' && (SUBSCRIBE_KINDS as readonly string[]).includes(s)

/** Notices to the household's members (inbox, and subscribe for the four SUBSCRIBE_KINDS). */
export const RESIDENT_KINDS = [
  'claimed',
  'at_door',
  'delivered',
  'no_answer',
  'cancelled',
  'released',
  'reassigned',
  'returned',
  'parcel_arrived',
  'duplicate_cancelled',
] as const
export type ResidentKind = (typeof RESIDENT_KINDS)[number]
export const isResidentKind = (k: string): k is ResidentKind => (RESIDENT_KINDS as readonly string[]).includes(k)

/** What a notification is about. Resident kinds go to people; group kinds go to robots. */
export const NOTICE_KINDS = [
  ...RESIDENT_KINDS,
  // to the squad member a coordinator gave the order to (inbox)
  'handed_to_you',
  // to group chats (robot); 'overdue' also to each coordinator's inbox
  'arriving',
  'urgent',
  'overdue',
  'daily',
  'notice',
  'test',
] as const
export type NoticeKind = (typeof NOTICE_KINDS)[number]

/** 'community', 'coordinators' (the staff group), or a building id. */
export type RobotScope = string
export const COMMUNITY_SCOPE = 'community'
export const COORDINATORS_SCOPE = 'coordinators'

/**
 * The meaning of a subscribe message, independent of any template. Configuration maps each
 * meaning to a template field key (thing1, phrase2, …); fields.ts formats by the key's type.
 */
export interface SubscribeFields {
  /** 已接单 / 请取物 / 已送达 / 无人应答 */
  status: string
  /** What was ordered: '大米等2件' */
  summary: string
  /** One line of advice: '社工已到门口，请戴好口罩开门取物' */
  tip: string
  /** Who acted (the squad member's name; residents already see it on the order). */
  by: string
  /** Epoch ms of the event. */
  time: number
  /** The order's id (≤ 32 ASCII characters). */
  orderNo: string
}

export type DeliveryState = 'pending' | 'sent' | 'failed' | 'skipped'

export interface Notification {
  /** 'n' + 31 hex digits of sha256(key): the idempotency key, also the inbox item's id. */
  id: string
  /** Readable dedupe key (ids and codes only, never personal data). */
  key: string
  channel: Channel
  communityId: string
  /** inbox/subscribe: the person's id (OPENID on WeChat); robot: the scope. */
  to: string
  kind: NoticeKind
  orderId?: string
  /** Inbox title; robot: unused (''). */
  title: string
  /** Inbox text, or the robot's markdown. */
  body: string
  /** Subscribe only. */
  fields?: SubscribeFields
  status: DeliveryState
  /** Send attempts that failed (rate-limit deferrals do not count). */
  attempts: number
  /** Not before this instant (backoff, rate-limit deferral). */
  nextAt: number
  /** A dispatcher holds the record until this instant; 0 when free. */
  leaseUntil: number
  leaseId: string | null
  createdAt: number
  /** When it reached sent, failed or skipped. */
  doneAt?: number
  /** A short code ('http_500', 'errcode_45009', 'no_consent'), never a URL or a message body. */
  lastError?: string
  /** Subscribe: one consent was taken for this record (taken once, whatever the retries). */
  consumed?: boolean
  /** Robot: how many records went out in the same post (1 unless merged). */
  merged?: number
  /** Robot: the webhook it was last posted to, masked (never the whole URL). */
  via?: string
}

export interface InboxItem {
  /** The notification's id: delivering twice writes the same item. */
  id: string
  userId: string
  communityId: string
  kind: NoticeKind
  orderId?: string
  title: string
  body: string
  createdAt: number
  readAt: number | null
}

/** The inbox item an inbox notification delivers (the same id: delivering twice writes one item). */
export function inboxItemOf(n: Notification): InboxItem {
  return {
    id: n.id,
    userId: n.to,
    communityId: n.communityId,
    kind: n.kind,
    ...(n.orderId !== undefined ? { orderId: n.orderId } : {}),
    title: n.title,
    body: n.body,
    createdAt: n.createdAt,
    readAt: null,
  }
}

/** A group robot attached to a scope. `url` is a secret: it never leaves the server. */
export interface RobotConfig {
  /** `${communityId}:${scope}` */
  id: string
  communityId: string
  scope: RobotScope
  /** '' when removed. */
  url: string
  updatedAt: number
  updatedBy: string
}

export const robotConfigId = (communityId: string, scope: RobotScope) => `${communityId}:${scope}`

/** WeCom's documented ceiling: 20 messages per minute per robot. */
export const ROBOT_POSTS_PER_MINUTE = 20
export const ROBOT_WINDOW_MS = 60_000
/** markdown.content ≤ 4096 bytes (UTF-8); text.content ≤ 2048. */
export const ROBOT_MARKDOWN_MAX_BYTES = 4096
export const ROBOT_TEXT_MAX_BYTES = 2048
