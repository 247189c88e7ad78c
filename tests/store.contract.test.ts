import { describe, expect, it } from 'vitest'
import { openCloudbase } from '../src/server/adapters/cloudbase'
import { openSqlite } from '../src/server/adapters/sqlite'
import { storeContract } from './store.contract'
import { makeInboxItem, makeNotification } from './store.notify-contract'
import { makeOrder, T0 } from './support/fixtures'
import { openSdkDatabase, SdkDbEngine } from './support/wx-sdk-db'

storeContract('sqlite', async () => openSqlite({ file: ':memory:' }), { inboxWithOrder: true })
storeContract('cloudbase (real wx-server-sdk)', async () => openCloudbase(await openSdkDatabase(new SdkDbEngine())), { inboxWithOrder: false })

/** The cloud adapter over the real SDK, with the engine's request log emptied after setup. */
async function cloud() {
  const engine = new SdkDbEngine()
  const store = openCloudbase(await openSdkDatabase(engine))
  engine.requests.length = 0
  return { engine, store }
}

describe('cloudbase adapter: requests it sends', () => {
  it('updates with one conditional where().update(), no read', async () => {
    const { engine, store } = await cloud()
    const order = makeOrder()
    await store.orders.insert(order)
    engine.requests.length = 0
    expect(await store.orders.update({ ...order, status: 'claimed', version: 2 }, { status: 'pending', version: 1 })).toBe(true)
    expect(engine.requests.map((r) => `${r.collection}.${r.op}`)).toEqual(['orders.update'])
    expect(engine.requests[0]!.query).toEqual({ _id: order.id, status: 'pending', version: 1 })
  })

  it('never asks for more than 100 records in one request', async () => {
    const { engine, store } = await cloud()
    for (let i = 0; i < 120; i++) await store.orders.insert(makeOrder({ createdAt: T0 + i }))
    await store.orders.list({ communityId: 'c-1', limit: 1000 })
    await store.households.listByCommunity('c-1', { limit: 1000 })
    await store.people.listByHousehold('h-1')
    const reads = engine.requests.filter((r) => r.op === 'get')
    expect(reads.length).toBeGreaterThan(0)
    expect(reads.every((r) => r.limit !== undefined && r.limit <= 100)).toBe(true)
  })

  it('counts attempts with _.inc on the server, never a read-modify-write', async () => {
    const { engine, store } = await cloud()
    await store.attempts.add('join.u1', T0, 1, T0)
    // First hit: the update finds nothing, add creates the record, then the list.
    expect(engine.requests.map((r) => `${r.collection}.${r.op}`)).toEqual(['attempts.update', 'attempts.add', 'attempts.get'])
    engine.requests.length = 0
    await store.attempts.add('join.u1', T0, 1, T0)
    expect(engine.requests.map((r) => `${r.collection}.${r.op}`)).toEqual(['attempts.update', 'attempts.get'])
    expect(engine.requests[0]!.data).toEqual({ $inc: { count: 1 } })
    expect(engine.dump('attempts')).toEqual([{ _id: `join.u1_${T0}`, key: 'join.u1', bucket: T0, count: 2 }])
  })

  it('stores orders with _id as the domain id and no id field', async () => {
    const { engine, store } = await cloud()
    const order = makeOrder()
    await store.orders.insert(order)
    const [doc] = engine.dump('orders')
    expect(doc!._id).toBe(order.id)
    expect('id' in doc!).toBe(false)
  })

  it('counts unread inbox items with count(), reading no items', async () => {
    const { engine, store } = await cloud()
    for (let i = 0; i < 3; i++) await store.inbox.put(makeInboxItem({ userId: 'u-a' }))
    engine.requests.length = 0
    expect(await store.inbox.unread('u-a')).toBe(3)
    expect(engine.requests.map((r) => `${r.collection}.${r.op}`)).toEqual(['inbox.count'])
    expect(engine.requests[0]!.query).toEqual({ userId: 'u-a', readAt: null })
  })

  it('tells a duplicate id by a count, not by reading the record', async () => {
    const { engine, store } = await cloud()
    const item = makeInboxItem({ userId: 'u-a' })
    await store.inbox.put(item)
    engine.requests.length = 0
    expect(await store.inbox.put(item)).toBe(false)
    expect(engine.requests.map((r) => `${r.collection}.${r.op}`)).toEqual(['inbox.add', 'inbox.count'])
  })

  it('reads orders without their embedded outbox (nor the board key), and relay reads only the outbox and version', async () => {
    const { engine, store } = await cloud()
    const order = makeOrder()
    await store.orders.insert(order, [makeNotification({ orderId: order.id })])
    engine.requests.length = 0
    expect(await store.orders.get(order.id)).toEqual(order)
    expect((await store.orders.list({ communityId: order.communityId })).items).toEqual([order])
    const reads = engine.requests.filter((r) => r.op === 'get')
    expect(reads).toHaveLength(2)
    for (const r of reads) expect(r.projection).toEqual({ outbox: 0, outboxPending: 0, boardAt: 0 })

    engine.requests.length = 0
    expect(await store.notifications.relay(T0)).toBe(1)
    expect(engine.requests.find((r) => r.collection === 'orders' && r.op === 'get')!.projection).toEqual({ outbox: 1, version: 1 })
  })

  it('reads attempt counters and consents with projections', async () => {
    const { engine, store } = await cloud()
    await store.attempts.add('join.u1', T0, 1, T0)
    await store.consents.grant('u-a', 'tpl-1', 2, T0)
    engine.requests.length = 0
    expect(await store.attempts.list('join.u1', T0)).toEqual([{ bucket: T0, count: 1 }])
    expect(await store.consents.counts('u-a')).toEqual({ 'tpl-1': 2 })
    expect(engine.requests.map((r) => [r.collection, r.projection])).toEqual([
      ['attempts', { bucket: 1, count: 1 }],
      ['consents', { template: 1, left: 1 }],
    ])
  })
})
