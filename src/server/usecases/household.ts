/**
 * household.join: a person binds their WeChat identity to a household with the 6-digit code printed
 * on its isolation notice, plus a contact phone. A household can have several members; joining
 * again is a no-op; a person may join more than one household.
 *
 * Guessing is limited by core/household/join-limit.ts over the store's atomic attempt counters
 * (never the person document): at most five codes are evaluated per person in ten minutes, however
 * many requests arrive at once, and the fifth wrong one locks the person out for ten minutes.
 */
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import {
  bucketOf,
  JOIN_LOCK_MS,
  JOIN_MAX_WRONG,
  joinAttemptsKey,
  joinLockKey,
  lockedMessage,
  lockedUntil,
  lockSince,
  total,
  windowFreesAt,
  windowSince,
} from '../../core/household/join-limit'
import type { JoinView } from '../../core/views'
import type { Deps } from '../deps'
import type { Person } from '../ports'
import { getMe, NEW_PERSON_NAME } from './me'

function locked(retryAt: number, now: number): AppError {
  return new AppError('HOUSEHOLD.JOIN_LOCKED', { message: lockedMessage(retryAt, now), details: { retryAt } })
}

export async function joinHousehold(deps: Deps, actor: Actor, input: ParsedInputOf<'household.join'>): Promise<JoinView> {
  const now = deps.now()
  const { attempts } = deps.store
  const key = joinAttemptsKey(actor.id)
  const lockKey = joinLockKey(actor.id)

  // A lock in force: refuse before counting anything.
  const until = lockedUntil(await attempts.list(lockKey, lockSince(now)), now)
  if (until !== null) {
    deps.log.info('household.join_locked', { retryInMs: until - now })
    throw locked(until, now)
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
    deps.log.info('household.join_locked', { inWindow: taken - 1 })
    throw locked(Math.max(lock ?? 0, windowFreesAt(others, now)), now)
  }

  const household = await deps.store.households.findByCode(input.code)
  if (!household) {
    // The slot stays taken: it is a wrong code now. The one that fills the window locks.
    const left = JOIN_MAX_WRONG - taken
    if (left <= 0) await attempts.add(lockKey, now, 1, now)
    deps.log.info('household.join_wrong', { left })
    throw new AppError('HOUSEHOLD.CODE_WRONG', {
      details: left <= 0 ? { attemptsLeft: 0, retryAt: now + JOIN_LOCK_MS } : { attemptsLeft: left },
    })
  }
  // A right code is not a failure: give the slot back (earlier failures stay counted).
  await attempts.add(key, bucket, -1, bucket)

  const person = await deps.store.people.get(actor.id)
  const name = input.name || person?.name || NEW_PERSON_NAME
  const next: Person = person
    ? {
        ...person,
        name,
        phone: input.phone,
        households: person.households.includes(household.id) ? person.households : [...person.households, household.id],
      }
    : {
        id: actor.id,
        name,
        phone: input.phone,
        households: [household.id],
        squadOf: null,
        coordinatorOf: null,
        createdAt: now,
      }
  const changed =
    !person || person.name !== next.name || person.phone !== next.phone || person.households !== next.households
  if (changed) await deps.store.people.put(next)
  deps.log.info('household.joined', { first: !person, already: !!person && person.households === next.households })

  const me = await getMe(deps, {
    id: next.id,
    name: next.name,
    households: next.households,
    squadOf: next.squadOf,
    coordinatorOf: next.coordinatorOf,
  })
  const summary = me.households.find((h) => h.id === household.id)
  if (!summary) throw new Error('joined household missing from me.households')
  return { household: summary, me }
}
