/**
 * order.repeat (再来一单): places a new order for the same household with the same kind, urgency
 * (and its reason), delivery window, notes and lines, through placeOrder, so every rule of
 * order.place applies (membership or proxy, catalog, validation) and requestId makes it idempotent.
 *
 * Refused (ORDER.NOT_REPEATABLE) rather than guessed:
 * - meals: "today / tomorrow" and the slot are relative to when they were ordered, and the dish may
 *   be off the menu; a repeat would have to pick a day for the resident;
 * - handovers: expectedAt is an absolute time, already past; only the family knows the next one;
 * - orders with a line whose catalog item no longer exists: the message names them, and no
 *   partial order is placed.
 * The page should send these residents to the order form.
 *
 * The resident's app no longer calls this: its 再来一单 opens the order form filled from the old order
 * (resident/pages/order/form.ts formFromOrder: 普通, no 加急 reason) for review. It stays for
 * callers that use it.
 */
import * as v from 'valibot'
import type { Actor } from '../../core/actor'
import { communityCatalog, findItem, UNITS, type Unit } from '../../core/catalog'
import type { InputOf, ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import { canView } from '../../core/order/policy'
import type { Order } from '../../core/order/types'
import { PlaceOrderInput } from '../../core/schemas'
import type { OrderView } from '../../core/views'
import type { Deps } from '../deps'
import { orderIdFor } from '../ids'
import { placeOrder } from './place-order'
import { toView } from './order-view'

const NOT_REPEATABLE_KIND: Partial<Record<Order['kind'], string>> = {
  meal: '送餐要重新选择饭菜和用餐时间，请重新下单',
  handover: '家属送物要重新填写送达时间，请重新下单',
}

export async function repeatOrder(deps: Deps, actor: Actor, input: ParsedInputOf<'order.repeat'>): Promise<OrderView> {
  const source = await deps.store.orders.get(input.id)
  // An order the caller may not see does not exist for them.
  if (!source || !canView(actor, source)) throw new AppError('ORDER.NOT_FOUND')
  // Only the household's own member, or the squad member who placed it for them (代下单), repeats it.
  // Anyone else of the squad sees the order without its door; a repeat placed in their name would
  // hand them that door with the order's lines and notes (and order for a household not theirs).
  // (A coordinator is refused by placeOrder: HOUSEHOLD.NOT_MEMBER.)
  const member = actor.households.includes(source.householdId)
  if (!member && actor.squadOf === source.communityId && source.placedBy.id !== actor.id) {
    throw new AppError('AUTH.FORBIDDEN', { message: '只能为自己家，或自己代下过单的住户再来一单' })
  }

  // A retried repeat returns the first one, whatever changed since (as order.place does).
  const existing = await deps.store.orders.get(orderIdFor(actor.id, input.requestId))
  if (existing) return toView(deps, actor, existing)

  const kindProblem = NOT_REPEATABLE_KIND[source.kind]
  if (kindProblem) throw new AppError('ORDER.NOT_REPEATABLE', { message: kindProblem })
  const catalog = communityCatalog((await deps.store.communities.get(source.communityId)) ?? {})
  const gone = source.lines.filter((l) => !findItem(catalog, l.itemId)).map((l) => l.name)
  if (gone.length > 0) {
    throw new AppError('ORDER.NOT_REPEATABLE', {
      message: `「${gone.join('、')}」已不在物品清单里，请重新下单`,
      details: { missing: gone.join('、') },
    })
  }

  const raw: InputOf<'order.place'> = {
    requestId: input.requestId,
    householdId: source.householdId,
    kind: source.kind,
    urgency: source.urgency,
    ...(source.urgentReason ? { urgentReason: source.urgentReason } : {}),
    lines: source.lines.map((l) => {
      const item = findItem(catalog, l.itemId)!
      return {
        itemId: l.itemId,
        qty: l.qty,
        ...((UNITS as readonly string[]).includes(l.unit) ? { unit: l.unit as Unit } : {}),
        ...(item.freeName ? { name: l.name } : {}),
        ...(l.note ? { note: l.note } : {}),
        ...(l.prescription ? { prescription: true } : {}),
        ...(l.photo ? { photo: l.photo } : {}),
      }
    }),
    window: source.window,
    notes: source.notes,
  }
  // Today's rules for today's order: an old order that no longer passes them is not repeated blindly.
  const parsed = v.safeParse(PlaceOrderInput, raw)
  if (!parsed.success) throw new AppError('ORDER.NOT_REPEATABLE')
  return placeOrder(deps, actor, parsed.output)
}
