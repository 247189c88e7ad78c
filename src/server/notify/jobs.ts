/**
 * Timed jobs, run by the dispatcher (at most once a minute): overdue orders of every community are
 * flagged and their coordinators told (escalation.ts), and the daily summary goes to the community's
 * group. Both are queued with deterministic ids, so running twice (two instances, a restart) queues
 * each message once.
 * Texts carry building, unit, kinds and counts only (core/notify/texts.ts).
 */
import { dailyText, type DailyStats } from '../../core/notify/texts'
import { COMMUNITY_SCOPE, type Notification } from '../../core/notify/types'
import { isPastDeadline } from '../../core/order/deadlines'
import { ACTIVE_STATUSES, type Order } from '../../core/order/types'
import { beijing, beijingDate, fromBeijing } from '../../core/time'
import type { Deps } from '../deps'
import type { NotifyConfig } from './config'
import { newNotification, notificationId } from './plan'
import { escalateOverdue } from './escalation'
import { budgetOf, resumeCampaigns, TIMER_BUDGET_MS } from '../usecases/campaigns'
import { eachOrder } from '../usecases/order-pages'
import { runRetention } from '../usecases/retention'

export interface JobState {
  lastRun: number
  /** Keys already queued by this process (saves re-adding what the store already has). */
  queued: Set<string>
  /** When this process last ran retention (usecases/retention.ts); absent: not yet. */
  retentionAt?: number
}

/**
 * Retention runs in the Beijing minutes ending in RETENTION_MINUTE (every 10 minutes, whichever
 * instance the timer lands on), once per such minute per process: idle minutes read nothing for it.
 */
export const RETENTION_MINUTE = 3
const retentionDue = (now: number, state: JobState) =>
  beijing(now).minute() % 10 === RETENTION_MINUTE && (state.retentionAt === undefined || now - state.retentionAt >= 60_000 * 2)

const MAX_REMEMBERED = 20_000
/** Orders older than this are not looked at for today's counts. */
const LOOKBACK_MS = 3 * 24 * 60 * 60_000

export async function runJobs(deps: Deps, config: NotifyConfig, now: number, state: JobState): Promise<number> {
  const robots = await deps.store.robots.list()
  const communities = [...new Set([...config.communities, ...robots.map((r) => r.communityId)])]
  // Overdue orders of EVERY community (robot or not): one bounded read of the orders due (escalation.ts).
  let queued = await escalateOverdue(deps, now)
  for (const communityId of communities) {
    if (beijing(now).hour() >= config.dailyHour) queued += await dailySummary(deps, communityId, now, state)
  }
  if (state.queued.size > MAX_REMEMBERED) state.queued.clear()
  // Bulk distributions still being created: write their next task pages (usecases/campaigns.ts).
  await resumeCampaigns(deps, budgetOf(TIMER_BUDGET_MS))
  // Released households past their community's retention days: anonymised in bounded batches.
  if (retentionDue(now, state)) {
    state.retentionAt = now
    await runRetention(deps)
  }
  return queued
}

async function enqueueOnce(deps: Deps, state: JobState, ns: Notification[]): Promise<number> {
  const fresh = ns.filter((n) => !state.queued.has(n.key))
  if (fresh.length === 0) return 0
  const added = await deps.store.notifications.enqueue(fresh)
  for (const n of fresh) state.queued.add(n.key)
  if (added > 0) deps.log.info('notify.queued', { job: fresh[0]!.kind, count: added })
  return added
}

/** The timer job's reads (the daily summary's day of orders), up to 20,000 orders. */
async function allOrders(deps: Deps, q: Parameters<Deps['store']['orders']['list']>[0], stop?: (o: Order) => boolean) {
  const out: Order[] = []
  await eachOrder(deps, q, (o) => {
    if (stop?.(o)) return false
    out.push(o)
    return out.length < 20_000
  })
  return out
}

export async function dailyStats(deps: Deps, communityId: string, now: number): Promise<DailyStats> {
  const date = beijingDate(now)
  const dayStart = fromBeijing(date, 0)
  const recent = await allOrders(deps, { communityId }, (o) => o.createdAt < dayStart - LOOKBACK_MS)
  const today = recent.filter((o) => o.createdAt >= dayStart)
  const happenedToday = (o: Order, events: string[]) => o.timeline.some((t) => t.at >= dayStart && events.includes(t.event))
  const active = await allOrders(deps, { communityId, statuses: [...ACTIVE_STATUSES] })
  const community = await deps.store.communities.get(communityId)
  const byBuilding = (community?.buildings ?? []).map((b) => ({
    building: b.name,
    placed: today.filter((o) => o.address.buildingId === b.id).length,
  }))
  return {
    date,
    placed: today.length,
    urgent: today.filter((o) => o.urgency === 'urgent').length,
    delivered: recent.filter((o) => happenedToday(o, ['deliver', 'disinfect_again'])).length,
    cancelled: recent.filter((o) => happenedToday(o, ['cancel'])).length,
    active: active.length,
    overdue: active.filter((o) => isPastDeadline(o, now)).length,
    byBuilding,
  }
}

/** Once per community and Beijing day, after config.dailyHour. */
export async function dailySummary(deps: Deps, communityId: string, now: number, state: JobState): Promise<number> {
  const key = `daily:${communityId}:${beijingDate(now)}`
  if (state.queued.has(key)) return 0
  // A cloud instance is new every few minutes and remembers nothing: ask the store (one read by id)
  // before reading the day's orders again, so each minute after the hour costs one read, not all.
  if (await deps.store.notifications.get(notificationId(key))) {
    state.queued.add(key)
    return 0
  }
  const community = await deps.store.communities.get(communityId)
  const stats = await dailyStats(deps, communityId, now)
  return enqueueOnce(deps, state, [
    newNotification({
      key,
      channel: 'robot',
      communityId,
      to: COMMUNITY_SCOPE,
      kind: 'daily',
      body: dailyText(community?.name ?? '社区', stats),
      at: now,
    }),
  ])
}
