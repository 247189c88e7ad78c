/**
 * The delivery squad's membership: a coordinator issues single-use invite codes (valid 7 days), a
 * social worker joins their community's squad with one. The server decides who is in the squad on
 * every call, from the person record this writes; nothing the client says about roles counts.
 *
 * Guessing codes is limited like household codes (attempt-limit.ts): five wrong in ten minutes
 * lock that person out of squad.join for ten minutes.
 */
import { reopenedIfInUse } from '../../core/retention'
import { randomInt } from 'node:crypto'
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import { INVITE_ALPHABET } from '../../core/schemas'
import { colourOf, DEFAULT_HEADCOUNT } from '../../core/household/register'
import type { CommunityHousehold, CommunityHouseholds, InviteList, InviteView, MeView, SquadMembers } from '../../core/views'
import type { Deps } from '../deps'
import { MAX_PAGE, type Household, type Person, type SquadInvite } from '../ports'
import { limitedAttempt } from './attempt-limit'
import { getMe, householdLabel, NEW_PERSON_NAME } from './me'

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000
const INVITE_LENGTH = 6

function newCode(): string {
  let code = ''
  for (let i = 0; i < INVITE_LENGTH; i++) code += INVITE_ALPHABET[randomInt(INVITE_ALPHABET.length)]
  return code
}

async function toView(deps: Deps, i: SquadInvite, now: number): Promise<InviteView> {
  const user = i.usedBy ? await deps.store.people.get(i.usedBy) : null
  return {
    code: i.code,
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
    state: i.usedBy ? 'used' : now >= i.expiresAt ? 'expired' : 'open',
    usedBy: i.usedBy ? (user?.name ?? NEW_PERSON_NAME) : null,
    usedAt: i.usedAt,
  }
}

/** squad.invite (coordinator): a fresh code for the coordinator's own community. */
export async function issueInvite(deps: Deps, actor: Actor): Promise<InviteView> {
  const now = deps.now()
  const communityId = actor.coordinatorOf!
  // 31^6 ≈ 887 million codes: a collision is rare, and insert refuses it rather than overwrite.
  for (let round = 0; round < 5; round++) {
    const invite: SquadInvite = {
      code: newCode(),
      communityId,
      createdBy: actor.id,
      createdAt: now,
      expiresAt: now + INVITE_TTL_MS,
      usedBy: null,
      usedAt: null,
    }
    if (await deps.store.invites.insert(invite)) {
      deps.log.info('squad.invite_issued', { community: communityId })
      return toView(deps, invite, now)
    }
  }
  throw new Error('could not find a free invite code')
}

/** squad.invites (coordinator): the community's codes, newest first. */
export async function listInvites(deps: Deps, actor: Actor): Promise<InviteList> {
  const now = deps.now()
  const invites = await deps.store.invites.listByCommunity(actor.coordinatorOf!, 50)
  return { invites: await Promise.all(invites.map((i) => toView(deps, i, now))) }
}

/** squad.join (anyone signed in): one conditional write takes the code; then the person joins. */
export async function joinSquad(deps: Deps, actor: Actor, input: ParsedInputOf<'squad.join'>): Promise<MeView> {
  const now = deps.now()
  const invite = await limitedAttempt(
    deps,
    actor.id,
    { purpose: 'squad-join', lockedCode: 'SQUAD.JOIN_LOCKED', logAs: 'squad' },
    async () => {
      const found = await deps.store.invites.get(input.code)
      if (!found) return null
      if (actor.squadOf === found.communityId) throw new AppError('SQUAD.ALREADY_MEMBER')
      if (actor.squadOf !== null) throw new AppError('SQUAD.OTHER_COMMUNITY')
      // A coordinator works for one community: a code from another one must not make them a member
      // there too (they would see its board and doors with their own community's powers still on).
      if (actor.coordinatorOf !== null && actor.coordinatorOf !== found.communityId) throw new AppError('SQUAD.COORDINATOR_ELSEWHERE')
      if (found.usedBy) throw new AppError('SQUAD.INVITE_USED')
      if (now >= found.expiresAt) throw new AppError('SQUAD.INVITE_EXPIRED')
      return found
    },
    (left, retryAt) =>
      new AppError('SQUAD.INVITE_WRONG', { details: retryAt !== null ? { attemptsLeft: 0, retryAt } : { attemptsLeft: left } }),
  )
  // Two people with the same code at once: the store lets exactly one take it.
  if (!(await deps.store.invites.use(invite.code, actor.id, now))) {
    const again = await deps.store.invites.get(invite.code)
    throw new AppError(again && now >= again.expiresAt && !again.usedBy ? 'SQUAD.INVITE_EXPIRED' : 'SQUAD.INVITE_USED')
  }
  const person = await deps.store.people.get(actor.id)
  // A member a coordinator deactivated comes back with a new invite: the marks of that go.
  const { squadDeactivatedAt: _was, squadFormerOf: _of, ...current } = person ?? ({} as Partial<Person>)
  const next = person
    ? { ...(current as Person), squadOf: invite.communityId, prefs: { largeText: person.prefs?.largeText ?? false, view: 'squad' as const } }
    : {
        id: actor.id,
        name: actor.name || NEW_PERSON_NAME,
        phone: '',
        households: [],
        squadOf: invite.communityId,
        coordinatorOf: null,
        createdAt: now,
        prefs: { largeText: false, view: 'squad' as const },
      }
  await deps.store.people.put(next)
  deps.log.info('squad.joined', { community: invite.communityId })
  return getMe(deps, { ...actor, name: next.name, squadOf: invite.communityId })
}

/** One household as the register shows it. */
export async function registerRow(deps: Deps, h: Household): Promise<CommunityHousehold> {
  return {
    id: h.id,
    buildingId: h.buildingId,
    building: h.building,
    unit: h.unit,
    floor: h.floor,
    room: h.room,
    label: householdLabel(h),
    isolated: h.isolation !== 'none',
    isolation: h.isolation,
    specialNeeds: h.specialNeeds,
    membersJoined: h.isolation !== 'none' ? (await deps.store.people.listByHousehold(h.id)).length : 0,
    colour: colourOf(h.isolation),
    startDate: h.startDate ?? null,
    endDate: h.endDate ?? null,
    headcount: h.headcount ?? DEFAULT_HEADCOUNT,
    doorSealed: h.doorSealed ?? false,
  }
}

/** Sets or clears (null/undefined: absent, not undefined-valued) the two register dates. */
function withDates(h: Household, start: string | null | undefined, end: string | null | undefined): Household {
  const { startDate: _s, endDate: _e, ...rest } = h
  return { ...rest, ...(start ? { startDate: start } : {}), ...(end ? { endDate: end } : {}) }
}

/**
 * coord.setHousehold: a coordinator updates a household of their own community in the register.
 * A household of another community does not exist for them.
 */
export async function setHousehold(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.setHousehold'>): Promise<CommunityHousehold> {
  const h = await deps.store.households.get(input.id)
  if (!h || h.communityId !== actor.coordinatorOf) throw new AppError('HOUSEHOLD.NOT_FOUND')
  const next: Household = withDates(
    {
      ...h,
      isolation: input.isolation,
      specialNeeds: [...new Set(input.specialNeeds)],
      ...(input.headcount !== undefined ? { headcount: input.headcount } : {}),
      ...(input.doorSealed !== undefined ? { doorSealed: input.doorSealed } : {}),
    },
    input.startDate === undefined ? h.startDate : input.startDate,
    input.endDate === undefined ? h.endDate : input.endDate,
  )
  // One date given, the other stored: the pair must still make sense. Nothing is written otherwise.
  if (next.startDate && next.endDate && next.endDate < next.startDate) {
    throw new AppError('REQUEST.INVALID_INPUT', { message: '结束日期不能早于开始日期', fields: { endDate: '结束日期不能早于开始日期' } })
  }
  await deps.store.households.put(reopenedIfInUse(next))
  // Household ids spell the door (h1-1-301) and needs are health data: neither goes into the log.
  deps.log.info('household.register', { community: h.communityId })
  return registerRow(deps, next)
}

/**
 * squad.households (squad or coordinator): every household of the community, isolated ones first,
 * then building / unit / floor / room; paged from the store ≤ 100 at a time.
 */
export async function communityHouseholds(deps: Deps, actor: Actor): Promise<CommunityHouseholds> {
  const communityId = (actor.squadOf ?? actor.coordinatorOf)!
  const all: Household[] = []
  let cursor: string | null = null
  do {
    const page = await deps.store.households.listByCommunity(communityId, { limit: MAX_PAGE, cursor })
    all.push(...page.items)
    cursor = page.next
  } while (cursor)
  const rows = await Promise.all(all.map((h) => registerRow(deps, h)))
  rows.sort(
    (a, b) =>
      Number(b.isolated) - Number(a.isolated) ||
      a.building.localeCompare(b.building, 'zh-CN', { numeric: true }) ||
      a.unit - b.unit ||
      a.floor - b.floor ||
      a.room.localeCompare(b.room, 'zh-CN', { numeric: true }),
  )
  return { households: rows }
}

/**
 * squad.members (squad or coordinator): names only, for picking a partner or a reassignment. The
 * coordinator also gets the members they deactivated (active: false), after the active ones.
 */
export async function squadMembers(deps: Deps, actor: Actor): Promise<SquadMembers> {
  const communityId = (actor.squadOf ?? actor.coordinatorOf)!
  const coordinating = actor.coordinatorOf === communityId
  const [people, community, former] = await Promise.all([
    deps.store.people.listSquad(communityId),
    deps.store.communities.get(communityId),
    coordinating ? deps.store.people.listFormerSquad(communityId) : Promise.resolve([]),
  ])
  const gridLabel = (gridId: string | null | undefined) => {
    const names = (community?.buildings ?? []).filter((b) => gridId && b.gridId === gridId).map((b) => b.name)
    return names.length ? names.join('、') : null
  }
  return {
    members: [
      ...people.map((p) => ({
        id: p.id,
        name: p.name,
        me: p.id === actor.id,
        gridLabel: gridLabel(p.squadGridId),
        ...(coordinating ? { active: true } : {}),
      })),
      ...former
        .filter((p) => p.squadOf === null)
        .map((p) => ({
          id: p.id,
          name: p.name,
          me: p.id === actor.id,
          gridLabel: null,
          active: false,
          ...(p.squadDeactivatedAt !== undefined ? { deactivatedAt: p.squadDeactivatedAt } : {}),
        })),
    ],
  }
}
