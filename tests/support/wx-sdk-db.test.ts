/**
 * The real wx-server-sdk database over the in-memory engine: what the SDK sends for each call (the
 * decoded query the service sees) and what it makes of the answers, errors included.
 */
import dns from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type {
  CloudDocData,
  CloudGetResult,
  CloudUpdateResult,
  DbCommand,
  UpdateData,
  WhereCondition,
} from '../../src/server/adapters/cloud-db'
import { DATABASE_MANIFEST } from '../../src/server/cloud/manifest'
import { engineRequesterClass, installedRequester, openSdkDatabase, SdkDbEngine } from './wx-sdk-db'

const rejection = async (p: Promise<unknown>): Promise<{ errCode?: number; errMsg?: string }> => {
  try {
    await p
  } catch (e) {
    return e as { errCode?: number; errMsg?: string }
  }
  throw new Error('expected a rejection')
}

describe('openSdkDatabase', () => {
  afterEach(() => vi.restoreAllMocks())

  it('builds the database with the real SDK, without network, and answers from the engine', async () => {
    const spies = [
      vi.spyOn(http, 'request'),
      vi.spyOn(https, 'request'),
      vi.spyOn(net, 'connect'),
      vi.spyOn(net, 'createConnection'),
      vi.spyOn(dns, 'lookup'),
    ]
    const engine = new SdkDbEngine()
    const db = await openSdkDatabase(engine)
    await db.collection('orders').add({ data: { _id: 'o1', n: 1 } })
    expect((await db.collection('orders').where({ _id: 'o1' }).get()).data).toEqual([{ _id: 'o1', n: 1 }])
    expect(installedRequester()).toBe(engineRequesterClass)
    for (const s of spies) expect(s).not.toHaveBeenCalled()
    // The manifest's collections were created through the SDK's createCollection, one request each.
    expect(engine.collections().sort()).toEqual(DATABASE_MANIFEST.map((c) => c.name).sort())
    expect(engine.requests.filter((r) => r.action === 'database.addCollection')).toHaveLength(DATABASE_MANIFEST.length)
  })

  it('keeps two databases apart', async () => {
    const a = new SdkDbEngine()
    const b = new SdkDbEngine()
    const dbA = await openSdkDatabase(a)
    const dbB = await openSdkDatabase(b)
    await dbA.collection('orders').add({ data: { _id: 'x' } })
    expect((await dbB.collection('orders').where({ _id: 'x' }).get()).data).toEqual([])
    expect(a.dump('orders')).toHaveLength(1)
  })
})

/** The SDK's database as these tests use it: the adapters' subset (cloud-db.ts) and a little more. */
interface TestQuery {
  where(condition: WhereCondition): TestQuery
  orderBy(field: string, order: 'asc' | 'desc'): TestQuery
  limit(n: number): TestQuery
  skip(n: number): TestQuery
  field(projection: { [field: string]: boolean }): TestQuery
  get(): Promise<CloudGetResult>
  count(): Promise<{ total: number }>
  update(options: { data: UpdateData }): Promise<CloudUpdateResult>
}
interface TestCollection extends TestQuery {
  doc(id: string): {
    get(): Promise<{ data: CloudDocData }>
    set(options: { data: CloudDocData }): Promise<{ _id?: string; stats: { updated: number; created: number } }>
    update(options: { data: UpdateData }): Promise<CloudUpdateResult>
  }
  add(options: { data: CloudDocData }): Promise<{ _id: string }>
}
interface WxDb {
  command: DbCommand
  collection(name: string): TestCollection
  createCollection(name: string): Promise<unknown>
}

describe('SdkDbEngine behind the real SDK', () => {
  let engine: SdkDbEngine
  let db: WxDb
  const _ = () => db.command
  const ids = (r: { data: { _id?: string }[] }) => r.data.map((d) => d._id)
  const last = () => engine.requests[engine.requests.length - 1]!

  beforeEach(async () => {
    engine = new SdkDbEngine()
    db = (await openSdkDatabase(engine, { createCollections: false })) as unknown as WxDb
    await db.createCollection('todos')
    const todos = db.collection('todos')
    await todos.add({ data: { _id: 't1', n: 1, done: false, tags: ['a', 'b'], style: { color: 'red', size: 'l' } } })
    await todos.add({ data: { _id: 't2', n: 5, done: true, tags: ['b'], style: { color: 'blue', size: 's' } } })
    await todos.add({ data: { _id: 't3', n: 9, done: false, tags: [], owner: null, style: { color: 'red', size: 's' } } })
    await todos.add({ data: { _id: 't4', n: 5, done: false, tags: ['c'], style: { color: 'green', size: 'm' } } })
    engine.requests.length = 0
  })

  it('a collection that does not exist fails with -502005 and is not created by a write', async () => {
    const err = await rejection(db.collection('nope').add({ data: { _id: 'a' } }))
    expect(err.errCode).toBe(-502005)
    expect(err.errMsg).toMatch(/collection\.add:fail -502005 database collection not exists/)
    expect((await rejection(db.collection('nope').where({ a: 1 }).get())).errCode).toBe(-502005)
    expect(engine.collections()).toEqual(['todos'])
    const again = await rejection(db.createCollection('todos'))
    expect(again.errMsg).toMatch(/createCollection:fail/)
  })

  it('a duplicate _id rejects with -502001; doc(id).get() of a missing record rejects, where({ _id }) resolves empty', async () => {
    const dup = await rejection(db.collection('todos').add({ data: { _id: 't1', n: 0 } }))
    expect(dup.errCode).toBe(-502001)
    expect(dup.errMsg).toMatch(/E11000 duplicate key/)
    const missing = await rejection(db.collection('todos').doc('zz').get())
    expect(missing.errMsg).toBe('document.get:fail document with _id zz does not exist')
    expect((await db.collection('todos').doc('t2').get()).data).toMatchObject({ _id: 't2', n: 5 })
    expect((await db.collection('todos').where({ _id: 'zz' }).limit(1).get()).data).toEqual([])
  })

  it('decodes what the SDK sends: plain objects as dot paths, commands as operators, order and limit', async () => {
    const c = db.collection('todos')
    expect(ids(await c.where({ style: { color: 'red' } }).orderBy('_id', 'asc').get())).toEqual(['t1', 't3'])
    expect(last().query).toEqual({ 'style.color': 'red' })
    expect(last().order).toEqual([['_id', 1]])
    expect(last().limit).toBe(100) // the SDK's default when none is given

    const cursorLike = _().and([{ done: false }, _().or([{ n: _().lt(5) }, { n: 5, _id: _().lt('t5') }])])
    expect(ids(await c.where(cursorLike).orderBy('n', 'desc').orderBy('_id', 'desc').limit(3).get())).toEqual(['t4', 't1'])
    expect(last()).toMatchObject({
      query: { $and: [{ done: false }, { $or: [{ n: { $lt: 5 } }, { n: 5, _id: { $lt: 't5' } }] }] },
      order: [['n', -1], ['_id', -1]],
      limit: 3,
    })
    expect(ids(await c.where({ _id: _().in(['t1', 't3', 'x']) }).orderBy('_id', 'asc').get())).toEqual(['t1', 't3'])
    // Equality on an array field means "contains"; null matches a missing field too.
    expect(ids(await c.where({ tags: 'b' }).orderBy('_id', 'asc').get())).toEqual(['t1', 't2'])
    expect(ids(await c.where({ owner: null }).orderBy('_id', 'asc').get())).toEqual(['t1', 't2', 't3', 't4'])
  })

  it('drops an undefined condition value, which widens the query (the real SDK does)', async () => {
    const c = db.collection('todos')
    expect(ids(await c.where({ done: true, owner: undefined }).get())).toEqual(['t2'])
    expect(last().query).toEqual({ done: true })
  })

  it('update: plain objects merge, set replaces, remove unsets, inc adds, empty objects vanish', async () => {
    const c = db.collection('todos')
    const res = await c.where({ done: false }).update({ data: { flag: 1, style: { color: 'black' }, empty: {} } })
    expect(res.stats.updated).toBe(3)
    expect(last()).toMatchObject({ op: 'update', multi: true, data: { $set: { flag: 1, 'style.color': 'black' } } })
    expect((await c.doc('t1').get()).data).toMatchObject({ flag: 1, style: { color: 'black', size: 'l' } })
    expect('empty' in (await c.doc('t1').get()).data).toBe(false)

    await c.where({ _id: 't1' }).update({ data: { style: _().set({ color: 'white' }), tags: _().remove(), n: _().inc(2) } })
    expect(last().data).toEqual({ $set: { style: { color: 'white' } }, $unset: { tags: '' }, $inc: { n: 2 } })
    const t1 = (await c.doc('t1').get()).data
    expect(t1).toMatchObject({ style: { color: 'white' }, n: 3 })
    expect('tags' in t1).toBe(false)
    // Nothing changes: updated counts changed records, not matches.
    expect((await c.where({ _id: 't1' }).update({ data: { n: 3 } })).stats.updated).toBe(0)
  })

  it('refuses an update that sets a path and its parent (MongoDB path conflict)', async () => {
    const c = db.collection('todos')
    const err = await rejection(c.where({ _id: 't1' }).update({ data: { style: _().remove(), 'style.color': 'x' } }))
    expect(err.errCode).toBe(-502001)
    expect(err.errMsg).toMatch(/conflict/)
  })

  it('refuses stored field names with a dot (they would read as paths)', async () => {
    const c = db.collection('todos')
    expect((await rejection(c.add({ data: { _id: 't8', prices: { 'a.b': 1 } } }))).errMsg).toMatch(/must not contain/)
    expect((await rejection(c.doc('t1').set({ data: { m: { 'x.y': 1 } } }))).errMsg).toMatch(/must not contain/)
    expect((await rejection(c.where({ _id: 't1' }).update({ data: { m: _().set({ 'x.y': 1 }) } }))).errMsg).toMatch(/must not contain/)
  })

  it('doc(id).set() replaces or creates; doc(id).update() merges', async () => {
    const c = db.collection('todos')
    expect(await c.doc('t1').set({ data: { n: 7 } })).toMatchObject({ _id: 't1', stats: { updated: 1, created: 0 } })
    expect((await c.doc('t1').get()).data).toEqual({ _id: 't1', n: 7 })
    expect(await c.doc('t9').set({ data: { n: 8 } })).toMatchObject({ _id: 't9', stats: { updated: 0, created: 1 } })
    expect(last()).toMatchObject({ op: 'set', queryType: 'DOC', query: { _id: 't9' } })
    expect(await c.doc('t9').update({ data: { m: { a: 1 } } })).toMatchObject({ stats: { updated: 1 } })
    expect((await c.doc('t9').get()).data).toEqual({ _id: 't9', n: 8, m: { a: 1 } })
  })

  it('count() and field() send calculateDocument and a projection', async () => {
    const c = db.collection('todos')
    expect(await c.where({ n: 5 }).count()).toMatchObject({ total: 2 })
    expect(last()).toMatchObject({ action: 'database.calculateDocument', op: 'count', query: { n: 5 } })
    const { data } = await c.where({ n: 5 }).field({ style: false, tags: false }).orderBy('_id', 'asc').get()
    expect(data).toEqual([
      { _id: 't2', n: 5, done: true },
      { _id: 't4', n: 5, done: false },
    ])
    expect(last().projection).toEqual({ style: 0, tags: 0 })
    expect((await c.where({ n: 9 }).field({ n: true }).get()).data).toEqual([{ _id: 't3', n: 9 }])
    const mixed = await rejection(c.where({ n: 9 }).field({ n: true, tags: false }).get())
    expect(mixed.errMsg).toMatch(/mix of inclusion and exclusion/)
  })

  it('returns at most 100 records a request and honours skip', async () => {
    const c = db.collection('todos')
    for (let i = 0; i < 120; i++) await c.add({ data: { _id: `m${String(i).padStart(3, '0')}`, n: 100 + i } })
    expect((await c.where({ n: _().gte(100) }).limit(500).get()).data).toHaveLength(100)
    expect(last().limit).toBe(500)
    expect(ids(await c.where({ n: _().gte(100) }).orderBy('_id', 'asc').skip(118).get())).toEqual(['m118', 'm119'])
  })

  it('runs each request whole, after a macrotask: concurrent requests interleave between requests', async () => {
    const c = db.collection('todos')
    const order: string[] = []
    const read = c.where({ _id: 't1' }).get().then((r) => order.push(`read n=${r.data[0]!.n as number}`))
    const write = c.where({ _id: 't1' }).update({ data: { n: _().inc(10) } }).then(() => order.push('write'))
    await Promise.all([read, write])
    expect(order).toEqual(['read n=1', 'write'])
    expect(engine.requests.map((r) => r.op)).toEqual(['get', 'update'])
  })
})
