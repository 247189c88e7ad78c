/**
 * A digest of everything a SQLite store holds: every row of every table, in rowid order, one hash
 * per table. Equal digests before and after a call prove the call wrote nothing; unequal ones name
 * the table that changed.
 */
import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'

export function sqliteDigest(
  db: Database.Database,
  /** Rows left out of the digest (e.g. the caller's own rate counter). */
  skip: (table: string, row: Record<string, unknown>) => boolean = () => false,
): Record<string, string> {
  const out: Record<string, string> = {}
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all() as { name: string }[]
  for (const { name } of tables) {
    const h = createHash('sha256')
    let rows = 0
    for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).iterate() as Iterable<Record<string, unknown>>) {
      if (skip(name, row)) continue
      h.update(JSON.stringify(row))
      h.update('\u0000')
      rows++
    }
    out[name] = `${rows}:${h.digest('hex').slice(0, 16)}`
  }
  return out
}

/**
 * A refusal may count against the caller's own rate limit (core/rate-limit.ts: the per-person rule
 * counts every mutating attempt, so a script hammering refusals is stopped too), and a slot given
 * back leaves a row at 0. Neither is a change to anyone else's data.
 */
export const callerRateRows = (callerId: string) => (table: string, row: Record<string, unknown>) =>
  table === 'attempts' && (row.key === `rate-person.${callerId}` || row.count === 0)
