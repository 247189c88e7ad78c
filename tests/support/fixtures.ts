/**
 * Test data factories. Each call returns a fresh, valid object; ids are unique per process unless
 * given. Optional fields are absent (not undefined) unless an override sets them.
 */
import type { Order, PersonRef } from '../../src/core/order/types'
import type { Community, Household, Person } from '../../src/server/ports'

let seq = 0
/** A unique, zero-padded id: ids sort in creation order. */
export function nextId(prefix: string): string {
  seq++
  return `${prefix}-${String(seq).padStart(6, '0')}`
}

export const T0 = Date.UTC(2022, 3, 10, 1, 0, 0) // 2022-04-10 09:00 Beijing

export function makePersonRef(overrides: Partial<PersonRef> = {}): PersonRef {
  return { id: nextId('p'), name: '张三', role: 'resident', ...overrides }
}

export function makeOrder(overrides: Partial<Order> = {}): Order {
  const placedBy = overrides.placedBy ?? makePersonRef()
  const createdAt = overrides.createdAt ?? T0
  return {
    id: nextId('o'),
    communityId: 'c-1',
    householdId: 'h-1',
    address: { buildingId: 'b-3', building: '3号楼', unit: 2, floor: 6, room: '602' },
    kind: 'supplies',
    status: 'pending',
    urgency: 'normal',
    lines: [
      { itemId: 'rice-5kg', name: '大米', unit: '袋', qty: 1 },
      { itemId: 'egg-30', name: '鸡蛋', unit: '盒', qty: 2, note: '要土鸡蛋' },
    ],
    window: 'morning',
    notes: '',
    requestId: nextId('r'),
    placedBy,
    holder: null,
    partner: null,
    followUp: false,
    dueAt: createdAt + 4 * 3600_000,
    timeline: [{ at: createdAt, event: 'place', by: placedBy }],
    createdAt,
    updatedAt: createdAt,
    version: 1,
    ...overrides,
  }
}

/** An order with every optional field set, nested objects and arrays included. */
export function makeFullOrder(overrides: Partial<Order> = {}): Order {
  const squad = makePersonRef({ name: '李四', role: 'squad' })
  const partner = makePersonRef({ name: '王五', role: 'squad' })
  return makeOrder({
    kind: 'meal',
    status: 'delivered',
    urgency: 'urgent',
    urgentReason: '低血糖，家中无食物',
    lines: [{ itemId: 'insulin', name: '胰岛素', unit: '支', qty: 2, prescription: true, note: '带处方' }],
    meal: { dish: '青菜粥', date: '2022-04-10', slot: 'exact', at: T0 + 3 * 3600_000, dietary: ['少盐', '软烂'] },
    handover: { bringer: '父母', items: '药和水果', expectedAt: T0 + 2 * 3600_000 },
    holder: squad,
    partner,
    outcome: 'partial',
    missing: ['鸡蛋'],
    rating: { stars: 2, comment: '晚了一点', at: T0 + 5 * 3600_000 },
    followUp: true,
    followUpDone: { at: T0 + 6 * 3600_000, by: makePersonRef({ name: '刘主任', role: 'coordinator' }), note: '已回访' },
    timeline: [
      { at: T0, event: 'place', by: makePersonRef() },
      { at: T0 + 60_000, event: 'claim', by: squad, note: '马上到' },
    ],
    version: 4,
    ...overrides,
  })
}

export function makeHousehold(overrides: Partial<Household> = {}): Household {
  const id = overrides.id ?? nextId('h')
  return {
    id,
    communityId: 'c-1',
    buildingId: 'b-3',
    building: '3号楼',
    unit: 2,
    floor: 6,
    room: '602',
    code: `CODE-${id}`,
    isolation: 'home_isolation',
    specialNeeds: ['独居老人'],
    residentName: '赵六',
    phone: '13800000000',
    ...overrides,
  }
}

export function makePerson(overrides: Partial<Person> = {}): Person {
  return {
    id: nextId('u'),
    name: '孙七',
    phone: '13900000000',
    households: [],
    squadOf: null,
    coordinatorOf: null,
    createdAt: T0,
    ...overrides,
  }
}

export function makeCommunity(overrides: Partial<Community> = {}): Community {
  return {
    id: nextId('c'),
    name: '幸福里小区',
    buildings: [
      { id: 'b-1', name: '1号楼', gridId: 'g-1' },
      { id: 'b-3', name: '3号楼', gridId: 'g-2' },
    ],
    parcelHoldMinutes: 120,
    createdAt: T0,
    ...overrides,
  }
}
