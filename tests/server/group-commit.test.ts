/**
 * The host's group commit (adapters/sqlite-group-commit.ts) on a real SQLite file: writes joined in
 * one turn are invisible to another connection until the COMMIT, visible once settled() resolves;
 * a store transaction that fails inside the batch rolls back alone; a failed COMMIT rejects its
 * waiters; and over HTTP an acknowledged order is already in the file when the answer arrives.
 */
import Database from 'better-sqlite3'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openSqlite } from '../../src/server/adapters/sqlite'
import { groupCommit } from '../../src/server/adapters/sqlite-group-commit'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { startHost, type RunningHost } from '../support/host'

const person = (id: string) => ({ id, name: '测试', phone: '', households: [], squadOf: null, coordinatorOf: null, createdAt: 1 })

describe('group commit', () => {
  it('commits a turn of writes at once, after which another connection sees them', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zhaijia-gc-')), 'gc.db')
    const store = openSqlite({ file })
    const commits = groupCommit(store.db)
    const other = new Database(file, { readonly: true })
    const seen = (id: string) => other.prepare('SELECT count(*) AS n FROM people WHERE id = ?').get(id) as { n: number }

    commits.join()
    await store.people.put(person('p-a'))
    commits.join() // already open: same transaction
    await store.people.put(person('p-b'))
    expect(store.db.inTransaction).toBe(true)
    expect(seen('p-a').n).toBe(0)
    await commits.settled()
    expect(store.db.inTransaction).toBe(false)
    expect(seen('p-a').n).toBe(1)
    expect(seen('p-b').n).toBe(1)
    // Nothing open: settled() answers at once, and a write without join() commits by itself.
    await commits.settled()
    await store.people.put(person('p-c'))
    expect(seen('p-c').n).toBe(1)
    other.close()
    await store.close()
  })

  it('once a COMMIT carried two requests, the next batch stays open for the window and gathers later turns; a quiet batch commits at the end of its turn', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zhaijia-gc-')), 'gc.db')
    const store = openSqlite({ file })
    const commits = groupCommit(store.db, { windowMs: 40 })
    const turn = () => new Promise((r) => setImmediate(r))
    const commitsRun: string[] = []
    const exec = store.db.exec.bind(store.db)
    store.db.exec = ((sql: string) => {
      if (sql === 'COMMIT') commitsRun.push('COMMIT')
      return exec(sql)
    }) as typeof store.db.exec

    // Quiet: one request, committed at the end of its turn.
    commits.join()
    await store.people.put(person('p-1'))
    const one = commits.settled()
    await turn()
    expect(store.db.inTransaction).toBe(false)
    await one
    // Two requests in one turn: committed together at the end of it.
    commits.join()
    await store.people.put(person('p-2'))
    await store.people.put(person('p-3'))
    const both = Promise.all([commits.settled(), commits.settled()])
    await turn()
    await both
    expect(commitsRun).toHaveLength(2)
    // Busy now: a batch opened in this turn is still open in the next one and takes its writes too.
    commits.join()
    await store.people.put(person('p-4'))
    const a = commits.settled()
    await turn()
    await turn()
    expect(store.db.inTransaction).toBe(true)
    commits.join()
    await store.people.put(person('p-5'))
    const b = commits.settled()
    await Promise.all([a, b])
    expect(commitsRun).toHaveLength(3)
    expect(store.db.inTransaction).toBe(false)
    // That batch carried two: the window holds; a later single request after it commits alone, and
    // the batch after that (one request) is quiet again.
    commits.join()
    await store.people.put(person('p-6'))
    await commits.settled()
    commits.join()
    await store.people.put(person('p-7'))
    const last = commits.settled()
    await turn()
    expect(store.db.inTransaction).toBe(false)
    await last
    expect(commitsRun).toHaveLength(5)
    await store.close()
  })

  it('beforeNextBatch runs at once when no batch is open, else right before the next BEGIN, outside any transaction', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zhaijia-gc-')), 'gc.db')
    const store = openSqlite({ file })
    const commits = groupCommit(store.db)
    const ran: boolean[] = []
    commits.beforeNextBatch(() => ran.push(store.db.inTransaction))
    expect(ran).toEqual([false])
    commits.join()
    await store.people.put(person('p-x'))
    commits.beforeNextBatch(() => ran.push(store.db.inTransaction))
    expect(ran).toEqual([false])
    await commits.settled()
    expect(ran).toEqual([false])
    commits.join()
    expect(ran).toEqual([false, false])
    expect(store.db.inTransaction).toBe(true)
    await commits.settled()
    await store.close()
  })

  it('rolls back a failed store transaction alone, keeping the rest of the batch', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zhaijia-gc-')), 'gc.db')
    const store = openSqlite({ file })
    const commits = groupCommit(store.db)
    commits.join()
    await store.people.put(person('p-kept'))
    const failing = store.db.transaction(() => {
      store.db.prepare(`INSERT INTO people (id, doc) VALUES ('p-gone', '{}')`).run()
      throw new Error('handler refused')
    })
    expect(() => failing()).toThrow('handler refused')
    await commits.settled()
    const ids = (store.db.prepare('SELECT id FROM people ORDER BY id').all() as { id: string }[]).map((r) => r.id)
    expect(ids).toContain('p-kept')
    expect(ids).not.toContain('p-gone')
    await store.close()
  })

  it('rejects the waiters of a COMMIT that fails, and leaves nothing half-written', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zhaijia-gc-')), 'gc.db')
    const store = openSqlite({ file })
    store.db.pragma('foreign_keys = ON')
    // A deferred foreign key is only checked at COMMIT: the batch's COMMIT fails on it.
    store.db.exec(`CREATE TABLE parent (id TEXT PRIMARY KEY);
      CREATE TABLE child (id TEXT PRIMARY KEY, parent TEXT REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);`)
    const commits = groupCommit(store.db)
    commits.join()
    await store.people.put(person('p-batch'))
    store.db.prepare(`INSERT INTO child (id, parent) VALUES ('c1', 'missing')`).run()
    await expect(commits.settled()).rejects.toThrow(/FOREIGN KEY/)
    expect(store.db.inTransaction).toBe(false)
    expect(store.db.prepare(`SELECT count(*) AS n FROM people WHERE id = 'p-batch'`).get()).toEqual({ n: 0 })
    await store.close()
  })
})

describe('the host answers after the COMMIT', () => {
  let host: RunningHost | null = null
  afterEach(async () => {
    await host?.stop()
    host = null
  })

  it('an acknowledged order is in the file (read by another connection) when the answer arrives', async () => {
    host = await startHost()
    const token = await host.signIn(DEMO_PEOPLE.zhao)
    const other = new Database(join(host.dataDir, 'zhaijia.db'), { readonly: true })
    // Each answer is checked the moment it arrives, while the other requests are still in flight.
    const stored = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        host!
          .api<{ id: string }>(token, 'order.place', { requestId: `gc-order-${i}`, kind: 'supplies', urgency: 'normal', lines: [{ itemId: 'rice', qty: 1 }] })
          .then((r) => (r.ok ? other.prepare('SELECT status FROM orders WHERE id = ?').get(r.data.id) : r)),
      ),
    )
    expect(stored).toEqual(Array.from({ length: 8 }, () => ({ status: 'pending' })))
    other.close()
  })
})
