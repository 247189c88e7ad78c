/**
 * Notification settings per platform, and the runtime handle use cases see as `deps.notify`.
 *
 * Subscribe-message templates come from configuration (the cloud function's environment):
 *   ZJ_SUBSCRIBE_TEMPLATES = JSON, one entry per kind (claimed, at_door, delivered, no_answer):
 *     { "claimed": { "id": "<template id>", "fields": { "status": "phrase1", "summary": "thing2",
 *                    "tip": "thing3", "time": "time4", "orderNo": "character_string5" } }, … }
 *   `fields` maps each meaning (SubscribeFields) to the template's own field keys; the value is
 *   formatted by the key's type (core/notify/fields.ts). Omitted `fields` → DEFAULT_FIELDS.
 *   ZJ_MINIPROGRAM_STATE = formal | trial | developer (default formal)
 *   ZJ_DAILY_HOUR = Beijing hour of the daily summary (default 20)
 */
import { fieldType, type FieldMap } from '../../core/notify/fields'
import { isLocalSink, isWeComWebhook } from '../../core/notify/robot'
import { isSubscribeKind, type SubscribeKind } from '../../core/notify/types'

export interface SubscribeTemplate {
  /** The WeChat template id (from the mini program's 订阅消息 settings). */
  id: string
  fields: FieldMap
}

export type MiniprogramState = 'developer' | 'trial' | 'formal'

export interface NotifyConfig {
  templates: Partial<Record<SubscribeKind, SubscribeTemplate>>
  /** Whether a coordinator may attach this webhook URL (no other URL is ever posted to). */
  robotUrlAllowed(url: string): boolean
  /** Where a scope without a configured robot posts; null: nowhere (the notification is skipped). */
  defaultRobotUrl(communityId: string, scope: string): string | null
  /** The mini program page a subscribe message opens. */
  orderPage(orderId: string): string
  miniprogramState: MiniprogramState
  /** Beijing hour after which the daily summary goes out (once a day). */
  dailyHour: number
  /** Communities the timed jobs cover besides those with a robot. */
  communities: string[]
  /**
   * Whether this platform sends WeChat subscribe messages: the cloud does; the local host has no
   * WeChat, so the plan writes it no subscribe records (each would only be written, leased and
   * settled 'skipped': three writes per resident notice, a tenth of the morning rush's cost).
   */
  subscribe: boolean
}

/** Titles for the consent screen and the inbox. */
export const SUBSCRIBE_TITLES: Record<SubscribeKind, string> = {
  claimed: '已接单通知',
  at_door: '请取物通知',
  delivered: '已送达通知',
  no_answer: '无人应答通知',
}

export const DEFAULT_FIELDS: FieldMap = {
  status: 'phrase1',
  summary: 'thing2',
  tip: 'thing3',
  time: 'time4',
  orderNo: 'character_string5',
}

/** wx.requestSubscribeMessage takes at most 3 template ids per tap: the ones asked when ordering. */
export const ASK_ON_ORDER: readonly SubscribeKind[] = ['at_door', 'delivered', 'no_answer']

export const orderPage = (orderId: string) => `resident/pages/detail/index?id=${orderId}`

export interface NotifyRuntime {
  config: NotifyConfig
  /** Something was queued: deliver soon (the host ticks its dispatcher; the cloud ticks after answering). */
  kick(): void
}

const FIELD_KEY = /^[a-z_]+\d+$/
const MEANINGS = ['status', 'summary', 'tip', 'by', 'time', 'orderNo'] as const

/** Parses ZJ_SUBSCRIBE_TEMPLATES; unknown kinds, bad ids and bad field keys are dropped. */
export function parseTemplates(json: string | undefined): Partial<Record<SubscribeKind, SubscribeTemplate>> {
  if (!json) return {}
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    return {}
  }
  if (typeof raw !== 'object' || raw === null) return {}
  const out: Partial<Record<SubscribeKind, SubscribeTemplate>> = {}
  for (const [kind, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!isSubscribeKind(kind) || typeof value !== 'object' || value === null) continue
    const { id, fields } = value as { id?: unknown; fields?: unknown }
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{8,128}$/.test(id)) continue
    let map: FieldMap = DEFAULT_FIELDS
    if (typeof fields === 'object' && fields !== null) {
      map = {}
      for (const m of MEANINGS) {
        const key = (fields as Record<string, unknown>)[m]
        if (typeof key === 'string' && FIELD_KEY.test(key) && fieldType(key)) map[m] = key
      }
    }
    out[kind] = { id, fields: map }
  }
  return out
}

/** The cloud: only real WeCom webhooks, no default robot. */
export function cloudNotifyConfig(env: Record<string, string | undefined> = {}): NotifyConfig {
  const state = env.ZJ_MINIPROGRAM_STATE
  const hour = Number(env.ZJ_DAILY_HOUR ?? 20)
  return {
    templates: parseTemplates(env.ZJ_SUBSCRIBE_TEMPLATES),
    robotUrlAllowed: isWeComWebhook,
    defaultRobotUrl: () => null,
    orderPage,
    miniprogramState: state === 'developer' || state === 'trial' ? state : 'formal',
    dailyHour: Number.isInteger(hour) && hour >= 0 && hour <= 23 ? hour : 20,
    communities: [],
    subscribe: true,
  }
}

/**
 * The local host: WeCom webhooks or its own sink; scopes without a robot post to the sink
 * (`POST /dev/robot/<community>-<scope>`), so every group's messages can be seen at /dev/groups.
 */
export function hostNotifyConfig(opts: { sinkBase: () => string; communities: string[]; env?: Record<string, string | undefined> }): NotifyConfig {
  const base = cloudNotifyConfig(opts.env ?? {})
  return {
    ...base,
    robotUrlAllowed: (url) => isWeComWebhook(url) || isLocalSink(url),
    defaultRobotUrl: (communityId, scope) => `${opts.sinkBase()}/dev/robot/${sinkName(communityId, scope)}`,
    communities: opts.communities,
    subscribe: false,
  }
}

export const sinkName = (communityId: string, scope: string) => `${communityId}-${scope}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)
