/** What the campaign actions answer. Nothing personal: doors only in the squad's task list. */
import type { CampaignStatus, SlotRule, TaskStatus } from './types'

export interface ProgressView {
  total: number
  done: number
  declined: number
  pending: number
}

export interface UnitProgressView extends ProgressView {
  unit: number
  /** 'HH:mm-HH:mm' when the campaign has slots. */
  slot: string | null
}

export interface BuildingProgressView extends ProgressView {
  buildingId: string
  name: string
  units: UnitProgressView[]
}

export interface CampaignView extends ProgressView {
  id: string
  title: string
  item: string
  qtyPerHousehold: number
  unit: string
  status: CampaignStatus
  date: string
  slot: SlotRule | null
  createdAt: number
  /** Tasks accounted / planned while status is 'creating'; equal once open. */
  creation: { written: number; planned: number }
  buildings: BuildingProgressView[]
}

export interface CampaignList {
  campaigns: CampaignView[]
  /** The community's buildings (the create form's choices). */
  buildings: { id: string; name: string }[]
}

export interface CampaignTaskView {
  householdId: string
  unit: number
  floor: number
  room: string
  /** e.g. 1号楼2单元502 */
  door: string
  status: TaskStatus
}

export interface CampaignTaskList {
  campaignId: string
  buildingId: string
  unit: number | null
  tasks: CampaignTaskView[]
}

/** A resident's card: one campaign for their household. */
export interface MyCampaignView {
  campaignId: string
  householdId: string
  title: string
  item: string
  qtyPerHousehold: number
  unit: string
  date: string
  /** This household's unit slot, 'HH:mm-HH:mm', or null. */
  slot: string | null
  status: TaskStatus
}

export interface MyCampaigns {
  campaigns: MyCampaignView[]
}
