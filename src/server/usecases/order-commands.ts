/**
 * Every status change goes through runCommand: read → decide (pure) → compare-and-set write.
 * A lost race re-reads and decides again, so the loser of a claim hears who won.
 */
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import { decide, evolve, type OrderCommand } from '../../core/order/decide'
import { canView } from '../../core/order/policy'
import { isResend } from '../../core/order/resend'
import type { Order } from '../../core/order/types'
import type { OrderView } from '../../core/views'
import type { Deps } from '../deps'
import { publishOrderChange } from '../live/bus'
import { planOrderOutbox } from '../notify/plan'
import { toView } from './order-view'

const MAX_ATTEMPTS = 5

/**
 * read → decide → evolve → compare-and-set, retried on a lost race. `command` may depend on the
 * order as read (e.g. 指派 a waiting order, 改派 a claimed one), so it is re-chosen on every attempt.
 */
export async function runCommand(
  deps: Deps,
  actor: Actor,
  id: string,
  command: OrderCommand | ((order: Order) => OrderCommand),
  /** An idempotent resend: when true for the order as read, answer it as it is (no write, no notification). */
  unchanged?: (order: Order) => boolean,
): Promise<OrderView> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const order = await deps.store.orders.get(id)
    // An order the caller may not see does not exist for them.
    if (!order || !canView(actor, order)) throw new AppError('ORDER.NOT_FOUND')
    if (unchanged?.(order)) return toView(deps, actor, order)
    const cmd = typeof command === 'function' ? command(order) : command
    // A resend of what the order already shows from this caller: answered as it is (core/order/resend.ts).
    if (isResend(order, cmd, actor)) return toView(deps, actor, order)
    const event = decide(order, cmd, actor, deps.now())
    const next = evolve(order, event)
    // The notifications this change produces are written with it, atomically (core/notify/events.ts).
    const outbox = await planOrderOutbox(deps, next, event.type, actor.id)
    if (await deps.store.orders.update(next, { status: order.status, version: order.version }, outbox)) {
      deps.log.info('order.' + event.type, { order: id, from: event.from, to: event.to })
      if (outbox.length > 0) deps.notify?.kick()
      publishOrderChange(deps, next)
      return toView(deps, actor, next)
    }
  }
  throw new AppError('ORDER.CONFLICT')
}

export const cancelOrder = (d: Deps, a: Actor, i: ParsedInputOf<'order.cancel'>) =>
  runCommand(d, a, i.id, i.reason ? { type: 'cancel', reason: i.reason } : { type: 'cancel' })
export const confirmOrder = (d: Deps, a: Actor, i: ParsedInputOf<'order.confirm'>) => runCommand(d, a, i.id, { type: 'confirm' })
export const rateOrder = (d: Deps, a: Actor, i: ParsedInputOf<'order.rate'>) =>
  runCommand(d, a, i.id, { type: 'rate', stars: i.stars, comment: i.comment })
export const claimOrder = (d: Deps, a: Actor, i: ParsedInputOf<'order.claim'>) => runCommand(d, a, i.id, { type: 'claim' })
export const releaseOrder = (d: Deps, a: Actor, i: ParsedInputOf<'order.release'>) =>
  runCommand(d, a, i.id, { type: 'release', reason: i.reason })
export const advanceOrder = (d: Deps, a: Actor, i: ParsedInputOf<'order.advance'>) => runCommand(d, a, i.id, { type: i.event })
export const deliverOrder = (d: Deps, a: Actor, i: ParsedInputOf<'order.deliver'>) =>
  runCommand(d, a, i.id, { type: 'deliver', outcome: i.outcome, missing: i.missing })
