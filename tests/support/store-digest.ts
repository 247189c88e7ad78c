/**
 * A digest of everything a SQLite store holds: every row of every table, in rowid order, one hash
 * per table. Equal digests before and after a call prove the call wrote nothing; unequal ones name
 * the table that changed. Rows are concatenated by SQLite itself (quote() of every column), so a
 * digest of the whole world costs about a millisecond.
 */
import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'

export interface RowFilter {
  table: string
  /** Rows of `table` left out of the digest. */
  skip: (row: Record<string, unknown>) => boolean
}

const plans = new WeakMap<Database.Database, Map<string, Database.Statement>>()

function planFor(db: Database.Database): Map<string, Database.Statement> {
  let plan = plans.get(db)
  if (plan) return plan
  plan = new Map()
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all() as { name: string }[]
  for (const { name } of tables) {
    const cols = (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => `quote("${c.name}")`)
    plan.set(name, db.prepare(`SELECT count(*) AS n, group_concat(r, char(10)) AS s FROM (SELECT ${cols.join(` || ',' || `)} AS r FROM "${name}" ORDER BY rowid)`))
  }
  plans.set(db, plan)
  return plan
}

export function sqliteDigest(db: Database.Database, filter?: RowFilter): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, st] of planFor(db)) {
    if (filter && filter.table === name) {
      const rows = (db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all() as Record<string, unknown>[]).filter((r) => !filter.skip(r))
      out[name] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16)}`
      continue
    }
    const { n, s } = st.get() as { n: number; s: string | null }
    out[name] = `${n}:${createHash('sha256').update(s ?? '').digest('hex').slice(0, 16)}`
  }
  return out
}

/**
 * A refusal may count against the caller's own counters, by design: the per-person rate limit
 * (core/rate-limit.ts: every mutating attempt, so a script hammering refusals is stopped too) and
 * the wrong-code lockouts (usecases/attempt-limit.ts: `join.<person>`, `squad-join-lock.<person>`…);
 * a slot given back leaves a row at 0. None of these is a change to anyone else's data.
 */
export const isCallerCounter = (callerId: string, key: unknown, count: unknown): boolean =>
  count === 0 || (typeof key === 'string' && key.endsWith(`.${callerId}`))
export const callerRateRows = (callerId: string): RowFilter => ({
  table: 'attempts',
  skip: (row) => isCallerCounter(callerId, row.key, row.count),
})

/**
 * Watches a store across many calls: `changed()` names the tables whose rows differ from the last
 * time it was asked. SQLite's total_changes() says whether anything was written at all, so the
 * digest is recomputed only after a write (most refusals write nothing).
 */
export function sqliteWatch(db: Database.Database, filter?: RowFilter) {
  const totalChanges = db.prepare('SELECT total_changes() AS n')
  const writes = () => (totalChanges.get() as { n: number }).n
  let seen = writes()
  let last = sqliteDigest(db, filter)
  return {
    changed(): string[] {
      const n = writes()
      if (n === seen) return []
      seen = n
      const now = sqliteDigest(db, filter)
      const diff = Object.keys(now).filter((t) => now[t] !== last[t])
      last = now
      return diff
    },
  }
}
