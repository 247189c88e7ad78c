/**
 * The order's compare-and-set on SQLite, assigning only the index columns that change.
 *
 * SQLite rewrites an index entry whenever the UPDATE assigns one of its columns, whether or not the
 * value changes (and every partial index whose WHERE names it). Nearly all of an order's updates are
 * doorstep steps, which change the document and its version and none of status, holder, partner,
 * urgency or board deadline; assigning all of them anyway rewrote six index entries per step: 46 µs
 * an update against 15 µs for the document alone, measured on 30,000 orders (BENCHMARKS.md). So the
 * update first reads the row's index columns (the page the use case has just read), refuses at once
 * if the status or version moved on, and assigns only what differs, with one prepared statement per
 * combination (made when first needed).
 *
 * Runs inside the caller's transaction (adapters/sqlite.ts updateOrder), so the read and the write
 * see the same row; the WHERE still carries the status and version, as the compare-and-set.
 */
import type Database from 'better-sqlite3'

/** What orders.update writes (adapters/sqlite.ts orderParams), with the expected status and version. */
export interface OrderUpdateParams {
  id: string
  status: string
  holderId: string | null
  partnerId: string | null
  version: number
  watchAt: number | null
  urgency: string | null
  boardAt: number | null
  doc: string
  expectStatus: string
  expectVersion: number
}

/** Each index column with the parameter that carries its new value. */
const INDEXED = [
  ['status', 'status'],
  ['holder_id', 'holderId'],
  ['partner_id', 'partnerId'],
  ['watch_at', 'watchAt'],
  ['urgency', 'urgency'],
  ['board_at', 'boardAt'],
] as const

type KeyRow = { status: string; version: number; holder_id: string | null; partner_id: string | null; watch_at: number | null; urgency: string | null; board_at: number | null }

export function orderUpdater(db: Database.Database): (p: OrderUpdateParams) => boolean {
  const keysOf = db.prepare(`SELECT status, version, holder_id, partner_id, watch_at, urgency, board_at FROM orders WHERE id = ?`)
  const byMask = new Map<number, Database.Statement>()
  const statementFor = (mask: number): Database.Statement => {
    let s = byMask.get(mask)
    if (!s) {
      const sets = ['version = @version', 'doc = @doc', ...INDEXED.filter((_, i) => mask & (1 << i)).map(([col, param]) => `${col} = @${param}`)]
      s = db.prepare(`UPDATE orders SET ${sets.join(', ')} WHERE id = @id AND status = @expectStatus AND version = @expectVersion`)
      byMask.set(mask, s)
    }
    return s
  }
  return (p) => {
    const row = keysOf.get(p.id) as KeyRow | undefined
    if (!row || row.status !== p.expectStatus || row.version !== p.expectVersion) return false
    let mask = 0
    INDEXED.forEach(([col, param], i) => {
      if (row[col] !== p[param]) mask |= 1 << i
    })
    return statementFor(mask).run(p).changes === 1
  }
}
