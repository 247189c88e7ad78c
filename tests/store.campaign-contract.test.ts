import { describe, expect, it } from 'vitest'
import { openCloudbase } from '../src/server/adapters/cloudbase'
import { openSqlite } from '../src/server/adapters/sqlite'
import { campaignTaskId } from '../src/core/campaign/types'
import { campaignStoreContract, makeCampaign, makeTask } from './store.campaign-contract'
import { T0 } from './support/fixtures'
import { WxDbEngine } from './support/wx-db-engine'

campaignStoreContract('sqlite', async () => openSqlite({ file: ':memory:' }))
campaignStoreContract('cloudbase', async () => openCloudbase(new WxDbEngine()))

describe('cloudbase campaigns: requests it sends', () => {
  it('a tick is one conditional task update then one _.inc on the campaign: no read, no read-modify-write', async () => {
    const db = new WxDbEngine()
    const store = openCloudbase(db)
    const c = makeCampaign()
    await store.campaigns.insert(c)
    await store.campaigns.writePage(c.id, null, { tasks: [makeTask(c.id, 'h1', 'b1', 1)], nextCursor: null, last: true })
    const t = (await store.campaigns.getTask(campaignTaskId(c.id, 'h1')))!
    db.requests.length = 0
    expect(await store.campaigns.moveTask(t, 'done', T0, 's1')).toBe(true)
    expect(db.requests.map((r) => `${r.collection}.${r.op}`)).toEqual(['campaign_tasks.update', 'campaigns.update'])
    db.requests.length = 0
    // Lost compare-and-set: the campaign is not touched.
    expect(await store.campaigns.moveTask(t, 'done', T0, 's2')).toBe(false)
    expect(db.requests.map((r) => `${r.collection}.${r.op}`)).toEqual(['campaign_tasks.update'])
    const [doc] = db.dump('campaigns')
    expect(doc!.counts).toEqual({ total: 1, done: 1, declined: 0 })
  })

  it('reads ask for at most 100 records', async () => {
    const db = new WxDbEngine()
    const store = openCloudbase(db)
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
