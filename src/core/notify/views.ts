/** What the notification actions return. No webhook URL ever appears here except masked. */
import type { DeliveryState, NoticeKind, SubscribeKind } from './types'

export interface InboxItemView {
  id: string
  kind: NoticeKind
  title: string
  body: string
  orderId?: string
  createdAt: number
  read: boolean
}

export interface InboxPage {
  items: InboxItemView[]
  next: string | null
  /** Unread items, counted up to 100 (show "99+" above 99). */
  unread: number
}

export interface SubscribeTemplateView {
  kind: SubscribeKind
  templateId: string
  title: string
  /** Consents left: messages of this template the caller may still receive. */
  left: number
}

export interface SubscribeInfo {
  /** Only templates configured on this platform (none on the local host). */
  templates: SubscribeTemplateView[]
  /** Template ids to pass to wx.requestSubscribeMessage on the 下单 tap (at most 3). */
  askOnOrder: string[]
}

export interface RobotView {
  /** 'community', 'coordinators' or a building id. */
  scope: string
  /** '1号楼群', '社区群', '工作人员群' */
  label: string
  configured: boolean
  /** The webhook URL masked (key=abcd…wxyz); '' when none is set. */
  url: string
  /** Where this group's messages go when it has no robot: the community group, the local sink, or nowhere. */
  fallback: 'community' | 'local_sink' | null
  updatedAt: number | null
}

export interface RobotList {
  robots: RobotView[]
}

export interface RobotLogEntry {
  id: string
  scope: string
  label: string
  kind: NoticeKind
  status: DeliveryState
  /** The markdown that was (or will be) posted. */
  text: string
  attempts: number
  lastError?: string
  createdAt: number
  doneAt?: number
  /** How many messages went out in the same (merged) post. */
  merged?: number
  /** The robot it went to, masked. */
  via?: string
}

export interface RobotLog {
  entries: RobotLogEntry[]
  next: string | null
}

export interface Queued {
  id: string
  /** False when the same message was already queued. */
  queued: boolean
}
