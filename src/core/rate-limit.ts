/**
 * Rate limits on the api's mutating actions, as one table and pure arithmetic. The counters live in
 * the store's AttemptRepo (atomic adds); the dispatcher applies them after authorization and before
 * the handler (server/api/rate-limit.ts). Reads are never limited.
 *
 * | rule      | counted per | actions                                   | at most | window            |
 * |-----------|-------------|-------------------------------------------|---------|-------------------|
 * | `person`  | person      | every action not in RATE_EXEMPT (mutating) | 60      | 60 s (10 s buckets) |
 * | `orders`  | household   | order.place, order.repeat (proxy orders too) | 10    | 60 s (10 s buckets) |
 *
 * Why these numbers: a squad member going through the doorstep protocol taps 8–10 steps a minute and
 * a campaign tick per door is a few seconds, so 60 a minute (one a second, sustained) never stops
 * normal work but stops a script. Ten orders a minute for one household is far beyond any family.
 *
 * Windows are sliding over buckets: a counter for bucket b (its start time) is in the window ending at
 * `now` while b ≥ bucketOf(now) − window + bucket, so it leaves at b + window. A refused request gives
 * its slot back (nothing is counted for it); an order that is refused by its handler gives its
 * household slot back too (only orders placed fill a household's window).
 */
import type { ActionName } from './contract'

export interface RateRule {
  /** Counter key prefix: `rate-<id>.<subject>`. */
  id: 'person' | 'orders'
  per: 'person' | 'household'
  /** The actions counted; 'mutating' = every action of the contract not in RATE_EXEMPT. */
  actions: 'mutating' | readonly ActionName[]
  max: number
  windowMs: number
  bucketMs: number
}

export const RATE_RULES: readonly RateRule[] = [
  { id: 'person', per: 'person', actions: 'mutating', max: 60, windowMs: 60_000, bucketMs: 10_000 },
  { id: 'orders', per: 'household', actions: ['order.place', 'order.repeat'], max: 10, windowMs: 60_000, bucketMs: 10_000 },
]

/** The longest window of any rule: a counter older than twice this can never count again. */
export const RATE_WINDOW_MAX_MS = Math.max(...RATE_RULES.map((r) => r.windowMs + r.bucketMs))

/**
 * Reads: exempt from every limit. Everything else in the contract is counted by default, so a new
 * action is limited unless it is added here (tests/server/rate-limit.test.ts keeps this list reviewed).
 */
export const RATE_EXEMPT: readonly ActionName[] = [
  'me.get',
  'catalog.get',
  'order.mine',
  'order.get',
  'squad.board',
  'squad.tasks',
  'photo.url',
  'inbox.list',
  'notify.templates',
  'squad.invites',
  'squad.members',
  'squad.households',
  'coord.stats',
  'coord.followups',
  'coord.ledger',
  'coord.buildingMap',
  'coord.grids',
  'coord.audit',
  'robot.list',
  'robot.log',
  'campaign.list',
  'campaign.get',
  'campaign.tasks',
  'campaign.mine',
]

const EXEMPT = new Set<string>(RATE_EXEMPT)

export function isRateExempt(action: ActionName): boolean {
  return EXEMPT.has(action)
}

/** The rules that count this action (none for a read). */
export function rulesFor(action: ActionName): RateRule[] {
  if (isRateExempt(action)) return []
  return RATE_RULES.filter((r) => r.actions === 'mutating' || r.actions.includes(action))
}

export interface RateCounter {
  bucket: number
  count: number
}

export const rateKey = (rule: RateRule, subject: string) => `rate-${rule.id}.${subject}`

export function rateBucket(rule: RateRule, now: number): number {
  return Math.floor(now / rule.bucketMs) * rule.bucketMs
}

/** Counters with bucket ≥ this are in the window ending at `now`. */
export function rateSince(rule: RateRule, now: number): number {
  return rateBucket(rule, now) - rule.windowMs + rule.bucketMs
}

/**
 * When the window will hold fewer than `max` again, given its counters without the caller's own
 * slot: buckets leave one by one, oldest first, each at its start + window.
 */
export function rateFreesAt(rule: RateRule, counters: readonly RateCounter[], now: number): number {
  let n = counters.reduce((s, c) => s + c.count, 0)
  for (const c of [...counters].sort((a, b) => a.bucket - b.bucket)) {
    if (n < rule.max) break
    n -= c.count
    if (n < rule.max) return c.bucket + rule.windowMs
  }
  return rateBucket(rule, now) + rule.bucketMs
}

/** '操作太频繁了，请N秒后再试', N rounded up, at least 1. */
export function rateLimitedMessage(retryAt: number, now: number): string {
  return `操作太频繁了，请${Math.max(1, Math.ceil((retryAt - now) / 1000))}秒后再试`
}
