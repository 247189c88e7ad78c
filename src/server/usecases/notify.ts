/**
 * Notification actions: the caller's 消息 inbox, subscribe-message consents, and the
 * coordinator's group robots (set, test, notice, log). Webhook URLs go in and never come out
 * except masked; they are never logged.
 */
import { createHash } from 'node:crypto'
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import { findPrivateData, privacyIndex, PRIVATE_DATA_MESSAGE } from '../../core/notify/privacy'
import { maskUrl } from '../../core/notify/robot'
import { announcementText, noticeText, scopeLabel, testText } from '../../core/notify/texts'
import {
  COMMUNITY_SCOPE,
  COORDINATORS_SCOPE,
  robotConfigId,
  SUBSCRIBE_KINDS,
  type InboxItem,
  type NoticeKind,
  type Notification,
  type RobotConfig,
} from '../../core/notify/types'
import type {
  InboxItemView,
  InboxPage,
  Queued,
  RobotList,
  RobotLog,
  RobotView,
  SubscribeInfo,
} from '../../core/notify/views'
import type { Deps } from '../deps'
import { ASK_ON_ORDER, cloudNotifyConfig, SUBSCRIBE_TITLES, type NotifyConfig } from '../notify/config'
import { newNotification } from '../notify/plan'
import type { Community, Household } from '../ports'

/** Consents beyond this per template are not counted (WeChat itself is the final word: 43101). */
export const MAX_CONSENTS_PER_TEMPLATE = 50

const CLOUD_DEFAULTS = cloudNotifyConfig({})
const configOf = (deps: Deps): NotifyConfig => deps.notify?.config ?? CLOUD_DEFAULTS

// ---------------------------------------------------------------------------------------------
// Inbox

const inboxView = (i: InboxItem): InboxItemView => ({
  id: i.id,
  kind: i.kind,
  title: i.title,
  body: i.body,
  ...(i.orderId !== undefined ? { orderId: i.orderId } : {}),
  createdAt: i.createdAt,
  read: i.readAt !== null,
})

export async function listInbox(deps: Deps, actor: Actor, input: ParsedInputOf<'inbox.list'>): Promise<InboxPage> {
  const page = await deps.store.inbox.list(actor.id, { limit: input.limit ?? 30, cursor: input.cursor ?? null })
  return { items: page.items.map(inboxView), next: page.next, unread: await deps.store.inbox.unread(actor.id) }
}

export async function markInboxRead(deps: Deps, actor: Actor, input: ParsedInputOf<'inbox.markRead'>): Promise<{ unread: number }> {
  await deps.store.inbox.markRead(actor.id, input.all ? 'all' : (input.ids ?? []), deps.now())
  return { unread: await deps.store.inbox.unread(actor.id) }
}

// ---------------------------------------------------------------------------------------------
// Subscribe consents

export async function subscribeInfo(deps: Deps, actor: Actor): Promise<SubscribeInfo> {
  const { templates } = configOf(deps)
  const counts = await deps.store.consents.counts(actor.id)
  return {
    templates: SUBSCRIBE_KINDS.flatMap((kind) => {
      const t = templates[kind]
      return t ? [{ kind, templateId: t.id, title: SUBSCRIBE_TITLES[kind], left: counts[t.id] ?? 0 }] : []
    }),
    askOnOrder: ASK_ON_ORDER.flatMap((k) => (templates[k] ? [templates[k]!.id] : [])),
  }
}

/** Records what wx.requestSubscribeMessage answered: each 'accept' allows one more message. */
export async function recordConsent(deps: Deps, actor: Actor, input: ParsedInputOf<'notify.consent'>): Promise<SubscribeInfo> {
  const known = new Set(Object.values(configOf(deps).templates).map((t) => t!.id))
  const counts = await deps.store.consents.counts(actor.id)
  let accepted = 0
  for (const [templateId, answer] of Object.entries(input.results)) {
    if (answer !== 'accept' || !known.has(templateId)) continue
    if ((counts[templateId] ?? 0) >= MAX_CONSENTS_PER_TEMPLATE) continue
    await deps.store.consents.grant(actor.id, templateId, 1, deps.now())
    accepted++
  }
  deps.log.info('notify.consent', { accepted })
  return subscribeInfo(deps, actor)
}

// ---------------------------------------------------------------------------------------------
// Group robots (coordinators)

async function coordinatedCommunity(deps: Deps, actor: Actor): Promise<Community> {
  const c = actor.coordinatorOf ? await deps.store.communities.get(actor.coordinatorOf) : null
  if (!c) throw new AppError('AUTH.FORBIDDEN')
  return c
}

function scopesOf(c: Community): string[] {
  return [COMMUNITY_SCOPE, COORDINATORS_SCOPE, ...c.buildings.map((b) => b.id)]
}

function assertScope(c: Community, scope: string): void {
  if (!scopesOf(c).includes(scope)) throw new AppError('ROBOT.UNKNOWN_SCOPE')
}

function robotView(deps: Deps, c: Community, scope: string, own: RobotConfig | null, community: RobotConfig | null): RobotView {
  const configured = !!own?.url
  const isBuilding = scope !== COMMUNITY_SCOPE && scope !== COORDINATORS_SCOPE
  const fallback = configured
    ? null
    : isBuilding && community?.url
      ? 'community'
      : configOf(deps).defaultRobotUrl(c.id, scope)
        ? 'local_sink'
        : null
  return {
    scope,
    label: scopeLabel(scope, c.buildings),
    configured,
    url: configured ? maskUrl(own!.url) : '',
    fallback,
    updatedAt: own ? own.updatedAt : null,
  }
}

export async function listRobots(deps: Deps, actor: Actor): Promise<RobotList> {
  const c = await coordinatedCommunity(deps, actor)
  const all = new Map((await deps.store.robots.list(c.id)).map((r) => [r.scope, r]))
  const community = all.get(COMMUNITY_SCOPE) ?? null
  return { robots: scopesOf(c).map((s) => robotView(deps, c, s, all.get(s) ?? null, community)) }
}

export async function setRobot(deps: Deps, actor: Actor, input: ParsedInputOf<'robot.set'>): Promise<RobotView> {
  const c = await coordinatedCommunity(deps, actor)
  assertScope(c, input.scope)
  if (input.url !== '' && !configOf(deps).robotUrlAllowed(input.url)) {
    throw new AppError('ROBOT.URL_NOT_ALLOWED', { fields: { url: '请粘贴企业微信群机器人的 Webhook 地址' } })
  }
  // A resend of the same address: nothing to change, answered as stored (no new updatedAt).
  const stored = await deps.store.robots.get(c.id, input.scope)
  if (stored && stored.url === input.url) {
    const community = input.scope === COMMUNITY_SCOPE ? stored : await deps.store.robots.get(c.id, COMMUNITY_SCOPE)
    return robotView(deps, c, input.scope, stored, community)
  }
  const robot: RobotConfig = {
    id: robotConfigId(c.id, input.scope),
    communityId: c.id,
    scope: input.scope,
    url: input.url,
    updatedAt: deps.now(),
    updatedBy: actor.id,
  }
  await deps.store.robots.put(robot)
  deps.log.info('robot.set', { community: c.id, scope: input.scope, configured: input.url !== '' })
  const community = input.scope === COMMUNITY_SCOPE ? robot : await deps.store.robots.get(c.id, COMMUNITY_SCOPE)
  return robotView(deps, c, input.scope, robot, community)
}

async function queueGroupMessage(deps: Deps, n: Notification): Promise<Queued> {
  const added = await deps.store.notifications.enqueue([n])
  if (added > 0) deps.notify?.kick()
  deps.log.info('robot.queued', { id: n.id, kind: n.kind, scope: n.to })
  return { id: n.id, queued: added > 0 }
}

const groupMessage = (c: Community, scope: string, kind: NoticeKind, key: string, body: string, at: number) =>
  newNotification({ key, channel: 'robot', communityId: c.id, to: scope, kind, body, at })

export async function testRobot(deps: Deps, actor: Actor, input: ParsedInputOf<'robot.test'>): Promise<Queued> {
  const c = await coordinatedCommunity(deps, actor)
  assertScope(c, input.scope)
  const own = await deps.store.robots.get(c.id, input.scope)
  if (!own?.url && !configOf(deps).defaultRobotUrl(c.id, input.scope)) throw new AppError('ROBOT.NOT_CONFIGURED')
  const now = deps.now()
  const label = scopeLabel(input.scope, c.buildings)
  return queueGroupMessage(deps, groupMessage(c, input.scope, 'test', `test:${c.id}:${input.scope}:${now}`, testText(label, now), now))
}

async function registerOf(deps: Deps, communityId: string): Promise<Household[]> {
  const out: Household[] = []
  let cursor: string | null = null
  for (let i = 0; i < 1000; i++) {
    const page = await deps.store.households.listByCommunity(communityId, { limit: 100, cursor })
    out.push(...page.items)
    if (!page.next) break
    cursor = page.next
  }
  return out
}

/** A campaign notice (核酸检测, 物资发放…) to one group; refused if it names anyone. */
export async function sendNotice(deps: Deps, actor: Actor, input: ParsedInputOf<'robot.notice'>): Promise<Queued> {
  const c = await coordinatedCommunity(deps, actor)
  assertScope(c, input.scope)
  const found = findPrivateData(input.text, privacyIndex(await registerOf(deps, c.id)))
  if (found) {
    const message = PRIVATE_DATA_MESSAGE[found]
    throw new AppError('NOTIFY.PRIVATE_DATA', { message, fields: { text: message } })
  }
  const now = deps.now()
  const digest = createHash('sha256').update(input.text).digest('hex').slice(0, 16)
  // With a request id a resend is the same record (queued once); without, every call is a new post.
  const key = `notice:${c.id}:${input.scope}:${digest}:${input.requestId ?? now}`
  return queueGroupMessage(deps, groupMessage(c, input.scope, 'notice', key, noticeText(input.text), now))
}

/** notify.announcement (coordinator or squad): the text, checked against the register, paste-ready. */
export async function announcement(deps: Deps, actor: Actor, input: ParsedInputOf<'notify.announcement'>): Promise<{ text: string }> {
  const communityId = (actor.coordinatorOf ?? actor.squadOf)!
  const found = findPrivateData(input.text, privacyIndex(await registerOf(deps, communityId)))
  if (found) {
    const message = PRIVATE_DATA_MESSAGE[found]
    throw new AppError('NOTIFY.PRIVATE_DATA', { message, fields: { text: message } })
  }
  return { text: announcementText(noticeText(input.text)) }
}

export async function robotLog(deps: Deps, actor: Actor, input: ParsedInputOf<'robot.log'>): Promise<RobotLog> {
  const c = await coordinatedCommunity(deps, actor)
  if (input.scope !== undefined) assertScope(c, input.scope)
  const page = await deps.store.notifications.list({
    communityId: c.id,
    channel: 'robot',
    ...(input.scope !== undefined ? { to: input.scope } : {}),
    limit: input.limit ?? 30,
    cursor: input.cursor ?? null,
  })
  return {
    entries: page.items.map((n) => ({
      id: n.id,
      scope: n.to,
      label: scopeLabel(n.to, c.buildings),
      kind: n.kind,
      status: n.status,
      text: n.body,
      attempts: n.attempts,
      ...(n.lastError !== undefined ? { lastError: n.lastError } : {}),
      createdAt: n.createdAt,
      ...(n.doneAt !== undefined ? { doneAt: n.doneAt } : {}),
      ...(n.merged !== undefined ? { merged: n.merged } : {}),
      ...(n.via !== undefined ? { via: n.via } : {}),
    })),
    next: page.next,
  }
}
