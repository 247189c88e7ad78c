import { retentionDaysOf } from '../../core/retention'
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import { DEFAULT_PARCEL_HOLD_MINUTES } from '../../core/order/protocol'
import { effectiveDeadlines } from '../../core/order/schedule'
import { allowedViews, effectivePrefs, forbiddenViewMessage } from '../../core/prefs'
import type { HouseholdSummary, MeView, SquadGrid } from '../../core/views'
import type { Deps } from '../deps'

/** The name of a person who has not given one. */
export const NEW_PERSON_NAME = '居民'

export function householdLabel(h: { building: string; unit: number; room: string }): string {
  return `${h.building}${h.unit}单元${h.room}`
}

async function squadGrid(deps: Deps, communityId: string, gridId: string | null): Promise<SquadGrid | null> {
  if (!gridId) return null
  const c = await deps.store.communities.get(communityId)
  const buildings = (c?.buildings ?? []).filter((b) => b.gridId === gridId)
  if (buildings.length === 0) return null
  return { id: gridId, label: buildings.map((b) => b.name).join('、'), buildingIds: buildings.map((b) => b.id) }
}

export async function getMe(deps: Deps, actor: Actor): Promise<MeView> {
  const households: HouseholdSummary[] = []
  for (const id of actor.households) {
    const h = await deps.store.households.get(id)
    if (!h) continue
    const c = await deps.store.communities.get(h.communityId)
    households.push({ id: h.id, communityId: h.communityId, communityName: c?.name ?? '', label: householdLabel(h) })
  }
  const communityRef = async (id: string | null) => {
    if (!id) return null
    const c = await deps.store.communities.get(id)
    return { communityId: id, communityName: c?.name ?? '', parcelHoldMinutes: c?.parcelHoldMinutes ?? DEFAULT_PARCEL_HOLD_MINUTES }
  }
  const coordinator = await communityRef(actor.coordinatorOf)
  const person = await deps.store.people.get(actor.id)
  const squad = await communityRef(actor.squadOf)
  return {
    id: actor.id,
    name: actor.name,
    households,
    squad: squad && { ...squad, grid: await squadGrid(deps, actor.squadOf!, person?.squadGridId ?? null) },
    coordinator:
      coordinator &&
      (await (async () => {
        const c = await deps.store.communities.get(coordinator.communityId)
        return { ...coordinator, deadlines: effectiveDeadlines(c?.deadlines), servicePhone: c?.servicePhone ?? null, retentionDays: retentionDaysOf(c ?? {}) }
      })()),
    prefs: effectivePrefs(person?.prefs, actor),
    views: allowedViews(actor),
  }
}

/**
 * me.setPrefs: stored on the person. A caller we have no record of yet (not joined) gets one, so
 * large text follows them from the very first page; roles still come only from our records.
 */
export async function setPrefs(deps: Deps, actor: Actor, input: ParsedInputOf<'me.setPrefs'>): Promise<MeView> {
  if (input.view !== undefined && !allowedViews(actor).includes(input.view)) {
    throw new AppError('AUTH.FORBIDDEN', { message: forbiddenViewMessage(input.view) })
  }
  const person = await deps.store.people.get(actor.id)
  const current = effectivePrefs(person?.prefs, actor)
  const prefs = { largeText: input.largeText ?? current.largeText, view: input.view ?? current.view }
  if (!person) {
    await deps.store.people.put({
      id: actor.id,
      name: NEW_PERSON_NAME,
      phone: '',
      households: [],
      squadOf: null,
      coordinatorOf: null,
      createdAt: deps.now(),
      prefs,
    })
  } else if (person.prefs?.largeText !== prefs.largeText || person.prefs.view !== prefs.view) {
    await deps.store.people.put({ ...person, prefs })
  }
  return getMe(deps, { ...actor, name: person?.name ?? NEW_PERSON_NAME })
}
