/**
 * Campaign rules, pure: planning a campaign over the register, delivery slots, what a tick /
 * untick / decline does to a task, and how the counters move. The store applies the counter
 * deltas atomically with the task's own compare-and-set (SQLite: one transaction; CloudBase:
 * `_.inc` on the campaign after the task's conditional update).
 */
import { AppError, assertNever } from '../errors'
import {
  unitKey,
  type BuildingCounts,
  type Campaign,
  type CampaignTask,
  type Counts,
  type PlanBuilding,
  type SlotRule,
  type TaskStatus,
} from './types'

export type TaskCommand = 'tick' | 'untick' | 'decline'

/** What a command does to a task in `status`: nothing (idempotent), a move, or a refusal. */
export type TaskDecision = { kind: 'noop' } | { kind: 'move'; from: TaskStatus; to: TaskStatus }

export function decideTask(command: TaskCommand, status: TaskStatus): TaskDecision {
  switch (command) {
    case 'tick':
      switch (status) {
        case 'pending':
          return { kind: 'move', from: 'pending', to: 'done' }
        case 'done':
          return { kind: 'noop' }
        case 'declined':
          throw new AppError('CAMPAIGN.TASK_DECLINED')
        default:
          return assertNever(status)
      }
    case 'untick':
      switch (status) {
        case 'done':
          return { kind: 'move', from: 'done', to: 'pending' }
        case 'pending':
          return { kind: 'noop' }
        case 'declined':
          throw new AppError('CAMPAIGN.TASK_DECLINED')
        default:
          return assertNever(status)
      }
    case 'decline':
      switch (status) {
        case 'pending':
          return { kind: 'move', from: 'pending', to: 'declined' }
        case 'declined':
          return { kind: 'noop' }
        case 'done':
          throw new AppError('CAMPAIGN.ALREADY_DELIVERED')
        default:
          return assertNever(status)
      }
    default:
      return assertNever(command)
  }
}

/** The counter a status contributes to besides `total` (pending is derived). */
function counterOf(status: TaskStatus): 'done' | 'declined' | null {
  switch (status) {
    case 'pending':
      return null
    case 'done':
      return 'done'
    case 'declined':
      return 'declined'
    default:
      return assertNever(status)
  }
}

/** A counter path relative to the campaign document and how much it moves. */
export interface CounterDelta {
  path: string
  n: number
}

const scopes = (buildingId: string, unit: number) => [
  'counts',
  `buildings.${buildingId}`,
  `buildings.${buildingId}.units.${unitKey(unit)}`,
]

/** The counter moves of a task going `from` → `to`: one −1 and one +1 per scope, at most. */
export function moveDeltas(task: Pick<CampaignTask, 'buildingId' | 'unit'>, from: TaskStatus, to: TaskStatus): CounterDelta[] {
  const out: CounterDelta[] = []
  const a = counterOf(from)
  const b = counterOf(to)
  if (a === b) return out
  for (const s of scopes(task.buildingId, task.unit)) {
    if (a) out.push({ path: `${s}.${a}`, n: -1 })
    if (b) out.push({ path: `${s}.${b}`, n: 1 })
  }
  return out
}

/** The counter moves of writing `tasks` (new, pending): totals up, per scope, merged. */
export function writeDeltas(tasks: readonly Pick<CampaignTask, 'buildingId' | 'unit' | 'status'>[]): CounterDelta[] {
  const sums = new Map<string, number>()
  const add = (path: string, n: number) => sums.set(path, (sums.get(path) ?? 0) + n)
  for (const t of tasks) {
    const c = counterOf(t.status)
    for (const s of scopes(t.buildingId, t.unit)) {
      add(`${s}.total`, 1)
      if (c) add(`${s}.${c}`, 1)
    }
  }
  return [...sums].map(([path, n]) => ({ path, n }))
}

/** Applies deltas to the campaign's counters (a copy); paths are those of moveDeltas / writeDeltas. */
export function applyDeltas(c: Pick<Campaign, 'counts' | 'buildings'>, deltas: readonly CounterDelta[]): Pick<Campaign, 'counts' | 'buildings'> {
  const next = structuredCloneCounters(c)
  for (const d of deltas) {
    const parts = d.path.split('.')
    let obj: Record<string, unknown> = next as unknown as Record<string, unknown>
    for (const p of parts.slice(0, -1)) {
      if (typeof obj[p] !== 'object' || obj[p] === null) obj[p] = {}
      obj = obj[p] as Record<string, unknown>
    }
    const leaf = parts[parts.length - 1]!
    obj[leaf] = ((obj[leaf] as number | undefined) ?? 0) + d.n
  }
  return next
}

function structuredCloneCounters(c: Pick<Campaign, 'counts' | 'buildings'>): Pick<Campaign, 'counts' | 'buildings'> {
  return JSON.parse(JSON.stringify({ counts: c.counts, buildings: c.buildings })) as Pick<Campaign, 'counts' | 'buildings'>
}

export const emptyCounts = (): Counts => ({ total: 0, done: 0, declined: 0 })

/** Zeroed counters for a plan: every building and unit present, so increments only ever add. */
export function zeroCounters(plan: readonly PlanBuilding[]): Pick<Campaign, 'counts' | 'buildings'> {
  const buildings: Record<string, BuildingCounts> = {}
  for (const b of plan) {
    const units: BuildingCounts['units'] = {}
    for (const u of b.units) units[unitKey(u)] = emptyCounts()
    buildings[b.buildingId] = { ...emptyCounts(), units }
  }
  return { counts: emptyCounts(), buildings }
}

/** The counters recounted from the tasks themselves (tests, repair): what the counters must equal. */
export function recount(plan: readonly PlanBuilding[], tasks: readonly Pick<CampaignTask, 'buildingId' | 'unit' | 'status'>[]) {
  return applyDeltas(zeroCounters(plan), writeDeltas(tasks))
}

/** The campaign's buildings in the order chosen, each with the units its households live in. */
export function planCampaign(
  buildings: readonly { id: string; name: string }[],
  buildingIds: readonly string[],
  households: readonly { buildingId: string; unit: number }[],
): { plan: PlanBuilding[]; planned: number } {
  const units = new Map<string, Set<number>>(buildingIds.map((id) => [id, new Set<number>()]))
  let planned = 0
  for (const h of households) {
    const set = units.get(h.buildingId)
    if (!set) continue
    set.add(h.unit)
    planned++
  }
  const plan = buildingIds.map((id) => ({
    buildingId: id,
    name: buildings.find((b) => b.id === id)?.name ?? id,
    units: [...(units.get(id) ?? [])].sort((a, b) => a - b),
  }))
  return { plan, planned }
}

const MINUTES_PER_DAY = 24 * 60
const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
const fmt = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`

/** 'HH:mm-HH:mm' per building and unit, in plan order; null without a slot rule. */
export function unitSlots(plan: readonly PlanBuilding[], slot: SlotRule | null): Map<string, string> | null {
  if (!slot) return null
  const out = new Map<string, string>()
  let k = 0
  const start = toMinutes(slot.start)
  for (const b of plan)
    for (const u of b.units) {
      const from = start + k * slot.minutesPerUnit
      out.set(`${b.buildingId}/${u}`, `${fmt(from)}-${fmt(from + slot.minutesPerUnit)}`)
      k++
    }
  return out
}

/** The slot rule fits in the day (the last unit ends by 24:00). */
export function slotFitsDay(plan: readonly PlanBuilding[], slot: SlotRule): boolean {
  const units = plan.reduce((n, b) => n + b.units.length, 0)
  return toMinutes(slot.start) + units * slot.minutesPerUnit <= MINUTES_PER_DAY
}

export const pendingOf = (c: Counts): number => c.total - c.done - c.declined
