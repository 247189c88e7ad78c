/**
 * The Store port's contract for notifications: outbox written with orders, the queue (enqueue,
 * claim/lease, settle), the inbox, robots and their rate window, subscribe consents. Called from
 * storeContract (store.contract.ts), so it runs against every adapter.
 */
import { describe, expect, it } from 'vitest'
import { inboxItemOf, type InboxItem, type Notification, type RobotConfig } from '../src/core/notify/types'
import type { Order } from '../src/core/order/types'
import { jsonLogger } from '../src/server/log'
import { hostNotifyConfig } from '../src/server/notify/config'
import { createDispatcher } from '../src/server/notify/dispatcher'
import { newNotification } from '../src/server/notify/plan'
import type { Page, Store } from '../src/server/ports'
import type { AdapterTraits } from './store.contract'
import { makeOrder, nextId, T0 } from './support/fixtures'
import { noticesOf } from './support/notices'

export function makeNotification(overrides: Partial<Notification> & { at?: number } = {}): Notification {
  const { at, ...rest } = overrides
  const n = newNotification({
    key: nextId('key'),
    channel: 'inbox',
    communityId: 'c-1',
    to: 'u-1',
    kind: 'claimed',
    orderId: 'o-1',
    title: '已接单',
    body: '于红已接单',
    at: at ?? T0,
  })
  return { ...n, ...rest }
}

export function makeInboxItem(overrides: Partial<InboxItem> = {}): InboxItem {
  return {
    id: nextId('n'),
    userId: 'u-1',
    communityId: 'c-1',
    kind: 'claimed',
    orderId: 'o-1',
    title: '已接单',
    body: '于红已接单',
    createdAt: T0,
    readAt: null,
    ...overrides,
  }
}

async function drain<T>(fetch: (cursor: string | null) => Promise<Page<T>>) {
  const sizes: number[] = []
  const items: T[] = []
  let cursor: string | null = null
  for (let i = 0; i < 50; i++) {
    const page: Page<T> = await fetch(cursor)
    sizes.push(page.items.length)
    items.push(...page.items)
    if (page.next === null) return { sizes, items }
    cursor = page.next
  }
  throw new Error('too many pages')
}

const LEASE = 60_000

export function notifyStoreContract(getStore: () => Store, traits: AdapterTraits): void {
  describe('notifications: outbox written with orders', () => {
    /**
     * Every notice an outbox produced, queued or delivered: CloudBase's embedded outboxes relayed to
     * the queue, and SQLite's inbox notices, which go straight to the inbox with no record.
     */
    const produced = (store: Store) => noticesOf(store, 'c-1', ['u-1', 'u-inbox'], T0)
    /** How an outbox notification is stored: an inbox item alone when delivered with the order, else its record. */
    const expectWritten = async (store: Store, n: Notification) => {
      if (traits.inboxWithOrder && n.channel === 'inbox') {
        expect(await store.notifications.get(n.id)).toBeNull()
        expect((await store.inbox.list(n.to)).items.find((i) => i.id === n.id)).toEqual(inboxItemOf(n))
      } else {
        expect(await store.notifications.get(n.id)).toEqual(n)
      }
    }

    it('insert writes the outbox with a new order, and nothing for a duplicate', async () => {
      const store = getStore()
      const order = makeOrder()
      const a = makeNotification({ orderId: order.id })
      const b = makeNotification({ orderId: order.id, channel: 'robot', to: 'coordinators', kind: 'urgent', title: '' })
      expect((await store.orders.insert(order, [a, b])).created).toBe(true)
      expect(await store.orders.get(order.id)).toEqual(order)
      const got = await produced(store)
      expect(got.map((n) => n.id).sort()).toEqual([a.id, b.id].sort())
      await expectWritten(store, a)
      await expectWritten(store, b)

      const again = await store.orders.insert({ ...order, notes: 'again' }, [makeNotification({ orderId: order.id })])
      expect(again.created).toBe(false)
      expect(again.order).toEqual(order)
      expect(await produced(store)).toHaveLength(2)
    })

    it('update writes the outbox only when the compare-and-set wins', async () => {
      const store = getStore()
      const v1 = makeOrder()
      await store.orders.insert(v1)
      const v2: Order = { ...v1, status: 'claimed', version: 2 }
      const won = makeNotification({ orderId: v1.id })
      const lost = makeNotification({ orderId: v1.id })
      expect(await store.orders.update(v2, { status: 'pending', version: 1 }, [won])).toBe(true)
      expect(await store.orders.update({ ...v2, notes: 'late' }, { status: 'pending', version: 1 }, [lost])).toBe(false)
      const got = await produced(store)
      expect(got.map((n) => n.id)).toEqual([won.id])
      expect(await store.notifications.get(lost.id)).toBeNull()
      expect((await store.inbox.list(lost.to)).items.map((i) => i.id)).not.toContain(lost.id)
      // The order reads back exactly as written: no outbox bookkeeping shows.
      const stored = await store.orders.get(v1.id)
      expect(stored).toEqual(v2)
      expect(Object.keys(stored!).sort()).toEqual(Object.keys(v2).sort())
      expect((await store.orders.list({ communityId: v2.communityId })).items).toEqual([v2])
    })

    it('outboxes of successive updates all arrive, each once, whenever the relay runs', async () => {
      const store = getStore()
      const v1 = makeOrder()
      const n1 = makeNotification({ orderId: v1.id })
      await store.orders.insert(v1, [n1])
      const v2: Order = { ...v1, status: 'claimed', version: 2 }
      const n2 = makeNotification({ orderId: v1.id })
      await store.orders.update(v2, { status: 'pending', version: 1 }, [n2])
      const v3: Order = { ...v2, status: 'delivering', version: 3 }
      const n3 = makeNotification({ orderId: v1.id })
      const n4 = makeNotification({ orderId: v1.id, channel: 'subscribe' })
      await store.orders.update(v3, { status: 'claimed', version: 2 }, [n3, n4])
      await store.notifications.relay(T0)
      await store.notifications.relay(T0)
      const v4: Order = { ...v3, status: 'at_door', version: 4 }
      const n5 = makeNotification({ orderId: v1.id })
      await store.orders.update(v4, { status: 'delivering', version: 3 }, [n5])
      const got = await produced(store)
      expect(got.map((n) => n.id).sort()).toEqual([n1, n2, n3, n4, n5].map((n) => n.id).sort())
      expect(await store.orders.get(v1.id)).toEqual(v4)
      expect(await store.notifications.relay(T0)).toBe(0)
    })

    it('inbox notices in an outbox reach the inbox exactly once, and a lost race delivers nothing', async () => {
      const store = getStore()
      const v1 = makeOrder()
      const placed = makeNotification({ orderId: v1.id, to: 'u-inbox', kind: 'parcel_arrived' })
      await store.orders.insert(v1, [placed])
      const v2: Order = { ...v1, status: 'claimed', version: 2 }
      const claimed = makeNotification({ orderId: v1.id, to: 'u-inbox', at: T0 + 5 })
      const lost = makeNotification({ orderId: v1.id, to: 'u-inbox', kind: 'cancelled', at: T0 + 6 })
      expect(await store.orders.update(v2, { status: 'pending', version: 1 }, [claimed])).toBe(true)
      expect(await store.orders.update({ ...v2, version: 3 }, { status: 'pending', version: 1 }, [lost])).toBe(false)
      const inbox = async () => (await store.inbox.list('u-inbox')).items.map((i) => i.id)
      if (traits.inboxWithOrder) {
        // Delivered with the write: in the inbox before any dispatcher runs, with no record left to send.
        expect(await inbox()).toEqual([claimed.id, placed.id])
        await expectWritten(store, claimed)
        expect(await store.notifications.claim({ now: T0 + 60_000, limit: 10, leaseMs: LEASE, leaseId: 'l-1' })).toEqual([])
      } else {
        expect(await inbox()).toEqual([])
      }
      // The real dispatcher, twice: whatever is still queued is delivered, and nothing twice.
      const deps = { store, now: () => T0 + 60_000, log: jsonLogger(() => undefined) }
      const config = hostNotifyConfig({ sinkBase: () => 'http://127.0.0.1:9', communities: ['c-1'] })
      const dispatcher = createDispatcher({ deps, config, subscribe: null })
      await dispatcher.tick()
      await dispatcher.tick()
      expect(await inbox()).toEqual([claimed.id, placed.id])
      expect((await store.inbox.list('u-inbox')).items[0]).toEqual(inboxItemOf(claimed))
      // The queued ones are recorded as sent; the ones delivered with the order never had a record.
      for (const n of [placed, claimed]) expect((await store.notifications.get(n.id))?.status).toBe(traits.inboxWithOrder ? undefined : 'sent')
      expect(await store.notifications.get(lost.id)).toBeNull()
      expect(await store.inbox.unread('u-inbox')).toBe(2)
    })

    it('an update without an outbox leaves earlier pending notifications alone', async () => {
      const store = getStore()
      const v1 = makeOrder()
      const n1 = makeNotification({ orderId: v1.id })
      await store.orders.insert(v1, [n1])
      await store.orders.update({ ...v1, version: 2, notes: 'x' }, { status: 'pending', version: 1 })
      expect((await produced(store)).map((n) => n.id)).toEqual([n1.id])
    })
  })

  describe('notifications: queue', () => {
    it('enqueue is idempotent on id and round-trips every field', async () => {
      const store = getStore()
      const a = makeNotification({
        channel: 'subscribe',
        fields: { status: '已接单', summary: '大米等2样', tip: '于红已接单', by: '于红', time: T0, orderNo: 'o123' },
      })
      const b = makeNotification({ channel: 'robot', to: 'b-1', kind: 'arriving', title: '' })
      expect(await store.notifications.enqueue([a, b])).toBe(2)
      expect(await store.notifications.enqueue([a, { ...b, body: 'changed' }])).toBe(0)
      expect(await store.notifications.get(a.id)).toEqual(a)
      expect(await store.notifications.get(b.id)).toEqual(b)
      expect(await store.notifications.get('n-missing')).toBeNull()
    })

    it('claim leases due, unleased, pending records, oldest due first, up to the limit', async () => {
      const store = getStore()
      const due = [makeNotification({ at: T0 - 3 }), makeNotification({ at: T0 - 2 }), makeNotification({ at: T0 - 1 })]
      const later = makeNotification({ at: T0 + 1000 })
      await store.notifications.enqueue([later, ...[...due].reverse()])
      const first = await store.notifications.claim({ now: T0, limit: 2, leaseMs: LEASE, leaseId: 'L1' })
      expect(first.map((n) => n.id)).toEqual([due[0]!.id, due[1]!.id])
      expect(first.every((n) => n.leaseId === 'L1' && n.leaseUntil === T0 + LEASE)).toBe(true)
      const second = await store.notifications.claim({ now: T0, limit: 10, leaseMs: LEASE, leaseId: 'L2' })
      expect(second.map((n) => n.id)).toEqual([due[2]!.id])
      expect(await store.notifications.claim({ now: T0, limit: 10, leaseMs: LEASE, leaseId: 'L3' })).toEqual([])
      // A lease nobody settles (the process died) expires; the record is claimed again.
      const after = await store.notifications.claim({ now: T0 + LEASE, limit: 10, leaseMs: LEASE, leaseId: 'L4' })
      expect(after.map((n) => n.id).sort()).toEqual([...due.map((n) => n.id), later.id].sort())
    })

    it('claim filters by channel when asked', async () => {
      const store = getStore()
      const inbox = makeNotification()
      const robot = makeNotification({ channel: 'robot', to: 'community', kind: 'daily' })
      await store.notifications.enqueue([inbox, robot])
      const got = await store.notifications.claim({ now: T0, limit: 10, leaseMs: LEASE, leaseId: 'L', channel: 'robot' })
      expect(got.map((n) => n.id)).toEqual([robot.id])
    })

    it('concurrent claimers never lease the same record twice', async () => {
      const store = getStore()
      const ns = Array.from({ length: 30 }, (_, i) => makeNotification({ at: T0 - 100 + i }))
      await store.notifications.enqueue(ns)
      const batches = await Promise.all(
        Array.from({ length: 6 }, (_, i) => store.notifications.claim({ now: T0, limit: 10, leaseMs: LEASE, leaseId: `C${i}` })),
      )
      const ids = batches.flat().map((n) => n.id)
      expect(new Set(ids).size).toBe(ids.length)
      // A claimer that loses every race may come back empty-handed (CloudBase); the rest stays claimable.
      expect(ids.length).toBeGreaterThanOrEqual(10)
      const rest = await store.notifications.claim({ now: T0, limit: 100, leaseMs: LEASE, leaseId: 'R' })
      expect([...ids, ...rest.map((n) => n.id)].sort()).toEqual(ns.map((n) => n.id).sort())
    })

    it('settle: sent / retry / failed / skipped, only while the lease is held', async () => {
      const store = getStore()
      const [a, b, c, d] = [makeNotification(), makeNotification(), makeNotification(), makeNotification()]
      await store.notifications.enqueue([a!, b!, c!, d!])
      await store.notifications.claim({ now: T0, limit: 10, leaseMs: LEASE, leaseId: 'L' })

      expect(await store.notifications.settle(a!.id, 'other', { state: 'sent', at: T0 + 5 })).toBe(false)
      expect(await store.notifications.settle(a!.id, 'L', { state: 'sent', at: T0 + 5, merged: 3, via: 'https://x/…' })).toBe(true)
      expect(await store.notifications.get(a!.id)).toEqual({
        ...a,
        status: 'sent',
        doneAt: T0 + 5,
        merged: 3,
        via: 'https://x/…',
        leaseUntil: 0,
        leaseId: null,
      })
      expect(await store.notifications.settle(a!.id, 'L', { state: 'failed', at: T0 + 6, error: 'x' })).toBe(false)

      expect(await store.notifications.settle(b!.id, 'L', { state: 'retry', nextAt: T0 + 9000, error: 'http_502', countAttempt: true })).toBe(true)
      expect(await store.notifications.get(b!.id)).toEqual({ ...b, attempts: 1, nextAt: T0 + 9000, lastError: 'http_502', leaseUntil: 0, leaseId: null })
      // Retried records are due again at nextAt, not before.
      expect(await store.notifications.claim({ now: T0 + 8999, limit: 10, leaseMs: LEASE, leaseId: 'M' })).toEqual([])
      const again = await store.notifications.claim({ now: T0 + 9000, limit: 10, leaseMs: LEASE, leaseId: 'M' })
      expect(again.map((n) => n.id)).toEqual([b!.id])
      expect(await store.notifications.settle(b!.id, 'M', { state: 'retry', nextAt: T0 + 20_000, error: 'rate_limited', countAttempt: false })).toBe(true)
      expect((await store.notifications.get(b!.id))!.attempts).toBe(1)

      expect(await store.notifications.settle(c!.id, 'L', { state: 'failed', at: T0 + 7, error: 'errcode_93000' })).toBe(true)
      expect(await store.notifications.get(c!.id)).toMatchObject({ status: 'failed', doneAt: T0 + 7, lastError: 'errcode_93000', leaseId: null })
      expect(await store.notifications.settle(d!.id, 'L', { state: 'skipped', at: T0 + 8, error: 'no_consent' })).toBe(true)
      expect(await store.notifications.get(d!.id)).toMatchObject({ status: 'skipped', lastError: 'no_consent' })
      // Final records are never claimed again.
      expect(await store.notifications.claim({ now: T0 + 10 * LEASE, limit: 10, leaseMs: LEASE, leaseId: 'N' })).toHaveLength(1)
    })

    it('markConsumed only while the lease is held', async () => {
      const store = getStore()
      const n = makeNotification({ channel: 'subscribe' })
      await store.notifications.enqueue([n])
      await store.notifications.claim({ now: T0, limit: 1, leaseMs: LEASE, leaseId: 'L' })
      expect(await store.notifications.markConsumed(n.id, 'X')).toBe(false)
      expect(await store.notifications.markConsumed(n.id, 'L')).toBe(true)
      expect((await store.notifications.get(n.id))!.consumed).toBe(true)
    })

    it('list: by community, channel and recipient, newest first, paged by 100', async () => {
      const store = getStore()
      const mine = Array.from({ length: 250 }, (_, i) =>
        makeNotification({ communityId: 'c-log', channel: i % 2 ? 'robot' : 'inbox', to: i % 5 === 0 ? 'b-1' : 'b-2', at: T0 + Math.floor(i / 4) }),
      )
      await store.notifications.enqueue([...mine, makeNotification({ communityId: 'c-other' })])
      const newest = (a: Notification, b: Notification) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)
      const all = await drain((cursor) => store.notifications.list({ communityId: 'c-log', limit: 100, cursor }))
      expect(all.sizes).toEqual([100, 100, 50])
      expect(all.items.map((n) => n.id)).toEqual([...mine].sort(newest).map((n) => n.id))
      const robots = await drain((cursor) => store.notifications.list({ communityId: 'c-log', channel: 'robot', to: 'b-1', limit: 7, cursor }))
      expect(robots.items.map((n) => n.id)).toEqual(mine.filter((n) => n.channel === 'robot' && n.to === 'b-1').sort(newest).map((n) => n.id))
      expect(await store.notifications.list({ communityId: 'c-none' })).toEqual({ items: [], next: null })
    })
  })

  describe('inbox', () => {
    it('put is idempotent; list is the user’s own, newest first, paged', async () => {
      const store = getStore()
      const items = Array.from({ length: 130 }, (_, i) => makeInboxItem({ userId: 'u-a', createdAt: T0 + Math.floor(i / 3) }))
      for (const it of items) expect(await store.inbox.put(it)).toBe(true)
      expect(await store.inbox.put({ ...items[0]!, body: 'again' })).toBe(false)
      await store.inbox.put(makeInboxItem({ userId: 'u-b' }))
      const newest = (a: InboxItem, b: InboxItem) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)
      const got = await drain((cursor) => store.inbox.list('u-a', { limit: 50, cursor }))
      expect(got.sizes).toEqual([50, 50, 30])
      expect(got.items).toEqual([...items].sort(newest))
      expect(await store.inbox.list('u-none')).toEqual({ items: [], next: null })
    })

    it('markRead marks only the user’s own items; unread counts up to 100', async () => {
      const store = getStore()
      const mine = Array.from({ length: 5 }, () => makeInboxItem({ userId: 'u-a' }))
      const theirs = makeInboxItem({ userId: 'u-b' })
      for (const it of [...mine, theirs]) await store.inbox.put(it)
      expect(await store.inbox.unread('u-a')).toBe(5)
      expect(await store.inbox.markRead('u-a', [mine[0]!.id, mine[1]!.id, theirs.id], T0 + 1)).toBe(2)
      expect(await store.inbox.markRead('u-a', [mine[0]!.id], T0 + 2)).toBe(0)
      expect(await store.inbox.unread('u-a')).toBe(3)
      expect(await store.inbox.unread('u-b')).toBe(1)
      const page = await store.inbox.list('u-a')
      expect(page.items.find((i) => i.id === mine[0]!.id)!.readAt).toBe(T0 + 1)
      expect(await store.inbox.markRead('u-a', 'all', T0 + 3)).toBe(3)
      expect(await store.inbox.unread('u-a')).toBe(0)
      expect(await store.inbox.markRead('u-a', [], T0 + 3)).toBe(0)
      for (let i = 0; i < 120; i++) await store.inbox.put(makeInboxItem({ userId: 'u-many' }))
      expect(await store.inbox.unread('u-many')).toBe(100)
    })
  })

  describe('robots', () => {
    const robot = (over: Partial<RobotConfig> = {}): RobotConfig => {
      const communityId = over.communityId ?? 'c-1'
      const scope = over.scope ?? 'community'
      return {
        id: `${communityId}:${scope}`,
        communityId,
        scope,
        url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa',
        updatedAt: T0,
        updatedBy: 'coord',
        ...over,
      }
    }

    it('put / get / list per community and all, upserting', async () => {
      const store = getStore()
      const a = robot()
      const b = robot({ scope: 'b-1' })
      const c = robot({ communityId: 'c-2', scope: 'coordinators' })
      for (const r of [c, b, a]) await store.robots.put(r)
      expect(await store.robots.get('c-1', 'community')).toEqual(a)
      expect(await store.robots.get('c-1', 'b-9')).toBeNull()
      expect(await store.robots.list('c-1')).toEqual([b, a].sort((x, y) => (x.id < y.id ? -1 : 1)))
      expect((await store.robots.list()).map((r) => r.id).sort()).toEqual([a.id, b.id, c.id].sort())
      const removed = { ...a, url: '', updatedAt: T0 + 1 }
      await store.robots.put(removed)
      expect(await store.robots.get('c-1', 'community')).toEqual(removed)
    })

    it('takeSlots grants at most `max` posts per sliding window', async () => {
      const store = getStore()
      expect(await store.robots.takeSlots('r1', T0, 15, 20, 60_000)).toBe(15)
      expect(await store.robots.takeSlots('r1', T0 + 10_000, 10, 20, 60_000)).toBe(5)
      expect(await store.robots.takeSlots('r1', T0 + 20_000, 1, 20, 60_000)).toBe(0)
      expect(await store.robots.recentPosts('r1', T0 + 20_000, 60_000)).toHaveLength(20)
      // The first 15 leave the window at T0 + 60 s.
      expect(await store.robots.takeSlots('r1', T0 + 60_000, 20, 20, 60_000)).toBe(15)
      expect(await store.robots.takeSlots('r2', T0, 3, 20, 60_000)).toBe(3)
      expect(await store.robots.recentPosts('r-none', T0, 60_000)).toEqual([])
    })

    it('concurrent takeSlots never grant more than max in total', async () => {
      const store = getStore()
      const grants = await Promise.all(Array.from({ length: 30 }, () => store.robots.takeSlots('r-race', T0, 1, 20, 60_000)))
      const granted = grants.reduce((a, b) => a + b, 0)
      // Under contention a caller may be refused (it defers and tries later); never more than max.
      expect(granted).toBeGreaterThan(0)
      expect(granted).toBeLessThanOrEqual(20)
      expect(await store.robots.recentPosts('r-race', T0, 60_000)).toHaveLength(granted)
      expect(await store.robots.takeSlots('r-race', T0, 30, 20, 60_000)).toBe(20 - granted)
      expect(await store.robots.recentPosts('r-race', T0, 60_000)).toHaveLength(20)
    })
  })

  describe('consents', () => {
    it('grant adds, take spends one at a time, counts per template', async () => {
      const store = getStore()
      expect(await store.consents.take('u-1', 'T-a', T0)).toBe(false)
      expect(await store.consents.grant('u-1', 'T-a', 1, T0)).toBe(1)
      expect(await store.consents.grant('u-1', 'T-a', 2, T0)).toBe(3)
      expect(await store.consents.grant('u-1', 'T-b', 1, T0)).toBe(1)
      expect(await store.consents.grant('u-2', 'T-a', 1, T0)).toBe(1)
      expect(await store.consents.take('u-1', 'T-a', T0)).toBe(true)
      expect(await store.consents.counts('u-1')).toEqual({ 'T-a': 2, 'T-b': 1 })
      expect(await store.consents.counts('u-none')).toEqual({})
    })

    it('concurrent takes spend exactly what is left', async () => {
      const store = getStore()
      await store.consents.grant('u-race', 'T', 3, T0)
      const took = await Promise.all(Array.from({ length: 10 }, () => store.consents.take('u-race', 'T', T0)))
      expect(took.filter(Boolean)).toHaveLength(3)
      expect(await store.consents.counts('u-race')).toEqual({ T: 0 })
    })

    it('concurrent first grants are all counted', async () => {
      const store = getStore()
      await Promise.all(Array.from({ length: 8 }, () => store.consents.grant('u-new', 'T', 1, T0)))
      expect(await store.consents.counts('u-new')).toEqual({ T: 8 })
    })
  })
}
