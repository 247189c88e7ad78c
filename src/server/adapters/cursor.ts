/** Cursor for newest-first paging by (createdAt, id): shared by both adapters (and its SQLite condition). */
export interface OrderCursor {
  createdAt: number
  id: string
}

export function encodeCursor(c: OrderCursor): string {
  return `${c.createdAt}.${c.id}`
}

export function decodeCursor(s: string | null | undefined): OrderCursor | null {
  if (!s) return null
  const dot = s.indexOf('.')
  const createdAt = Number(s.slice(0, dot))
  const id = s.slice(dot + 1)
  if (dot <= 0 || !Number.isFinite(createdAt) || !id) return null
  return { createdAt, id }
}

/**
 * SQLite: the rows after `c` in (created_at DESC, id DESC) order. `created_at <= ?` bounds the index
 * range, so a page starts where the last one ended; the OR alone bounded nothing, and every row
 * from the newest on was checked again on each later page.
 */
export function sqliteAfter(c: OrderCursor): { sql: string; params: [number, number, number, string] } {
  return { sql: 'created_at <= ? AND (created_at < ? OR (created_at = ? AND id < ?))', params: [c.createdAt, c.createdAt, c.createdAt, c.id] }
}
