/**
 * The timer job's overdue escalation (件件有着落): every minute, the open orders of ALL communities
 * whose next deadline has come (orders.listDue: one bounded, indexed read of at most MAX_PAGE) get
 * their flag — claimOverdueAt (nobody claimed it in time) or deliverOverdueAt (not at the door in
 * time) — written with compare-and-set on status and version, together with the notifications:
 * an inbox message to each coordinator of the community and a post to the staff group (robot,
 * COORDINATORS_SCOPE; building, unit, kind and status only, checked by the privacy guard before it
 * is posted). Only the write that sets a flag carries them, and their ids are derived from
 * (order, deadline, recipient): each coordinator hears once per order and deadline, however many
 * instances run the job. A lost race re-reads the order and decides again.
 *
 * Reads per minute: listDue (1 request), plus, per community with a newly overdue order, its
 * coordinators (1 request, cached for the run); per order flagged: the write (and a re-read on a lost race).
 */
import { overdueInboxMessage, overdueText } from '../../core/notify/texts'
import { COORDINATORS_SCOPE, type Notification } from '../../core/notify/types'
import { deadlineOf, escalate, rewatch, type Deadline } from '../../core/order/deadlines'
import type { Order } from '../../core/order/types'
import type { Deps } from '../deps'
import { publishOrderChange } from '../live/bus'
import { MAX_PAGE } from '../ports'
import { newNotification } from './plan'

const MAX_ATTEMPTS = 3

/** The notifications for `order` (already flagged) having passed `deadlines` at `now`. */
export function overdueOutbox(order: Order, deadlines: readonly Deadline[], coordinatorIds: readonly string[], now: number): Notification[] {
  const { building, unit } = order.address
  const out: Notification[] = []
  for (const d of deadlines) {
    const late = now - deadlineOf(order, d)
    const base = { communityId: order.communityId, kind: 'overdue' as const, orderId: order.id, at: now }
    out.push(
      newNotification({
        ...base,
        key: `overdue:${order.id}:${d}:robot:${COORDINATORS_SCOPE}`,
        channel: 'robot',
        to: COORDINATORS_SCOPE,
        body: overdueText(building, unit, order.kind, order.status, late, d),
      }),
    )
    const msg = overdueInboxMessage(building, unit, order.kind, order.status, late, d)
    for (const id of coordinatorIds) {
      out.push(newNotification({ ...base, key: `overdue:${order.id}:${d}:inbox:${id}`, channel: 'inbox', to: id, title: msg.title, body: msg.body }))
    }
  }
  return out
}

/** Flags what is overdue now; returns how many notifications were queued. */
export async function escalateOverdue(deps: Deps, now: number): Promise<number> {
  const due = await deps.store.orders.listDue(now, MAX_PAGE)
  if (due.length === 0) return 0
  const coordinators = new Map<string, string[]>()
  const coordinatorsOf = async (communityId: string) => {
    let ids = coordinators.get(communityId)
    if (!ids) {
      ids = (await deps.store.people.listCoordinators(communityId)).map((p) => p.id)
      coordinators.set(communityId, ids)
    }
    return ids
  }
  let queued = 0
  for (const first of due) {
    let order: Order | null = first
    for (let attempt = 0; order && attempt < MAX_ATTEMPTS; attempt++) {
      const expect = { status: order.status, version: order.version }
      const esc = escalate(order, now)
      if (!esc) {
        // Watched too early (e.g. stored before its watch moved): move the watch, nobody is told.
        const moved = rewatch(order)
        if (!moved || (await deps.store.orders.update(moved, expect))) break
      } else {
        const outbox = overdueOutbox(esc.next, esc.flagged, await coordinatorsOf(order.communityId), now)
        if (await deps.store.orders.update(esc.next, expect, outbox)) {
          queued += outbox.length
          deps.log.info('order.overdue', { order: order.id, deadlines: esc.flagged.join('+'), notices: outbox.length })
          publishOrderChange(deps, esc.next)
          break
        }
      }
      // Lost a race (a claim, another instance): read again and decide again.
      order = await deps.store.orders.get(order.id)
    }
  }
  return queued
}
