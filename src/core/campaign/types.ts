/**
 * Bulk distributions (社区发放): "每户白菜60斤" to every household of some buildings. One campaign,
 * one task per household; the campaign document carries the counters (per campaign, per building,
 * per unit) so its progress is read without reading the tasks.
 */

export type CampaignStatus = 'creating' | 'open'
export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['creating', 'open']

export type TaskStatus = 'pending' | 'done' | 'declined'
export const TASK_STATUSES: readonly TaskStatus[] = ['pending', 'done', 'declined']

/** Counts of one scope. `total` counts tasks written; pending = total − done − declined. */
export interface Counts {
  total: number
  done: number
  declined: number
}

/** Unit keys in documents are `u${unit}` (a plain number would read as an array index in a path). */
export type UnitKey = `u${number}`
export const unitKey = (unit: number): UnitKey => `u${unit}`

export interface BuildingCounts extends Counts {
  units: Record<UnitKey, Counts>
}

/** One building of the campaign, in delivery order, with its units in order. */
export interface PlanBuilding {
  buildingId: string
  name: string
  units: number[]
}

/** Optional delivery slots: the k-th unit (buildings in order, units ascending) gets start + k × minutesPerUnit. */
export interface SlotRule {
  /** 'HH:mm', Beijing time. */
  start: string
  minutesPerUnit: number
}

/**
 * Creation progress. Tasks are written one household page at a time (pageSize households of the
 * community, by id, filtered to the campaign's buildings); `cursor` is the last household id of
 * the last page written. A page is accounted exactly once: the cursor moves by compare-and-set.
 */
export interface CreationProgress {
  pageSize: number
  cursor: string | null
  /** Households planned when the campaign was created. */
  planned: number
  /** Tasks accounted so far (pages whose cursor moved). */
  written: number
}

export interface Campaign {
  id: string
  communityId: string
  title: string
  item: string
  qtyPerHousehold: number
  unit: string
  buildingIds: string[]
  plan: PlanBuilding[]
  slot: SlotRule | null
  /** Beijing date the campaign is for ('YYYY-MM-DD'): the day it was created. */
  date: string
  status: CampaignStatus
  creation: CreationProgress
  counts: Counts
  buildings: Record<string, BuildingCounts>
  createdBy: string
  createdAt: number
}

export interface CampaignTask {
  /** campaignTaskId(campaignId, householdId): a resumed write never duplicates. */
  id: string
  campaignId: string
  communityId: string
  householdId: string
  buildingId: string
  unit: number
  floor: number
  room: string
  status: TaskStatus
  /** When and by whom the status last changed (null while pending and never changed). */
  at: number | null
  by: string | null
  createdAt: number
}

export const campaignTaskId = (campaignId: string, householdId: string): string => `${campaignId}_${householdId}`
