/**
 * RetentionRepo's contract, run against both adapters by store.retention-contract.test.ts.
 * adapters/sqlite-retention.ts defines the reference semantics.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Store } from '../src/server/ports'
import { makeHousehold, T0 } from './support/fixtures'
import { makeInboxItem, makeNotification } from './store.notify-contract'

export function retentionStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`RetentionRepo contract: ${name}`, () => {
    let store: Store
    beforeEach(async () => {
      store = await makeStore()
    })
    afterEach(async () => {
      await store.close()
    })

    it('pages communities by id after a cursor, with their retention days', async () => {
      for (const id of ['c-b', 'c-a', 'c-c']) {
        await store.communities.put({ id, name: id, buildings: [], parcelHoldMinutes: 0, createdAt: T0, ...(id === 'c-b' ? { retentionDays: 90 } : {}) })
      }
      expect(await store.retention.communities(null, 2)).toEqual([{ id: 'c-a' }, { id: 'c-b', retentionDays: 90 }])
      expect(await store.retention.communities('c-b', 2)).toEqual([{ id: 'c-c' }])
      expect(await store.retention.communities('c-c', 2)).toEqual([])
    })

    it('finds released households of one community ended on or before the cutoff and not anonymised, oldest end first', async () => {
      const put = (id: string, o: Parameters<typeof makeHousehold>[0]) => store.households.put(makeHousehold({ id, ...o }))
      await put('h-due2', { isolation: 'none', endDate: '2026-10-05' })
      await put('h-due1', { isolation: 'none', endDate: '2026-10-01' })
      await put('h-edge', { isolation: 'none', endDate: '2026-10-10' })
      await put('h-late', { isolation: 'none', endDate: '2026-10-11' })
      await put('h-noend', { isolation: 'none' })
      await put('h-isolated', { isolation: 'home_isolation', endDate: '2026-10-01' })
      await put('h-done', { isolation: 'none', endDate: '2026-10-01', anonymisedAt: T0 })
      await put('h-other', { isolation: 'none', endDate: '2026-10-01', communityId: 'c-2' })
      const ids = async (limit: number) => (await store.retention.dueHouseholds('c-1', '2026-10-10', limit)).map((h) => h.id)
      expect(await ids(10)).toEqual(['h-due1', 'h-due2', 'h-edge'])
      expect(await ids(2)).toEqual(['h-due1', 'h-due2'])
      const [first] = await store.retention.dueHouseholds('c-1', '2026-10-10', 1)
      expect(first).toEqual(await store.households.get('h-due1'))
    })

    it('scrubs the title, body and fields of messages about the given orders only; idempotent', async () => {
      const n1 = makeNotification({ orderId: 'o-a', body: '赵六的订单', channel: 'subscribe', fields: { status: '已送达', summary: '赵六的大米', tip: '', by: '于红', time: T0, orderNo: 'o-a' } })
      const n2 = makeNotification({ orderId: 'o-b', body: '别的订单' })
      const i1 = makeInboxItem({ orderId: 'o-a', body: '赵六：已送达' })
      const i2 = makeInboxItem({ orderId: 'o-c', body: '别的消息' })
      await store.notifications.enqueue([n1, n2])
      await store.inbox.put(i1)
      await store.inbox.put(i2)
      const text = { title: '消息', body: '（已匿名）' }
      expect(await store.retention.scrubMessages(['o-a', 'o-x'], text)).toBe(2)
      const got1 = (await store.notifications.get(n1.id))!
      expect([got1.title, got1.body, got1.fields]).toEqual(['消息', '（已匿名）', undefined])
      expect(got1.status).toBe(n1.status)
      expect((await store.notifications.get(n2.id))!.body).toBe('别的订单')
      const inbox = (await store.inbox.list(i1.userId)).items
      expect(inbox.find((i) => i.id === i1.id)).toMatchObject({ title: '消息', body: '（已匿名）', readAt: null })
      expect(inbox.find((i) => i.id === i2.id)!.body).toBe('别的消息')
      expect(await store.retention.scrubMessages(['o-a'], text)).toBe(0)
      expect(await store.retention.scrubMessages([], text)).toBe(0)
    })
  })
}
