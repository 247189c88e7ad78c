/**
 * CloudBase side of notifications: the outbox, the inbox, group robots and subscribe consents,
 * with the same semantics as sqlite-notify.ts (tests/store.contract.ts checks both).
 *
 * Atomicity with orders. The cloud database's `runTransaction` allows only single-document
 * operations by id (no conditional `where().update()`), so an order's compare-and-set and a
 * separate notification insert cannot share a transaction without giving up the conditional
 * update. Instead the order's pending notifications are EMBEDDED in the order document, in the
 * same single-document write as the change (`outbox.<id>` set with `command.set`, plus
 * `outboxPending: true`): one write, so both happen or neither. `relay()` then copies each
 * embedded notification into the `notifications` collection (`add` with `_id` = the
 * notification id: a duplicate means it is already there) and clears the order's outbox with a
 * conditional update on the version it read; if the order changed meanwhile, the next relay
 * copies again (idempotent) and clears then. A crash anywhere in between loses nothing.
 * Collection names and the indexes serving every query here are in cloud/manifest.ts.
 */
import type { InboxItem, Notification, RobotConfig } from '../../core/notify/types'
import { COLLECTIONS } from '../cloud/manifest'
import { MAX_PAGE, type ConsentRepo, type InboxRepo, type NotificationRepo, type RobotRepo } from '../ports'
import type { CloudDb, CloudDocData, UpdateData } from './cloud-db'
import { cloudRecords, fromDoc, toData, type Projection } from './cloudbase-records'

const {
  notifications: NOTIFICATIONS,
  inbox: INBOX,
  robots: ROBOTS,
  robotPosts: ROBOT_POSTS,
  consents: CONSENTS,
  orders: ORDERS,
} = COLLECTIONS

/** Fields an order document carries for its embedded outbox; never part of the Order. */
export const OUTBOX_FIELDS = ['outbox', 'outboxPending'] as const

/** Projection for reading an order as the domain sees it: everything but the embedded outbox. */
export const ORDER_WITHOUT_OUTBOX: Projection = Object.fromEntries(OUTBOX_FIELDS.map((f) => [f, false]))

export interface CloudNotify {
  notifications: NotificationRepo
  inbox: InboxRepo
  robots: RobotRepo
  consents: ConsentRepo
  /** Fields to add to a new order document carrying `outbox`. */
  outboxForInsert(outbox: readonly Notification[]): CloudDocData
  /** Fields to add to an order's update data carrying `outbox` (merged into what is there). */
  outboxForUpdate(outbox: readonly Notification[]): UpdateData
}

export function openCloudNotify(db: CloudDb): CloudNotify {
  const _ = db.command
  const records = cloudRecords(db)
  const { addIfAbsent } = records

  async function getById<T>(collection: string, id: string, projection?: Projection): Promise<T | null> {
    const doc = await records.getDoc(collection, id, projection)
    return doc ? fromDoc<T>(doc) : null
  }

  const leaseHeld = (id: string, leaseId: string) => ({ _id: id, leaseId, status: 'pending' })

  const notifications: NotificationRepo = {
    async enqueue(ns) {
      let added = 0
      for (const n of ns) if (await addIfAbsent(NOTIFICATIONS, n.id, toData(n))) added++
      return added
    },
    async relay() {
      let moved = 0
      for (let round = 0; round < 5; round++) {
        const { data } = await db
          .collection(ORDERS)
          .where({ outboxPending: true })
          .field({ outbox: true, version: true })
          .limit(MAX_PAGE)
          .get()
        for (const doc of data) {
          const box = (doc.outbox ?? {}) as Record<string, Notification>
          for (const n of Object.values(box)) if (await addIfAbsent(NOTIFICATIONS, n.id, toData(n))) moved++
          // Only if the order did not change since it was read (a newer write may carry more).
          await db
            .collection(ORDERS)
            .where({ _id: doc._id as string, version: doc.version as number, outboxPending: true })
            .update({ data: { outbox: _.remove(), outboxPending: false } })
        }
        if (data.length < MAX_PAGE) break
      }
      return moved
    },
    async claim(req) {
      const where: Record<string, unknown> = {
        status: 'pending',
        nextAt: _.lt(req.now + 1),
        leaseUntil: _.lt(req.now + 1),
      }
      if (req.channel !== undefined) where.channel = req.channel
      const { data } = await db
        .collection(NOTIFICATIONS)
        .where(where)
        .orderBy('nextAt', 'asc')
        .orderBy('_id', 'asc')
        .limit(Math.max(1, Math.min(MAX_PAGE, Math.floor(req.limit))))
        .get()
      const leaseUntil = req.now + req.leaseMs
      const claimed: Notification[] = []
      for (const d of data) {
        // Compare-and-set on the lease we saw: of two dispatchers, one wins each record.
        const res = await db
          .collection(NOTIFICATIONS)
          .where({ _id: d._id as string, status: 'pending', leaseUntil: d.leaseUntil as number })
          .update({ data: { leaseUntil, leaseId: req.leaseId } })
        if (res.stats.updated === 1) claimed.push({ ...fromDoc<Notification>(d), leaseUntil, leaseId: req.leaseId })
      }
      return claimed
    },
    async settle(id, leaseId, s) {
      let data: UpdateData
      switch (s.state) {
        case 'sent':
          data = { status: 'sent', doneAt: s.at, leaseUntil: 0, leaseId: null, ...(s.merged !== undefined ? { merged: s.merged } : {}) }
          break
        case 'retry':
          data = { nextAt: s.nextAt, lastError: s.error, attempts: _.inc(s.countAttempt ? 1 : 0), leaseUntil: 0, leaseId: null }
          break
        case 'failed':
        case 'skipped':
          data = { status: s.state, doneAt: s.at, lastError: s.error, leaseUntil: 0, leaseId: null }
          break
      }
      if (s.via !== undefined) data.via = s.via
      const res = await db.collection(NOTIFICATIONS).where(leaseHeld(id, leaseId)).update({ data })
      return res.stats.updated === 1
    },
    async markConsumed(id, leaseId) {
      const res = await db.collection(NOTIFICATIONS).where(leaseHeld(id, leaseId)).update({ data: { consumed: true } })
      return res.stats.updated === 1
    },
    get(id) {
      return getById<Notification>(NOTIFICATIONS, id)
    },
    list(q) {
      const conds: Record<string, unknown> = { communityId: q.communityId }
      if (q.channel !== undefined) conds.channel = q.channel
      if (q.to !== undefined) conds.to = q.to
      return records.newestFirst<Notification>(NOTIFICATIONS, [conds], q)
    },
  }

  const inbox: InboxRepo = {
    put(item) {
      return addIfAbsent(INBOX, item.id, toData(item))
    },
    list(userId, p = {}) {
      return records.newestFirst<InboxItem>(INBOX, [{ userId }], p)
    },
    async markRead(userId, ids, at) {
      if (ids !== 'all' && ids.length === 0) return 0
      const where = ids === 'all' ? { userId, readAt: null } : { userId, readAt: null, _id: _.in([...ids]) }
      const res = await db.collection(INBOX).where(where).update({ data: { readAt: at } })
      return res.stats.updated
    },
    async unread(userId) {
      // A count, not a read: the port counts up to MAX_PAGE.
      const { total } = await db.collection(INBOX).where({ userId, readAt: null }).count()
      return Math.min(total, MAX_PAGE)
    },
  }

  const robots: RobotRepo = {
    get(communityId, scope) {
      return getById<RobotConfig>(ROBOTS, `${communityId}:${scope}`)
    },
    async list(communityId) {
      const docs = await records.listAll(ROBOTS, communityId === undefined ? {} : { communityId })
      return docs.map((d) => fromDoc<RobotConfig>(d))
    },
    async put(r) {
      await db.collection(ROBOTS).doc(r.id).set({ data: toData(r) })
    },
    async recentPosts(key, now, windowMs) {
      const rec = await getById<{ times: number[] }>(ROBOT_POSTS, key, { times: true })
      return (rec?.times ?? []).filter((t) => t > now - windowMs && t <= now)
    },
    async takeSlots(key, now, want, max, windowMs) {
      // Read, decide, compare-and-set on the record's version; a lost race decides again.
      for (let round = 0; round < 8; round++) {
        const rec = await getById<{ times: number[]; version: number }>(ROBOT_POSTS, key)
        const recent = (rec?.times ?? []).filter((t) => t > now - windowMs)
        const granted = Math.max(0, Math.min(want, max - recent.length))
        if (granted === 0) return 0
        const times = [...recent, ...Array<number>(granted).fill(now)]
        if (!rec) {
          if (await addIfAbsent(ROBOT_POSTS, key, { times, version: 1 })) return granted
          continue
        }
        const res = await db
          .collection(ROBOT_POSTS)
          .where({ _id: key, version: rec.version })
          .update({ data: { times: _.set(times), version: rec.version + 1 } })
        if (res.stats.updated === 1) return granted
      }
      return 0
    },
  }

  const consentId = (userId: string, template: string) => `${userId}:${template}`

  const consents: ConsentRepo = {
    async grant(userId, template, n, now) {
      const _id = consentId(userId, template)
      for (let round = 0; round < 3; round++) {
        const res = await db.collection(CONSENTS).where({ _id }).update({ data: { left: _.inc(n), updatedAt: now } })
        if (res.stats.updated !== 1 && !(await addIfAbsent(CONSENTS, _id, { userId, template, left: n, updatedAt: now }))) continue
        return (await getById<{ left: number }>(CONSENTS, _id, { left: true }))?.left ?? n
      }
      throw new Error('consent grant: neither update nor add took effect')
    },
    async take(userId, template, now) {
      const res = await db
        .collection(CONSENTS)
        .where({ _id: consentId(userId, template), left: _.gt(0) })
        .update({ data: { left: _.inc(-1), updatedAt: now } })
      return res.stats.updated === 1
    },
    async counts(userId) {
      const data = await records.listAll(CONSENTS, { userId }, { template: true, left: true })
      return Object.fromEntries(data.map((d) => [d.template as string, d.left as number]))
    },
  }

  return {
    notifications,
    inbox,
    robots,
    consents,
    outboxForInsert(outbox) {
      if (outbox.length === 0) return {}
      return { outbox: Object.fromEntries(outbox.map((n) => [n.id, n])), outboxPending: true }
    },
    outboxForUpdate(outbox) {
      if (outbox.length === 0) return {}
      // A plain object is merged field by field: each `outbox.<id>` is set, the others stay.
      return { outbox: Object.fromEntries(outbox.map((n) => [n.id, _.set(n)])), outboxPending: true }
    },
  }
}
