/**
 * coord.importHouseholds: the coordinator's register from a spreadsheet (CSV), for their own
 * community only. Validate every row first (core/household/import.ts); one bad row writes nothing
 * and the answer names every bad row. Then plan against the store (buildings by name, doors by
 * building + unit + room), and write:
 *
 * 1. the community, when the file names buildings it lacks (id b<n>, grid g<n>, as the seed does);
 * 2. the households, through RegisterRepo.putMany (SQLite: one transaction; CloudBase: bounded
 *    parallel sets, ~2,000 rows in a few seconds).
 *
 * Every write is an idempotent put: a new door's household id is derived from the door, so an
 * import interrupted part-way and sent again finds the doors it wrote and updates them (keeping
 * their codes) instead of adding them twice. Reads are bounded: the named buildings' households
 * (≤ MAX_BUILDING_HOUSEHOLDS each) and the new codes in batches of 100.
 */
import { reopenedIfInUse } from '../../core/retention'
import { createHash, randomInt } from 'node:crypto'
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import { decodeCsvBytes } from '../../core/household/csv'
import { MAX_IMPORT_ROWS, parseImport, planImport, type ImportRow } from '../../core/household/import'
import { colourOf, DEFAULT_HEADCOUNT } from '../../core/household/register'
import type { ImportResult } from '../../core/household/views'
import type { Deps } from '../deps'
import { changeCommunity } from './community-change'
import type { Household } from '../ports'
import { householdLabel } from './me'

/** A building's households read at most (the map reads the same bound). */
export const MAX_BUILDING_HOUSEHOLDS = 2000
/** Rows shown in the preview. */
export const PREVIEW_ROWS = 20

function readText(input: ParsedInputOf<'coord.importHouseholds'>): string {
  if (input.csv !== undefined) return input.csv
  try {
    return decodeCsvBytes(new Uint8Array(Buffer.from(input.csvBase64 ?? '', 'base64'))).text
  } catch {
    // No GBK decoder in this runtime, or bytes neither encoding can read.
    throw new AppError('IMPORT.UNREADABLE')
  }
}

function parseOrThrow(text: string): ImportRow[] {
  const parsed = parseImport(text)
  if (parsed.ok) return parsed.rows
  switch (parsed.problem) {
    case 'empty':
      throw new AppError('IMPORT.EMPTY')
    case 'header':
      throw new AppError('IMPORT.BAD_HEADER', { message: parsed.reason, fields: { 'line.1': parsed.reason } })
    case 'too_many':
      throw new AppError('IMPORT.TOO_MANY_ROWS', {
        message: `文件有${parsed.rows}户，一次最多导入${MAX_IMPORT_ROWS}户，请分成几个文件`,
        details: { rows: parsed.rows, max: MAX_IMPORT_ROWS },
      })
    case 'rows':
      throw new AppError('IMPORT.INVALID', {
        message: `有${parsed.bad.length}行填得不对，这次一户也没有导入。请按提示改好后再导入`,
        fields: Object.fromEntries(parsed.bad.map((b) => [`line.${b.line}`, `第${b.line}行：${b.reason}`])),
        details: { badLines: parsed.bad.length, firstBadLine: parsed.bad[0]!.line },
      })
    default: {
      const never: never = parsed
      return never
    }
  }
}

/** Derived from the door: the same door always gets the same id (idempotent re-import). */
function householdId(communityId: string, buildingId: string, unit: number, room: string): string {
  return 'h' + createHash('sha256').update(`${communityId}|${buildingId}|${unit}|${room}`).digest('hex').slice(0, 20)
}

/** Fresh 6-digit codes, unique among themselves and in the store. */
async function freshCodes(deps: Deps, n: number): Promise<string[]> {
  const codes = new Set<string>()
  for (let round = 0; round < 10 && codes.size < n; round++) {
    const batch = new Set<string>()
    while (batch.size < n - codes.size) {
      const c = String(randomInt(0, 1_000_000)).padStart(6, '0')
      if (!codes.has(c)) batch.add(c)
    }
    const taken = await deps.store.register.codesTaken([...batch])
    for (const c of batch) if (!taken.has(c)) codes.add(c)
  }
  if (codes.size < n) throw new Error('could not find enough free household codes')
  return [...codes]
}

const withRow = (h: Household, r: ImportRow): Household => {
  const { startDate: _s, endDate: _e, ...rest } = h
  return {
    ...rest,
    isolation: r.isolation,
    specialNeeds: r.specialNeeds,
    residentName: r.residentName,
    phone: r.phone,
    ...(r.startDate ? { startDate: r.startDate } : {}),
    ...(r.endDate ? { endDate: r.endDate } : {}),
  }
}

export async function importHouseholds(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.importHouseholds'>): Promise<ImportResult> {
  const communityId = actor.coordinatorOf!
  const rows = parseOrThrow(readText(input))
  const community = await deps.store.communities.get(communityId)
  if (!community) throw new AppError('AUTH.FORBIDDEN')

  // Only the buildings the file names, and only those that exist, are read.
  const names = new Set(rows.map((r) => r.building))
  const named = community.buildings.filter((b) => names.has(b.name))
  const lists = await Promise.all(named.map((b) => deps.store.register.listByBuilding(communityId, b.id, MAX_BUILDING_HOUSEHOLDS)))
  const existing = new Map(lists.flat().map((h) => [h.id, h]))
  const plan = planImport(rows, community.buildings, [...existing.values()])
  const buildingName = new Map(plan.buildings.map((b) => [b.id, b.name]))
  const created = plan.rows.filter((p) => p.existingId === null).length
  const buildingsCreated = plan.buildings.filter((b) => b.created)

  const result: ImportResult = {
    dryRun: input.dryRun,
    rows: rows.length,
    created,
    updated: rows.length - created,
    buildingsCreated: buildingsCreated.map((b) => b.name),
    preview: plan.rows.slice(0, PREVIEW_ROWS).map(({ row, existingId }) => ({
      line: row.line,
      label: householdLabel(row),
      isolation: row.isolation,
      colour: colourOf(row.isolation),
      specialNeeds: row.specialNeeds,
      action: existingId ? 'update' : 'new',
    })),
  }
  if (input.dryRun) return result

  const codes = await freshCodes(deps, created)
  const households = plan.rows.map(({ row, buildingId, existingId }): Household => {
    const known = existingId ? existing.get(existingId) : undefined
    if (known) return withRow(known, row)
    return withRow(
      {
        id: householdId(communityId, buildingId, row.unit, row.room),
        communityId,
        buildingId,
        building: buildingName.get(buildingId)!,
        unit: row.unit,
        floor: row.floor,
        room: row.room,
        code: codes.pop()!,
        isolation: row.isolation,
        specialNeeds: [],
        residentName: '',
        phone: '',
        headcount: DEFAULT_HEADCOUNT,
        doorSealed: false,
      },
      row,
    )
  })

  if (buildingsCreated.length > 0) {
    // A compare-and-set on the community: a setting changed meanwhile (暂缺, deadlines…) is kept.
    await changeCommunity(deps, communityId, (fresh) => {
      const have = new Set(fresh.buildings.map((b) => b.id))
      const add = buildingsCreated.filter((b) => !have.has(b.id)).map(({ id, name, gridId }) => ({ id, name, gridId }))
      return add.length > 0 ? { ...fresh, buildings: [...fresh.buildings, ...add] } : null
    })
  }
  // A household anonymised by retention and written again with people or a new isolation is in use again.
  await deps.store.register.putMany(households.map(reopenedIfInUse))
  // Counts only: doors, names and needs stay out of the log.
  deps.log.info('register.imported', { community: communityId, created, updated: result.updated, buildings: buildingsCreated.length })
  return result
}
