import { describe, expect, it } from 'vitest'
import { openCloudbase } from '../src/server/adapters/cloudbase'
import { openSqlite } from '../src/server/adapters/sqlite'
import { storeContract } from './store.contract'
import { makeOrder, T0 } from './support/fixtures'
import { WxDbEngine } from './support/wx-db-engine'

storeContract('sqlite', async () => openSqlite({ file: ':memory:' }))
storeContract('cloudbase', async () => openCloudbase(new WxDbEngine()))

describe('cloudbase adapter: requests it sends', () => {
  it('updates with one conditional where().update(), no read', async () => {
    const db = new WxDbEngine()
    const store = openCloudbase(db)
    const order = makeOrder()
    await store.orders.insert(order)
    db.requests.length = 0
    expect(await store.orders.update({ ...order, status: 'claimed', version: 2 }, { status: 'pending', version: 1 })).toBe(true)
    expect(db.requests.map((r) => `${r.collection}.${r.op}`)).toEqual(['orders.update'])
  })

  it('never asks for more than 100 records in one request', async () => {
    const db = new WxDbEngine()
    const store = openCloudbase(db)
    for (let i = 0; i < 120; i++) await store.orders.insert(makeOrder({ createdAt: T0 + i }))
    await store.orders.list({ limit: 1000 })
    await store.households.listByCommunity('c-1', { limit: 1000 })
    await store.people.listByHousehold('h-1')
    const reads = db.requests.filter((r) => r.op === 'get')
    expect(reads.length).toBeGreaterThan(0)
    expect(reads.every((r) => r.limit !== undefined && r.limit <= 100)).toBe(true)
  })

  it('counts attempts with _.inc on the server, never a read-modify-write', async () => {
    const db = new WxDbEngine()
    const store = openCloudbase(db)
    await store.attempts.add('join.u1', T0, 1, T0)
    // First hit: the update finds nothing, add creates the record, then the list.
    expect(db.requests.map((r) => `${r.collection}.${r.op}`)).toEqual(['attempts.update', 'attempts.add', 'attempts.get'])
    db.requests.length = 0
    await store.attempts.add('join.u1', T0, 1, T0)
    expect(db.requests.map((r) => `${r.collection}.${r.op}`)).toEqual(['attempts.update', 'attempts.get'])
    expect(db.dump('attempts')).toEqual([{ _id: `join.u1_${T0}`, key: 'join.u1', bucket: T0, count: 2 }])
    expect(db.requests.every((r) => r.op !== 'get' || (r.limit !== undefined && r.limit <= 100))).toBe(true)
  })

  it('stores orders with _id as the domain id and no id field', async () => {
    const db = new WxDbEngine()
    const store = openCloudbase(db)
    const order = makeOrder()
    await store.orders.insert(order)
    const [doc] = db.dump('orders')
    expect(doc!._id).toBe(order.id)
    expect('id' in doc!).toBe(false)
  })
})
