/** The order-change bus, who may receive what, the SSE parser, and the cloud's order_signals sink. */
import { describe, expect, it } from 'vitest'
import { liveQuery, sseParser } from '../../src/client/live-sse'
import type { Actor } from '../../src/core/actor'
import { canView } from '../../src/core/order/policy'
import type { Result } from '../../src/core/contract'
import type { OrderView } from '../../src/core/views'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import type { CloudDb } from '../../src/server/adapters/cloud-db'
import { createCloudMain } from '../../src/server/cloud/main'
import { COLLECTIONS } from '../../src/server/cloud/manifest'
import {
  createOrderBus,
  inScope,
  mayKnowHousehold,
  mayReceive,
  ORDER_CHANGE_KEYS,
  orderChange,
  publishOrderChange,
  type OrderChange,
} from '../../src/server/live/bus'
import { cloudOrderSignals, householdSignalId } from '../../src/server/live/cloud-signals'
import { memoryLogger } from '../../src/server/log'
import { DEMO_PEOPLE, seedDemo } from '../../src/server/seed/demo'
import { rid, T0 } from '../support/app'
import { makeFullOrder, makeOrder } from '../support/fixtures'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'

const change = (over: Partial<OrderChange> = {}): OrderChange => ({
  orderId: 'o1',
  communityId: 'c-1',
  householdId: 'h-1',
  status: 'pending',
  version: 1,
  ...over,
})

describe('order bus', () => {
  it('delivers to subscribers whose filter accepts, until they unsubscribe', () => {
    const bus = createOrderBus()
    const all: OrderChange[] = []
    const c1: OrderChange[] = []
    const offAll = bus.subscribe(() => true, (e) => all.push(e))
    const offC1 = bus.subscribe((e) => e.communityId === 'c-1', (e) => c1.push(e))
    expect(bus.size()).toBe(2)
    bus.publish(change())
    bus.publish(change({ orderId: 'o2', communityId: 'c-2' }))
    expect(all.map((e) => e.orderId)).toEqual(['o1', 'o2'])
    expect(c1.map((e) => e.orderId)).toEqual(['o1'])
    offC1()
    bus.publish(change({ orderId: 'o3' }))
    expect(c1.map((e) => e.orderId)).toEqual(['o1'])
    expect(all.map((e) => e.orderId)).toEqual(['o1', 'o2', 'o3'])
    offAll()
    offAll()
    expect(bus.size()).toBe(0)
    bus.publish(change({ orderId: 'o4' }))
    expect(all).toHaveLength(3)
  })

  it('a throwing subscriber or filter does not stop the others or the publisher', () => {
    const log = memoryLogger()
    const bus = createOrderBus(log)
    const got: string[] = []
    bus.subscribe(() => true, () => {
      throw new Error('boom')
    })
    bus.subscribe(() => {
      throw new TypeError('bad filter')
    }, () => got.push('never'))
    bus.subscribe(() => true, (e) => got.push(e.orderId))
    expect(() => bus.publish(change())).not.toThrow()
    expect(got).toEqual(['o1'])
    expect(log.lines.filter((l) => l.includes('live.subscriber.error'))).toHaveLength(2)
  })

  it('a subscriber may unsubscribe itself while being called', () => {
    const bus = createOrderBus()
    const got: string[] = []
    const off = bus.subscribe(() => true, (e) => {
      got.push(e.orderId)
      off()
    })
    bus.subscribe(() => true, (e) => got.push('b' + e.orderId))
    bus.publish(change())
    bus.publish(change({ orderId: 'o2' }))
    expect(got).toEqual(['o1', 'bo1', 'bo2'])
  })

  it('orderChange carries exactly the allowed keys, even from a full order', () => {
    const e = orderChange(makeFullOrder())
    expect(Object.keys(e).sort()).toEqual([...ORDER_CHANGE_KEYS].sort())
  })

  it('publishOrderChange: nothing without a sink; a throwing sink is logged, not thrown', () => {
    const log = memoryLogger()
    expect(() => publishOrderChange({ log }, makeOrder())).not.toThrow()
    const bad = {
      publish() {
        throw new Error('down')
      },
    }
    expect(() => publishOrderChange({ log, events: bad }, makeOrder())).not.toThrow()
    expect(log.lines.some((l) => l.includes('live.publish.error'))).toBe(true)
  })
})

describe('mayReceive', () => {
  const actors: Actor[] = [
    { id: 'r', name: '', households: ['h-1'], squadOf: null, coordinatorOf: null },
    { id: 'r2', name: '', households: ['h-2', 'h-9'], squadOf: null, coordinatorOf: null },
    { id: 's', name: '', households: [], squadOf: 'c-1', coordinatorOf: null },
    { id: 's2', name: '', households: ['h-9'], squadOf: 'c-2', coordinatorOf: null },
    { id: 'k', name: '', households: [], squadOf: null, coordinatorOf: 'c-1' },
    { id: 'n', name: '', households: [], squadOf: null, coordinatorOf: null },
  ]
  const orders = [
    makeOrder({ communityId: 'c-1', householdId: 'h-1' }),
    makeOrder({ communityId: 'c-1', householdId: 'h-2' }),
    makeOrder({ communityId: 'c-2', householdId: 'h-9' }),
    makeOrder({ communityId: 'c-3', householdId: 'h-7' }),
  ]

  it('agrees with canView for every actor and order', () => {
    for (const a of actors) for (const o of orders) expect(mayReceive(a, orderChange(o)), `${a.id} / ${o.householdId}`).toBe(canView(a, o))
  })

  it('mayKnowHousehold: the household\'s residents and the coordinator, never the squad of another door', () => {
    const known = (id: string, o: (typeof orders)[number]) => mayKnowHousehold(actors.find((a) => a.id === id)!, orderChange(o))
    expect(known('r', orders[0]!)).toBe(true)
    expect(known('r', orders[1]!)).toBe(false)
    expect(known('s', orders[0]!)).toBe(false)
    expect(known('s2', orders[2]!)).toBe(true) // a squad member of c-2 who lives in h-9: a resident of it
    expect(known('k', orders[1]!)).toBe(true)
    expect(known('k', orders[2]!)).toBe(false)
  })

  it('inScope narrows: community, households, or everything', () => {
    const e = change({ communityId: 'c-1', householdId: 'h-1' })
    expect(inScope(null, e)).toBe(true)
    expect(inScope({ communityId: 'c-1' }, e)).toBe(true)
    expect(inScope({ communityId: 'c-2' }, e)).toBe(false)
    expect(inScope({ householdIds: ['h-2', 'h-1'] }, e)).toBe(true)
    expect(inScope({ householdIds: ['h-2'] }, e)).toBe(false)
  })
})

describe('SSE parser (client)', () => {
  it('parses events split across chunks, CRLF, comments and multi-line data', () => {
    const got: [string, string][] = []
    const feed = sseParser((ev, data) => got.push([ev, data]))
    feed('retry: 3000\nevent: re')
    feed('ady\ndata: {"heartbeatMs":15000}\n')
    expect(got).toEqual([])
    feed('\n: ping\n\nevent: order\r\ndata: {"a":\r\ndata: 1}\r\n\r\ndata: plain\n\n')
    expect(got).toEqual([
      ['ready', '{"heartbeatMs":15000}'],
      ['order', '{"a":\n1}'],
      ['message', 'plain'],
    ])
  })

  it('builds the scope query', () => {
    expect(liveQuery({ communityId: 'demo' })).toBe('communityId=demo')
    expect(liveQuery({ householdIds: ['h 1', 'h2'] })).toBe('householdId=h%201&householdId=h2')
  })
})

describe('cloud order_signals sink', () => {
  it('writes a community record without the household and a household record without the community, latest wins', async () => {
    const db = await openSdkDatabase(new SdkDbEngine())
    const sink = cloudOrderSignals(db, memoryLogger())
    sink.publish(change({ orderId: 'o1', version: 1 }))
    await sink.flush()
    sink.publish(change({ orderId: 'o1', status: 'claimed', version: 2 }))
    sink.publish(change({ orderId: 'o2', householdId: 'h-2' }))
    await sink.flush()
    const signals = db.collection(COLLECTIONS.orderSignals)
    // What the squad's watch matches: no household id (it spells the door).
    const { data } = await signals.where({ communityId: 'c-1' }).orderBy('_id', 'asc').get()
    expect(data).toEqual([
      { _id: 'o1', communityId: 'c-1', status: 'claimed', version: 2 },
      { _id: 'o2', communityId: 'c-1', status: 'pending', version: 1 },
    ])
    // What a resident's watch matches: their household's records, no community id (so no community watch reaches them).
    expect((await signals.where({ householdId: 'h-1' }).get()).data).toEqual([
      { _id: householdSignalId('o1'), householdId: 'h-1', status: 'claimed', version: 2 },
    ])
    expect((await signals.where({ householdId: 'h-2' }).get()).data).toEqual([
      { _id: householdSignalId('o2'), householdId: 'h-2', status: 'pending', version: 1 },
    ])
  })

  it('a failed write is logged and does not reject flush', async () => {
    const log = memoryLogger()
    const broken = {
      collection: () => ({ doc: () => ({ set: () => Promise.reject(new Error('quota')) }) }),
    } as unknown as CloudDb
    const sink = cloudOrderSignals(broken, log)
    sink.publish(change())
    await expect(sink.flush()).resolves.toBeUndefined()
    expect(log.lines.some((l) => l.includes('live.signal.error'))).toBe(true)
  })

  it('the api cloud function writes the signal before it answers', async () => {
    const db = await openSdkDatabase(new SdkDbEngine())
    let openid: string | undefined
    const main = createCloudMain({ getWXContext: () => ({ OPENID: openid }), database: () => db }, { now: () => T0, log: memoryLogger() })
    await seedDemo(openCloudbase(db), T0)
    openid = DEMO_PEOPLE.zhao
    const placed = (await main({ action: 'order.place', input: { requestId: rid(), kind: 'garbage' } })) as Result<OrderView>
    if (!placed.ok) throw new Error(placed.message)
    const signals = db.collection(COLLECTIONS.orderSignals)
    const read = async () => (await signals.where({ householdId: placed.data.householdId }).get()).data
    const community = async () => (await signals.where({ communityId: 'demo' }).get()).data
    expect(await read()).toEqual([
      { _id: householdSignalId(placed.data.id), householdId: 'h1-1-301', status: 'pending', version: 1 },
    ])
    expect(await community()).toEqual([{ _id: placed.data.id, communityId: 'demo', status: 'pending', version: 1 }])
    openid = DEMO_PEOPLE.yuhong
    expect(await main({ action: 'order.claim', input: { id: placed.data.id } })).toMatchObject({ ok: true })
    expect(await read()).toMatchObject([{ status: 'claimed', version: 2 }])
    // The squad's records never carry the household id, whoever wrote them last.
    expect(await community()).toEqual([{ _id: placed.data.id, communityId: 'demo', status: 'claimed', version: 2 }])
    expect(JSON.stringify(await community())).not.toContain('h1-1-301')
  })
})
