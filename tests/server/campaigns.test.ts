/**
 * Campaigns through the real dispatcher on SQLite with the demo community: who may do what, the
 * counters against a recount of the tasks, and creation that resumes (budget, timer, next get).
 */
import { describe, expect, it } from 'vitest'
import { recount } from '../../src/core/campaign/rules'
import type { CampaignTask } from '../../src/core/campaign/types'
import type { CampaignView } from '../../src/core/campaign/views'
import { loadActor } from '../../src/server/actor'
import type { Deps } from '../../src/server/deps'
import { cloudNotifyConfig } from '../../src/server/notify/config'
import { runJobs } from '../../src/server/notify/jobs'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { createCampaign } from '../../src/server/usecases/campaigns'
import { makeApp } from '../support/app'

const CABBAGE = { title: '白菜发放', item: '白菜', qtyPerHousehold: 60, unit: '斤', buildingIds: ['b1'] }

async function allTasks(deps: Deps, c: CampaignView): Promise<CampaignTask[]> {
  const out: CampaignTask[] = []
  for (const b of c.buildings) {
    let cursor: string | null = null
    for (;;) {
      const page = await deps.store.campaigns.listTasks({ campaignId: c.id, buildingId: b.buildingId, limit: 7, cursor })
      out.push(...page.items)
      if (!page.next) break
      cursor = page.next
    }
  }
  return out
}

/** The stored counters equal a recount of the stored tasks. */
async function expectCountersMatchTasks(deps: Deps, id: string) {
  const c = (await deps.store.campaigns.get(id))!
  const tasks = await allTasks(deps, { id, buildings: c.plan.map((b) => ({ buildingId: b.buildingId })) } as CampaignView)
  expect({ counts: c.counts, buildings: c.buildings }).toEqual(recount(c.plan, tasks))
  return tasks
}

describe('campaign.create', () => {
  it('one task per household of the chosen buildings, grouped by building and unit, open at once', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    const c = await coord.call('campaign.create', { ...CABBAGE, buildingIds: ['b1', 'b2'], slot: { start: '14:00', minutesPerUnit: 60 } })
    const households = (await app.store.households.listByCommunity('demo', { limit: 100 })).items
    expect(c.status).toBe('open')
    expect(c.total).toBe(households.length)
    expect(c.creation).toEqual({ written: 72, planned: 72 })
    expect(c.buildings.map((b) => [b.name, b.total, b.units.map((u) => `${u.unit}:${u.total}:${u.slot}`)])).toEqual([
      ['1号楼', 36, ['1:12:14:00-15:00', '2:12:15:00-16:00', '3:12:16:00-17:00']],
      ['2号楼', 36, ['1:12:17:00-18:00', '2:12:18:00-19:00', '3:12:19:00-20:00']],
    ])
    const tasks = await expectCountersMatchTasks(app.deps, c.id)
    expect(new Set(tasks.map((t) => t.householdId)).size).toBe(72)
  })

  it('over one building counts exactly that building’s households', async () => {
    const app = await makeApp()
    const c = await app.as(DEMO_PEOPLE.coordinator).call('campaign.create', CABBAGE)
    const b1 = (await app.store.households.listByCommunity('demo', { limit: 100 })).items.filter((h) => h.buildingId === 'b1')
    expect(c.total).toBe(b1.length)
    expect(c.pending).toBe(b1.length)
  })

  it('refuses zero households, other communities’ buildings, a slot past midnight and non-coordinators; nothing is written', async () => {
    const app = await makeApp()
    const community = (await app.store.communities.get('demo'))!
    await app.store.communities.put({ ...community, buildings: [...community.buildings, { id: 'b9', name: '9号楼', gridId: 'g9' }] })
    const coord = app.as(DEMO_PEOPLE.coordinator)
    expect((await coord.refused('campaign.create', { ...CABBAGE, buildingIds: ['b9'] })).code).toBe('CAMPAIGN.NO_HOUSEHOLDS')
    expect((await coord.refused('campaign.create', { ...CABBAGE, buildingIds: ['b1', 'x7'] })).code).toBe('CAMPAIGN.UNKNOWN_BUILDING')
    const late = await coord.refused('campaign.create', { ...CABBAGE, slot: { start: '22:00', minutesPerUnit: 60 } })
    expect(late.code).toBe('CAMPAIGN.SLOT_TOO_LATE')
    expect(late.fields?.slot).toContain('半夜')
    expect((await app.as(DEMO_PEOPLE.yuhong).refused('campaign.create', CABBAGE)).code).toBe('AUTH.FORBIDDEN')
    expect((await app.as(DEMO_PEOPLE.zhao).refused('campaign.create', CABBAGE)).code).toBe('AUTH.FORBIDDEN')
    const bad = await coord.refused('campaign.create', { ...CABBAGE, title: '白', qtyPerHousehold: 0, unit: '大箱子装' + '的' })
    expect(bad.code).toBe('REQUEST.INVALID_INPUT')
    expect(Object.keys(bad.fields ?? {}).sort()).toEqual(['qtyPerHousehold', 'title', 'unit'])
    expect(await app.store.campaigns.listByCommunity('demo')).toEqual([])
  })

  it('a retry with the same request id finds the first campaign', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    const a = await coord.call('campaign.create', { ...CABBAGE, requestId: 'cabbage-0001' })
    const b = await coord.call('campaign.create', { ...CABBAGE, requestId: 'cabbage-0001' })
    expect(b.id).toBe(a.id)
    expect(await app.store.campaigns.listByCommunity('demo')).toHaveLength(1)
  })
})

describe('tick and decline', () => {
  it('squad ticks, residents decline only their own household; double ticks count once; counters equal a recount', async () => {
    const app = await makeApp()
    const c = await app.as(DEMO_PEOPLE.coordinator).call('campaign.create', CABBAGE)
    const squad = app.as(DEMO_PEOPLE.yuhong)
    for (const h of ['h1-1-101', 'h1-1-102', 'h1-2-201']) await squad.call('campaign.tick', { id: c.id, householdId: h })
    const again = await squad.call('campaign.tick', { id: c.id, householdId: 'h1-1-101' })
    expect(again).toMatchObject({ done: 3, declined: 0, pending: 33 })

    const zhao = app.as(DEMO_PEOPLE.zhao)
    const mine = await zhao.call('campaign.mine', {})
    expect(mine.campaigns).toEqual([expect.objectContaining({ campaignId: c.id, householdId: 'h1-1-301', status: 'pending', item: '白菜' })])
    const declined = await zhao.call('campaign.decline', { id: c.id })
    expect(declined.campaigns[0]!.status).toBe('declined')
    await zhao.call('campaign.decline', { id: c.id }) // idempotent
    expect((await squad.refused('campaign.tick', { id: c.id, householdId: 'h1-1-301' })).code).toBe('CAMPAIGN.TASK_DECLINED')

    // 张女士 (h1-2-502) may not decline for 赵先生's door; her own works.
    const zhang = app.as(DEMO_PEOPLE.zhang)
    const other = await zhang.refused('campaign.decline', { id: c.id, householdId: 'h1-1-301' })
    expect(other.code).toBe('HOUSEHOLD.NOT_MEMBER')
    expect((await zhang.refused('campaign.decline', { id: c.id, householdId: 'h1-1-102' })).code).toBe('HOUSEHOLD.NOT_MEMBER')
    // A delivered household can no longer say 不需要.
    await squad.call('campaign.tick', { id: c.id, householdId: 'h1-2-502' })
    expect((await zhang.refused('campaign.decline', { id: c.id })).code).toBe('CAMPAIGN.ALREADY_DELIVERED')

    const view = await app.as(DEMO_PEOPLE.coordinator).call('campaign.get', { id: c.id })
    expect(view).toMatchObject({ total: 36, done: 4, declined: 1, pending: 31 })
    const u1 = view.buildings[0]!.units.find((u) => u.unit === 1)!
    expect(u1).toMatchObject({ total: 12, done: 2, declined: 1 })
    const tasks = await expectCountersMatchTasks(app.deps, c.id)
    expect(tasks.find((t) => t.householdId === 'h1-1-101')).toMatchObject({ status: 'done', by: DEMO_PEOPLE.yuhong })
  })

  it('concurrent ticks of one door count once', async () => {
    const app = await makeApp()
    const c = await app.as(DEMO_PEOPLE.coordinator).call('campaign.create', CABBAGE)
    const results = await Promise.all(
      [DEMO_PEOPLE.yuhong, DEMO_PEOPLE.wangnan, DEMO_PEOPLE.chaolu].map((p) => app.as(p).call('campaign.tick', { id: c.id, householdId: 'h1-3-401' })),
    )
    expect(results.every((r) => r.id === c.id)).toBe(true)
    expect((await app.store.campaigns.get(c.id))!.counts).toEqual({ total: 36, done: 1, declined: 0 })
  })

  it('untick undoes a mis-tap; a household outside the campaign and other communities are refused', async () => {
    const app = await makeApp()
    const c = await app.as(DEMO_PEOPLE.coordinator).call('campaign.create', CABBAGE)
    const squad = app.as(DEMO_PEOPLE.yuhong)
    await squad.call('campaign.tick', { id: c.id, householdId: 'h1-1-101' })
    expect((await squad.call('campaign.untick', { id: c.id, householdId: 'h1-1-101' })).done).toBe(0)
    expect((await squad.refused('campaign.tick', { id: c.id, householdId: 'h2-1-101' })).code).toBe('CAMPAIGN.TASK_NOT_FOUND')
    expect((await app.as(DEMO_PEOPLE.zhao).refused('campaign.tick', { id: c.id, householdId: 'h1-1-301' })).code).toBe('AUTH.FORBIDDEN')
    expect((await squad.refused('campaign.get', { id: 'nope' })).code).toBe('CAMPAIGN.NOT_FOUND')
    // A squad member of another community does not see it.
    await app.store.people.put({ id: 'squad-other', name: '外人', phone: '', households: [], squadOf: 'other', coordinatorOf: null, createdAt: 0 })
    expect((await app.as('squad-other').refused('campaign.tick', { id: c.id, householdId: 'h1-1-101' })).code).toBe('CAMPAIGN.NOT_FOUND')
    expect((await app.as('squad-other').refused('campaign.get', { id: c.id })).code).toBe('CAMPAIGN.NOT_FOUND')
  })

  it('lists: the coordinator’s newest first, the squad’s open ones; tasks per unit carry doors, not names', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    const a = await coord.call('campaign.create', CABBAGE)
    app.advance(60_000)
    const b = await coord.call('campaign.create', { ...CABBAGE, title: '大米发放', item: '大米', qtyPerHousehold: 1, unit: '袋', buildingIds: ['b2'] })
    expect((await coord.call('campaign.list', {})).campaigns.map((x) => x.id)).toEqual([b.id, a.id])
    expect((await app.as(DEMO_PEOPLE.wangnan).call('campaign.list', {})).campaigns.map((x) => x.id)).toEqual([b.id, a.id])
    const list = await app.as(DEMO_PEOPLE.wangnan).call('campaign.tasks', { id: b.id, buildingId: 'b2', unit: 1 })
    expect(list.tasks).toHaveLength(12)
    expect(list.tasks[0]).toEqual({ householdId: 'h2-1-101', unit: 1, floor: 1, room: '101', door: '2号楼1单元101', status: 'pending' })
    expect(JSON.stringify(list)).not.toMatch(/李秀英|1380000/)
    expect((await app.as(DEMO_PEOPLE.zhao).refused('campaign.list', {})).code).toBe('AUTH.FORBIDDEN')
  })
})

describe('resumable creation', () => {
  it('a budget of two pages leaves it creating with progress; the timer finishes it; no duplicate tasks', async () => {
    const app = await makeApp()
    const actor = await loadActor(app.store, DEMO_PEOPLE.coordinator)
    const input = { title: '白菜发放', item: '白菜', qtyPerHousehold: 60, unit: '斤', buildingIds: ['b1', 'b2'] }
    const c = await createCampaign(app.deps, actor, input, { pageSize: 10, budget: { deadline: Infinity, maxPages: 2 } })
    expect(c.status).toBe('creating')
    expect(c.creation).toEqual({ written: 20, planned: 72 })
    expect(c.total).toBe(20)
    // A tick on a door already written works while creating, and stays counted.
    await app.as(DEMO_PEOPLE.yuhong).call('campaign.tick', { id: c.id, householdId: 'h1-1-101' })

    // Another writer replays the first page: it is accounted once (the cursor has moved on).
    const stored = (await app.store.campaigns.get(c.id))!
    expect(await app.store.campaigns.writePage(c.id, null, { tasks: [], nextCursor: 'zzz', last: true })).toBe(false)
    expect((await app.store.campaigns.get(c.id))!.creation).toEqual(stored.creation)

    await runJobs(app.deps, { ...cloudNotifyConfig({}), communities: [] }, app.clock.now, { lastRun: 0, queued: new Set() })
    const done = (await app.store.campaigns.get(c.id))!
    expect(done.status).toBe('open')
    expect(done.creation.written).toBe(72)
    expect(done.counts).toEqual({ total: 72, done: 1, declined: 0 })
    const tasks = await expectCountersMatchTasks(app.deps, c.id)
    expect(tasks).toHaveLength(72)
    expect(new Set(tasks.map((t) => t.id)).size).toBe(72)
  })

  it('the next campaign.get resumes it too, and a second resume adds nothing', async () => {
    const app = await makeApp()
    const actor = await loadActor(app.store, DEMO_PEOPLE.coordinator)
    const c = await createCampaign(app.deps, actor, { ...CABBAGE, buildingIds: ['b1', 'b2'] }, { pageSize: 7, budget: { deadline: Infinity, maxPages: 1 } })
    expect(c.creation.written).toBeLessThan(72)
    const got = await app.as(DEMO_PEOPLE.coordinator).call('campaign.get', { id: c.id })
    expect(got).toMatchObject({ status: 'open', total: 72, creation: { written: 72, planned: 72 } })
    await runJobs(app.deps, { ...cloudNotifyConfig({}), communities: [] }, app.clock.now, { lastRun: 0, queued: new Set() })
    expect((await app.store.campaigns.get(c.id))!.counts.total).toBe(72)
    await expectCountersMatchTasks(app.deps, c.id)
  })

  it('a resident of a door not yet written can still decline (the call writes what it needs)', async () => {
    const app = await makeApp()
    const actor = await loadActor(app.store, DEMO_PEOPLE.coordinator)
    const c = await createCampaign(app.deps, actor, CABBAGE, { pageSize: 5, budget: { deadline: Infinity, maxPages: 1 } })
    expect(await app.store.campaigns.getTask(`${c.id}_h1-2-502`)).toBeNull()
    const mine = await app.as(DEMO_PEOPLE.zhang).call('campaign.decline', { id: c.id, householdId: 'h1-2-502' })
    expect(mine.campaigns.find((x) => x.campaignId === c.id)?.status).toBe('declined')
  })
})

describe('campaigns on the CloudBase adapter (in-memory wx database)', () => {
  it('create over both buildings, resume, tick and decline: counters equal a recount', async () => {
    const { openCloudbase } = await import('../../src/server/adapters/cloudbase')
    const { openSdkDatabase, SdkDbEngine } = await import('../support/wx-sdk-db')
    const app = await makeApp({ store: openCloudbase(await openSdkDatabase(new SdkDbEngine())) })
    const actor = await loadActor(app.store, DEMO_PEOPLE.coordinator)
    const c = await createCampaign(app.deps, actor, { ...CABBAGE, buildingIds: ['b1', 'b2'] }, { pageSize: 30, budget: { deadline: Infinity, maxPages: 1 } })
    expect(c).toMatchObject({ status: 'creating', creation: { written: 30, planned: 72 } })
    const got = await app.as(DEMO_PEOPLE.coordinator).call('campaign.get', { id: c.id })
    expect(got).toMatchObject({ status: 'open', total: 72 })
    await app.as(DEMO_PEOPLE.yuhong).call('campaign.tick', { id: c.id, householdId: 'h2-3-601' })
    await app.as(DEMO_PEOPLE.yuhong).call('campaign.tick', { id: c.id, householdId: 'h2-3-601' })
    await app.as(DEMO_PEOPLE.zhao).call('campaign.decline', { id: c.id })
    expect(await app.as(DEMO_PEOPLE.coordinator).call('campaign.get', { id: c.id })).toMatchObject({ done: 1, declined: 1, pending: 70 })
    await expectCountersMatchTasks(app.deps, c.id)
  })
})
