/**
 * The outbox dispatcher: relay → lease a batch → send each on its channel → mark.
 *
 * Delivery guarantees (a record is marked only after its send succeeded, and a lease that is
 * never settled — the process died between send and mark — expires after `leaseMs`, when the
 * record is claimed and sent again):
 *  - inbox:     effectively once. The inbox item's id is the notification id, so a repeat writes
 *               nothing new.
 *  - subscribe: at least once. WeChat's subscribeMessage.send takes no idempotency key; a crash
 *               between send and mark sends again (the repeat spends another consent, or WeChat
 *               answers 43101 when none is left). One consent is taken per record, not per try.
 *  - robot:     at least once. WeCom's webhook takes no idempotency key; a crash between post and
 *               mark posts again. Merged posts are marked together.
 * Failures retry with exponential backoff (5 s · 2^(n−1), at most 30 min, ±10 % jitter) up to
 * `maxAttempts`, then the record is 'failed' (kept, visible in robot.log); errors that retrying
 * cannot fix fail at once. Rate-limit deferrals do not count as attempts.
 *
 * Robots: at most 20 posts per robot (webhook URL) per sliding minute, counted in the store so
 * every process and cloud-function instance shares the budget. While the budget is ample each
 * record is its own post; once it runs low (10 kept in reserve), everything due for the robot is
 * merged into as few markdown posts as fit 4096 bytes each, at most one round every 6 s (so the
 * reserve lasts the minute and a steady stream waits seconds, not the rest of the minute); what
 * does not fit waits for the window to move. Nothing is dropped. Every group text
 * passes the privacy guard (core/notify/privacy.ts) against the community's household register
 * before it is posted; a text that fails is never posted ('failed', privacy_<kind>).
 */
import { createHash, randomUUID } from 'node:crypto'
import { truncateBytes, templateData, utf8Bytes } from '../../core/notify/fields'
import { findPrivateData, privacyIndex, type PrivacyIndex } from '../../core/notify/privacy'
import { maskUrl, nextSlotAt } from '../../core/notify/robot'
import { packPosts } from '../../core/notify/texts'
import {
  COMMUNITY_SCOPE,
  COORDINATORS_SCOPE,
  inboxItemOf,
  isSubscribeKind,
  ROBOT_MARKDOWN_MAX_BYTES,
  ROBOT_POSTS_PER_MINUTE,
  ROBOT_WINDOW_MS,
  type Notification,
} from '../../core/notify/types'
import type { Deps } from '../deps'
import type { Household, Settlement } from '../ports'
import type { NotifyConfig } from './config'
import { runJobs, type JobState } from './jobs'
import {
  fetchRobotPoster,
  ROBOT_PERMANENT_ERRCODES,
  ROBOT_RATE_LIMITED,
  SUBSCRIBE_NO_CONSENT,
  SUBSCRIBE_PERMANENT_ERRCODES,
  type RobotPoster,
  type SubscribeApi,
} from './senders'

export interface DispatcherOptions {
  deps: Deps
  config: NotifyConfig
  /** WeCom robot POST; default: fetch. */
  postRobot?: RobotPoster
  /** cloud.openapi.subscribeMessage.send; null/absent: subscribe records are skipped (local host). */
  subscribe?: SubscribeApi | null
  batchSize?: number
  leaseMs?: number
  maxAttempts?: number
  /** Overdue alerts and the daily summary run at most this often (on ticks with jobs: true). */
  jobsEveryMs?: number
  /**
   * Test hook, run after a send succeeded and before it is marked. A throw here acts as the
   * process dying at that point: nothing more is written and the tick rejects.
   */
  afterSend?: (sent: readonly Notification[]) => void | Promise<void>
  /** Real time for deadlines (default Date.now); deps.now is the domain clock, which tests stop. */
  wallClock?: () => number
}

export interface TickOptions {
  /** Run the timed jobs (overdue alerts, daily summary) first, at most every jobsEveryMs. */
  jobs?: boolean
  /**
   * Wall-clock time (wallClock) after which no new send starts: what is leased and not yet sent
   * goes back to pending at once (counted as `deferred`, no attempt spent) for the next round or
   * the timer. A send already started finishes (each sender has its own timeout), so the tick
   * resolves shortly after the deadline and leaves nothing running behind it.
   */
  deadline?: number
}

export interface TickReport {
  relayed: number
  claimed: number
  sent: number
  retried: number
  deferred: number
  failed: number
  skipped: number
  /** Robot posts made. */
  posts: number
}

export interface Dispatcher {
  /** One round. Ticks never overlap within a process (a second waits for the first). */
  tick(opts?: TickOptions): Promise<TickReport>
  /** Ticks until a round claims nothing (at most `maxTicks`, never past the deadline); the sum of the rounds. */
  drain(opts?: TickOptions & { maxTicks?: number }): Promise<TickReport>
}

class SimulatedCrash extends Error {
  constructor(override readonly cause: unknown) {
    super('dispatcher stopped between send and mark')
    this.name = 'SimulatedCrash'
  }
}

/** Posts kept back for spreading a stream over the minute, and the spacing that makes them last it. */
const ROBOT_RESERVE = 10
const ROBOT_SPACING_MS = ROBOT_WINDOW_MS / ROBOT_RESERVE
const BACKOFF_BASE_MS = 5_000
const BACKOFF_MAX_MS = 30 * 60_000
const PRIVACY_TTL_MS = 5 * 60_000

const emptyReport = (): TickReport => ({ relayed: 0, claimed: 0, sent: 0, retried: 0, deferred: 0, failed: 0, skipped: 0, posts: 0 })

/** The robot's identity for its rate window: a hash of its URL (the URL itself is never stored there). */
export const robotKey = (url: string) => 'r' + createHash('sha256').update(url).digest('hex').slice(0, 16)

export function backoffMs(attempts: number, id: string): number {
  const base = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS)
  const jitter = ((parseInt(id.slice(1, 5), 16) || 0) % 2001) / 10_000 - 0.1
  return Math.round(base * (1 + jitter))
}

export function createDispatcher(o: DispatcherOptions): Dispatcher {
  const { deps, config } = o
  const { store, log } = deps
  const postRobot = o.postRobot ?? fetchRobotPoster()
  const batchSize = o.batchSize ?? 50
  const leaseMs = o.leaseMs ?? 60_000
  const maxAttempts = o.maxAttempts ?? 10
  const jobsEveryMs = o.jobsEveryMs ?? 60_000
  const wall = o.wallClock ?? Date.now
  const instance = randomUUID().slice(0, 8)
  let seq = 0
  let chain: Promise<unknown> = Promise.resolve()
  const jobState: JobState = { lastRun: Number.NEGATIVE_INFINITY, queued: new Set() }
  const privacy = new Map<string, { at: number; index: PrivacyIndex }>()

  async function crashPoint(sent: readonly Notification[]) {
    if (!o.afterSend) return
    try {
      await o.afterSend(sent)
    } catch (e) {
      throw new SimulatedCrash(e)
    }
  }

  async function privacyFor(communityId: string, now: number): Promise<PrivacyIndex> {
    const hit = privacy.get(communityId)
    if (hit && now - hit.at < PRIVACY_TTL_MS) return hit.index
    const households: Household[] = []
    let cursor: string | null = null
    for (let i = 0; i < 1000; i++) {
      const page = await store.households.listByCommunity(communityId, { limit: 100, cursor })
      households.push(...page.items)
      if (!page.next) break
      cursor = page.next
    }
    const index = privacyIndex(households)
    privacy.set(communityId, { at: now, index })
    return index
  }

  function failure(n: Notification, error: string, now: number, opts: { permanent?: boolean; delayMs?: number } = {}): Settlement {
    const attempts = n.attempts + 1
    if (opts.permanent || attempts >= maxAttempts) return { state: 'failed', at: now, error }
    return { state: 'retry', nextAt: now + (opts.delayMs ?? backoffMs(attempts, n.id)), error, countAttempt: true }
  }

  async function settle(n: Notification, leaseId: string, s: Settlement, report: TickReport, extra: Record<string, string | number> = {}) {
    const ok = await store.notifications.settle(n.id, leaseId, s)
    if (!ok) {
      log.info('notify.lease_lost', { id: n.id, channel: n.channel })
      return
    }
    switch (s.state) {
      case 'sent':
        report.sent++
        log.info('notify.sent', { id: n.id, channel: n.channel, kind: n.kind, ...extra })
        return
      case 'retry':
        if (s.countAttempt) report.retried++
        else report.deferred++
        log.info(s.countAttempt ? 'notify.retry' : 'notify.deferred', {
          id: n.id,
          channel: n.channel,
          error: s.error,
          attempts: n.attempts + (s.countAttempt ? 1 : 0),
          inMs: s.nextAt - deps.now(),
        })
        return
      case 'failed':
        report.failed++
        log.error('notify.failed', { id: n.id, channel: n.channel, kind: n.kind, error: s.error })
        return
      case 'skipped':
        report.skipped++
        log.info('notify.skipped', { id: n.id, channel: n.channel, kind: n.kind, reason: s.error })
        return
    }
  }

  /** Out of time: back to pending now, for the next round (no attempt spent). */
  async function release(ns: readonly Notification[], leaseId: string, now: number, report: TickReport) {
    for (const n of ns) await settle(n, leaseId, { state: 'retry', nextAt: now, error: 'deadline', countAttempt: false }, report)
  }

  async function sendInbox(n: Notification, leaseId: string, now: number, report: TickReport) {
    await store.inbox.put(inboxItemOf(n))
    await crashPoint([n])
    await settle(n, leaseId, { state: 'sent', at: now }, report)
  }

  async function sendSubscribe(n: Notification, leaseId: string, now: number, report: TickReport) {
    const skip = (why: string) => settle(n, leaseId, { state: 'skipped', at: now, error: why }, report)
    if (!isSubscribeKind(n.kind) || !n.fields) return skip('not_subscribable')
    const template = config.templates[n.kind]
    if (!template) return skip('no_template')
    if (!o.subscribe) return skip('no_openapi')
    if (!n.consumed) {
      // One consent per record, taken before the first try and kept across retries.
      if (!(await store.consents.take(n.to, template.id, now))) return skip('no_consent')
      if (!(await store.notifications.markConsumed(n.id, leaseId))) {
        await store.consents.grant(n.to, template.id, 1, now)
        log.info('notify.lease_lost', { id: n.id, channel: n.channel })
        return
      }
    }
    const refund = () => store.consents.grant(n.to, template.id, 1, now)
    let res: { errCode: number }
    try {
      res = await o.subscribe({
        touser: n.to,
        templateId: template.id,
        page: config.orderPage(n.orderId ?? ''),
        data: templateData(template.fields, n.fields),
        miniprogramState: config.miniprogramState,
        lang: 'zh_CN',
      })
    } catch {
      res = { errCode: -1 }
    }
    if (res.errCode === 0) {
      await crashPoint([n])
      return settle(n, leaseId, { state: 'sent', at: now }, report)
    }
    const error = `errcode_${res.errCode}`
    // WeChat says no consent is left: ours was out of step; nothing to give back.
    if (res.errCode === SUBSCRIBE_NO_CONSENT) return skip(error)
    const s = failure(n, error, now, { permanent: SUBSCRIBE_PERMANENT_ERRCODES.includes(res.errCode) })
    if (s.state === 'failed') await refund()
    return settle(n, leaseId, s, report)
  }

  interface Target {
    key: string
    url: string
  }

  async function resolveRobot(n: Notification, cache: Map<string, Target | null>): Promise<Target | null> {
    const cacheKey = `${n.communityId}:${n.to}:${n.kind === 'test' ? 'own' : 'any'}`
    if (cache.has(cacheKey)) return cache.get(cacheKey)!
    const target = (url: string): Target => ({ key: robotKey(url), url })
    let found: Target | null = null
    const own = await store.robots.get(n.communityId, n.to)
    if (own?.url) found = target(own.url)
    // A building without its own robot posts to the community's group (a test never falls back;
    // staff alerts never go to a residents' group).
    if (!found && n.kind !== 'test' && n.to !== COMMUNITY_SCOPE && n.to !== COORDINATORS_SCOPE) {
      const community = await store.robots.get(n.communityId, COMMUNITY_SCOPE)
      if (community?.url) found = target(community.url)
    }
    if (!found) {
      const fallback = config.defaultRobotUrl(n.communityId, n.to)
      if (fallback) found = target(fallback)
    }
    cache.set(cacheKey, found)
    return found
  }

  async function sendRobotGroup(
    target: Target,
    items: Notification[],
    leaseId: string,
    now: number,
    report: TickReport,
    overdue: () => boolean,
  ) {
    items.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
    const recent = await store.robots.recentPosts(target.key, now, ROBOT_WINDOW_MS)
    const avail = Math.max(0, ROBOT_POSTS_PER_MINUTE - recent.length)
    // Plenty of budget: one post per message. Scarce (the reserve would be touched): merge all
    // that is due into as few posts as fit, and post at most once per ROBOT_SPACING_MS, so a
    // steady stream is spread over the minute instead of exhausting it and then waiting.
    const plenty = items.length <= avail - ROBOT_RESERVE
    const spacedUntil = recent.length ? Math.max(...recent) + ROBOT_SPACING_MS : now
    const posts = plenty
      ? items.map((n) => ({ text: truncateBytes(n.body, ROBOT_MARKDOWN_MAX_BYTES), count: 1 }))
      : packPosts(items.map((n) => n.body))
    const allowed = plenty || now >= spacedUntil ? Math.min(posts.length, avail) : 0
    const granted = allowed === 0 ? 0 : await store.robots.takeSlots(target.key, now, allowed, ROBOT_POSTS_PER_MINUTE, ROBOT_WINDOW_MS)
    const freeAt = Math.max(nextSlotAt([...recent, ...Array<number>(granted).fill(now)], now), granted === 0 ? spacedUntil : now)
    let i = 0
    for (let p = 0; p < posts.length; p++) {
      const post = posts[p]!
      const members = items.slice(i, i + post.count)
      i += post.count
      if (p >= granted) {
        for (const n of members) {
          await settle(n, leaseId, { state: 'retry', nextAt: Math.max(freeAt, now + 1), error: 'rate_limited', countAttempt: false }, report)
        }
        continue
      }
      if (overdue()) {
        await release(members, leaseId, now, report)
        continue
      }
      const res = await postRobot(target.url, { msgtype: 'markdown', markdown: { content: post.text } })
      report.posts++
      log.info('notify.robot.post', {
        robot: target.key,
        ok: res.ok,
        count: post.count,
        bytes: utf8Bytes(post.text),
        ...(res.error ? { error: res.error } : {}),
      })
      if (res.ok) {
        await crashPoint(members)
        const via = maskUrl(target.url)
        for (const n of members) await settle(n, leaseId, { state: 'sent', at: now, merged: post.count, via }, report, { robot: target.key })
        continue
      }
      const error = res.error ?? 'unknown'
      const permanent = res.errcode !== undefined && ROBOT_PERMANENT_ERRCODES.includes(res.errcode)
      const delayMs = res.errcode === ROBOT_RATE_LIMITED ? ROBOT_WINDOW_MS : undefined
      const via = maskUrl(target.url)
      for (const n of members) await settle(n, leaseId, { ...failure(n, error, now, { permanent, ...(delayMs ? { delayMs } : {}) }), via }, report)
    }
  }

  async function sendRobots(batch: Notification[], leaseId: string, now: number, report: TickReport, overdue: () => boolean) {
    const cache = new Map<string, Target | null>()
    const groups = new Map<string, { target: Target; items: Notification[] }>()
    for (const n of batch) {
      const target = await resolveRobot(n, cache)
      if (!target) {
        await settle(n, leaseId, { state: 'skipped', at: now, error: 'no_robot' }, report)
        continue
      }
      const found = findPrivateData(n.body, await privacyFor(n.communityId, now))
      if (found) {
        await settle(n, leaseId, { state: 'failed', at: now, error: `privacy_${found}` }, report)
        continue
      }
      const g = groups.get(target.key) ?? { target, items: [] }
      g.items.push(n)
      groups.set(target.key, g)
    }
    for (const g of groups.values()) {
      if (overdue()) {
        await release(g.items, leaseId, now, report)
        continue
      }
      try {
        await sendRobotGroup(g.target, g.items, leaseId, now, report, overdue)
      } catch (e) {
        if (e instanceof SimulatedCrash) throw e
        log.error('notify.robot.error', { robot: g.target.key, error: e instanceof Error ? e.name : 'unknown' })
      }
    }
  }

  async function runTick(opts: TickOptions): Promise<TickReport> {
    const report = emptyReport()
    const now = deps.now()
    const deadline = opts.deadline
    const overdue = deadline === undefined ? () => false : () => wall() >= deadline
    if (opts.jobs && now - jobState.lastRun >= jobsEveryMs) {
      jobState.lastRun = now
      try {
        await runJobs(deps, config, now, jobState)
      } catch (e) {
        log.error('notify.jobs.error', { error: e instanceof Error ? e.name : 'unknown' })
      }
    }
    report.relayed = await store.notifications.relay(now)
    const leaseId = `${instance}-${++seq}`
    const batch = await store.notifications.claim({ now, limit: batchSize, leaseMs, leaseId })
    report.claimed = batch.length
    for (const n of batch) {
      if (n.channel === 'robot') continue
      if (overdue()) {
        await release([n], leaseId, now, report)
        continue
      }
      try {
        if (n.channel === 'inbox') await sendInbox(n, leaseId, now, report)
        else await sendSubscribe(n, leaseId, now, report)
      } catch (e) {
        if (e instanceof SimulatedCrash) throw e
        log.error('notify.error', { id: n.id, channel: n.channel, error: e instanceof Error ? e.name : 'unknown' })
        await store.notifications.settle(n.id, leaseId, failure(n, 'internal', now)).catch(() => false)
      }
    }
    await sendRobots(
      batch.filter((n) => n.channel === 'robot'),
      leaseId,
      now,
      report,
      overdue,
    )
    return report
  }

  function tick(opts: TickOptions = {}): Promise<TickReport> {
    const run = chain.then(() => runTick(opts))
    chain = run.catch(() => undefined)
    return run
  }

  return {
    tick,
    async drain(opts = {}) {
      const total = emptyReport()
      const maxTicks = opts.maxTicks ?? 20
      for (let i = 0; i < maxTicks; i++) {
        if (opts.deadline !== undefined && wall() >= opts.deadline) break
        const r = await tick({ jobs: opts.jobs && i === 0, ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}) })
        for (const k of Object.keys(total) as (keyof TickReport)[]) total[k] += r[k]
        if (r.claimed === 0) break
      }
      return total
    },
  }
}
