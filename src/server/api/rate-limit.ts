/**
 * The dispatcher's rate limits (the table and arithmetic: core/rate-limit.ts), counted in Deps.rates
 * (the local host: memory) or else the store's AttemptRepo. `takeRateSlots` runs after authorization
 * and before the handler: it takes one slot in each rule that counts the action, or gives back what
 * it took and throws RATE.LIMITED with the seconds to wait and details.retryAt. A refused request leaves every counter as it was.
 *
 * An idempotent retry of order.place / order.repeat (same request id) is never refused: when a
 * limit is reached, the order the request id names is looked up, and if it exists the handler runs
 * (it returns that order and writes nothing) without taking a slot.
 */
import type { Actor } from '../../core/actor'
import type { ActionName } from '../../core/contract'
import { AppError } from '../../core/errors'
import {
  rateBucket,
  rateFreesAt,
  rateKey,
  rateLimitedMessage,
  rateSince,
  rulesFor,
  type RateRule,
} from '../../core/rate-limit'
import type { Deps } from '../deps'
import { orderIdFor } from '../ids'

export interface RateSlots {
  /** The handler refused: give back the household's order slot (only orders placed fill it). */
  handlerFailed(): Promise<void>
}

const NONE: RateSlots = { handlerFailed: async () => {} }

interface Taken {
  rule: RateRule
  key: string
  bucket: number
}

export async function takeRateSlots(deps: Deps, actor: Actor, action: ActionName, input: unknown): Promise<RateSlots> {
  const rules = rulesFor(action)
  if (rules.length === 0) return NONE
  const now = deps.now()
  const attempts = deps.rates ?? deps.store.attempts
  const taken: Taken[] = []
  const giveBack = async (ts: readonly Taken[]) => {
    for (const t of ts) await attempts.add(t.key, t.bucket, -1, t.bucket)
  }
  for (const rule of rules) {
    const subject = rule.per === 'person' ? actor.id : await householdOf(deps, actor, action, input)
    if (subject === null) continue
    const key = rateKey(rule, subject)
    const bucket = rateBucket(rule, now)
    const counters = await attempts.add(key, bucket, 1, rateSince(rule, now))
    const inWindow = counters.reduce((n, c) => n + c.count, 0)
    if (inWindow <= rule.max) {
      taken.push({ rule, key, bucket })
      continue
    }
    // Over the limit: this request takes nothing.
    await giveBack([...taken, { rule, key, bucket }])
    if (await isRetryOfExistingOrder(deps, actor, action, input)) {
      deps.log.info('api.rate_retry_allowed', { action, rule: rule.id })
      return NONE
    }
    const others = counters.map((c) => (c.bucket === bucket ? { ...c, count: c.count - 1 } : c))
    const retryAt = rateFreesAt(rule, others, now)
    deps.log.info('api.rate_limited', { action, rule: rule.id, inWindow: inWindow - 1, retryInMs: retryAt - now })
    throw new AppError('RATE.LIMITED', { message: rateLimitedMessage(retryAt, now), details: { retryAt } })
  }
  const household = taken.filter((t) => t.rule.per === 'household')
  return { handlerFailed: () => giveBack(household) }
}

/** The household an order action is for, when the caller may order for it; null: not counted here (the handler refuses). */
async function householdOf(deps: Deps, actor: Actor, action: ActionName, input: unknown): Promise<string | null> {
  const i = input as { householdId?: string; id?: string }
  let householdId: string | null = null
  if (action === 'order.place') {
    householdId = i.householdId ?? (actor.households.length === 1 ? actor.households[0]! : null)
  } else if (action === 'order.repeat' && typeof i.id === 'string') {
    householdId = (await deps.store.orders.get(i.id))?.householdId ?? null
  }
  if (householdId === null) return null
  // A stranger's attempt never fills someone else's window: residents of it, or a squad member (proxy).
  return actor.households.includes(householdId) || actor.squadOf !== null ? householdId : null
}

async function isRetryOfExistingOrder(deps: Deps, actor: Actor, action: ActionName, input: unknown): Promise<boolean> {
  if (action !== 'order.place' && action !== 'order.repeat') return false
  const requestId = (input as { requestId?: unknown }).requestId
  if (typeof requestId !== 'string') return false
  return (await deps.store.orders.get(orderIdFor(actor.id, requestId))) !== null
}
