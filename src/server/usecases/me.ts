import type { Actor } from '../../core/actor'
import { DEFAULT_CATALOG } from '../../core/catalog'
import type { CatalogView, HouseholdSummary, MeView } from '../../core/views'
import type { Deps } from '../deps'

export function householdLabel(h: { building: string; unit: number; room: string }): string {
  return `${h.building}${h.unit}单元${h.room}`
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
    return { communityId: id, communityName: c?.name ?? '' }
  }
  return {
    id: actor.id,
    name: actor.name,
    households,
    squad: await communityRef(actor.squadOf),
    coordinator: await communityRef(actor.coordinatorOf),
  }
}

export async function getCatalog(): Promise<CatalogView> {
  return { categories: DEFAULT_CATALOG.map((c) => ({ ...c, items: [...c.items] })) }
}
