/**
 * Code-guessing limit shared by every "type a code to join" action (household codes, squad invite
 * codes): at most five codes evaluated per person and purpose in ten minutes, however many requests
 * arrive at once; the fifth wrong one locks that purpose for ten minutes. The arithmetic lives in
 * core/household/join-limit.ts; the counters in the store's AttemptRepo (atomic adds).
 *
 * `evaluate` returns the result for a right code or null for a wrong one; `wrong` builds the
 * refusal for a wrong code from the attempts left (0 → locked now, with retryAt).
 */
import { AppError, type ErrorCode } from '../../core/errors'
import {
  bucketOf,
  JOIN_LOCK_MS,
  JOIN_MAX_WRONG,
  lockedMessage,
  lockedUntil,
  lockSince,
  total,
  windowFreesAt,
  windowSince,
} from '../../core/household/join-limit'
import type { Deps } from '../deps'

export interface AttemptLimit {
  /** Counter key prefix, e.g. 'join' (household codes) or 'squad-join'. */
  purpose: string
  /** The refusal while locked out. */
  lockedCode: ErrorCode
  /** Log event prefix, e.g. 'household' → household.join_locked. */
  logAs: string
  /** The refusal's message while locked (default lockedMessage: '输错次数太多，请N分钟后再试'). */
  lockedText?: (retryAt: number, now: number) => Promise<string>
}

export async function limitedAttempt<T>(
  deps: Deps,
  personId: string,
  limit: AttemptLimit,
  evaluate: () => Promise<T | null>,
  wrong: (left: number, retryAt: number | null) => AppError | Promise<AppError>,
): Promise<T> {
  const now = deps.now()
  const { attempts } = deps.store
  const key = `${limit.purpose}.${personId}`
  const lockKey = `${limit.purpose}-lock.${personId}`
  const locked = async (retryAt: number) =>
    new AppError(limit.lockedCode, {
      message: limit.lockedText ? await limit.lockedText(retryAt, now) : lockedMessage(retryAt, now),
      details: { retryAt },
    })

  // A lock in force: refuse before counting anything.
  const until = lockedUntil(await attempts.list(lockKey, lockSince(now)), now)
  if (until !== null) {
    deps.log.info(`${limit.logAs}.join_locked`, { retryInMs: until - now })
    throw await locked(until)
  }

  // Take a slot first, evaluate after: concurrent guesses each see the others' slots, so no more
  // than JOIN_MAX_WRONG of them get an answer. Over the limit: give the slot back and refuse.
  const bucket = bucketOf(now)
  const counters = await attempts.add(key, bucket, 1, windowSince(now))
  const taken = total(counters)
  if (taken > JOIN_MAX_WRONG) {
    await attempts.add(key, bucket, -1, bucket)
    const others = counters.map((c) => (c.bucket === bucket ? { ...c, count: c.count - 1 } : c))
    const lock = lockedUntil(await attempts.list(lockKey, lockSince(now)), now)
    deps.log.info(`${limit.logAs}.join_locked`, { inWindow: taken - 1 })
    throw await locked(Math.max(lock ?? 0, windowFreesAt(others, now)))
  }

  let result: T | null
  try {
    result = await evaluate()
  } catch (e) {
    // Refused for another reason (used, expired…): not a guess, give the slot back.
    await attempts.add(key, bucket, -1, bucket)
    throw e
  }
  if (result === null) {
    // The slot stays taken: it is a wrong code now. The one that fills the window locks.
    const left = JOIN_MAX_WRONG - taken
    if (left <= 0) await attempts.add(lockKey, now, 1, now)
    deps.log.info(`${limit.logAs}.join_wrong`, { left })
    throw await wrong(Math.max(0, left), left <= 0 ? now + JOIN_LOCK_MS : null)
  }
  // A right code is not a failure: give the slot back (earlier failures stay counted).
  await attempts.add(key, bucket, -1, bucket)
  return result
}
