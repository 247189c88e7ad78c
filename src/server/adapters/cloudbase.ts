/**
 * WeChat Cloud Development adapter: the Store port over the cloud database as wx-server-sdk
 * exposes it (see cloud-db.ts for the subset used and the service's quirks).
 *
 * A record is the domain object with `id` stored as `_id`. Same semantics as adapters/sqlite.ts,
 * checked by tests/store.contract.test.ts against tests/support/wx-db-engine.ts:
 * - orders.insert is idempotent on id (add with `_id`; a rejected add whose record exists is a duplicate);
 * - orders.update is one conditional `where({ _id, status, version }).update()`: no read-modify-write;
 * - every read asks for at most 100 records (MAX_PAGE), the service's own per-request ceiling.
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
} from '../ports'
import type { CloudDb, CloudDocData, CloudQuery, UpdateData, WhereCondition } from './cloud-db'
import { decodeCursor, encodeCursor, type OrderCursor } from './cursor'
import { openCloudNotify } from './cloudbase-notify'
import { openCloudCampaigns } from './cloudbase-campaigns'

const ORDERS = 'orders'
const HOUSEHOLDS = 'households'
const PEOPLE = 'people'
const COMMUNITIES = 'communities'
/**
 * Attempt counters: one record per (key, bucket) with fields key, bucket, count; `_id` is
 * `${key}_${bucket}` (the bucket is a number, so the last `_` splits it and ids never collide).
 */
const ATTEMPTS = 'attempts'
const INVITES = 'squad_invites'

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
  disinfectedAt: true,
  deliverableAt: true,
  followUpDone: true,
  sealPhoto: true,
}

function toData<T extends { id: string }>(obj: T): CloudDocData {
  const { id: _ignored, ...rest } = obj
  return rest
}

function toDoc<T extends { id: string }>(obj: T): CloudDocData & { _id: string } {
  return { _id: obj.id, ...toData(obj) }
}

function inviteFromDoc(doc: CloudDocData): SquadInvite {
  const { _id: _ignored, ...rest } = doc
  return rest as unknown as SquadInvite
}

function fromDoc<T>(doc: CloudDocData): T {
  const { _id, ...rest } = doc
  return { id: _id, ...rest } as unknown as T
}

export function openCloudbase(db: CloudDb): Store {
  const _ = db.command
  // Notifications; an order's outbox is embedded in the order document (see cloudbase-notify.ts).
  const notify = openCloudNotify(db)
  const getOrder = async (id: string): Promise<Order | null> => {
    const { data } = await db.collection(ORDERS).where({ _id: id }).limit(1).get()
    return data[0] ? fromDoc<Order>(notify.stripOutbox(data[0])) : null
  }

  const and = (conds: WhereCondition[]): WhereCondition | null =>
    conds.length === 0 ? null : conds.length === 1 ? conds[0]! : _.and(conds)

  const query = (collection: string, conds: WhereCondition[]): CloudQuery => {
    const where = and(conds)
    const coll = db.collection(collection)
    return where ? coll.where(where) : coll
  }

  /** Reads by id without doc(id).get(), which rejects for a missing record. */
  async function getInvite(code: string): Promise<SquadInvite | null> {
    const { data } = await db.collection(INVITES).where({ _id: code }).limit(1).get()
    return data[0] ? inviteFromDoc(data[0]) : null
  }

  async function getById<T>(collection: string, id: string): Promise<T | null> {
    const { data } = await db.collection(collection).where({ _id: id }).limit(1).get()
    return data[0] ? fromDoc<T>(data[0]) : null
  }

  /**
   * One page of `limit` records after `after` and whether more follow. Asks for limit + 1 to tell;
   * when that would exceed the per-request ceiling, asks for one record after the page instead.
   */
  async function fetchPage<K>(
    fetch: (after: K | null, n: number) => Promise<CloudDocData[]>,
    after: K | null,
    limit: number,
    keyOf: (d: CloudDocData) => K,
  ): Promise<{ docs: CloudDocData[]; more: boolean }> {
    const n = Math.min(limit + 1, MAX_PAGE)
    const docs = await fetch(after, n)
    if (docs.length > limit) return { docs: docs.slice(0, limit), more: true }
    if (docs.length < n) return { docs, more: false }
    const probe = await fetch(keyOf(docs[docs.length - 1]!), 1)
    return { docs, more: probe.length > 0 }
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
    return data
  }

  async function listAttempts(key: string, since: number): Promise<AttemptCount[]> {
    const { data } = await db
      .collection(ATTEMPTS)
      .where({ key, bucket: _.gte(since) })
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
      try {
        await db.collection(ATTEMPTS).add({ data: { _id, key, bucket, count: delta } })
        return
      } catch (err) {
        // The rejection's errCode is shared with other failures: look, don't parse.
        if (!(await getById<AttemptCount>(ATTEMPTS, _id))) throw err
      }
    }
    throw new Error('attempt counter: neither update nor add took effect')
  }

  const orderKey = (d: CloudDocData): OrderCursor => ({ createdAt: d.createdAt as number, id: d._id as string })

  return {
    orders: {
      async insert(order, outbox = []) {
        try {
          await db.collection(ORDERS).add({ data: { ...toDoc(order), ...notify.outboxForInsert(outbox) } })
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

        const fetch = async (after: OrderCursor | null, n: number) => {
          const page = after
            ? [
                ...conds,
                _.or([{ createdAt: _.lt(after.createdAt) }, { createdAt: after.createdAt, _id: _.lt(after.id) }]),
              ]
            : conds
          const res = await query(ORDERS, page).orderBy('createdAt', 'desc').orderBy('_id', 'desc').limit(n).get()
          return res.data
        }
        const { docs, more } = await fetchPage(fetch, decodeCursor(q.cursor), clampLimit(q.limit), orderKey)
        const items = docs.map((d) => fromDoc<Order>(notify.stripOutbox(d)))
        const last = items[items.length - 1]
        return { items, next: more && last ? encodeCursor(last) : null }
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
      async listByCommunity(communityId, page = {}) {
        const fetch = async (after: string | null, n: number) => {
          const where = after ? { communityId, _id: _.gt(after) } : { communityId }
          const res = await db.collection(HOUSEHOLDS).where(where).orderBy('_id', 'asc').limit(n).get()
          return res.data
        }
        const { docs, more } = await fetchPage(fetch, page.cursor || null, clampLimit(page.limit), (d) => d._id as string)
        const items = docs.map((d) => fromDoc<Household>(d))
        const last = items[items.length - 1]
        return { items, next: more && last ? last.id : null }
      },
      async put(h) {
        await db.collection(HOUSEHOLDS).doc(h.id).set({ data: toData(h) })
      },
    },
    people: {
      get(id) {
        return getById<Person>(PEOPLE, id)
      },
      async listByHousehold(householdId) {
        // `households` is an array: equality matches records whose array contains the id.
        const people: Person[] = []
        let after: string | null = null
        for (;;) {
          const where: WhereCondition = after ? { households: householdId, _id: _.gt(after) } : { households: householdId }
          const { data } = await db.collection(PEOPLE).where(where).orderBy('_id', 'asc').limit(MAX_PAGE).get()
          people.push(...data.map((d) => fromDoc<Person>(d)))
          if (data.length < MAX_PAGE) return people
          after = data[data.length - 1]!._id as string
        }
      },
      async listSquad(communityId) {
        const people: Person[] = []
        let after: string | null = null
        for (;;) {
          const where: WhereCondition = after ? { squadOf: communityId, _id: _.gt(after) } : { squadOf: communityId }
          const { data } = await db.collection(PEOPLE).where(where).orderBy('_id', 'asc').limit(MAX_PAGE).get()
          people.push(...data.map((d) => fromDoc<Person>(d)))
          if (data.length < MAX_PAGE) return people
          after = data[data.length - 1]!._id as string
        }
      },
      async put(p) {
        await db.collection(PEOPLE).doc(p.id).set({ data: toData(p) })
      },
    },
    invites: {
      async insert(i) {
        try {
          await db.collection(INVITES).add({ data: { _id: i.code, ...i } })
          return true
        } catch (err) {
          // A duplicate _id is rejected; the errCode is shared with other failures: look, don't parse.
          if (await getInvite(i.code)) return false
          throw err
        }
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
      async put(c) {
        await db.collection(COMMUNITIES).doc(c.id).set({ data: toData(c) })
      },
    },
    attempts: {
      async add(key, bucket, delta, since) {
        await addAttempt(key, bucket, delta)
        return listAttempts(key, since)
      },
      list: listAttempts,
    },
    notifications: notify.notifications,
    inbox: notify.inbox,
    robots: notify.robots,
    consents: notify.consents,
    campaigns: openCloudCampaigns(db),
    async close() {},
  }
}
