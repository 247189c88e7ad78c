/**
 * What a community's notifications produced, whichever way the adapter delivers them: the queue's
 * records, plus the inbox items SQLite writes with their order and keeps no record for (ports.ts,
 * OrderRepo.update). One entry per notification id; a record wins over its inbox item.
 */
import type { Notification } from '../../src/core/notify/types'
import type { Store } from '../../src/server/ports'

export type Notice = Pick<Notification, 'id' | 'communityId' | 'channel' | 'kind' | 'to' | 'title' | 'body' | 'createdAt' | 'status'> &
  Partial<Pick<Notification, 'orderId'>>

async function pages<T>(read: (cursor: string | null) => Promise<{ items: T[]; next: string | null }>): Promise<T[]> {
  const out: T[] = []
  let cursor: string | null = null
  do {
    const page = await read(cursor)
    out.push(...page.items)
    cursor = page.next
  } while (cursor)
  return out
}

/** The community's notification records, newest first (after the CloudBase relay). */
export async function recordsOf(store: Store, communityId: string, now: number): Promise<Notification[]> {
  await store.notifications.relay(now)
  return pages((cursor) => store.notifications.list({ communityId, limit: 100, cursor }))
}

/** Records and inbox items of `inboxOwners` in the community, as notices. */
export async function noticesOf(store: Store, communityId: string, inboxOwners: readonly string[], now: number): Promise<Notice[]> {
  const records: Notice[] = await recordsOf(store, communityId, now)
  const known = new Set(records.map((n) => n.id))
  const delivered: Notice[] = []
  for (const userId of new Set(inboxOwners)) {
    for (const i of await pages((cursor) => store.inbox.list(userId, { limit: 100, cursor }))) {
      if (i.communityId !== communityId || known.has(i.id)) continue
      known.add(i.id)
      delivered.push({
        id: i.id,
        communityId: i.communityId,
        channel: 'inbox',
        kind: i.kind,
        to: i.userId,
        title: i.title,
        body: i.body,
        createdAt: i.createdAt,
        status: 'sent',
        ...(i.orderId !== undefined ? { orderId: i.orderId } : {}),
      })
    }
  }
  return [...records, ...delivered]
}
