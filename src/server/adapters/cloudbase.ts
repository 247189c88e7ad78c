/**
 * WeChat Cloud Development adapter: the Store port over the cloud database as wx-server-sdk
 * exposes it (see cloud-db.ts for the subset used and the service's behaviour it relies on).
 *
 * A record is the domain object with `id` stored as `_id`. Same semantics as adapters/sqlite.ts,
 * checked by tests/store.contract.test.ts through the real wx-server-sdk (tests/support/wx-sdk-db.ts):
 * - orders.insert is idempotent on id (add with `_id`; a rejected add whose record exists is a duplicate);
 * - orders.update is one conditional `where({ _id, status, version }).update()`: no read-modify-write;
 * - every read asks for at most 100 records (MAX_PAGE), the service's own per-request ceiling, and
 *   reads of orders leave the embedded outbox out (a projection); collection names and the indexes
 *   serving each query are in cloud/manifest.ts.
 */
import type { Order } from '../../core/order/types'
import {
  clampLimit,
  MAX_PAGE,
  type AttemptCount,
  type Community,
  type Household,
  type OrderQuery,
  type Page,
  type Person,
  type SquadInvite,
  type Store,
  type BoardPage,
  type BoardQuery,
} from '../ports'
import { COLLECTIONS } from '../cloud/manifest'
import type { CloudDb, CloudDocData, UpdateData, WhereCondition } from './cloud-db'
import { openCloudNotify, ORDER_WITHOUT_OUTBOX as WITHOUT_OUTBOX } from './cloudbase-notify'
import { BOARD_SEGMENTS, boardAt, boardCursorAfter, decodeBoardCursor } from '../../core/order/board-page'
import { cloudRecords, fromDoc, toData, toDoc } from './cloudbase-records'
import { openCloudFigures } from './cloudbase-figures'
import { openCloudSetup } from './cloudbase-setup'
import { openCloudRegister } from './cloudbase-register'
import { openCloudCampaigns } from './cloudbase-campaigns'
import { openCloudAudit } from './cloudbase-audit'
import { openCloudRetention } from './cloudbase-retention'

const { orders: ORDERS, households: HOUSEHOLDS, people: PEOPLE, communities: COMMUNITIES, invites: INVITES } = COLLECTIONS
/**
 * Attempt counters: one record per (key, bucket) with fields key, bucket, count; `_id` is
 * `${key}_${bucket}` (the bucket is a number, so the last `_` splits it and ids never collide).
 */
const ATTEMPTS = COLLECTIONS.attempts

/**
 * An order record also carries `boardAt` (core/order/board-page.ts), written with every insert and
 * update so the board's index (manifest.ts orders `board`) can serve it; reads leave it out.
 */
const ORDER_WITHOUT_OUTBOX = { ...WITHOUT_OUTBOX, boardAt: false }

type OptionalKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T]

/**
 * Every optional field of Order. An update must delete the ones `next` lacks (update merges, it
 * does not replace); the Record type makes this list fail to compile when Order gains or loses one.
 */
const ORDER_OPTIONAL_FIELDS: Record<OptionalKeys<Order>, true> = {
  urgentReason: true,
  meal: true,
  handover: true,
  outcome: true,
  missing: true,
  rating: true,
  protocol: true,
  parcelArrivedAt: true,
  disinfectedAt: true,
  deliverableAt: true,
  duplicateOf: true,
  followUpDone: true,
  sealPhoto: true,
  claimDueAt: true,
  claimOverdueAt: true,
  deliverOverdueAt: true,
  watchAt: true,
}

function inviteFromDoc(doc: CloudDocData): SquadInvite {
  const { _id: _ignored, ...rest } = doc
  return rest as unknown as SquadInvite
}

export function openCloudbase(db: CloudDb): Store {
  const _ = db.command
  const records = cloudRecords(db)
  // Notifications; an order's outbox is embedded in the order document (see cloudbase-notify.ts).
  const notify = openCloudNotify(db)
  const getOrder = async (id: string): Promise<Order | null> => {
    const doc = await records.getDoc(ORDERS, id, ORDER_WITHOUT_OUTBOX)
    return doc ? fromDoc<Order>(doc) : null
  }

  async function getById<T>(collection: string, id: string): Promise<T | null> {
    const doc = await records.getDoc(collection, id)
    return doc ? fromDoc<T>(doc) : null
  }

  async function getInvite(code: string): Promise<SquadInvite | null> {
    const doc = await records.getDoc(INVITES, code)
    return doc ? inviteFromDoc(doc) : null
  }

  function orderUpdateData(next: Order): UpdateData {
    const data: UpdateData = {}
    for (const [key, value] of Object.entries(toData(next))) {
      if (value === undefined) continue
      // Objects and arrays replace the stored value wholesale; a plain object would be merged into it.
      data[key] = value !== null && typeof value === 'object' ? _.set(value) : value
    }
    for (const key of Object.keys(ORDER_OPTIONAL_FIELDS) as (keyof Order)[]) {
      if (next[key] === undefined) data[key] = _.remove()
    }
    data.boardAt = boardAt(next)
    return data
  }

  async function listAttempts(key: string, since: number): Promise<AttemptCount[]> {
    const { data } = await db
      .collection(ATTEMPTS)
      .where({ key, bucket: _.gte(since) })
      .field({ bucket: true, count: true })
      .orderBy('bucket', 'desc')
      .limit(MAX_PAGE)
      .get()
    return data.map((d) => ({ bucket: d.bucket as number, count: d.count as number })).reverse()
  }

  /**
   * `count: _.inc(delta)` on the record if it exists (atomic on the server); else create it with
   * `add`, whose duplicate-key rejection means a concurrent first hit created it: increment that.
   */
  async function addAttempt(key: string, bucket: number, delta: number): Promise<void> {
    if (delta === 0) return
    const _id = `${key}_${bucket}`
    for (let round = 0; round < 3; round++) {
      const res = await db.collection(ATTEMPTS).where({ _id }).update({ data: { count: _.inc(delta) } })
      if (res.stats.updated === 1) return
      if (await records.addIfAbsent(ATTEMPTS, _id, { key, bucket, count: delta })) return
    }
    throw new Error('attempt counter: neither update nor add took effect')
  }

  return {
    orders: {
      async insert(order, outbox = []) {
        try {
          await db.collection(ORDERS).add({ data: { ...toDoc(order), boardAt: boardAt(order), ...notify.outboxForInsert(outbox) } })
          return { order, created: true }
        } catch (err) {
          // The duplicate-key rejection shares its errCode with other failures: look, don't parse.
          const existing = await getOrder(order.id)
          if (existing) return { order: existing, created: false }
          throw err
        }
      },
      get(id) {
        return getOrder(id)
      },
      async update(next, expect, outbox = []) {
        const res = await db
          .collection(ORDERS)
          .where({ _id: next.id, status: expect.status, version: expect.version })
          .update({ data: { ...orderUpdateData(next), ...notify.outboxForUpdate(outbox) } })
        return res.stats.updated === 1
      },
      async list(q: OrderQuery): Promise<Page<Order>> {
        if (q.householdIds?.length === 0 || q.statuses?.length === 0) return { items: [], next: null }
        const base: Record<string, unknown> = {}
        if (q.communityId !== undefined) base.communityId = q.communityId
        if (q.householdIds !== undefined) base.householdId = _.in(q.householdIds)
        if (q.statuses !== undefined) base.status = _.in(q.statuses)
        const conds: WhereCondition[] = Object.keys(base).length ? [base] : []
        if (q.holderId !== undefined) conds.push(_.or([{ 'holder.id': q.holderId }, { 'partner.id': q.holderId }]))
        if (q.createdFrom !== undefined || q.createdBefore !== undefined) {
          const range = [
            ...(q.createdFrom !== undefined ? [_.gte(q.createdFrom)] : []),
            ...(q.createdBefore !== undefined ? [_.lt(q.createdBefore)] : []),
          ]
          conds.push({ createdAt: range.length === 1 ? range[0]! : _.and(range) })
        }
        return records.newestFirst<Order>(ORDERS, conds, q, ORDER_WITHOUT_OUTBOX)
      },
      async board(q: BoardQuery): Promise<BoardPage> {
        // Index `board` (manifest.ts): communityId, status, urgency, then boardAt and _id ascending.
        const limit = clampLimit(q.limit)
        const cursor = decodeBoardCursor(q.cursor)
        const asOf = cursor?.asOf ?? q.now
        const base = { communityId: q.communityId, status: 'pending' }
        const docs: CloudDocData[] = []
        for (const seg of BOARD_SEGMENTS) {
          if (cursor && seg.segment < cursor.segment) continue
          let after = cursor && seg.segment === cursor.segment ? { boardAt: cursor.boardAt, id: cursor.id } : null
          // Reads on in this segment while it fills whole requests (≤ 100 each) and the page wants more.
          while (docs.length <= limit) {
            const conds: WhereCondition[] = [{ ...base, urgency: seg.urgency, boardAt: seg.overdue ? _.lte(asOf) : _.gt(asOf) }]
            if (after) conds.push(_.or([{ boardAt: _.gt(after.boardAt) }, { boardAt: after.boardAt, _id: _.gt(after.id) }]))
            const n = Math.min(MAX_PAGE, limit + 1 - docs.length)
            const { data } = await records
              .query(ORDERS, conds)
              .orderBy('boardAt', 'asc')
              .orderBy('_id', 'asc')
              .field(ORDER_WITHOUT_OUTBOX)
              .limit(n)
              .get()
            docs.push(...data)
            const tail = data[data.length - 1]
            if (data.length < n || !tail) break
            after = { boardAt: boardAt(fromDoc<Order>(tail)), id: tail._id as string }
          }
        }
        const items = docs.slice(0, limit).map((d) => fromDoc<Order>(d))
        const last = items[items.length - 1]
        const overdueOf = (urgency: string) => db.collection(ORDERS).where({ ...base, urgency, boardAt: _.lte(asOf) }).count()
        const [total, urgent, normal] = await Promise.all([db.collection(ORDERS).where(base).count(), overdueOf('urgent'), overdueOf('normal')])
        return { items, next: docs.length > limit && last ? boardCursorAfter(last, asOf) : null, total: total.total, overdue: urgent.total + normal.total }
      },
      async listDue(now, limit) {
        // Index orders_watch (manifest.ts): status (the open ones), then watchAt ascending.
        const { data } = await db
          .collection(ORDERS)
          .where({ watchAt: _.lte(now), status: _.in(['pending', 'claimed', 'delivering', 'at_door']) })
          .orderBy('watchAt', 'asc')
          .field(ORDER_WITHOUT_OUTBOX)
          .limit(clampLimit(limit))
          .get()
        return data.map((d) => fromDoc<Order>(d))
      },
    },
    households: {
      get(id) {
        return getById<Household>(HOUSEHOLDS, id)
      },
      async findByCode(code) {
        const { data } = await db.collection(HOUSEHOLDS).where({ code }).limit(1).get()
        return data[0] ? fromDoc<Household>(data[0]) : null
      },
      async findByBadge(badge) {
        const { data } = await db.collection(HOUSEHOLDS).where({ badge }).limit(1).get()
        return data[0] ? fromDoc<Household>(data[0]) : null
      },
      async listByCommunity(communityId, page = {}) {
        const fetch = async (after: string | null, n: number) => {
          const where = after ? { communityId, _id: _.gt(after) } : { communityId }
          const res = await db.collection(HOUSEHOLDS).where(where).orderBy('_id', 'asc').limit(n).get()
          return res.data
        }
        const { docs, more } = await records.fetchPage(fetch, page.cursor || null, clampLimit(page.limit), (d) => d._id as string)
        const items = docs.map((d) => fromDoc<Household>(d))
        const last = items[items.length - 1]
        return { items, next: more && last ? last.id : null }
      },
      async put(h) {
        await db.collection(HOUSEHOLDS).doc(h.id).set({ data: toData(h) })
      },
    },
    register: openCloudRegister(db),
    people: {
      get(id) {
        return getById<Person>(PEOPLE, id)
      },
      async listByHousehold(householdId) {
        // `households` is an array: equality matches records whose array contains the id.
        return (await records.listAll(PEOPLE, { households: householdId })).map((d) => fromDoc<Person>(d))
      },
      async listSquad(communityId) {
        return (await records.listAll(PEOPLE, { squadOf: communityId })).map((d) => fromDoc<Person>(d))
      },
      async listFormerSquad(communityId) {
        const people: Person[] = []
        let after: string | null = null
        for (;;) {
          const where: WhereCondition = after ? { squadFormerOf: communityId, _id: _.gt(after) } : { squadFormerOf: communityId }
          const { data } = await db.collection(PEOPLE).where(where).orderBy('_id', 'asc').limit(MAX_PAGE).get()
          people.push(...data.map((d) => fromDoc<Person>(d)))
          if (data.length < MAX_PAGE) return people
          after = data[data.length - 1]!._id as string
        }
      },
      async listCoordinators(communityId) {
        // A community has a handful of coordinators: one page (MAX_PAGE) is all of them.
        const { data } = await db.collection(PEOPLE).where({ coordinatorOf: communityId }).orderBy('_id', 'asc').limit(MAX_PAGE).get()
        return data.map((d) => fromDoc<Person>(d))
      },
      async put(p) {
        await db.collection(PEOPLE).doc(p.id).set({ data: toData(p) })
      },
    },
    invites: {
      insert(i) {
        return records.addIfAbsent(INVITES, i.code, { ...i })
      },
      get: getInvite,
      async use(code, personId, now) {
        // Compare-and-set in one conditional update: unused and unexpired, or nothing changes.
        const res = await db
          .collection(INVITES)
          .where({ _id: code, usedBy: null, expiresAt: _.gt(now) })
          .update({ data: { usedBy: personId, usedAt: now } })
        return res.stats.updated === 1
      },
      async listByCommunity(communityId, limit) {
        const { data } = await db
          .collection(INVITES)
          .where({ communityId })
          .orderBy('createdAt', 'desc')
          .orderBy('_id', 'desc')
          .limit(clampLimit(limit))
          .get()
        return data.map(inviteFromDoc)
      },
    },
    communities: {
      get(id) {
        return getById<Community>(COMMUNITIES, id)
      },
      async list(limit) {
        const { data } = await db.collection(COMMUNITIES).orderBy('_id', 'asc').limit(clampLimit(limit)).get()
        return data.map((d) => fromDoc<Community>(d))
      },
      async put(c) {
        await db.collection(COMMUNITIES).doc(c.id).set({ data: toData(c) })
      },
      async update(next, expectRevision) {
        // Read once to know which fields `next` drops (an update merges, so they are removed by name),
        // then write only if the revision is still the one expected.
        const stored = await getById<Community>(COMMUNITIES, next.id)
        if (!stored || (stored.revision ?? 0) !== expectRevision) return false
        const data: UpdateData = {}
        for (const [key, value] of Object.entries(toData(next))) {
          if (value === undefined) continue
          data[key] = value !== null && typeof value === 'object' ? _.set(value) : value
        }
        for (const key of Object.keys(stored)) if (key !== 'id' && !(key in next)) data[key] = _.remove()
        // A community never updated this way has no revision field: eq(null) also matches a missing one.
        const revision = expectRevision === 0 ? _.or([_.eq(0), _.eq(null)]) : expectRevision
        const res = await db.collection(COMMUNITIES).where({ _id: next.id, revision }).update({ data })
        return res.stats.updated === 1
      },
    },
    attempts: {
      async add(key, bucket, delta, since) {
        await addAttempt(key, bucket, delta)
        return listAttempts(key, since)
      },
      list: listAttempts,
    },
    figures: openCloudFigures(db),
    setup: openCloudSetup(db),
    notifications: notify.notifications,
    inbox: notify.inbox,
    robots: notify.robots,
    consents: notify.consents,
    campaigns: openCloudCampaigns(db),
    audit: openCloudAudit(db),
    retention: openCloudRetention(db),
    async close() {},
  }
}
