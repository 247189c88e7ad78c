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
import type { JoinView } from '../../core/views'
import type { Deps } from '../deps'
import type { Person } from '../ports'
import { limitedAttempt } from './attempt-limit'
import { joinLockedMessage } from '../../core/household/join-limit'
import { serviceContacts } from './service-phone'
import { getMe, NEW_PERSON_NAME } from './me'

export async function joinHousehold(deps: Deps, actor: Actor, input: ParsedInputOf<'household.join'>): Promise<JoinView> {
  const now = deps.now()
  const lockedText = async (retryAt: number, at: number) => joinLockedMessage(retryAt, at, await serviceContacts(deps))
  const household = await limitedAttempt(
    deps,
    actor.id,
    { purpose: 'join', lockedCode: 'HOUSEHOLD.JOIN_LOCKED', logAs: 'household', lockedText },
    () => deps.store.households.findByCode(input.code),
    // The wrong code that locks says so: locked, for how long, and whom to call.
    async (left, retryAt) =>
      retryAt !== null
        ? new AppError('HOUSEHOLD.JOIN_LOCKED', { message: await lockedText(retryAt, now), details: { attemptsLeft: 0, retryAt } })
        : new AppError('HOUSEHOLD.CODE_WRONG', { details: { attemptsLeft: left } }),
  )

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
