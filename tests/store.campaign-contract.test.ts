import { describe, expect, it } from 'vitest'
import { openCloudbase } from '../src/server/adapters/cloudbase'
import { openSqlite } from '../src/server/adapters/sqlite'
import { campaignTaskId } from '../src/core/campaign/types'
import { campaignStoreContract, makeCampaign, makeTask } from './store.campaign-contract'
import { T0 } from './support/fixtures'
import { openSdkDatabase, SdkDbEngine } from './support/wx-sdk-db'
import type { CloudCollection, CloudDb, CloudQuery } from '../src/server/adapters/cloud-db'

campaignStoreContract('sqlite', async () => openSqlite({ file: ':memory:' }))
campaignStoreContract('cloudbase (real wx-server-sdk)', async () => openCloudbase(await openSdkDatabase(new SdkDbEngine())))

describe('cloudbase campaigns: requests it sends', () => {
  it('a tick is conditional updates only (task, _.inc on the campaign, then clean-up): no read, no read-modify-write', async () => {
    const db = new SdkDbEngine()
    const store = openCloudbase(await openSdkDatabase(db))
    const c = makeCampaign()
    await store.campaigns.insert(c)
    await store.campaigns.writePage(c.id, null, { tasks: [makeTask(c.id, 'h1', 'b1', 1)], nextCursor: null, last: true })
    const t = (await store.campaigns.getTask(campaignTaskId(c.id, 'h1')))!
    db.requests.length = 0
    expect(await store.campaigns.moveTask(t, 'done', T0, 's1')).toBe(true)
    expect(db.requests.map((r) => `${r.collection}.${r.op}`)).toEqual([
      'campaign_tasks.update',
      'campaigns.update',
      'campaign_tasks.update',
      'campaigns.update',
    ])
    db.requests.length = 0
    // Lost compare-and-set: the campaign is not touched.
    expect(await store.campaigns.moveTask(t, 'done', T0, 's2')).toBe(false)
    expect(db.requests.map((r) => `${r.collection}.${r.op}`)).toEqual(['campaign_tasks.update'])
    const [doc] = db.dump('campaigns')
    expect(doc!.counts).toEqual({ total: 1, done: 1, declined: 0 })
    // The bookkeeping is gone once the move is counted.
    expect(doc!.applied).toEqual({})
    expect('pendingCount' in db.dump('campaign_tasks')[0]!).toBe(false)
  })

  /** A database whose `n`-th update to `collection` (counted from now) fails, as if the function died there. */
  function dyingAt(sdk: CloudDb, collection: string, n: number): CloudDb {
    let seen = 0
    const wrap = (q: CloudQuery): CloudQuery =>
      new Proxy(q, {
        get(target, prop, receiver) {
          const v = Reflect.get(target, prop, receiver) as unknown
          if (prop === 'update')
            return async (o: Parameters<CloudQuery['update']>[0]) => {
              if (++seen === n) throw new Error('function killed')
              return target.update(o)
            }
          if (prop === 'where' || prop === 'orderBy' || prop === 'limit' || prop === 'skip' || prop === 'field')
            return (...args: unknown[]) => wrap((v as (...a: unknown[]) => CloudQuery).apply(target, args))
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
        },
      })
    return {
      command: sdk.command,
      collection: (name: string) => (name === collection ? (wrap(sdk.collection(name) as unknown as CloudQuery) as unknown as CloudCollection) : sdk.collection(name)),
    }
  }

  for (const [where, collection, n] of [
    ['before the _.inc', 'campaigns', 1],
    ['after the _.inc, before the task is cleared', 'campaign_tasks', 2],
    ['after the task is cleared, before the mark is', 'campaigns', 2],
  ] as const) {
    it(`a call killed ${where}: the timer's repair counts the move exactly once`, async () => {
      const engine = new SdkDbEngine()
      const sdk = await openSdkDatabase(engine)
      const store = openCloudbase(sdk)
      const c = makeCampaign()
      await store.campaigns.insert(c)
      await store.campaigns.writePage(c.id, null, { tasks: [makeTask(c.id, 'h1', 'b1', 1), makeTask(c.id, 'h2', 'b1', 2)], nextCursor: null, last: true })
      const t = (await store.campaigns.getTask(campaignTaskId(c.id, 'h1')))!
      const dying = openCloudbase(dyingAt(sdk, collection, n))
      await expect(dying.campaigns.moveTask(t, 'done', T0, 's1')).rejects.toThrow('function killed')
      expect((await store.campaigns.getTask(t.id))!.status).toBe('done')
      // While it owes its count, the task takes no new move (an untick now would lose the tick's +1).
      const owing = 'pendingCount' in engine.dump('campaign_tasks').find((d) => d._id === t.id)!
      if (owing) expect(await store.campaigns.moveTask({ ...t, status: 'done' }, 'pending', T0 + 1, 's1')).toBe(false)
      // Too recent to repair (the mover might still be running); then, later, exactly once, even twice over.
      expect(await store.campaigns.repairCounts(T0 + 60_000, 120_000)).toBe(0)
      expect(await store.campaigns.repairCounts(T0 + 180_000, 120_000)).toBe(owing ? 1 : 0)
      expect(await store.campaigns.repairCounts(T0 + 400_000, 120_000)).toBe(0)
      const got = (await store.campaigns.get(c.id))!
      expect(got.counts).toEqual({ total: 2, done: 1, declined: 0 })
      expect(got.buildings.b1!.units.u1).toEqual({ total: 1, done: 1, declined: 0 })
      // And the task moves again normally.
      expect(await store.campaigns.moveTask((await store.campaigns.getTask(t.id))!, 'pending', T0 + 500_000, 's1')).toBe(true)
      expect((await store.campaigns.get(c.id))!.counts.done).toBe(0)
    })
  }

  it('reads ask for at most 100 records', async () => {
    const db = new SdkDbEngine()
    const store = openCloudbase(await openSdkDatabase(db))
    const c = makeCampaign()
    await store.campaigns.insert(c)
    const tasks = Array.from({ length: 120 }, (_, i) => makeTask(c.id, `h${String(i).padStart(3, '0')}`, 'b1', 1))
    await store.campaigns.writePage(c.id, null, { tasks, nextCursor: null, last: true })
    const page = await store.campaigns.listTasks({ campaignId: c.id, buildingId: 'b1', limit: 1000 })
    expect(page.items).toHaveLength(100)
    expect(page.next).not.toBeNull()
    await store.campaigns.listTasksOfHouseholds(['h001'], 1000)
    const reads = db.requests.filter((r) => r.op === 'get')
    expect(reads.every((r) => r.limit !== undefined && r.limit <= 100)).toBe(true)
  })
})
