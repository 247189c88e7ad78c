/** What coord.importHouseholds and coord.buildingMap return: shapes made for pages. */
import type { OrderStatus } from '../order/types'
import type { IsolationStatusName, RoomColour, StatusColour } from './register'

/** One row of the import preview. */
export interface ImportPreviewRow {
  line: number
  /** '1号楼2单元301' */
  label: string
  isolation: IsolationStatusName
  colour: StatusColour
  specialNeeds: string[]
  action: 'new' | 'update'
}

export interface ImportResult {
  /** true: nothing was written (the preview). */
  dryRun: boolean
  rows: number
  created: number
  updated: number
  /** Names of the buildings the import adds to the community. */
  buildingsCreated: string[]
  /** The first rows (PREVIEW_ROWS), in file order. */
  preview: ImportPreviewRow[]
}

export interface MapRoomOrders {
  open: number
  /** The most urgent open order's status (加急 first, then the earliest due). */
  status: OrderStatus
  statusLabel: string
  urgent: boolean
  overdue: boolean
}

export interface MapRoom {
  room: string
  /** Null where no household is registered (grey). */
  householdId: string | null
  colour: RoomColour
  /** One character per special need (register.ts needShort). */
  needs: string[]
  orders: MapRoomOrders | null
}

export interface MapFloor {
  floor: number
  rooms: MapRoom[]
}

export interface MapUnit {
  unit: number
  /** Top floor first. */
  floors: MapFloor[]
}

export interface BuildingMap {
  building: { id: string; name: string }
  /** Every building of the community, for the picker. */
  buildings: { id: string; name: string }[]
  /** Units side by side, in order. */
  units: MapUnit[]
  counts: Record<RoomColour, number>
  /** Open orders in the building. */
  openOrders: number
}
