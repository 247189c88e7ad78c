/** Cursor for newest-first paging by (createdAt, id): shared by both adapters. */
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
