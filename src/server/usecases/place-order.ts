/** order.place: a resident orders for their household, or a squad member for one (代下单). */
import type { Actor } from '../../core/actor'
import { communityCatalog, findItem, MEDICINE_ITEM_ID, type CatalogCategory } from '../../core/catalog'
import type { ParsedInputOf } from '../../core/contract'
import { AppError, type FieldErrors } from '../../core/errors'
import { DEFAULT_PARCEL_HOLD_MINUTES } from '../../core/order/protocol'
import { effectiveDeadlines, mealTime, orderDeadlines } from '../../core/order/schedule'
import { withWatch } from '../../core/order/deadlines'
import type { MealRequest, Order, OrderLine, PersonRef } from '../../core/order/types'
import type { OrderView } from '../../core/views'
import type { Deps } from '../deps'
import { publishOrderChange } from '../live/bus'
import { orderIdFor } from '../ids'
import { planOrderOutbox } from '../notify/plan'
import { toView } from './order-view'

const HANDOVER_EARLIEST_MS = 60 * 60 * 1000
const HANDOVER_LATEST_MS = 3 * 24 * 60 * 60 * 1000

export async function placeOrder(deps: Deps, actor: Actor, input: ParsedInputOf<'order.place'>): Promise<OrderView> {
  const now = deps.now()
  const householdId = input.householdId ?? soleHousehold(actor)
  const household = await deps.store.households.get(householdId)
  const isMember = actor.households.includes(householdId)
  const isProxy = !isMember && household !== null && actor.squadOf === household.communityId
  if (!household || (!isMember && !isProxy)) throw new AppError('HOUSEHOLD.NOT_MEMBER')

  // Idempotency: the same submission returns the first order, whatever changed since.
  const id = orderIdFor(actor.id, input.requestId)
  const existing = await deps.store.orders.get(id)
  if (existing) return toView(deps, actor, existing)

  const community = await deps.store.communities.get(household.communityId)
  const lines = resolveLines(input.lines, communityCatalog(community ?? {}))
  let meal: MealRequest | undefined
  let mealAt: number | undefined
  if (input.kind === 'meal' && input.meal) {
    const t = mealTime(now, input.meal.day, input.meal.slot, input.meal.time)
    mealAt = t.at
    meal = { dish: input.meal.dish, date: t.date, slot: input.meal.slot, at: t.at, dietary: input.meal.dietary }
  }
  if (input.kind === 'handover' && input.handover) {
    const at = input.handover.expectedAt
    if (at < now - HANDOVER_EARLIEST_MS || at > now + HANDOVER_LATEST_MS) {
      throw new AppError('REQUEST.INVALID_INPUT', { fields: { 'handover.expectedAt': '送达时间应在今后三天内' } })
    }
  }
  const holdMs = (community?.parcelHoldMinutes ?? DEFAULT_PARCEL_HOLD_MINUTES) * 60_000
  const building = community?.buildings.find((b) => b.id === household.buildingId)

  // Both deadlines from the community's settings (coord.setDeadlines), fixed at placement.
  const deadlines = orderDeadlines(now, input.kind, input.urgency, input.window, effectiveDeadlines(community?.deadlines), {
    mealAt,
    handoverAt: input.handover?.expectedAt,
    holdMs,
  })
  const placedBy: PersonRef = { id: actor.id, name: actor.name, role: isMember ? 'resident' : 'squad' }
  const order: Order = withWatch({
    id,
    communityId: household.communityId,
    householdId: household.id,
    address: {
      buildingId: household.buildingId,
      building: building?.name ?? household.building,
      unit: household.unit,
      floor: household.floor,
      room: household.room,
    },
    kind: input.kind,
    status: 'pending',
    urgency: input.urgency,
    ...(input.urgency === 'urgent' && input.urgentReason ? { urgentReason: input.urgentReason } : {}),
    lines: input.kind === 'supplies' ? lines : [],
    ...(meal ? { meal } : {}),
    ...(input.kind === 'handover' && input.handover ? { handover: input.handover } : {}),
    window: input.window,
    notes: input.notes,
    requestId: input.requestId,
    placedBy,
    holder: null,
    partner: null,
    protocol: [],
    followUp: false,
    dueAt: deadlines.deliverBy,
    claimDueAt: deadlines.claimBy,
    timeline: [{ at: now, event: 'place', by: placedBy, ...(isProxy ? { note: '社工代下单' } : {}) }],
    createdAt: now,
    updatedAt: now,
    version: 1,
  })
  const outbox = await planOrderOutbox(deps, order, 'place', actor.id)
  const { order: stored, created } = await deps.store.orders.insert(order, outbox)
  if (created) deps.log.info('order.placed', { order: stored.id, kind: stored.kind, urgency: stored.urgency, proxy: isProxy })
  if (created && outbox.length > 0) deps.notify?.kick()
  if (created) publishOrderChange(deps, stored)
  return toView(deps, actor, stored)
}

function soleHousehold(actor: Actor): string {
  if (actor.households.length === 1) return actor.households[0]!
  if (actor.households.length === 0) throw new AppError('HOUSEHOLD.NONE_BOUND')
  throw new AppError('REQUEST.INVALID_INPUT', { fields: { householdId: '请选择为哪一户下单' } })
}

function resolveLines(input: ParsedInputOf<'order.place'>['lines'], catalog: readonly CatalogCategory[]): OrderLine[] {
  const fields: FieldErrors = {}
  const seen = new Set<string>()
  const lines: OrderLine[] = []
  input.forEach((l, i) => {
    const item = findItem(catalog, l.itemId)
    if (!item) {
      fields[`lines.${i}.itemId`] = '没有这种物品，请从清单里选'
      return
    }
    if (item.soldOut) {
      fields[`lines.${i}.itemId`] = `${item.name}暂时缺货，请先选别的`
      return
    }
    if (item.freeName && !l.name) {
      fields[`lines.${i}.name`] = item.id === 'medicine' ? '请写明药品名称' : '请写明要什么'
      return
    }
    if (l.photo && item.id !== MEDICINE_ITEM_ID) {
      fields[`lines.${i}.photo`] = '只有药品可以附药盒照片'
      return
    }
    const key = item.freeName ? `${item.id}:${l.name}` : item.id
    if (seen.has(key)) {
      fields[`lines.${i}.itemId`] = `${item.freeName ? l.name : item.name}重复了，请合并数量`
      return
    }
    seen.add(key)
    lines.push({
      itemId: item.id,
      name: item.freeName ? l.name! : item.name,
      unit: l.unit ?? item.unit,
      qty: l.qty,
      ...(l.note ? { note: l.note } : {}),
      ...(item.id === MEDICINE_ITEM_ID && l.prescription ? { prescription: true } : {}),
      ...(l.photo ? { photo: l.photo } : {}),
    })
  })
  if (Object.keys(fields).length > 0) throw new AppError('REQUEST.INVALID_INPUT', { fields })
  return lines
}
