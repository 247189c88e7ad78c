/**
 * Retention (core/retention.ts), run by the timer jobs (notify/jobs.ts): households released from
 * isolation whose end date lies the community's retention days behind are anonymised, at most
 * `batch` households a run. Idempotent and safe to interrupt: a household is marked anonymised
 * (`anonymisedAt`) only after its orders, messages and people are done, so a run that stops
 * part-way is finished by the next; each step writes the same result when repeated.
 *
 * For one household: its orders (names, notes, comments; counts and times kept, so figures and the
 * ledger count as before), the messages about those orders (notifications and inbox items), the
 * people bound to it (unbound; a person left with no household and no role loses name and phone),
 * then the audit entry (as 系统, one per household: its id is fixed) and the household itself.
 */
import {
  ANONYMISED,
  ANONYMISED_MESSAGE,
  anonymisedHousehold,
  anonymisedOrder,
  retentionCutoff,
  retentionDaysOf,
} from '../../core/retention'
import type { Order } from '../../core/order/types'
import { SYSTEM_ACTOR } from '../../core/audit'
import type { Deps } from '../deps'
import { MAX_PAGE, type Household } from '../ports'

export interface RetentionRun {
  households: number
  orders: number
  messages: number
  people: number
}

export const RETENTION_BATCH = 20
/** Compare-and-set rounds per order before leaving it to the next run (someone else keeps writing it). */
const ORDER_ROUNDS = 5

export async function runRetention(deps: Deps, opts: { batch?: number } = {}): Promise<RetentionRun> {
  const run: RetentionRun = { households: 0, orders: 0, messages: 0, people: 0 }
  let left = opts.batch ?? RETENTION_BATCH
  let after: string | null = null
  while (left > 0) {
    const communities = await deps.store.retention.communities(after, MAX_PAGE)
    for (const community of communities) {
      if (left <= 0) break
      const days = retentionDaysOf(community)
      const due = await deps.store.retention.dueHouseholds(community.id, retentionCutoff(deps.now(), days), left)
      for (const h of due) {
        left--
        if (await anonymiseHousehold(deps, h, days, run)) run.households++
      }
    }
    if (communities.length < MAX_PAGE) break
    after = communities[communities.length - 1]!.id
  }
  if (run.households > 0) deps.log.info('retention.anonymised', { ...run })
  return run
}

async function anonymiseHousehold(deps: Deps, h: Household, days: number, run: RetentionRun): Promise<boolean> {
  // Embedded outboxes (CloudBase) go to the queue first, so the scrub below reaches them.
  await deps.store.notifications.relay(deps.now())
  const orderIds: string[] = []
  let cursor: string | null = null
  let complete = true
  do {
    const page = await deps.store.orders.list({ householdIds: [h.id], limit: MAX_PAGE, cursor })
    for (const o of page.items) {
      orderIds.push(o.id)
      const r = await anonymiseOrder(deps, o)
      if (r === 'lost') complete = false
      if (r === 'written') run.orders++
    }
    cursor = page.next
  } while (cursor)
  run.messages += await deps.store.retention.scrubMessages(orderIds, ANONYMISED_MESSAGE)
  for (const p of await deps.store.people.listByHousehold(h.id)) {
    const households = p.households.filter((id) => id !== h.id)
    const alone = households.length === 0 && p.squadOf === null && p.coordinatorOf === null && !p.squadFormerOf
    await deps.store.people.put({ ...p, households, ...(alone ? { name: ANONYMISED, phone: '' } : {}) })
    run.people++
  }
  if (!complete) return false
  const door = `${h.building}${h.unit}单元${h.room}`
  await deps.store.audit.append({
    id: `anon-${h.id}-${h.endDate ?? ''}`,
    communityId: h.communityId,
    createdAt: deps.now(),
    actorId: SYSTEM_ACTOR.id,
    actorName: SYSTEM_ACTOR.name,
    action: 'retention.anonymise',
    kind: 'register',
    target: { kind: 'household', id: h.id },
    summary: `${door} 解除隔离满 ${days} 天，已清除姓名、电话和备注（${orderIds.length} 单订单保留计数）`,
  })
  await deps.store.households.put(anonymisedHousehold(h, deps.now()))
  return true
}

async function anonymiseOrder(deps: Deps, first: Order): Promise<'written' | 'same' | 'lost'> {
  let o: Order | null = first
  for (let round = 0; round < ORDER_ROUNDS && o; round++) {
    const next = anonymisedOrder(o)
    if (JSON.stringify(next) === JSON.stringify(o)) return 'same'
    if (await deps.store.orders.update({ ...next, version: o.version + 1 }, { status: o.status, version: o.version })) return 'written'
    o = await deps.store.orders.get(o.id)
  }
  return o ? 'lost' : 'same'
}

