import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { MIGRATIONS, openSqlite } from '../src/server/adapters/sqlite'
import { makeCommunity, makeFullOrder, makeHousehold, makeOrder, makePerson, T0 } from './support/fixtures'

describe('sqlite adapter on a real file', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zhaijia-sqlite-'))
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps data across close and reopen', async () => {
    const file = join(dir, 'nested', 'zhaijia.db')
    const order = makeFullOrder()
    const household = makeHousehold({ id: order.householdId, code: 'ZJ-PERSIST' })
    const person = makePerson({ households: [household.id] })
    const community = makeCommunity({ id: order.communityId })

    const first = openSqlite({ file })
    await first.orders.insert(order)
    await first.households.put(household)
    await first.people.put(person)
    await first.communities.put(community)
    await first.close()

    const second = openSqlite({ file })
    try {
      expect(await second.orders.get(order.id)).toEqual(order)
      expect(await second.households.findByCode('ZJ-PERSIST')).toEqual(household)
      expect(await second.people.listByHousehold(household.id)).toEqual([person])
      expect(await second.communities.get(community.id)).toEqual(community)
      expect((await second.orders.list({ communityId: order.communityId })).items).toEqual([order])
    } finally {
      await second.close()
    }
  })

  it('runs migrations once: user_version and schema are unchanged on reopen', async () => {
    const file = join(dir, 'zhaijia.db')
    const schemaOf = (db: ReturnType<typeof openSqlite>['db']) =>
      db.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY type, name`).all()

    const first = openSqlite({ file })
    const version = first.db.pragma('user_version', { simple: true }) as number
    const schema = schemaOf(first.db)
    await first.orders.insert(makeFullOrder())
    await first.close()
    expect(version).toBeGreaterThan(0)

    for (let i = 0; i < 2; i++) {
      const again = openSqlite({ file })
      try {
        expect(again.db.pragma('user_version', { simple: true })).toBe(version)
        expect(schemaOf(again.db)).toEqual(schema)
        expect((await again.orders.list({})).items).toHaveLength(1)
      } finally {
        await again.close()
      }
    }
  })

  it('upgrades a file written before the board and deadline columns were plain: the board and the timer job find the same orders', async () => {
    const file = join(dir, 'old.db')
    // The schema as it was before the columns became plain, with orders written by that version's
    // INSERT (its watch_at, urgency and board_at were VIRTUAL columns computed from the document).
    const before = MIGRATIONS.findIndex((m) => m.includes('DROP COLUMN board_at'))
    expect(before).toBeGreaterThan(0)
    const old = new Database(file)
    old.pragma('journal_mode = WAL')
    for (const m of MIGRATIONS.slice(0, before)) old.exec(m)
    old.pragma(`user_version = ${before}`)
    const waiting = makeOrder({ communityId: 'c-up', urgency: 'urgent', claimDueAt: T0 + 30 * 60_000, dueAt: T0 + 4 * 3600_000, watchAt: T0 + 30 * 60_000 })
    const late = makeOrder({ communityId: 'c-up', dueAt: T0 - 60_000, watchAt: T0 - 60_000 })
    const done = makeFullOrder({ communityId: 'c-up' })
    const insert = old.prepare(
      `INSERT INTO orders (id, community_id, household_id, status, holder_id, partner_id, created_at, version, doc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    for (const o of [waiting, late, done]) {
      insert.run(o.id, o.communityId, o.householdId, o.status, o.holder?.id ?? null, o.partner?.id ?? null, o.createdAt, o.version, JSON.stringify(o))
    }
    old.close()

    const store = openSqlite({ file })
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
      const cols = store.db.prepare(`SELECT id, watch_at AS w, urgency AS u, board_at AS b FROM orders ORDER BY id`).all()
      expect(cols).toEqual(
        [
          { id: waiting.id, w: T0 + 30 * 60_000, u: 'urgent', b: T0 + 30 * 60_000 },
          { id: late.id, w: T0 - 60_000, u: 'normal', b: T0 - 60_000 },
          { id: done.id, w: done.watchAt ?? null, u: 'urgent', b: done.dueAt },
        ].sort((a, b) => (a.id < b.id ? -1 : 1)),
      )
      const page = await store.orders.board({ communityId: 'c-up', now: T0, limit: 10 })
      expect(page.items.map((o) => o.id)).toEqual([late.id, waiting.id])
      expect([page.total, page.overdue]).toEqual([2, 1])
      expect((await store.orders.listDue(T0, 10)).map((o) => o.id)).toEqual([late.id])
      // Written by this version: the columns follow the document on every update.
      expect(await store.orders.update({ ...waiting, status: 'claimed', version: 2, watchAt: T0 + 3600_000 }, { status: 'pending', version: 1 })).toBe(true)
      expect(store.db.prepare(`SELECT watch_at AS w FROM orders WHERE id = ?`).get(waiting.id)).toEqual({ w: T0 + 3600_000 })
      expect((await store.orders.board({ communityId: 'c-up', now: T0, limit: 10 })).items.map((o) => o.id)).toEqual([late.id])
    } finally {
      await store.close()
    }
  })
})
