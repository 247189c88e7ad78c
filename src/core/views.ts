/** What the api returns: shapes made for pages, already filtered by policy. */
import type { CatalogCategory } from './catalog'
import type { Order } from './order/types'

export interface HouseholdSummary {
  id: string
  communityId: string
  communityName: string
  /** '1号楼2单元301' — shown to the household's own members and to the squad/coordinators. */
  label: string
}

export interface MeView {
  id: string
  name: string
  households: HouseholdSummary[]
  squad: { communityId: string; communityName: string } | null
  coordinator: { communityId: string; communityName: string } | null
}

export interface OrderView extends Order {
  /** Present only while the viewer may call the resident (holder of an active order, coordinator). */
  residentPhone?: string
  /** Present only while the household's member may call the squad member (active order). */
  holderPhone?: string
}

export interface OrderList {
  orders: OrderView[]
}

export interface CatalogView {
  categories: CatalogCategory[]
}
