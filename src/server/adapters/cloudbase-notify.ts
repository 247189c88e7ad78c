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
 * Collections: notifications (index: status + nextAt; communityId + channel + createdAt),
 * inbox (userId + createdAt), robots, robot_posts, consents; orders gains an index on outboxPending.
 */
import type { InboxItem, Notification, RobotConfig } from '../../core/notify/types'
import {
  clampLimit,
  MAX_PAGE,
  type ConsentRepo,
  type InboxRepo,
  type NotificationRepo,
  type Page,
  type RobotRepo,
} from '../ports'
import type { CloudDb, CloudDocData, UpdateData, WhereCondition } from './cloud-db'
import { decodeCursor, encodeCursor, type OrderCursor } from './cursor'

const NOTIFICATIONS = 'notifications'
const INBOX = 'inbox'
const ROBOTS = 'robots'
const ROBOT_POSTS = 'robot_posts'
const CONSENTS = 'consents'
const ORDERS = 'orders'

/** Fields an order document carries for its embedded outbox; never part of the Order. */
export const OUTBOX_FIELDS = ['outbox', 'outboxPending'] as const

function withoutId(obj: { id: string }): CloudDocData {
  const { id: _ignored, ...rest } = obj
  return rest
}

function fromDoc<T>(doc: CloudDocData): T {
  const { _id, ...rest } = doc
  return { id: _id, ...rest } as unknown as T
}

export interface CloudNotify {
  notifications: NotificationRepo
  inbox: InboxRepo
  robots: RobotRepo
  consents: ConsentRepo
  /** Fields to add to a new order document carrying `outbox`. */
  outboxForInsert(outbox: readonly Notification[]): CloudDocData
  /** Fields to add to an order's update data carrying `outbox` (merged into what is there). */
  outboxForUpdate(outbox: readonly Notification[]): UpdateData
  /** The order document without its outbox fields. */
  stripOutbox(doc: CloudDocData): CloudDocData
}

export function openCloudNotify(db: CloudDb): CloudNotify {
  const _ = db.command

  async function getById<T>(collection: string, id: string): Promise<T | null> {
    const { data } = await db.collection(collection).where({ _id: id }).limit(1).get()
    return data[0] ? fromDoc<T>(data[0]) : null
  }

  /** add with `_id`; false when a record with that id already exists. */
  async function addIfAbsent(collection: string, id: string, data: CloudDocData): Promise<boolean> {
    try {
      await db.collection(collection).add({ data: { _id: id, ...data } })
      return true
    } catch (err) {
      // The duplicate-key rejection shares its errCode with other failures: look, don't parse.
      if (await getById(collection, id)) return false
      throw err
    }
  }

  /** Newest-first page by (createdAt, _id) under `conds`, asking for at most 100 per request. */
  async function newestFirst<T extends { id: string; createdAt: number }>(
    collection: string,
    conds: Record<string, unknown>,
    limitIn: number | undefined,
    cursorIn: string | null | undefined,
  ): Promise<Page<T>> {
    const limit = clampLimit(limitIn)
    const fetch = async (after: OrderCursor | null, n: number) => {
      const where: WhereCondition = after
        ? _.and([conds, _.or([{ createdAt: _.lt(after.createdAt) }, { createdAt: after.createdAt, _id: _.lt(after.id) }])])
        : conds
      const res = await db.collection(collection).where(where).orderBy('createdAt', 'desc').orderBy('_id', 'desc').limit(n).get()
      return res.data
    }
    const after = decodeCursor(cursorIn)
    const n = Math.min(limit + 1, MAX_PAGE)
    let docs = await fetch(after, n)
    let more = docs.length > limit
    if (more) docs = docs.slice(0, limit)
    else if (docs.length === n) {
      const last = docs[docs.length - 1]!
      more = (await fetch({ createdAt: last.createdAt as number, id: last._id as string }, 1)).length > 0
    }
    const items = docs.map((d) => fromDoc<T>(d))
    const last = items[items.length - 1]
    return { items, next: more && last ? encodeCursor(last) : null }
  }

  const leaseHeld = (id: string, leaseId: string) => ({ _id: id, leaseId, status: 'pending' })

  const notifications: NotificationRepo = {
    async enqueue(ns) {
      let added = 0
      for (const n of ns) if (await addIfAbsent(NOTIFICATIONS, n.id, withoutId(n))) added++
      return added
    },
    async relay() {
      let moved = 0
      for (let round = 0; round < 5; round++) {
        const { data } = await db.collection(ORDERS).where({ outboxPending: true }).limit(MAX_PAGE).get()
        for (const doc of data) {
          const box = (doc.outbox ?? {}) as Record<string, Notification>
          for (const n of Object.values(box)) if (await addIfAbsent(NOTIFICATIONS, n.id, withoutId(n))) moved++
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
      return newestFirst<Notification>(NOTIFICATIONS, conds, q.limit, q.cursor)
    },
  }

  const inbox: InboxRepo = {
    put(item) {
      return addIfAbsent(INBOX, item.id, withoutId(item))
    },
    list(userId, p = {}) {
      return newestFirst<InboxItem>(INBOX, { userId }, p.limit, p.cursor)
    },
    async markRead(userId, ids, at) {
      if (ids !== 'all' && ids.length === 0) return 0
      const where = ids === 'all' ? { userId, readAt: null } : { userId, readAt: null, _id: _.in([...ids]) }
      const res = await db.collection(INBOX).where(where).update({ data: { readAt: at } })
      return res.stats.updated
    },
    async unread(userId) {
      const { data } = await db.collection(INBOX).where({ userId, readAt: null }).limit(MAX_PAGE).get()
      return data.length
    },
  }

  const robots: RobotRepo = {
    get(communityId, scope) {
      return getById<RobotConfig>(ROBOTS, `${communityId}:${scope}`)
    },
    async list(communityId) {
      const out: RobotConfig[] = []
      let after: string | null = null
      for (;;) {
        const conds: Record<string, unknown> = {}
        if (communityId !== undefined) conds.communityId = communityId
        if (after !== null) conds._id = _.gt(after)
        const coll = db.collection(ROBOTS)
        const q = Object.keys(conds).length ? coll.where(conds) : coll
        const { data } = await q.orderBy('_id', 'asc').limit(MAX_PAGE).get()
        out.push(...data.map((d) => fromDoc<RobotConfig>(d)))
        if (data.length < MAX_PAGE) return out
        after = data[data.length - 1]!._id as string
      }
    },
    async put(r) {
      await db.collection(ROBOTS).doc(r.id).set({ data: withoutId(r) })
    },
    async recentPosts(key, now, windowMs) {
      const rec = await getById<{ times: number[] }>(ROBOT_POSTS, key)
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
        return (await getById<{ left: number }>(CONSENTS, _id))?.left ?? n
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
      const { data } = await db.collection(CONSENTS).where({ userId }).orderBy('_id', 'asc').limit(MAX_PAGE).get()
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
    stripOutbox(doc) {
      const { outbox: _o, outboxPending: _p, ...rest } = doc
      return rest
    },
  }
}
