/**
 * QR door badges (二维码胸牌, core/household/badge.ts) for residents without a phone.
 *
 * - coord.householdBadges: one building's badges for the community's coordinator to print; a
 *   household without a badge gets one now (a random code, checked free; SQLite's unique index
 *   refuses a clash, which is retried with another code).
 * - coord.reissueBadge: a new code for one household; the old card finds nothing any more.
 * - squad.badgeLookup: a squad member scanned or typed a badge; the household (as the register
 *   shows it to the squad: door, isolation, needs; no names or phones), only for that household's
 *   own community. Wrong codes are limited like household codes (attempt-limit.ts): five in ten
 *   minutes, then ten minutes locked. The code itself is never logged.
 */
import { randomBytes } from 'node:crypto'
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import { badgeCodeFrom, badgePayload, BADGE_LENGTH } from '../../core/household/badge'
import { lockedMessage } from '../../core/household/join-limit'
import type { CommunityHousehold, HouseholdBadge, HouseholdBadges } from '../../core/views'
import type { Deps } from '../deps'
import type { Household } from '../ports'
import { limitedAttempt } from './attempt-limit'
import { MAX_BUILDING_HOUSEHOLDS } from './register-import'
import { registerRow } from './squad-membership'

const WRITE_BATCH = 20
const MAX_TRIES = 8

function freshCode(): string {
  for (;;) {
    const code = badgeCodeFrom(randomBytes(BADGE_LENGTH * 2))
    if (code.length === BADGE_LENGTH) return code
  }
}

/** Gives `h` a new badge code no household holds; returns the household as stored. */
async function issue(deps: Deps, h: Household): Promise<Household> {
  for (let i = 0; i < MAX_TRIES; i++) {
    const badge = freshCode()
    if (await deps.store.households.findByBadge(badge)) continue
    const next = { ...h, badge }
    try {
      await deps.store.households.put(next)
    } catch (e) {
      // SQLite's unique index: another household took this code meanwhile. Try another.
      if (await deps.store.households.findByBadge(badge)) continue
      throw e
    }
    return next
  }
  throw new Error('could not find a free badge code')
}

const toBadge = (h: Household & { badge: string }): HouseholdBadge => ({
  householdId: h.id,
  unit: h.unit,
  floor: h.floor,
  room: h.room,
  code: h.badge,
  payload: badgePayload(h.badge),
})

const hasBadge = (h: Household): h is Household & { badge: string } => typeof h.badge === 'string' && h.badge.length > 0

/** coord.householdBadges: one building's badges, issuing the missing ones. */
export async function householdBadges(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.householdBadges'>): Promise<HouseholdBadges> {
  const communityId = actor.coordinatorOf!
  const community = await deps.store.communities.get(communityId)
  const building = input.buildingId ? community?.buildings.find((b) => b.id === input.buildingId) : community?.buildings[0]
  if (!community || !building) throw new AppError('BUILDING.NOT_FOUND')

  const households = await deps.store.register.listByBuilding(communityId, building.id, MAX_BUILDING_HOUSEHOLDS)
  const todo = households.filter((h) => !hasBadge(h))
  const issued = new Map<string, Household>()
  for (let i = 0; i < todo.length; i += WRITE_BATCH)
    for (const h of await Promise.all(todo.slice(i, i + WRITE_BATCH).map((h) => issue(deps, h)))) issued.set(h.id, h)

  const badges = households
    .map((h) => issued.get(h.id) ?? h)
    .filter(hasBadge)
    .map(toBadge)
    .sort((a, b) => a.unit - b.unit || a.floor - b.floor || a.room.localeCompare(b.room, 'zh-CN', { numeric: true }))
  deps.log.info('household.badges_read', { community: communityId, building: building.id, badges: badges.length, issued: todo.length })
  return {
    communityName: community.name,
    buildings: community.buildings.map((b) => ({ id: b.id, name: b.name })),
    building: { id: building.id, name: building.name },
    badges,
  }
}

/** coord.reissueBadge: a new code for a household of the coordinator's community. */
export async function reissueBadge(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.reissueBadge'>): Promise<HouseholdBadge> {
  const h = await deps.store.households.get(input.householdId)
  // Another community's household is answered as missing: its existence is not this coordinator's business.
  if (!h || h.communityId !== actor.coordinatorOf) throw new AppError('HOUSEHOLD.NOT_FOUND')
  const next = await issue(deps, h)
  deps.log.info('household.badge_reissued', { community: h.communityId })
  return toBadge(next as Household & { badge: string })
}

/** squad.badgeLookup: the household a badge names, for a squad member of its community. */
export async function badgeLookup(deps: Deps, actor: Actor, input: ParsedInputOf<'squad.badgeLookup'>): Promise<CommunityHousehold> {
  const now = deps.now()
  const household = await limitedAttempt(
    deps,
    actor.id,
    { purpose: 'badge', lockedCode: 'BADGE.LOCKED', logAs: 'badge' },
    async () => {
      const h = await deps.store.households.findByBadge(input.code)
      if (h && h.communityId !== actor.squadOf) throw new AppError('BADGE.OTHER_COMMUNITY')
      return h
    },
    (left, retryAt) =>
      retryAt !== null
        ? new AppError('BADGE.LOCKED', { message: lockedMessage(retryAt, now), details: { attemptsLeft: 0, retryAt } })
        : new AppError('BADGE.WRONG', {
            message: `胸牌码不对，请核对二维码下面的8位码（还可以再试${left}次）`,
            details: { attemptsLeft: left },
          }),
  )
  deps.log.info('household.badge_lookup', { community: household.communityId })
  return registerRow(deps, household)
}
