/**
 * community.setup: the first coordinator of a community, with no console. A one-time setup code
 * (env ZJ_SETUP_CODE on the cloud; the local host makes one on an empty store) lets a signed-in
 * person create the community, its buildings and every household with a fresh household code, and
 * makes them its coordinator. coord.householdCodes then lists one building's codes to print.
 *
 * Order of writes (why a crash never leaves a community that blocks a retry):
 * 1. CLAIM FIRST. `store.setup.claim` is one insert-if-absent keyed by the code's SHA-256; it is
 *    the only write that decides a race, so two concurrent calls with one code make exactly one
 *    community. The claim records the community id (random, chosen now) and the plan (name and
 *    buildings), so everything after it is fixed by the claim alone.
 * 2. Households, idempotently: ids derive from the community id and the door (building, unit,
 *    room); on a resumed run the ones already stored are kept with their codes, only the missing
 *    ones are written.
 * 3. The community document, then 4. the caller's person record (coordinatorOf) LAST: until then
 *    nobody can see or reach the community (every coordinator and squad read goes through a
 *    person's coordinatorOf / squadOf, and nobody has been handed a household code yet).
 * A crash anywhere after the claim leaves a claim held by the caller: their retry with the same code
 * is recognised (claim.personId = caller) and finishes the job from the stored plan, whatever the
 * retry's own input says. Anyone else gets SETUP.CODE_USED. (The other order, households first and
 * claim last, would let two concurrent calls each write a full set of households before one of them
 * lost the claim, leaving orphans with live codes.)
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import type { Actor } from '../../core/actor'
import { normalizeSetupCode, roomNumber, totalHouseholds } from '../../core/community-setup'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import { DEFAULT_PARCEL_HOLD_MINUTES } from '../../core/order/protocol'
import type { HouseholdCodes, SetupView } from '../../core/views'
import type { Deps } from '../deps'
import { MAX_PAGE, type Community, type Household, type Person, type SetupClaim } from '../ports'
import { limitedAttempt } from './attempt-limit'
import { getMe, NEW_PERSON_NAME } from './me'

/** The key a code is claimed under: SHA-256 of the normalized code (the code itself is never stored). */
export function setupCodeHash(code: string): string {
  return createHash('sha256').update(`zj-setup:${normalizeSetupCode(code)}`).digest('hex')
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
function sameCode(given: string, configured: string): boolean {
  const a = createHash('sha256').update(normalizeSetupCode(given)).digest()
  const b = createHash('sha256').update(normalizeSetupCode(configured)).digest()
  return timingSafeEqual(a, b)
}

/** How many household writes run at once (the cloud database answers each in tens of ms). */
const WRITE_BATCH = 20

export async function setupCommunity(deps: Deps, actor: Actor, input: ParsedInputOf<'community.setup'>): Promise<SetupView> {
  const configured = deps.setupCode ? normalizeSetupCode(deps.setupCode) : ''
  if (!configured) throw new AppError('SETUP.DISABLED')
  if (actor.coordinatorOf !== null) throw new AppError('SETUP.ALREADY_COORDINATOR')
  const now = deps.now()

  // Wrong codes count against the same limiter as household and invite codes: 5 in 10 min lock.
  await limitedAttempt(
    deps,
    actor.id,
    { purpose: 'setup', lockedCode: 'SETUP.LOCKED', logAs: 'setup' },
    async () => (sameCode(input.code, configured) ? true : null),
    (left, retryAt) =>
      new AppError('SETUP.CODE_WRONG', { details: retryAt !== null ? { attemptsLeft: 0, retryAt } : { attemptsLeft: left } }),
  )

  const codeHash = setupCodeHash(configured)
  const fresh: SetupClaim = {
    codeHash,
    personId: actor.id,
    claimedAt: now,
    communityId: `c-${randomBytes(6).toString('hex')}`,
    plan: { name: input.name, buildings: input.buildings },
  }
  let claim = fresh
  if (!(await deps.store.setup.claim(fresh))) {
    const held = await deps.store.setup.get(codeHash)
    if (!held || held.personId !== actor.id) {
      deps.log.info('setup.code_used', {})
      throw new AppError('SETUP.CODE_USED')
    }
    // The same caller again: an earlier call took the code and did not finish. Finish it.
    claim = held
    deps.log.info('setup.resume', { community: held.communityId })
  }

  const written = await writeHouseholds(deps, claim)
  const community: Community = {
    id: claim.communityId,
    name: claim.plan.name,
    buildings: claim.plan.buildings.map((b, i) => ({ id: `b${i + 1}`, name: b.name, gridId: `g${i + 1}` })),
    parcelHoldMinutes: DEFAULT_PARCEL_HOLD_MINUTES,
    createdAt: claim.claimedAt,
  }
  await deps.store.communities.put(community)

  const person = await deps.store.people.get(actor.id)
  const prefs = { largeText: person?.prefs?.largeText ?? false, view: 'coordinator' as const }
  const next: Person = person
    ? { ...person, coordinatorOf: community.id, prefs }
    : {
        id: actor.id,
        name: actor.name || NEW_PERSON_NAME,
        phone: '',
        households: [],
        squadOf: null,
        coordinatorOf: community.id,
        createdAt: now,
        prefs,
      }
  await deps.store.people.put(next)
  deps.log.info('setup.done', { community: community.id, households: totalHouseholds(claim.plan.buildings), written })

  return {
    communityId: community.id,
    communityName: community.name,
    households: totalHouseholds(claim.plan.buildings),
    me: await getMe(deps, {
      id: next.id,
      name: next.name,
      households: next.households,
      squadOf: next.squadOf,
      coordinatorOf: next.coordinatorOf,
    }),
  }
}

/** Writes the plan's households that are not stored yet; returns how many it wrote. */
async function writeHouseholds(deps: Deps, claim: SetupClaim): Promise<number> {
  const { households } = deps.store
  const existing = new Set<string>()
  let cursor: string | null = null
  do {
    const page = await households.listByCommunity(claim.communityId, { limit: MAX_PAGE, cursor })
    for (const h of page.items) existing.add(h.id)
    cursor = page.next
  } while (cursor)

  const suffix = claim.communityId.replace(/^c-/, '')
  const todo: Omit<Household, 'code'>[] = []
  claim.plan.buildings.forEach((b, i) => {
    for (let unit = 1; unit <= b.units; unit++)
      for (let floor = 1; floor <= b.floors; floor++)
        for (let n = 1; n <= b.roomsPerFloor; n++) {
          const room = roomNumber(floor, n)
          const id = `h-${suffix}-${i + 1}-${unit}-${room}`
          if (existing.has(id)) continue
          todo.push({
            id,
            communityId: claim.communityId,
            buildingId: `b${i + 1}`,
            building: b.name,
            unit,
            floor,
            room,
            isolation: 'none',
            specialNeeds: [],
            residentName: '',
            phone: '',
          })
        }
  })

  // Codes drawn in this run, so two households of one batch never draw the same one.
  const drawn = new Set<string>()
  const put = async (h: Omit<Household, 'code'>) => {
    for (let round = 0; round < 20; round++) {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
      if (drawn.has(code)) continue
      drawn.add(code)
      if (await households.findByCode(code)) continue
      try {
        await households.put({ ...h, code })
        return
      } catch (err) {
        // SQLite's UNIQUE(code): another setup took it between the look and the write. Draw again.
        const holder = await households.findByCode(code)
        if (holder && holder.id !== h.id) continue
        throw err
      }
    }
    throw new Error('could not find a free household code')
  }
  for (let i = 0; i < todo.length; i += WRITE_BATCH) await Promise.all(todo.slice(i, i + WRITE_BATCH).map(put))
  return todo.length
}

/** coord.householdCodes: one building's codes, only for that community's coordinator. */
export async function householdCodes(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.householdCodes'>): Promise<HouseholdCodes> {
  const communityId = actor.coordinatorOf!
  const community = await deps.store.communities.get(communityId)
  const building = input.buildingId
    ? community?.buildings.find((b) => b.id === input.buildingId)
    : community?.buildings[0]
  if (!community || !building) throw new AppError('BUILDING.NOT_FOUND')

  const rows: HouseholdCodes['rows'] = []
  let cursor: string | null = null
  do {
    const page = await deps.store.households.listByCommunity(communityId, { limit: MAX_PAGE, cursor })
    for (const h of page.items)
      if (h.buildingId === building.id) rows.push({ householdId: h.id, unit: h.unit, floor: h.floor, room: h.room, code: h.code })
    cursor = page.next
  } while (cursor)
  rows.sort((a, b) => a.unit - b.unit || a.floor - b.floor || Number(a.room) - Number(b.room) || a.room.localeCompare(b.room))
  // Codes are the key to a household: log that they were read, never the codes.
  deps.log.info('household.codes_read', { community: communityId, building: building.id, rows: rows.length })
  return {
    communityName: community.name,
    buildings: community.buildings.map((b) => ({ id: b.id, name: b.name })),
    building: { id: building.id, name: building.name },
    rows,
  }
}
