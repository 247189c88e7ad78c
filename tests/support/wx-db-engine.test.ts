import { beforeEach, describe, expect, it } from 'vitest'
import { DB_REQUEST_FAILED, WxDbEngine, WxDbError } from './wx-db-engine'

describe('WxDbEngine (in-memory wx-server-sdk database)', () => {
  let db: WxDbEngine
  const _ = () => db.command
  const ids = (r: { data: { _id?: string }[] }) => r.data.map((d) => d._id)

  beforeEach(async () => {
    db = new WxDbEngine()
    const todos = db.collection('todos')
    await todos.add({ data: { _id: 't1', n: 1, done: false, tags: ['a', 'b'], style: { color: 'red', size: 'l' } } })
    await todos.add({ data: { _id: 't2', n: 5, done: true, tags: ['b'], style: { color: 'blue', size: 's' } } })
    await todos.add({ data: { _id: 't3', n: 9, done: false, tags: [], owner: null, style: { color: 'red', size: 's' } } })
    await todos.add({ data: { _id: 't4', n: 5, done: false, tags: ['c'], style: { color: 'green', size: 'm' } } })
  })

  it('interprets query commands: in, lt, gt, eq, field-level and top-level or/and', async () => {
    const c = db.collection('todos')
    expect(ids(await c.where({ _id: _().in(['t1', 't3', 'nope']) }).orderBy('_id', 'asc').get())).toEqual(['t1', 't3'])
    expect(ids(await c.where({ n: _().lt(5) }).get())).toEqual(['t1'])
    expect(ids(await c.where({ n: _().gt(4), done: false }).orderBy('_id', 'asc').get())).toEqual(['t3', 't4'])
    expect(ids(await c.where({ n: _().eq(5) }).orderBy('_id', 'asc').get())).toEqual(['t2', 't4'])
    expect(ids(await c.where({ n: _().or([_().lt(2), _().gt(8)]) }).orderBy('_id', 'asc').get())).toEqual(['t1', 't3'])
    expect(ids(await c.where(_().or([{ done: true }, { n: 9 }])).orderBy('_id', 'asc').get())).toEqual(['t2', 't3'])
    const cursorLike = _().and([
      { done: false },
      _().or([{ n: _().lt(5) }, { n: 5, _id: _().lt('t5') }]),
    ])
    expect(ids(await c.where(cursorLike).orderBy('_id', 'asc').get())).toEqual(['t1', 't4'])
  })

  it('flattens nested objects into dot paths and accepts dot-path keys', async () => {
    const c = db.collection('todos')
    // { style: { color } } is a sub-field match, not whole-object equality.
    expect(ids(await c.where({ style: { color: 'red' } }).orderBy('_id', 'asc').get())).toEqual(['t1', 't3'])
    expect(ids(await c.where({ 'style.size': 's' }).orderBy('_id', 'asc').get())).toEqual(['t2', 't3'])
  })

  it('equality on an array field means "contains"', async () => {
    const c = db.collection('todos')
    expect(ids(await c.where({ tags: 'b' }).orderBy('_id', 'asc').get())).toEqual(['t1', 't2'])
    expect(ids(await c.where({ tags: 'z' }).get())).toEqual([])
  })

  it('rejects an undefined value in a condition instead of widening it', () => {
    expect(() => db.collection('todos').where({ done: undefined })).toThrow(/undefined/)
  })

  it('where().update() returns stats.updated, merges plain objects, set replaces, remove deletes', async () => {
    const c = db.collection('todos')
    const res = await c.where({ done: false }).update({ data: { flag: 1, style: { color: 'black' } } })
    expect(res.stats.updated).toBe(3)
    const t1 = (await c.doc('t1').get()).data
    expect(t1.style).toEqual({ color: 'black', size: 'l' }) // merged
    expect(t1.flag).toBe(1)
    expect((await c.doc('t2').get()).data.flag).toBeUndefined()

    await c.where({ _id: 't1' }).update({ data: { style: _().set({ color: 'white' }), tags: _().remove() } })
    const t1b = (await c.doc('t1').get()).data
    expect(t1b.style).toEqual({ color: 'white' })
    expect('tags' in t1b).toBe(false)

    expect((await c.where({ _id: 'nope' }).update({ data: { flag: 2 } })).stats.updated).toBe(0)
    // Only records that actually change count.
    expect((await c.where({ _id: 't2' }).update({ data: { n: 5 } })).stats.updated).toBe(0)
    await expect(c.where({ _id: 't2' }).update({ data: { _id: 'x' } })).rejects.toThrow(/_id/)
  })

  it('a conditional update succeeds for exactly one of many concurrent callers', async () => {
    const c = db.collection('todos')
    const results = await Promise.all(
      Array.from({ length: 10 }, (_x, i) => c.where({ _id: 't4', n: 5 }).update({ data: { n: 6, by: i } })),
    )
    expect(results.map((r) => r.stats.updated).reduce((a, b) => a + b)).toBe(1)
  })

  it('add with an existing _id rejects with a duplicate-key error; doc().get() of a missing id rejects', async () => {
    const c = db.collection('todos')
    const err = await c.add({ data: { _id: 't1', n: 0 } }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WxDbError)
    expect((err as WxDbError).errCode).toBe(DB_REQUEST_FAILED)
    expect((err as WxDbError).errMsg).toMatch(/duplicate key/)
    expect((await c.doc('t1').get()).data.n).toBe(1)

    await expect(c.doc('missing').get()).rejects.toMatchObject({
      errMsg: 'document.get:fail document with _id missing does not exist',
    })
    const added = await c.add({ data: { n: 42 } })
    expect(added._id).toMatch(/^[0-9a-f]{32}$/)
    expect((await c.doc(added._id).get()).data).toEqual({ _id: added._id, n: 42 })
  })

  it('doc().set() upserts and replaces the whole record', async () => {
    const c = db.collection('todos')
    expect((await c.doc('t1').set({ data: { n: 100 } })).stats).toEqual({ updated: 1, created: 0 })
    expect((await c.doc('t1').get()).data).toEqual({ _id: 't1', n: 100 })
    expect((await c.doc('t9').set({ data: { n: 9 } })).stats).toEqual({ updated: 0, created: 1 })
    await expect(c.doc('t9').set({ data: { _id: 't9', n: 1 } })).rejects.toThrow(/_id/)
  })

  it('get() caps at 100 and at the limit; orderBy on several fields; skip', async () => {
    const c = db.collection('many')
    for (let i = 0; i < 150; i++) await c.add({ data: { _id: `m${String(i).padStart(3, '0')}`, g: i % 3 } })
    expect((await c.get()).data).toHaveLength(100)
    expect((await c.limit(1000).get()).data).toHaveLength(100)
    expect((await c.limit(7).get()).data).toHaveLength(7)
    const sorted = await c.orderBy('g', 'desc').orderBy('_id', 'asc').limit(3).get()
    expect(ids(sorted)).toEqual(['m002', 'm005', 'm008'])
    const skipped = await c.orderBy('g', 'desc').orderBy('_id', 'asc').skip(49).limit(3).get()
    expect(ids(skipped)).toEqual(['m149', 'm001', 'm004'])
    expect((await c.skip(140).get()).data).toHaveLength(10)
  })

  it('copies records in and out (no aliasing)', async () => {
    const c = db.collection('alias')
    const data = { _id: 'a', list: [{ x: 1 }], nested: { y: 1 } }
    await c.add({ data })
    data.list[0]!.x = 99
    data.nested.y = 99
    const got = (await c.doc('a').get()).data as typeof data
    expect(got).toEqual({ _id: 'a', list: [{ x: 1 }], nested: { y: 1 } })
    got.list[0]!.x = 42
    expect((await c.doc('a').get()).data).toEqual({ _id: 'a', list: [{ x: 1 }], nested: { y: 1 } })
  })
})
