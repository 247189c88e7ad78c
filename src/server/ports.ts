/**
 * Storage port: the only way use cases touch data. Adapters: adapters/sqlite.ts (local host, tests)
 * and adapters/cloudbase.ts (WeChat Cloud Development). tests/store.contract.test.ts runs one suite
 * against both.
 */
import type { Order, OrderStatus } from '../core/order/types'

export interface Building {
  id: string
  name: string
  gridId: string
}

export interface Community {
  id: string
  name: string
  buildings: Building[]
  /** Parcels from outside wait this long after disinfection (minutes). */
  parcelHoldMinutes: number
  createdAt: number
}

export type IsolationStatus = 'home_isolation' | 'health_monitoring' | 'none'

export interface Household {
  id: string
  communityId: string
  buildingId: string
  building: string
  unit: number
  floor: number
  room: string
  /** Printed on the isolation notice; binds a WeChat identity to the household. */
  code: string
  isolation: IsolationStatus
  /** e.g. 独居老人, 低血糖, 不会做饭 */
  specialNeeds: string[]
  residentName: string
  phone: string
}

export interface Person {
  /** OPENID on WeChat; the demo id on the local host. */
  id: string
  name: string
  phone: string
  households: string[]
  squadOf: string | null
  coordinatorOf: string | null
  createdAt: number
}

export interface Page<T> {
  items: T[]
  /** Opaque cursor for the next page, null when this is the last. */
  next: string | null
}

/** Every store query is paged at ≤ 100 items (the cloud database's own ceiling). */
export const MAX_PAGE = 100

export interface OrderQuery {
  communityId?: string
  householdIds?: string[]
  statuses?: OrderStatus[]
  holderId?: string
  limit?: number
  cursor?: string | null
}

export interface OrderRepo {
  /** Inserts unless an order with this id exists; returns the stored order and whether it is new. */
  insert(order: Order): Promise<{ order: Order; created: boolean }>
  get(id: string): Promise<Order | null>
  /** Compare-and-set: writes `next` only if the stored order still has `expect`'s status and version. */
  update(next: Order, expect: { status: OrderStatus; version: number }): Promise<boolean>
  /** Newest first (createdAt, then id, descending). */
  list(q: OrderQuery): Promise<Page<Order>>
}

export interface HouseholdRepo {
  get(id: string): Promise<Household | null>
  findByCode(code: string): Promise<Household | null>
  listByCommunity(communityId: string, page?: { limit?: number; cursor?: string | null }): Promise<Page<Household>>
  put(h: Household): Promise<void>
}

export interface PersonRepo {
  get(id: string): Promise<Person | null>
  listByHousehold(householdId: string): Promise<Person[]>
  put(p: Person): Promise<void>
}

export interface CommunityRepo {
  get(id: string): Promise<Community | null>
  put(c: Community): Promise<void>
}

export interface Store {
  orders: OrderRepo
  households: HouseholdRepo
  people: PersonRepo
  communities: CommunityRepo
  close(): Promise<void>
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return MAX_PAGE
  return Math.max(1, Math.min(MAX_PAGE, Math.floor(limit)))
}
