/**
 * Grids (网格), pure: the community's named grids, which grid an order or a building is in, and the
 * rules of coord.setGrid (a building in exactly one grid; workers from this community's squad).
 *
 * Communities stored before grids had names carry only Building.gridId: communityGrids() names each
 * such grid after its buildings ('1号楼网格'), so nothing has to be rewritten; the first
 * coord.setGrid stores the list. An order has no grid of its own: it is in the grid of its
 * building (order.address.buildingId), so moving a building moves its open orders with it, and the
 * board's 我的网格 filter (board.ts inScope) stays true.
 */

export interface GridRecord {
  id: string
  name: string
}

export interface GridBuilding {
  id: string
  name: string
  /** '' when the building is in no grid. */
  gridId: string
}

/** The community's grids: stored ones first, then any gridId a building uses that is not stored. */
export function communityGrids(c: { grids?: readonly GridRecord[]; buildings: readonly GridBuilding[] }): GridRecord[] {
  const out: GridRecord[] = [...(c.grids ?? [])]
  const known = new Set(out.map((g) => g.id))
  for (const b of c.buildings) {
    if (!b.gridId || known.has(b.gridId)) continue
    known.add(b.gridId)
    const names = c.buildings.filter((x) => x.gridId === b.gridId).map((x) => x.name)
    out.push({ id: b.gridId, name: `${names.join('、')}网格` })
  }
  return out
}

/** The grid a building is in ('' when none or unknown). */
export function gridOfBuilding(c: { grids?: readonly GridRecord[]; buildings: readonly GridBuilding[] }, buildingId: string): string {
  const b = c.buildings.find((x) => x.id === buildingId)
  if (!b || !b.gridId) return ''
  return communityGrids(c).some((g) => g.id === b.gridId) ? b.gridId : ''
}

export interface GridChange {
  grids: GridRecord[]
  buildings: GridBuilding[]
  /** Squad member id → their grid after the change ('' = none), only for those whose grid changes. */
  workers: Map<string, string>
}

/**
 * coord.setGrid's effect: grid `id` gets `name`, exactly `buildingIds` (moved from wherever they
 * were; its other buildings leave it and are in no grid) and exactly `workerIds` (likewise).
 * `squad`: the community's squad members and their grids now. Inputs are already checked.
 */
export function applyGrid(
  c: { grids?: readonly GridRecord[]; buildings: readonly GridBuilding[] },
  squad: readonly { id: string; gridId: string }[],
  input: { id: string; name: string; buildingIds: readonly string[]; workerIds: readonly string[] },
): GridChange {
  const current = communityGrids(c)
  const grids = current.some((g) => g.id === input.id)
    ? current.map((g) => (g.id === input.id ? { id: g.id, name: input.name } : g))
    : [...current, { id: input.id, name: input.name }]
  const inGrid = new Set(input.buildingIds)
  const buildings = c.buildings.map((b) =>
    inGrid.has(b.id) ? { ...b, gridId: input.id } : b.gridId === input.id ? { ...b, gridId: '' } : b,
  )
  const chosen = new Set(input.workerIds)
  const workers = new Map<string, string>()
  for (const p of squad) {
    if (chosen.has(p.id) && p.gridId !== input.id) workers.set(p.id, input.id)
    else if (!chosen.has(p.id) && p.gridId === input.id) workers.set(p.id, '')
  }
  return { grids, buildings, workers }
}
