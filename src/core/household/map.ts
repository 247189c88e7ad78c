/**
 * The building map, pure: floors × rooms for each unit, each cell coloured by the household's
 * status (grey where no household is registered), its needs as one-character labels, and its open
 * orders (count and the most urgent one's status).
 *
 * The grid's shape comes from the register: floors 1 to the unit's highest, and on every floor the
 * room positions (last two digits) that the unit uses on any floor, so a missing door shows grey.
 */
import { statusLabel } from '../order/labels'
import type { OrderStatus, Urgency } from '../order/types'
import { colourOf, isSpecialNeed, needShort, type IsolationStatusName, type RoomColour } from './register'
import type { MapRoom, MapRoomOrders, MapUnit } from './views'

export interface MapHousehold {
  id: string
  unit: number
  floor: number
  room: string
  isolation: IsolationStatusName
  specialNeeds: readonly string[]
}

export interface MapOrder {
  householdId: string
  status: OrderStatus
  urgency: Urgency
  dueAt: number
}

/** The grid's height is bounded whatever the data says (a typo of 9901 must not draw 99 rows). */
export const MAX_MAP_FLOORS = 60

/** Most urgent first: 加急, then the earliest due. */
const moreUrgent = (a: MapOrder, b: MapOrder) =>
  Number(b.urgency === 'urgent') - Number(a.urgency === 'urgent') || a.dueAt - b.dueAt

function ordersOf(orders: MapOrder[], now: number): MapRoomOrders | null {
  if (orders.length === 0) return null
  const top = [...orders].sort(moreUrgent)[0]!
  return {
    open: orders.length,
    status: top.status,
    statusLabel: statusLabel(top.status),
    urgent: top.urgency === 'urgent',
    overdue: orders.some((o) => o.dueAt < now),
  }
}

const suffixOf = (room: string) => room.slice(-2)

export function buildMap(
  households: readonly MapHousehold[],
  orders: readonly MapOrder[],
  now: number,
): { units: MapUnit[]; counts: Record<RoomColour, number> } {
  const counts: Record<RoomColour, number> = { red: 0, orange: 0, yellow: 0, green: 0, grey: 0 }
  const byHousehold = new Map<string, MapOrder[]>()
  for (const o of orders) byHousehold.set(o.householdId, [...(byHousehold.get(o.householdId) ?? []), o])

  const unitNumbers = [...new Set(households.map((h) => h.unit))].sort((a, b) => a - b)
  const units = unitNumbers.map((unit): MapUnit => {
    const mine = households.filter((h) => h.unit === unit)
    const top = Math.min(MAX_MAP_FLOORS, Math.max(...mine.map((h) => h.floor)))
    const suffixes = [...new Set(mine.map((h) => suffixOf(h.room)))].sort()
    const at = new Map(mine.map((h) => [`${h.floor}|${suffixOf(h.room)}`, h]))
    const floors = []
    for (let floor = top; floor >= 1; floor--) {
      const rooms = suffixes.map((sfx): MapRoom => {
        const h = at.get(`${floor}|${sfx}`)
        if (!h) {
          counts.grey++
          return { room: `${floor}${sfx}`, householdId: null, colour: 'grey', needs: [], orders: null }
        }
        const colour = colourOf(h.isolation)
        counts[colour]++
        return {
          room: h.room,
          householdId: h.id,
          colour,
          needs: h.specialNeeds.filter(isSpecialNeed).map(needShort),
          orders: ordersOf(byHousehold.get(h.id) ?? [], now),
        }
      })
      floors.push({ floor, rooms })
    }
    return { unit, floors }
  })
  return { units, counts }
}
