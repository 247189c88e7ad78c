/** What the api returns: shapes made for pages, already filtered by policy. */
import type { DayFigures } from './figures'
import type { LedgerRow } from './ledger'
import type { CatalogCategory } from './catalog'
import type { IsolationStatusName, StatusColour } from './household/register'
import type { Order } from './order/types'
import type { Prefs, ViewName } from './prefs'
import type { DeadlineSettings } from './order/schedule'

export interface HouseholdSummary {
  id: string
  communityId: string
  communityName: string
  /** '1号楼2单元301' — shown to the household's own members and to the squad/coordinators. */
  label: string
}

export interface SquadGrid {
  id: string
  /** e.g. 1号楼 or 1号楼、3号楼: the buildings it covers. */
  label: string
  buildingIds: string[]
}

/**
 * A household as the squad sees it when ordering for a resident without a smartphone (代下单):
 * the door, isolation and special needs (to take care), how many members joined. No names, no phones.
 */
export interface CommunityHousehold {
  id: string
  buildingId: string
  building: string
  unit: number
  floor: number
  room: string
  label: string
  isolated: boolean
  isolation: IsolationStatusName
  specialNeeds: string[]
  membersJoined: number
  /** The map's colour for the status (register.ts colourOf). */
  colour: StatusColour
  startDate: string | null
  endDate: string | null
  headcount: number
  doorSealed: boolean
}

export interface CommunityHouseholds {
  households: CommunityHousehold[]
}

/** 调度总览: what the coordinator watches (件件有着落、事事有回音). Today is the Beijing day. */
export interface CoordStats {
  /** Open now. */
  waiting: number
  inProgress: number
  overdue: number
  /** Today. */
  placedToday: number
  deliveredToday: number
  /** Ratings given today: average (null when none) and count. */
  ratingAvg: number | null
  ratingCount: number
  /** Low ratings not yet called back, among the orders placed since the day before yesterday (the 回访 queue has them all). */
  followUpsOpen: number
  byBuilding: { buildingId: string; building: string; waiting: number; inProgress: number; overdue: number }[]
  /** The last 14 Beijing days, oldest first (core/figures.ts): each day's orders and what became of them. */
  days: DayFigures[]
}

/** 台账: one page of rows (core/ledger.ts) and where the next page starts. */
export interface LedgerPage {
  from: string
  to: string
  rows: LedgerRow[]
  /** null: this is the last page. */
  next: string | null
}

export interface LedgerExport {
  /** A short-lived link (10 minutes) to the XLSX file. */
  url: string
  fileName: string
  rows: number
}

/** One entry of the coordinator's queue: a low rating to call back, or an open order past due. */
export interface FollowupItem {
  reason: 'low_rating' | 'overdue'
  order: OrderView
}

export interface Followups {
  items: FollowupItem[]
}

/** A squad invite code as the coordinator sees it. */
export interface InviteView {
  code: string
  createdAt: number
  expiresAt: number
  state: 'open' | 'used' | 'expired'
  /** Who joined with it (name only). */
  usedBy: string | null
  usedAt: number | null
}

export interface InviteList {
  invites: InviteView[]
}

/**
 * The community's squad, names only (no phones): for picking a partner or a reassignment. The
 * coordinator also sees members they deactivated (active: false, 已停用); the squad does not.
 */
export interface SquadMembers {
  members: { id: string; name: string; me: boolean; gridLabel: string | null; active?: boolean; deactivatedAt?: number }[]
}

export interface MeView {
  id: string
  name: string
  households: HouseholdSummary[]
  /** `grid`: the squad member's own grid (网格) and its buildings, for the board's 我的网格 filter. */
  /** parcelHoldMinutes: how long parcels wait after disinfection in that community. */
  squad: { communityId: string; communityName: string; parcelHoldMinutes: number; grid: SquadGrid | null } | null
  /** deadlines: the community's claim / delivery deadlines in force (coord.setDeadlines). */
  coordinator: {
    communityId: string
    communityName: string
    parcelHoldMinutes: number
    deadlines?: DeadlinesView
    /** 社区服务中心电话 (coord.setServicePhone), told to residents locked out of binding; null: not set. */
    servicePhone?: string | null
    /** Days a released household's personal data is kept (coord.setRetention; core/retention.ts). */
    retentionDays?: number
  } | null
  /** UI preferences in force (defaults filled in; a view whose role is gone falls back to the default). */
  prefs: Prefs
  /** Views this person may switch to: always 'resident', plus 'squad' / 'coordinator' by role. */
  views: ViewName[]
}

/** household.join: the household just bound, and the caller as they are now. */
export interface JoinView {
  household: HouseholdSummary
  me: MeView
}

export interface OrderView extends Omit<Order, 'householdId'> {
  /**
   * Present only for the household's residents, the order's holder/partner and the community's
   * coordinator (order-view.ts): household ids spell the door, so the rest of the squad never gets one.
   */
  householdId?: string
  /** Present only while the viewer may call the resident (holder of an active order, coordinator). */
  residentPhone?: string
  /** Present only while the household's member may call the squad member (active order). */
  holderPhone?: string
}

export interface OrderList {
  orders: OrderView[]
}

/** squad.board: one page of the board (overdue, urgent, deadline), and what is left. */
export interface BoardList extends OrderList {
  /** Pass as `cursor` for the next page; null on the last. */
  next: string | null
  hasMore: boolean
  /** Every waiting order of the community, not just those on the pages read so far. */
  total: number
  /** How many of them are overdue. */
  overdue: number
}

export interface CatalogView {
  categories: CatalogCategory[]
}

/** community.setup: the community just made, and the caller as they are now (its coordinator). */
export interface SetupView {
  communityId: string
  communityName: string
  /** Households created, all buildings together. */
  households: number
  me: MeView
}

/** One door's code as printed for the building (coord.householdCodes). */
export interface HouseholdCodeRow {
  householdId: string
  unit: number
  floor: number
  room: string
  code: string
}

/** A building's household codes, unit by unit, floor by floor; and the community's buildings to fetch the others. */
export interface HouseholdCodes {
  communityName: string
  buildings: { id: string; name: string }[]
  building: { id: string; name: string }
  rows: HouseholdCodeRow[]
}

/**
 * One household's QR door badge (coord.householdBadges): the card shows the building and unit and
 * the code; the room is for the coordinator, to hand the card to the right door (a cut-off stub).
 * No name, no phone. `payload` is the QR's text ('zjs:b:' + code: it spells no door).
 */
export interface HouseholdBadge {
  householdId: string
  unit: number
  floor: number
  room: string
  code: string
  payload: string
}

/** A building's badges, unit by unit, floor by floor; and the community's buildings to fetch the others. */
export interface HouseholdBadges {
  communityName: string
  buildings: { id: string; name: string }[]
  building: { id: string; name: string }
  badges: HouseholdBadge[]
}

/** A community's deadlines in force, minutes (core/order/schedule.ts). */
export type DeadlinesView = DeadlineSettings

/** squad.deactivate: who, and what happened to their orders. */
export interface DeactivateView {
  personId: string
  name: string
  deactivatedAt: number
  /** Orders they held, now back on the board (pending). */
  returned: number
  /** Orders where they were the partner, which lost the partner. */
  partnerDropped: number
  /** They were already deactivated before this call (nothing else changed unless orders were left). */
  alreadyInactive: boolean
}

export interface GridWorkload {
  /** Open orders (waiting, claimed, on the way, at the door) of the grid's buildings. */
  open: number
  /** Delivered today (Beijing day). */
  deliveredToday: number
}

/** coord.grids: every grid with its buildings, workers and workload; then what is in no grid. */
export interface GridsView {
  grids: ({ id: string; name: string; buildings: { id: string; name: string }[]; workers: { id: string; name: string }[] } & GridWorkload)[]
  unassigned: { buildings: { id: string; name: string }[]; workers: { id: string; name: string }[] } & GridWorkload
}
