/**
 * The coordinator's figures and 回访 queue (件件有着落、事事有回音): what is waiting, in progress and
 * overdue now; what was placed, delivered and rated today (Beijing day); low ratings to call back.
 *
 * coord.stats reads, ≤ 100 at a time: the kept figures of settled days (one request); ONCE the
 * orders placed in the last RECENT_DAYS or since the oldest day not yet settled, whichever is longer
 * (today's counts, the open orders placed in that window, the deliveries and ratings of today and
 * the unsettled days' figures all come from that one read); and the open orders placed before it
 * (few: every one must be answered). So a call costs the same with 10k or 1M orders stored; it
 * grows with the orders of the last days. Deliveries and ratings made today on orders placed
 * before that window (a hand-over booked days ahead) are not in today's counts.
 * coord.followups reads the rated (confirmed) orders newest first up to FOLLOWUP_SCAN. Between two
 * pages of a read, other requests run first (order-pages.ts).
 */
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import { ACTIVE_STATUSES, type Order, type OrderStatus } from '../../core/order/types'
import { isPastDeadline, overdueSince } from '../../core/order/deadlines'
import { beijingDate, fromBeijing } from '../../core/time'
import type { CoordStats, Followups, OrderView } from '../../core/views'
import type { Deps } from '../deps'
import type { OrderQuery } from '../ports'
import { lastDays, ordersSince } from './figures'
import { eachOrder } from './order-pages'
import { toView, toViews } from './order-view'

/** Today's deliveries and ratings are looked for among the orders placed this many days back. */
const RECENT_DAYS = 2
/** How many of the newest confirmed orders the follow-up queue looks through. */
const FOLLOWUP_SCAN = 2000
const IN_PROGRESS: OrderStatus[] = ['claimed', 'delivering', 'at_door']

async function collect(deps: Deps, q: OrderQuery, keep: (o: Order) => 'take' | 'skip' | 'stop', max = Infinity): Promise<Order[]> {
  const out: Order[] = []
  let seen = 0
  await eachOrder(deps, q, (o) => {
    const k = keep(o)
    if (k === 'stop') return false
    if (k === 'take') out.push(o)
    return ++seen < max
  })
  return out
}

function communityOf(actor: Actor): string {
  return actor.coordinatorOf!
}

export async function coordStats(deps: Deps, actor: Actor): Promise<CoordStats> {
  const communityId = communityOf(actor)
  const now = deps.now()
  const dayStart = fromBeijing(beijingDate(now), 0)
  const recentFrom = dayStart - RECENT_DAYS * 24 * 3600_000
  // One read of the recent orders, shared by today's counts and the unsettled days' figures.
  let window: { from: number; orders: Promise<Order[]> } | null = null
  const read = (from: number): Promise<Order[]> => {
    if (!window || from < window.from) {
      const f = Math.min(from, recentFrom)
      window = { from: f, orders: ordersSince(deps, communityId, f) }
    }
    return window.orders
  }
  // The open orders placed in the window come with the window's read; only those placed before it
  // are read on their own (a backlog of waiting orders was read twice, and it is most of both reads).
  const [olderOpen, community, days] = await Promise.all([
    collect(deps, { communityId, statuses: [...ACTIVE_STATUSES], createdBefore: recentFrom }, () => 'take'),
    deps.store.communities.get(communityId),
    lastDays(deps, communityId, now, read),
  ])
  const placed = await read(recentFrom)
  const open = [...placed.filter((o) => o.createdAt >= recentFrom && ACTIVE_STATUSES.includes(o.status)), ...olderOpen]
  const today = placed.filter((o) => o.createdAt >= dayStart)
  // Ratings and deliveries happen today on orders placed earlier too: those of the window.
  const recent = placed.filter((o) => o.status === 'delivered' || o.status === 'confirmed')
  const at = (o: Order, event: string) => o.timeline.filter((t) => t.event === event).map((t) => t.at)
  const deliveredToday = recent.filter((o) => at(o, 'deliver').concat(at(o, 'disinfect_again')).some((t) => t >= dayStart)).length
  const ratedToday = recent.filter((o) => o.rating && at(o, 'rate').some((t) => t >= dayStart))
  const waiting = open.filter((o) => o.status === 'pending')
  const inProgress = open.filter((o) => IN_PROGRESS.includes(o.status))
  const overdue = open.filter((o) => isPastDeadline(o, now))
  const buildings = community?.buildings ?? []
  return {
    waiting: waiting.length,
    inProgress: inProgress.length,
    overdue: overdue.length,
    placedToday: today.length,
    deliveredToday,
    ratingAvg: ratedToday.length
      ? Math.round((ratedToday.reduce((n, o) => n + o.rating!.stars, 0) / ratedToday.length) * 10) / 10
      : null,
    ratingCount: ratedToday.length,
    followUpsOpen: recent.filter((o) => o.followUp && !o.followUpDone).length,
    byBuilding: buildings.map((b) => ({
      buildingId: b.id,
      building: b.name,
      waiting: waiting.filter((o) => o.address.buildingId === b.id).length,
      inProgress: inProgress.filter((o) => o.address.buildingId === b.id).length,
      overdue: overdue.filter((o) => o.address.buildingId === b.id).length,
    })),
    days,
  }
}

/** Low ratings not yet called back, then open orders past due (oldest due first). */
export async function coordFollowups(deps: Deps, actor: Actor): Promise<Followups> {
  const communityId = communityOf(actor)
  const now = deps.now()
  const [rated, open] = await Promise.all([
    collect(deps, { communityId, statuses: ['confirmed'] }, (o) => (o.followUp && !o.followUpDone ? 'take' : 'skip'), FOLLOWUP_SCAN),
    collect(deps, { communityId, statuses: [...ACTIVE_STATUSES] }, (o) => (isPastDeadline(o, now) ? 'take' : 'skip')),
  ])
  // Oldest first by the deadline they passed first (claim, then delivery).
  open.sort((a, b) => (overdueSince(a, now) ?? a.dueAt) - (overdueSince(b, now) ?? b.dueAt))
  const [ratedViews, overdueViews] = await Promise.all([toViews(deps, actor, rated), toViews(deps, actor, open)])
  return {
    items: [
      ...ratedViews.map((order) => ({ reason: 'low_rating' as const, order })),
      ...overdueViews.map((order) => ({ reason: 'overdue' as const, order })),
    ],
  }
}

/** coord.resolveFollowup: records the call-back on the order (compare-and-set on its version). */
export async function resolveFollowup(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.resolveFollowup'>): Promise<OrderView> {
  const order = await deps.store.orders.get(input.id)
  if (!order || order.communityId !== communityOf(actor)) throw new AppError('ORDER.NOT_FOUND')
  if (!order.followUp) throw new AppError('FOLLOWUP.NOT_NEEDED')
  if (order.followUpDone) throw new AppError('FOLLOWUP.ALREADY_DONE')
  const now = deps.now()
  const next: Order = {
    ...order,
    followUpDone: { at: now, by: { id: actor.id, name: actor.name, role: 'coordinator' }, note: input.note },
    updatedAt: now,
    version: order.version + 1,
  }
  if (!(await deps.store.orders.update(next, { status: order.status, version: order.version }))) {
    const again = await deps.store.orders.get(input.id)
    throw new AppError(again?.followUpDone ? 'FOLLOWUP.ALREADY_DONE' : 'ORDER.CONFLICT')
  }
  deps.log.info('followup.resolved', { order: order.id })
  return toView(deps, actor, next)
}
