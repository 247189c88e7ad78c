import { createHash } from 'node:crypto'

/**
 * An order's id is derived from who placed it and the client's request id, so a retried or
 * double-tapped submission maps to the same id and the store's primary key makes it idempotent.
 */
export function orderIdFor(placedById: string, requestId: string): string {
  return 'o' + createHash('sha256').update(`${placedById}\u0000${requestId}`).digest('hex').slice(0, 23)
}
