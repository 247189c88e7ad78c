/**
 * SQLite adapter (better-sqlite3): the local host's store and the tests' real database.
 * Each aggregate is a JSON document plus the columns its queries and guards need.
 * WAL mode; schema changes go through MIGRATIONS (PRAGMA user_version).
 */
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
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
  type SetupClaim,
  type SquadInvite,
  type Store,
  type BoardPage,
  type BoardQuery,
} from '../ports'
import { decodeCursor, encodeCursor, sqliteAfter } from './cursor'
import { BOARD_SEGMENTS, boardAt, boardCursorAfter, decodeBoardCursor } from '../../core/order/board-page'
import type { Notification } from '../../core/notify/types'
import { NOTIFY_MIGRATION, openSqliteNotify } from './sqlite-notify'
import { orderUpdater } from './sqlite-order-update'
import { FIGURES_MIGRATION, openSqliteFigures } from './sqlite-figures'
import { openSqliteRegister } from './sqlite-register'
import { openSqliteCampaigns } from './sqlite-campaigns'
import { openSqliteAudit } from './sqlite-audit'
import { openSqliteRetention } from './sqlite-retention'

export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE communities (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
   CREATE TABLE households (
     id TEXT PRIMARY KEY, community_id TEXT NOT NULL, code TEXT NOT NULL UNIQUE, doc TEXT NOT NULL);
   CREATE INDEX households_community ON households(community_id, id);
   CREATE TABLE people (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
   CREATE TABLE person_households (
     person_id TEXT NOT NULL, household_id TEXT NOT NULL, PRIMARY KEY (household_id, person_id));
   CREATE TABLE orders (
     id TEXT PRIMARY KEY, community_id TEXT NOT NULL, household_id TEXT NOT NULL, status TEXT NOT NULL,
     holder_id TEXT, partner_id TEXT, created_at INTEGER NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL);
   CREATE INDEX orders_community_status ON orders(community_id, status, created_at DESC, id DESC);
   CREATE INDEX orders_household ON orders(household_id, created_at DESC, id DESC);
   CREATE INDEX orders_holder ON orders(holder_id, created_at DESC, id DESC);`,
  // Attempt counters (AttemptRepo): wrong household codes per person per minute, and join locks.
  `CREATE TABLE attempts (key TEXT NOT NULL, bucket INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (key, bucket));`,
  // Notifications: outbox, inbox, group robots and subscribe consents (sqlite-notify.ts).
  NOTIFY_MIGRATION,
  // Squad invite codes (InviteRepo).
  `CREATE TABLE invites (
     code TEXT PRIMARY KEY, community_id TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
     used_by TEXT, doc TEXT NOT NULL);
   CREATE INDEX invites_community ON invites(community_id, created_at DESC, code DESC);`,
  // A community's orders newest first without a sort (the coordinator's 今日下单 scan).
  `CREATE INDEX orders_community_created ON orders(community_id, created_at DESC, id DESC);`,
  // The coordinator's figures of settled days (FiguresRepo).
  FIGURES_MIGRATION,
  // One-time setup codes taken (SetupRepo), keyed by the code's SHA-256.
  `CREATE TABLE setup_claims (code_hash TEXT PRIMARY KEY, person_id TEXT NOT NULL, doc TEXT NOT NULL);`,
  // Deadlines: the timer job's due orders (orders.listDue: watchAt, core/order/deadlines.ts) and
  // orders changed since an instant (an updated_at column, unused since 今日送达 per grid reads by placing time). Columns derived from the
  // document, so inserts and updates stay as they are. Open orders stored before deadlines existed
  // are watched for their delivery deadline (dueAt).
  `ALTER TABLE orders ADD COLUMN watch_at INTEGER GENERATED ALWAYS AS (json_extract(doc, '$.watchAt')) VIRTUAL;
   ALTER TABLE orders ADD COLUMN updated_at INTEGER GENERATED ALWAYS AS (json_extract(doc, '$.updatedAt')) VIRTUAL;
   CREATE INDEX orders_watch ON orders(watch_at) WHERE watch_at IS NOT NULL;
   CREATE INDEX orders_community_updated ON orders(community_id, status, updated_at);
   UPDATE orders SET doc = json_set(doc, '$.watchAt', json_extract(doc, '$.dueAt'))
     WHERE status IN ('pending', 'claimed', 'delivering', 'at_door') AND json_extract(doc, '$.watchAt') IS NULL
       AND json_extract(doc, '$.deliverOverdueAt') IS NULL;`,
  // QR door badges (households.findByBadge): the badge code, derived from the document; unique.
  `ALTER TABLE households ADD COLUMN badge TEXT GENERATED ALWAYS AS (json_extract(doc, '$.badge')) VIRTUAL;
   CREATE UNIQUE INDEX households_badge ON households(badge) WHERE badge IS NOT NULL;`,
  // The squad board in the store's order (orders.board, core/order/board-page.ts): waiting orders
  // by urgency and board deadline (claimDueAt, else dueAt), a partial index over pending only.
  `ALTER TABLE orders ADD COLUMN urgency TEXT GENERATED ALWAYS AS (json_extract(doc, '$.urgency')) VIRTUAL;
   ALTER TABLE orders ADD COLUMN board_at INTEGER GENERATED ALWAYS AS (
     MIN(COALESCE(json_extract(doc, '$.claimDueAt'), json_extract(doc, '$.dueAt')), json_extract(doc, '$.dueAt'))) VIRTUAL;
   CREATE INDEX orders_board ON orders(community_id, urgency, board_at, id) WHERE status = 'pending';`,
  // A squad member's open tasks (squad.tasks) among everything they ever held or helped with.
  `CREATE INDEX orders_holder_status ON orders(holder_id, status, created_at DESC, id DESC);
   CREATE INDEX orders_partner_status ON orders(partner_id, status, created_at DESC, id DESC);`,
  // The columns the deadline and board indexes read become plain columns the adapter writes with the
  // document (orderColumns below), instead of VIRTUAL columns: SQLite evaluated their json_extract on
  // the old and the new document of every write, which cost more than half of an order update under
  // the morning rush (bench/rush.ts). updated_at and its index had no reader left and go.
  `DROP INDEX orders_community_updated;
   DROP INDEX orders_watch;
   DROP INDEX orders_board;
   ALTER TABLE orders DROP COLUMN updated_at;
   ALTER TABLE orders DROP COLUMN watch_at;
   ALTER TABLE orders DROP COLUMN board_at;
   ALTER TABLE orders DROP COLUMN urgency;
   ALTER TABLE orders ADD COLUMN watch_at INTEGER;
   ALTER TABLE orders ADD COLUMN urgency TEXT;
   ALTER TABLE orders ADD COLUMN board_at INTEGER;
   UPDATE orders SET watch_at = json_extract(doc, '$.watchAt'), urgency = json_extract(doc, '$.urgency'),
     board_at = MIN(COALESCE(json_extract(doc, '$.claimDueAt'), json_extract(doc, '$.dueAt')), json_extract(doc, '$.dueAt'));
   CREATE INDEX orders_watch ON orders(watch_at) WHERE watch_at IS NOT NULL;
   CREATE INDEX orders_board ON orders(community_id, urgency, board_at, id) WHERE status = 'pending';`,
  // A squad member's orders (holder or partner) only for orders that have one: a waiting order has
  // no holder and most orders never have a partner, and their NULL entries were a third of the
  // cost of an order insert. orders_holder (no status) had no query left: every holder query names
  // its statuses (squad.tasks, deactivation), and holder_id = ? implies holder_id IS NOT NULL.
  `DROP INDEX orders_holder;
   DROP INDEX orders_holder_status;
   DROP INDEX orders_partner_status;
   CREATE INDEX orders_holder_status ON orders(holder_id, status, created_at DESC, id DESC) WHERE holder_id IS NOT NULL;
   CREATE INDEX orders_partner_status ON orders(partner_id, status, created_at DESC, id DESC) WHERE partner_id IS NOT NULL;`,
]

export interface SqliteOptions {
  /** File path, or ':memory:' (the default in tests). */
  file: string
  /** Called with every statement run (better-sqlite3 `verbose`): the bench's query plans. */
  trace?: (sql: string) => void
}

export function openSqlite(opts: SqliteOptions): Store & { db: Database.Database } {
  if (opts.file !== ':memory:') mkdirSync(dirname(opts.file), { recursive: true })
  // Durability: a commit in WAL mode is appended to the -wal file before better-sqlite3 returns, so
  // it is in the OS page cache when the answer leaves; a killed process (SIGKILL, crash) loses
  // nothing acknowledged, and the next open replays the WAL (tests/server/durability.test.ts kills
  // the host mid-burst). synchronous = NORMAL skips the fsync per commit; only a power loss or OS
  // crash could drop the last commits, which would need FULL (an fsync per commit) — not worth it
  // for a host whose machine failing loses more than the last second anyway.
  const db = new Database(opts.file, opts.trace ? { verbose: (sql) => opts.trace!(String(sql)) } : {})
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  // 64 MB of pages in the connection (SQLite's default is 2 MB): a running host's orders, people
  // and indexes stay in memory instead of being read back through the OS on every request.
  db.pragma('cache_size = -65536')
  migrate(db)

  const parse = <T>(row: { doc: string } | undefined): T | null => (row ? (JSON.parse(row.doc) as T) : null)
  // orders.list builds its SQL from the query's shape (a few dozen shapes): each is prepared once,
  // not on every call (preparing was a visible share of the board's cost under load).
  const statements = new Map<string, Database.Statement>()
  const prepared = (sql: string): Database.Statement => {
    let s = statements.get(sql)
    if (!s) {
      if (statements.size >= 500) statements.clear()
      statements.set(sql, (s = db.prepare(sql)))
    }
    return s
  }

  const st = {
    orderInsert: db.prepare(
      `INSERT INTO orders (id, community_id, household_id, status, holder_id, partner_id, created_at, version, watch_at, urgency, board_at, doc)
       VALUES (@id, @communityId, @householdId, @status, @holderId, @partnerId, @createdAt, @version, @watchAt, @urgency, @boardAt, @doc)
       ON CONFLICT(id) DO NOTHING`,
    ),
    orderGet: db.prepare(`SELECT doc FROM orders WHERE id = ?`),
    householdGet: db.prepare(`SELECT doc FROM households WHERE id = ?`),
    householdByCode: db.prepare(`SELECT doc FROM households WHERE code = ?`),
    householdByBadge: db.prepare(`SELECT doc FROM households WHERE badge = ?`),
    householdPut: db.prepare(
      `INSERT INTO households (id, community_id, code, doc) VALUES (@id, @communityId, @code, @doc)
       ON CONFLICT(id) DO UPDATE SET community_id = excluded.community_id, code = excluded.code, doc = excluded.doc`,
    ),
    personGet: db.prepare(`SELECT doc FROM people WHERE id = ?`),
    personPut: db.prepare(`INSERT INTO people (id, doc) VALUES (@id, @doc) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc`),
    personLinksDelete: db.prepare(`DELETE FROM person_households WHERE person_id = ?`),
    personLinkInsert: db.prepare(`INSERT OR IGNORE INTO person_households (person_id, household_id) VALUES (?, ?)`),
    peopleByHousehold: db.prepare(
      `SELECT p.doc FROM person_households l JOIN people p ON p.id = l.person_id WHERE l.household_id = ? ORDER BY p.id`,
    ),
    communityGet: db.prepare(`SELECT doc FROM communities WHERE id = ?`),
    attemptAdd: db.prepare(
      `INSERT INTO attempts (key, bucket, count) VALUES (?, ?, ?)
       ON CONFLICT(key, bucket) DO UPDATE SET count = count + excluded.count`,
    ),
    attemptList: db.prepare(
      `SELECT bucket, count FROM attempts WHERE key = ? AND bucket >= ? ORDER BY bucket DESC LIMIT ${MAX_PAGE}`,
    ),
    // One board segment (core/order/board-page.ts), from the partial index orders_board.
    boardOverdue: db.prepare(
      `SELECT doc FROM orders WHERE community_id = @c AND status = 'pending' AND urgency = @u AND board_at <= @asOf
         AND (board_at > @at OR (board_at = @at AND id > @id)) ORDER BY board_at, id LIMIT @n`,
    ),
    boardFresh: db.prepare(
      `SELECT doc FROM orders WHERE community_id = @c AND status = 'pending' AND urgency = @u AND board_at > @asOf
         AND (board_at > @at OR (board_at = @at AND id > @id)) ORDER BY board_at, id LIMIT @n`,
    ),
    // The board's two counts from the same partial index, never from the documents: the total walks
    // the community's pending entries of the index only (board_at is a generated column; reading it
    // from the table parsed every waiting order's JSON, 4.7 ms at 3,000 waiting), and the overdue
    // count is one index range per urgency, as long as the overdue orders.
    boardTotal: db.prepare(
      `SELECT COUNT(*) AS n FROM orders INDEXED BY orders_board
       WHERE community_id = @c AND status = 'pending' AND urgency IN ('urgent', 'normal')`,
    ),
    boardOverdueCount: db.prepare(
      `SELECT COUNT(*) AS n FROM orders INDEXED BY orders_board
       WHERE community_id = @c AND status = 'pending' AND urgency IN ('urgent', 'normal') AND board_at <= @asOf`,
    ),
    communityPut: db.prepare(
      `INSERT INTO communities (id, doc) VALUES (@id, @doc) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc`,
    ),
    communityUpdate: db.prepare(
      `UPDATE communities SET doc = @doc WHERE id = @id AND COALESCE(json_extract(doc, '$.revision'), 0) = @expect`,
    ),
  }

  const orderParams = (o: Order) => ({
    id: o.id,
    communityId: o.communityId,
    householdId: o.householdId,
    status: o.status,
    holderId: o.holder?.id ?? null,
    partnerId: o.partner?.id ?? null,
    createdAt: o.createdAt,
    version: o.version,
    // The index columns, from the document (the migration above backfilled them the same way).
    watchAt: typeof o.watchAt === 'number' ? o.watchAt : null,
    urgency: o.urgency ?? null,
    boardAt: typeof o.dueAt === 'number' ? boardAt(o) : null,
    doc: JSON.stringify(o),
  })

  const listAttempts = (key: string, since: number): AttemptCount[] =>
    (st.attemptList.all(key, since) as AttemptCount[]).reverse()
  // One transaction: the counters returned are exactly the state right after this add.
  const addAttempt = db.transaction((key: string, bucket: number, delta: number, since: number) => {
    st.attemptAdd.run(key, bucket, delta)
    return listAttempts(key, since)
  })

  const putPerson = db.transaction((p: Person) => {
    st.personPut.run({ id: p.id, doc: JSON.stringify(p) })
    st.personLinksDelete.run(p.id)
    for (const h of p.households) st.personLinkInsert.run(p.id, h)
  })

  // An order and its outbox are one transaction: both are written, or neither.
  const notify = openSqliteNotify(db)
  const insertOrder = db.transaction((order: Order, outbox: readonly Notification[]) => {
    const created = st.orderInsert.run(orderParams(order)).changes === 1
    if (created) notify.writeOutbox(outbox)
    return created
  })
  const updateOrderRow = orderUpdater(db)
  const updateOrder = db.transaction(
    (next: Order, expect: { status: string; version: number }, outbox: readonly Notification[]) => {
      // Assigns only the index columns that change (sqlite-order-update.ts).
      const won = updateOrderRow(Object.assign(orderParams(next), { expectStatus: expect.status, expectVersion: expect.version }))
      if (won) notify.writeOutbox(outbox)
      return won
    },
  )

  return {
    db,
    orders: {
      async insert(order, outbox = []) {
        if (insertOrder(order, outbox)) return { order, created: true }
        const existing = parse<Order>(st.orderGet.get(order.id) as { doc: string } | undefined)
        if (!existing) throw new Error('order insert conflicted but no row found')
        return { order: existing, created: false }
      },
      async get(id) {
        return parse<Order>(st.orderGet.get(id) as { doc: string } | undefined)
      },
      async update(next, expect, outbox = []) {
        return updateOrder(next, expect, outbox)
      },
      async list(q: OrderQuery): Promise<Page<Order>> {
        if (q.householdIds?.length === 0 || q.statuses?.length === 0) return { items: [], next: null }
        // The time conditions every shape shares: the placed-at range and the page's cursor.
        const time: string[] = []
        const timeParams: unknown[] = []
        if (q.createdFrom !== undefined) {
          time.push('created_at >= ?')
          timeParams.push(q.createdFrom)
        }
        if (q.createdBefore !== undefined) {
          time.push('created_at < ?')
          timeParams.push(q.createdBefore)
        }
        const cursor = decodeCursor(q.cursor)
        if (cursor) {
          const after = sqliteAfter(cursor)
          time.push(after.sql)
          timeParams.push(...after.params)
        }
        const limit = clampLimit(q.limit)
        const newest = `ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`
        let sql: string
        let params: unknown[]
        if (q.communityId !== undefined && q.statuses !== undefined && q.holderId === undefined && q.householdIds === undefined) {
          // A community's orders of some statuses (the open ones: the figures, the map, the jobs): one
          // range of orders_community_status per status, each newest first and cut at the page, then
          // merged. (One search for all the statuses sorted every matching order below the cursor on
          // every page: with 20,000 waiting orders a full read of them was quadratic.)
          const arm = `SELECT * FROM (SELECT doc, created_at, id FROM orders INDEXED BY orders_community_status
            WHERE ${['community_id = ?', 'status = ?', ...time].join(' AND ')} ${newest})`
          sql = `${q.statuses.map(() => arm).join(' UNION ALL ')} ORDER BY 2 DESC, 3 DESC LIMIT ${limit + 1}`
          params = q.statuses.flatMap((status) => [q.communityId, status, ...timeParams])
        } else {
          const where: string[] = []
          params = []
          if (q.communityId !== undefined) {
            where.push('community_id = ?')
            params.push(q.communityId)
          }
          if (q.householdIds !== undefined) {
            where.push(`household_id IN (${q.householdIds.map(() => '?').join(',')})`)
            params.push(...q.householdIds)
          }
          const statusIn = q.statuses ? `status IN (${q.statuses.map(() => '?').join(',')})` : null
          if (q.holderId !== undefined) {
            // Each branch of the OR carries the statuses, so each is one search of its own index
            // (orders_holder_status, orders_partner_status), never the holder's whole history.
            if (statusIn) {
              where.push(`((holder_id = ? AND ${statusIn}) OR (partner_id = ? AND ${statusIn}))`)
              params.push(q.holderId, ...q.statuses!, q.holderId, ...q.statuses!)
            } else {
              where.push('(holder_id = ? OR partner_id = ?)')
              params.push(q.holderId, q.holderId)
            }
          } else if (statusIn) {
            where.push(statusIn)
            params.push(...q.statuses!)
          }
          where.push(...time)
          params.push(...timeParams)
          sql = `SELECT doc FROM orders ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ${newest}`
        }
        const rows = prepared(sql).all(...params) as { doc: string }[]
        const items = rows.slice(0, limit).map((r) => JSON.parse(r.doc) as Order)
        const last = items[items.length - 1]
        return { items, next: rows.length > limit && last ? encodeCursor(last) : null }
      },
      async board(q: BoardQuery): Promise<BoardPage> {
        const limit = clampLimit(q.limit)
        const cursor = decodeBoardCursor(q.cursor)
        const asOf = cursor?.asOf ?? q.now
        const docs: string[] = []
        for (const seg of BOARD_SEGMENTS) {
          if (docs.length > limit) break
          if (cursor && seg.segment < cursor.segment) continue
          const after = cursor && seg.segment === cursor.segment ? { at: cursor.boardAt, id: cursor.id } : { at: Number.MIN_SAFE_INTEGER, id: '' }
          const stmt = seg.overdue ? st.boardOverdue : st.boardFresh
          const rows = stmt.all({ c: q.communityId, u: seg.urgency, asOf, at: after.at, id: after.id, n: limit + 1 - docs.length }) as { doc: string }[]
          for (const r of rows) docs.push(r.doc)
        }
        const items = docs.slice(0, limit).map((d) => JSON.parse(d) as Order)
        const last = items[items.length - 1]
        const total = (st.boardTotal.get({ c: q.communityId }) as { n: number }).n
        const overdue = (st.boardOverdueCount.get({ c: q.communityId, asOf }) as { n: number }).n
        return { items, next: docs.length > limit && last ? boardCursorAfter(last, asOf) : null, total, overdue }
      },
      async listDue(now, limit) {
        const rows = db
          .prepare(
            `SELECT doc FROM orders WHERE watch_at IS NOT NULL AND watch_at <= ?
               AND status IN ('pending', 'claimed', 'delivering', 'at_door')
             ORDER BY watch_at, id LIMIT ?`,
          )
          .all(now, clampLimit(limit)) as { doc: string }[]
        return rows.map((r) => JSON.parse(r.doc) as Order)
      },
    },
    households: {
      async get(id) {
        return parse<Household>(st.householdGet.get(id) as { doc: string } | undefined)
      },
      async findByCode(code) {
        return parse<Household>(st.householdByCode.get(code) as { doc: string } | undefined)
      },
      async findByBadge(badge) {
        return parse<Household>(st.householdByBadge.get(badge) as { doc: string } | undefined)
      },
      async listByCommunity(communityId, page = {}) {
        const limit = clampLimit(page.limit)
        const rows = db
          .prepare(`SELECT id, doc FROM households WHERE community_id = ? AND id > ? ORDER BY id LIMIT ?`)
          .all(communityId, page.cursor ?? '', limit + 1) as { id: string; doc: string }[]
        const items = rows.slice(0, limit).map((r) => JSON.parse(r.doc) as Household)
        return { items, next: rows.length > limit ? items[items.length - 1]!.id : null }
      },
      async put(h) {
        st.householdPut.run({ id: h.id, communityId: h.communityId, code: h.code, doc: JSON.stringify(h) })
      },
    },
    register: openSqliteRegister(db),
    people: {
      async get(id) {
        return parse<Person>(st.personGet.get(id) as { doc: string } | undefined)
      },
      async listByHousehold(householdId) {
        return (st.peopleByHousehold.all(householdId) as { doc: string }[]).map((r) => JSON.parse(r.doc) as Person)
      },
      async listSquad(communityId) {
        const rows = db
          .prepare(`SELECT doc FROM people WHERE json_extract(doc, '$.squadOf') = ? ORDER BY id`)
          .all(communityId) as { doc: string }[]
        return rows.map((r) => JSON.parse(r.doc) as Person)
      },
      async listFormerSquad(communityId) {
        const rows = db
          .prepare(`SELECT doc FROM people WHERE json_extract(doc, '$.squadFormerOf') = ? ORDER BY id`)
          .all(communityId) as { doc: string }[]
        return rows.map((r) => JSON.parse(r.doc) as Person)
      },
      async listCoordinators(communityId) {
        const rows = db
          .prepare(`SELECT doc FROM people WHERE json_extract(doc, '$.coordinatorOf') = ? ORDER BY id LIMIT ${MAX_PAGE}`)
          .all(communityId) as { doc: string }[]
        return rows.map((r) => JSON.parse(r.doc) as Person)
      },
      async put(p) {
        putPerson(p)
      },
    },
    invites: {
      async insert(i) {
        const r = db
          .prepare(
            `INSERT INTO invites (code, community_id, created_at, expires_at, used_by, doc) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT(code) DO NOTHING`,
          )
          .run(i.code, i.communityId, i.createdAt, i.expiresAt, i.usedBy, JSON.stringify(i))
        return r.changes === 1
      },
      async get(code) {
        return parse<SquadInvite>(db.prepare(`SELECT doc FROM invites WHERE code = ?`).get(code) as { doc: string } | undefined)
      },
      async use(code, personId, now) {
        // One conditional write: only an unused, unexpired code changes.
        const r = db
          .prepare(
            `UPDATE invites SET used_by = ?, doc = json_set(doc, '$.usedBy', ?, '$.usedAt', ?)
             WHERE code = ? AND used_by IS NULL AND expires_at > ?`,
          )
          .run(personId, personId, now, code, now)
        return r.changes === 1
      },
      async listByCommunity(communityId, limit) {
        const rows = db
          .prepare(`SELECT doc FROM invites WHERE community_id = ? ORDER BY created_at DESC, code DESC LIMIT ?`)
          .all(communityId, clampLimit(limit)) as { doc: string }[]
        return rows.map((r) => JSON.parse(r.doc) as SquadInvite)
      },
    },
    setup: {
      async claim(c) {
        const r = db
          .prepare(`INSERT INTO setup_claims (code_hash, person_id, doc) VALUES (?, ?, ?) ON CONFLICT(code_hash) DO NOTHING`)
          .run(c.codeHash, c.personId, JSON.stringify(c))
        return r.changes === 1
      },
      async get(codeHash) {
        return parse<SetupClaim>(db.prepare(`SELECT doc FROM setup_claims WHERE code_hash = ?`).get(codeHash) as { doc: string } | undefined)
      },
    },
    communities: {
      async get(id) {
        return parse<Community>(st.communityGet.get(id) as { doc: string } | undefined)
      },
      async list(limit) {
        const rows = db.prepare(`SELECT doc FROM communities ORDER BY id LIMIT ?`).all(clampLimit(limit)) as { doc: string }[]
        return rows.map((r) => JSON.parse(r.doc) as Community)
      },
      async put(c) {
        st.communityPut.run({ id: c.id, doc: JSON.stringify(c) })
      },
      async update(next, expectRevision) {
        return st.communityUpdate.run({ id: next.id, doc: JSON.stringify(next), expect: expectRevision }).changes === 1
      },
    },
    attempts: {
      async add(key, bucket, delta, since) {
        return addAttempt(key, bucket, delta, since)
      },
      async list(key, since) {
        return listAttempts(key, since)
      },
    },
    notifications: notify.notifications,
    inbox: notify.inbox,
    robots: notify.robots,
    consents: notify.consents,
    figures: openSqliteFigures(db),
    campaigns: openSqliteCampaigns(db),
    audit: openSqliteAudit(db),
    retention: openSqliteRetention(db),
    async close() {
      db.close()
    },
  }
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!)
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
}
