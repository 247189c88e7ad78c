/**
 * coord.buildingMap: one building of the coordinator's community as a grid (core/household/map.ts).
 *
 * Bounded reads, whatever the size of the community's history: the building's households (paged
 * ≤ 100, at most MAX_BUILDING_HOUSEHOLDS) and the community's OPEN orders only (ACTIVE_STATUSES,
 * served by the community + status index, at most MAX_OPEN_ORDERS). Delivered, confirmed and
 * cancelled orders, which grow every day, are never read. Open orders are few by nature: each one
 * is somebody's task until it is done, and the dashboard reads the same set.
 */
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import { buildMap } from '../../core/household/map'
import type { BuildingMap } from '../../core/household/views'
import { ACTIVE_STATUSES, type Order } from '../../core/order/types'
import type { Deps } from '../deps'
import { MAX_PAGE } from '../ports'
import { MAX_BUILDING_HOUSEHOLDS } from './register-import'

export const MAX_OPEN_ORDERS = 2000

async function openOrders(deps: Deps, communityId: string, buildingId: string): Promise<Order[]> {
  const out: Order[] = []
  let cursor: string | null = null
  for (let seen = 0; seen < MAX_OPEN_ORDERS; seen += MAX_PAGE) {
    const page = await deps.store.orders.list({ communityId, statuses: [...ACTIVE_STATUSES], limit: MAX_PAGE, cursor })
    out.push(...page.items.filter((o) => o.address.buildingId === buildingId))
    if (!page.next) break
    cursor = page.next
  }
  return out
}

export async function buildingMap(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.buildingMap'>): Promise<BuildingMap> {
  const communityId = actor.coordinatorOf!
  const community = await deps.store.communities.get(communityId)
  const buildings = community?.buildings ?? []
  const b = input.buildingId === undefined ? buildings[0] : buildings.find((x) => x.id === input.buildingId)
  if (!b) throw new AppError('BUILDING.NOT_FOUND')
  const [households, orders] = await Promise.all([
    deps.store.register.listByBuilding(communityId, b.id, MAX_BUILDING_HOUSEHOLDS),
    openOrders(deps, communityId, b.id),
  ])
  const { units, counts } = buildMap(households, orders, deps.now())
  return {
    building: { id: b.id, name: b.name },
    buildings: buildings.map((x) => ({ id: x.id, name: x.name })),
    units,
    counts,
    openOrders: orders.length,
  }
}
