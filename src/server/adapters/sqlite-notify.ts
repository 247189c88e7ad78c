/**
 * SQLite side of notifications: the outbox, the inbox, group robots and subscribe consents.
 * Used by adapters/sqlite.ts, which writes an order's outbox in the same transaction as the order
 * (writeOutbox below inside its db.transaction); its inbox notices go straight to the inbox there.
 *
 * A notification row keeps the immutable message as JSON (`doc`) and its delivery state in columns
 * (status, attempts, next_at, lease_until, lease_id, …), which are the truth for claim and settle.
 */
import type Database from 'better-sqlite3'
import { inboxItemOf, type InboxItem, type Notification, type RobotConfig } from '../../core/notify/types'
import {
  clampLimit,
  type ConsentRepo,
  type InboxRepo,
  type NotificationRepo,
  type Page,
  type RobotRepo,
} from '../ports'
import { decodeCursor, encodeCursor, sqliteAfter } from './cursor'

export const NOTIFY_MIGRATION = `
  CREATE TABLE notifications (
    id TEXT PRIMARY KEY, community_id TEXT NOT NULL, channel TEXT NOT NULL, recipient TEXT NOT NULL,
    status TEXT NOT NULL, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL, lease_until INTEGER NOT NULL,
    lease_id TEXT, created_at INTEGER NOT NULL, done_at INTEGER, last_error TEXT,
    consumed INTEGER NOT NULL DEFAULT 0, merged INTEGER, via TEXT, doc TEXT NOT NULL);
  CREATE INDEX notifications_due ON notifications(status, next_at);
  CREATE INDEX notifications_log ON notifications(community_id, channel, created_at DESC, id DESC);
  CREATE TABLE inbox (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at INTEGER NOT NULL, read_at INTEGER, doc TEXT NOT NULL);
  CREATE INDEX inbox_user ON inbox(user_id, created_at DESC, id DESC);
  CREATE TABLE robots (id TEXT PRIMARY KEY, community_id TEXT NOT NULL, doc TEXT NOT NULL);
  CREATE INDEX robots_community ON robots(community_id, id);
  CREATE TABLE robot_posts (robot_key TEXT PRIMARY KEY, times TEXT NOT NULL);
  CREATE TABLE consents (
    user_id TEXT NOT NULL, template TEXT NOT NULL, left_count INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, template));`

interface NotificationRow {
  status: Notification['status']
  attempts: number
  next_at: number
  lease_until: number
  lease_id: string | null
  done_at: number | null
  last_error: string | null
  consumed: number
  merged: number | null
  via: string | null
  doc: string
}

/** The message part stored as JSON; the delivery state lives in columns. */
function messageOf(n: Notification): Partial<Notification> {
  const {
    status: _s,
    attempts: _a,
    nextAt: _n,
    leaseUntil: _lu,
    leaseId: _li,
    doneAt: _d,
    lastError: _e,
    consumed: _c,
    merged: _m,
    via: _v,
    ...message
  } = n
  return message
}

function fromRow(r: NotificationRow): Notification {
  return {
    ...(JSON.parse(r.doc) as Notification),
    status: r.status,
    attempts: r.attempts,
    nextAt: r.next_at,
    leaseUntil: r.lease_until,
    leaseId: r.lease_id,
    ...(r.done_at !== null ? { doneAt: r.done_at } : {}),
    ...(r.last_error !== null ? { lastError: r.last_error } : {}),
    ...(r.consumed ? { consumed: true } : {}),
    ...(r.merged !== null ? { merged: r.merged } : {}),
    ...(r.via !== null ? { via: r.via } : {}),
  }
}

export interface SqliteNotify {
  notifications: NotificationRepo
  inbox: InboxRepo
  robots: RobotRepo
  consents: ConsentRepo
  /** Writes an order's outbox (inbox notices as inbox items, the rest as queued records), skipping what is already there; call inside the caller's transaction. */
  writeOutbox(ns: readonly Notification[]): number
}

export function openSqliteNotify(db: Database.Database): SqliteNotify {
  const st = {
    insert: db.prepare(
      `INSERT INTO notifications (id, community_id, channel, recipient, status, attempts, next_at, lease_until, lease_id,
         created_at, done_at, last_error, consumed, merged, via, doc)
       VALUES (@id, @communityId, @channel, @to, @status, @attempts, @nextAt, @leaseUntil, @leaseId,
         @createdAt, @doneAt, @lastError, @consumed, @merged, @via, @doc)
       ON CONFLICT(id) DO NOTHING`,
    ),
    get: db.prepare(`SELECT * FROM notifications WHERE id = ?`),
    due: db.prepare(
      `SELECT id FROM notifications WHERE status = 'pending' AND next_at <= @now AND lease_until <= @now
         AND (@channel IS NULL OR channel = @channel)
       ORDER BY next_at, id LIMIT @limit`,
    ),
    lease: db.prepare(`UPDATE notifications SET lease_until = ?, lease_id = ? WHERE id = ?`),
    sent: db.prepare(
      `UPDATE notifications SET status = 'sent', done_at = @at, merged = @merged, via = COALESCE(@via, via), lease_until = 0, lease_id = NULL
       WHERE id = @id AND lease_id = @leaseId AND status = 'pending'`,
    ),
    retry: db.prepare(
      `UPDATE notifications SET next_at = @nextAt, last_error = @error, attempts = attempts + @inc, via = COALESCE(@via, via),
         lease_until = 0, lease_id = NULL
       WHERE id = @id AND lease_id = @leaseId AND status = 'pending'`,
    ),
    final: db.prepare(
      `UPDATE notifications SET status = @state, done_at = @at, last_error = @error, via = COALESCE(@via, via),
         lease_until = 0, lease_id = NULL
       WHERE id = @id AND lease_id = @leaseId AND status = 'pending'`,
    ),
    consumed: db.prepare(
      `UPDATE notifications SET consumed = 1 WHERE id = ? AND lease_id = ? AND status = 'pending'`,
    ),
    inboxPut: db.prepare(
      `INSERT INTO inbox (id, user_id, created_at, read_at, doc) VALUES (@id, @userId, @createdAt, @readAt, @doc)
       ON CONFLICT(id) DO NOTHING`,
    ),
    inboxUnread: db.prepare(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM inbox WHERE user_id = ? AND read_at IS NULL LIMIT 100)`,
    ),
    inboxReadAll: db.prepare(`UPDATE inbox SET read_at = ? WHERE user_id = ? AND read_at IS NULL`),
    robotGet: db.prepare(`SELECT doc FROM robots WHERE id = ?`),
    robotPut: db.prepare(
      `INSERT INTO robots (id, community_id, doc) VALUES (@id, @communityId, @doc)
       ON CONFLICT(id) DO UPDATE SET community_id = excluded.community_id, doc = excluded.doc`,
    ),
    robotsOf: db.prepare(`SELECT doc FROM robots WHERE community_id = ? ORDER BY id`),
    robotsAll: db.prepare(`SELECT doc FROM robots ORDER BY id`),
    postsGet: db.prepare(`SELECT times FROM robot_posts WHERE robot_key = ?`),
    postsPut: db.prepare(
      `INSERT INTO robot_posts (robot_key, times) VALUES (?, ?) ON CONFLICT(robot_key) DO UPDATE SET times = excluded.times`,
    ),
    consentGrant: db.prepare(
      `INSERT INTO consents (user_id, template, left_count, updated_at) VALUES (@userId, @template, @n, @now)
       ON CONFLICT(user_id, template) DO UPDATE SET left_count = left_count + excluded.left_count, updated_at = excluded.updated_at
       RETURNING left_count`,
    ),
    consentTake: db.prepare(
      `UPDATE consents SET left_count = left_count - 1, updated_at = ? WHERE user_id = ? AND template = ? AND left_count > 0`,
    ),
    consentCounts: db.prepare(`SELECT template, left_count FROM consents WHERE user_id = ? ORDER BY template`),
  }

  const insertOne = (n: Notification): number =>
    st.insert.run({
      id: n.id,
      communityId: n.communityId,
      channel: n.channel,
      to: n.to,
      status: n.status,
      attempts: n.attempts,
      nextAt: n.nextAt,
      leaseUntil: n.leaseUntil,
      leaseId: n.leaseId,
      createdAt: n.createdAt,
      doneAt: n.doneAt ?? null,
      lastError: n.lastError ?? null,
      consumed: n.consumed ? 1 : 0,
      merged: n.merged ?? null,
      via: n.via ?? null,
      doc: JSON.stringify(messageOf(n)),
    }).changes

  const putInbox = (item: InboxItem): number => {
    const { readAt, ...doc } = item
    return st.inboxPut.run({ id: item.id, userId: item.userId, createdAt: item.createdAt, readAt, doc: JSON.stringify(doc) }).changes
  }

  /**
   * An order's outbox, inside the order's transaction. Inbox notices are delivered right here: the
   * inbox is in the same database, so the item is written with the change, exactly once (idempotent on
   * the notification id), and no notification record is kept for it: nothing is left to lease, send or
   * settle, and the item is the whole record of the notice. Robots and subscribe messages leave the
   * process, so they wait in the queue.
   */
  const writeOutbox = (ns: readonly Notification[]): number =>
    ns.reduce((sum, n) => sum + (n.channel === 'inbox' && n.status === 'pending' ? putInbox(inboxItemOf(n)) : insertOne(n)), 0)
  const enqueueTx = db.transaction((ns: readonly Notification[]) => ns.reduce((sum, n) => sum + insertOne(n), 0))

  const claimTx = db.transaction((now: number, limit: number, leaseMs: number, leaseId: string, channel: string | null) => {
    const ids = (st.due.all({ now, limit: Math.max(1, Math.floor(limit)), channel }) as { id: string }[]).map((r) => r.id)
    for (const id of ids) st.lease.run(now + leaseMs, leaseId, id)
    return ids.map((id) => fromRow(st.get.get(id) as NotificationRow))
  })

  const takeSlotsTx = db.transaction((key: string, now: number, want: number, max: number, windowMs: number) => {
    const row = st.postsGet.get(key) as { times: string } | undefined
    const recent = (row ? (JSON.parse(row.times) as number[]) : []).filter((t) => t > now - windowMs)
    const granted = Math.max(0, Math.min(want, max - recent.length))
    st.postsPut.run(key, JSON.stringify([...recent, ...Array<number>(granted).fill(now)]))
    return granted
  })

  const page = <T>(sql: string, params: unknown[], limit: number, parse: (r: { doc: string } & Record<string, unknown>) => T & { id: string; createdAt: number }) => {
    const rows = db.prepare(`${sql} ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`).all(...params) as ({
      doc: string
    } & Record<string, unknown>)[]
    const items = rows.slice(0, limit).map(parse)
    const last = items[items.length - 1]
    return { items, next: rows.length > limit && last ? encodeCursor(last) : null }
  }

  const inboxFromRow = (r: { doc: string } & Record<string, unknown>): InboxItem => ({
    ...(JSON.parse(r.doc) as InboxItem),
    readAt: (r.read_at as number | null) ?? null,
  })

  return {
    writeOutbox,
    notifications: {
      async enqueue(ns) {
        return enqueueTx(ns)
      },
      async relay() {
        return 0
      },
      async claim(req) {
        return claimTx(req.now, req.limit, req.leaseMs, req.leaseId, req.channel ?? null)
      },
      async settle(id, leaseId, s) {
        switch (s.state) {
          case 'sent':
            return st.sent.run({ id, leaseId, at: s.at, merged: s.merged ?? null, via: s.via ?? null }).changes === 1
          case 'retry':
            return (
              st.retry.run({ id, leaseId, nextAt: s.nextAt, error: s.error, inc: s.countAttempt ? 1 : 0, via: s.via ?? null })
                .changes === 1
            )
          case 'failed':
          case 'skipped':
            return st.final.run({ id, leaseId, state: s.state, at: s.at, error: s.error, via: s.via ?? null }).changes === 1
        }
      },
      async markConsumed(id, leaseId) {
        return st.consumed.run(id, leaseId).changes === 1
      },
      async get(id) {
        const row = st.get.get(id) as NotificationRow | undefined
        return row ? fromRow(row) : null
      },
      async list(q): Promise<Page<Notification>> {
        const where = ['community_id = ?']
        const params: unknown[] = [q.communityId]
        if (q.channel !== undefined) {
          where.push('channel = ?')
          params.push(q.channel)
        }
        if (q.to !== undefined) {
          where.push('recipient = ?')
          params.push(q.to)
        }
        const cursor = decodeCursor(q.cursor)
        if (cursor) {
          const after = sqliteAfter(cursor)
          where.push(after.sql)
          params.push(...after.params)
        }
        return page(`SELECT * FROM notifications WHERE ${where.join(' AND ')}`, params, clampLimit(q.limit), (r) =>
          fromRow(r as unknown as NotificationRow),
        )
      },
    },
    inbox: {
      async put(item) {
        return putInbox(item) === 1
      },
      async list(userId, p = {}) {
        const where = ['user_id = ?']
        const params: unknown[] = [userId]
        const cursor = decodeCursor(p.cursor)
        if (cursor) {
          const after = sqliteAfter(cursor)
          where.push(after.sql)
          params.push(...after.params)
        }
        return page(`SELECT doc, read_at, id, created_at FROM inbox WHERE ${where.join(' AND ')}`, params, clampLimit(p.limit), inboxFromRow)
      },
      async markRead(userId, ids, at) {
        if (ids === 'all') return st.inboxReadAll.run(at, userId).changes
        if (ids.length === 0) return 0
        return db
          .prepare(`UPDATE inbox SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND id IN (${ids.map(() => '?').join(',')})`)
          .run(at, userId, ...ids).changes
      },
      async unread(userId) {
        return (st.inboxUnread.get(userId) as { n: number }).n
      },
    },
    robots: {
      async get(communityId, scope) {
        const row = st.robotGet.get(`${communityId}:${scope}`) as { doc: string } | undefined
        return row ? (JSON.parse(row.doc) as RobotConfig) : null
      },
      async list(communityId) {
        const rows = (communityId === undefined ? st.robotsAll.all() : st.robotsOf.all(communityId)) as { doc: string }[]
        return rows.map((r) => JSON.parse(r.doc) as RobotConfig)
      },
      async put(r) {
        st.robotPut.run({ id: r.id, communityId: r.communityId, doc: JSON.stringify(r) })
      },
      async recentPosts(key, now, windowMs) {
        const row = st.postsGet.get(key) as { times: string } | undefined
        return (row ? (JSON.parse(row.times) as number[]) : []).filter((t) => t > now - windowMs && t <= now)
      },
      async takeSlots(key, now, want, max, windowMs) {
        return takeSlotsTx(key, now, want, max, windowMs)
      },
    },
    consents: {
      async grant(userId, template, n, now) {
        return (st.consentGrant.get({ userId, template, n, now }) as { left_count: number }).left_count
      },
      async take(userId, template, now) {
        return st.consentTake.run(now, userId, template).changes === 1
      },
      async counts(userId) {
        const rows = st.consentCounts.all(userId) as { template: string; left_count: number }[]
        return Object.fromEntries(rows.map((r) => [r.template, r.left_count]))
      },
    },
  }
}
