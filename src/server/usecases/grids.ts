/**
 * coord.grids / coord.setGrid (coordinator): the community's grids (网格) — each with its buildings,
 * its workers (squad members whose squadGridId is the grid) and its workload — and the moves
 * between them. The rules are core/grids.ts; here, the facts and the writes.
 *
 * What coord.grids reads: the community (1 read), the squad (its members), the OPEN orders of the
 * community (every one must be answered, so they are few; paged ≤ 100), and the orders delivered
 * or confirmed among those placed in the last DELIVERED_LOOKBACK_DAYS (the store's index on
 * community, status and placing time; an order delivered today that was placed earlier than that
 * is not counted). An order counts for the grid of its building.
 */
import { randomBytes } from 'node:crypto'
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import { applyGrid, communityGrids, gridOfBuilding } from '../../core/grids'
import { ACTIVE_STATUSES, type Order } from '../../core/order/types'
import { beijingDate, fromBeijing } from '../../core/time'
import type { GridsView, GridWorkload } from '../../core/views'
import type { Deps } from '../deps'
import { changeCommunity } from './community-change'
import type { Community } from '../ports'
import { listAll } from './order-queries'

/** 今日送达 looks at orders placed this many days back (hand-overs and meals are booked ahead). */
const DELIVERED_LOOKBACK_DAYS = 7

async function community(deps: Deps, actor: Actor): Promise<Community> {
  const c = await deps.store.communities.get(actor.coordinatorOf!)
  if (!c) throw new AppError('AUTH.FORBIDDEN')
  return c
}

const deliveredAt = (o: Order): number[] =>
  o.timeline.filter((t) => t.event === 'deliver' || t.event === 'disinfect_again').map((t) => t.at)

export async function listGrids(deps: Deps, actor: Actor): Promise<GridsView> {
  const c = await community(deps, actor)
  const now = deps.now()
  const dayStart = fromBeijing(beijingDate(now), 0)
  const [squad, open, done] = await Promise.all([
    deps.store.people.listSquad(c.id),
    listAll(deps, { communityId: c.id, statuses: [...ACTIVE_STATUSES] }),
    listAll(deps, { communityId: c.id, statuses: ['delivered', 'confirmed'], createdFrom: dayStart - DELIVERED_LOOKBACK_DAYS * 24 * 3600_000 }),
  ])
  const grids = communityGrids(c)
  const known = new Set(grids.map((g) => g.id))
  const gridOfOrder = (o: Order) => gridOfBuilding(c, o.address.buildingId)
  const deliveredToday = done.filter((o) => deliveredAt(o).some((t) => t >= dayStart))
  const workload = (gridId: string): GridWorkload => ({
    open: open.filter((o) => gridOfOrder(o) === gridId).length,
    deliveredToday: deliveredToday.filter((o) => gridOfOrder(o) === gridId).length,
  })
  const ref = (x: { id: string; name: string }) => ({ id: x.id, name: x.name })
  const workerGrid = (gridId: string | null | undefined) => (gridId && known.has(gridId) ? gridId : '')
  return {
    grids: grids.map((g) => ({
      id: g.id,
      name: g.name,
      buildings: c.buildings.filter((b) => b.gridId === g.id).map(ref),
      workers: squad.filter((p) => workerGrid(p.squadGridId) === g.id).map(ref),
      ...workload(g.id),
    })),
    unassigned: {
      buildings: c.buildings.filter((b) => !b.gridId || !known.has(b.gridId)).map(ref),
      workers: squad.filter((p) => workerGrid(p.squadGridId) === '').map(ref),
      ...workload(''),
    },
  }
}

export async function setGrid(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.setGrid'>): Promise<GridsView> {
  const c = await community(deps, actor)
  const grids = communityGrids(c)
  if (input.gridId !== undefined && !grids.some((g) => g.id === input.gridId)) throw new AppError('GRID.NOT_FOUND')
  const fields: Record<string, string> = {}
  if (grids.some((g) => g.id !== input.gridId && g.name === input.name)) fields.name = `已经有叫「${input.name}」的网格了`
  const unknownBuildings = input.buildingIds.filter((id) => !c.buildings.some((b) => b.id === id))
  if (unknownBuildings.length) fields.buildingIds = '有楼栋不属于本社区，请刷新后再选'
  const squad = await deps.store.people.listSquad(c.id)
  const strangers = input.workerIds.filter((id) => !squad.some((p) => p.id === id))
  if (strangers.length) fields.workerIds = '只能选择本社区小分队的队员'
  if (Object.keys(fields).length) {
    throw new AppError('REQUEST.INVALID_INPUT', { message: Object.values(fields)[0]!, fields })
  }

  const id = input.gridId ?? `g${randomBytes(4).toString('hex')}`
  const grid = { id, name: input.name, buildingIds: [...new Set(input.buildingIds)], workerIds: [...new Set(input.workerIds)] }
  const assigned = squad.map((p) => ({ id: p.id, gridId: p.squadGridId ?? '' }))
  // The community first (buildings and names, as a compare-and-set: applied to the community as it
  // is when written, so a building imported meanwhile is kept), then each worker whose grid changes.
  let change: ReturnType<typeof applyGrid> | undefined
  await changeCommunity(deps, c.id, (fresh) => {
    change = applyGrid(fresh, assigned, grid)
    return { ...fresh, grids: change.grids, buildings: change.buildings }
  })
  for (const p of squad) {
    const to = change!.workers.get(p.id)
    if (to !== undefined) await deps.store.people.put({ ...p, squadGridId: to || null })
  }
  deps.log.info('community.grid_set', { community: c.id, grid: id })
  return listGrids(deps, actor)
}
