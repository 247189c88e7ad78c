/**
 * CampaignRepo's contract, run against both adapters by store.contract.test.ts-style entries in
 * store.campaign-contract.test.ts. adapters/sqlite-campaigns.ts defines the reference semantics.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { recount, zeroCounters } from '../src/core/campaign/rules'
import { campaignTaskId, type Campaign, type CampaignTask, type PlanBuilding } from '../src/core/campaign/types'
import type { Store } from '../src/server/ports'
import { T0 } from './support/fixtures'

const PLAN: PlanBuilding[] = [
  { buildingId: 'b1', name: '1号楼', units: [1, 2] },
  { buildingId: 'b2', name: '2号楼', units: [1] },
]

export function makeCampaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: 'camp-1',
    communityId: 'c-1',
    title: '白菜发放',
    item: '白菜',
    qtyPerHousehold: 60,
    unit: '斤',
    buildingIds: ['b1', 'b2'],
    plan: PLAN,
    slot: { start: '14:00', minutesPerUnit: 30 },
    date: '2022-04-10',
    status: 'creating',
    creation: { pageSize: 100, cursor: null, planned: 6, written: 0 },
    ...zeroCounters(PLAN),
    createdBy: 'coord-1',
    createdAt: T0,
    ...overrides,
  }
}

export function makeTask(campaignId: string, householdId: string, buildingId: string, unit: number, overrides: Partial<CampaignTask> = {}): CampaignTask {
  return {
    id: campaignTaskId(campaignId, householdId),
    campaignId,
    communityId: 'c-1',
    householdId,
    buildingId,
    unit,
    floor: 3,
    room: '301',
    status: 'pending',
    at: null,
    by: null,
    createdAt: T0,
    ...overrides,
  }
}

const PAGE1 = (id: string) => [makeTask(id, 'h1-1-101', 'b1', 1), makeTask(id, 'h1-1-102', 'b1', 1), makeTask(id, 'h1-2-101', 'b1', 2)]
const PAGE2 = (id: string) => [makeTask(id, 'h2-1-101', 'b2', 1), makeTask(id, 'h2-1-102', 'b2', 1), makeTask(id, 'h2-1-201', 'b2', 1)]

export function campaignStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract (campaigns): ${name}`, () => {
    let store: Store
    beforeEach(async () => {
      store = await makeStore()
    })
    afterEach(async () => {
      await store.close()
    })

    async function allTasks(id: string): Promise<CampaignTask[]> {
      const out: CampaignTask[] = []
      for (const b of PLAN) {
        let cursor: string | null = null
        for (;;) {
          const page = await store.campaigns.listTasks({ campaignId: id, buildingId: b.buildingId, limit: 2, cursor })
          out.push(...page.items)
          if (!page.next) break
          cursor = page.next
        }
      }
      return out
    }

    async function openCampaign(): Promise<Campaign> {
      const c = makeCampaign()
      await store.campaigns.insert(c)
      expect(await store.campaigns.writePage(c.id, null, { tasks: PAGE1(c.id), nextCursor: 'h1-9', last: false })).toBe(true)
      expect(await store.campaigns.writePage(c.id, 'h1-9', { tasks: PAGE2(c.id), nextCursor: 'h2-9', last: true })).toBe(true)
      return (await store.campaigns.get(c.id))!
    }

    it('insert is idempotent on id and round-trips the campaign', async () => {
      const c = makeCampaign()
      expect(await store.campaigns.insert(c)).toEqual({ campaign: c, created: true })
      expect(await store.campaigns.insert({ ...c, title: '改了' })).toEqual({ campaign: c, created: false })
      expect(await store.campaigns.get(c.id)).toEqual(c)
      expect(await store.campaigns.get('missing')).toBeNull()
    })

    it('writePage accounts each page once: the cursor moves by compare-and-set and opens on the last page', async () => {
      const c = makeCampaign()
      await store.campaigns.insert(c)
      expect(await store.campaigns.writePage(c.id, null, { tasks: PAGE1(c.id), nextCursor: 'h1-9', last: false })).toBe(true)
      // The same page again (a concurrent or repeated resume): nothing counted twice, no duplicate task.
      expect(await store.campaigns.writePage(c.id, null, { tasks: PAGE1(c.id), nextCursor: 'h1-9', last: false })).toBe(false)
      let got = (await store.campaigns.get(c.id))!
      expect(got.status).toBe('creating')
      expect(got.creation).toEqual({ pageSize: 100, cursor: 'h1-9', planned: 6, written: 3 })
      expect(got.counts).toEqual({ total: 3, done: 0, declined: 0 })
      expect(await allTasks(c.id)).toHaveLength(3)
      expect(await store.campaigns.writePage(c.id, 'h1-9', { tasks: PAGE2(c.id), nextCursor: 'h2-9', last: true })).toBe(true)
      got = (await store.campaigns.get(c.id))!
      expect(got.status).toBe('open')
      expect(got.creation.written).toBe(6)
      expect(got.buildings.b1!.units.u2).toEqual({ total: 1, done: 0, declined: 0 })
      expect(got.buildings.b2).toEqual({ total: 3, done: 0, declined: 0, units: { u1: { total: 3, done: 0, declined: 0 } } })
      // Open: no more pages.
      expect(await store.campaigns.writePage(c.id, 'h2-9', { tasks: [], nextCursor: null, last: true })).toBe(false)
    })

    it('moveTask is a compare-and-set that moves the counters with it; counters equal a recount', async () => {
      const c = await openCampaign()
      const t = (await store.campaigns.getTask(campaignTaskId(c.id, 'h1-1-101')))!
      expect(t.status).toBe('pending')
      expect(await store.campaigns.moveTask(t, 'done', T0 + 1, 'squad-1')).toBe(true)
      // The same stale read again (a double tick): the task is no longer pending, nothing moves.
      expect(await store.campaigns.moveTask(t, 'done', T0 + 2, 'squad-2')).toBe(false)
      const d = (await store.campaigns.getTask(campaignTaskId(c.id, 'h2-1-102')))!
      expect(await store.campaigns.moveTask(d, 'declined', T0 + 3, 'res-1')).toBe(true)
      expect(await store.campaigns.getTask(t.id)).toEqual({ ...t, status: 'done', at: T0 + 1, by: 'squad-1' })
      const got = (await store.campaigns.get(c.id))!
      expect(got.counts).toEqual({ total: 6, done: 1, declined: 1 })
      expect(got.buildings.b1!.units.u1).toEqual({ total: 2, done: 1, declined: 0 })
      expect(got.buildings.b2!.declined).toBe(1)
      expect({ counts: got.counts, buildings: got.buildings }).toEqual(recount(PLAN, await allTasks(c.id)))
      // Back to pending (untick): the counter goes back down.
      const done = (await store.campaigns.getTask(t.id))!
      expect(await store.campaigns.moveTask(done, 'pending', T0 + 4, 'squad-1')).toBe(true)
      expect((await store.campaigns.get(c.id))!.counts).toEqual({ total: 6, done: 0, declined: 1 })
    })

    it('concurrent moves of one task: exactly one wins and counts', async () => {
      const c = await openCampaign()
      const t = (await store.campaigns.getTask(campaignTaskId(c.id, 'h1-2-101')))!
      const wins = await Promise.all([1, 2, 3, 4].map((i) => store.campaigns.moveTask(t, 'done', T0 + i, `squad-${i}`)))
      expect(wins.filter(Boolean)).toHaveLength(1)
      expect((await store.campaigns.get(c.id))!.counts.done).toBe(1)
    })

    it('a ticked task is not reset by a replayed page', async () => {
      const c = makeCampaign()
      await store.campaigns.insert(c)
      await store.campaigns.writePage(c.id, null, { tasks: PAGE1(c.id), nextCursor: 'h1-9', last: false })
      const t = (await store.campaigns.getTask(campaignTaskId(c.id, 'h1-1-101')))!
      await store.campaigns.moveTask(t, 'done', T0 + 1, 'squad-1')
      await store.campaigns.writePage(c.id, null, { tasks: PAGE1(c.id), nextCursor: 'h1-9', last: false })
      expect((await store.campaigns.getTask(t.id))!.status).toBe('done')
      expect((await store.campaigns.get(c.id))!.counts).toEqual({ total: 3, done: 1, declined: 0 })
    })

    it('listTasks filters by building and unit and pages by id; listTasksOfHouseholds is newest first', async () => {
      const c = await openCampaign()
      const later = makeCampaign({ id: 'camp-2', createdAt: T0 + 60_000 })
      await store.campaigns.insert(later)
      await store.campaigns.writePage(later.id, null, { tasks: [makeTask(later.id, 'h1-1-101', 'b1', 1, { createdAt: T0 + 60_000 })], nextCursor: null, last: true })
      const unit1 = await store.campaigns.listTasks({ campaignId: c.id, buildingId: 'b1', unit: 1 })
      expect(unit1.items.map((t) => t.householdId)).toEqual(['h1-1-101', 'h1-1-102'])
      expect(unit1.next).toBeNull()
      const page = await store.campaigns.listTasks({ campaignId: c.id, buildingId: 'b2', limit: 2 })
      expect(page.items.map((t) => t.householdId)).toEqual(['h2-1-101', 'h2-1-102'])
      const rest = await store.campaigns.listTasks({ campaignId: c.id, buildingId: 'b2', limit: 2, cursor: page.next })
      expect(rest).toEqual({ items: [expect.objectContaining({ householdId: 'h2-1-201' })], next: null })
      const mine = await store.campaigns.listTasksOfHouseholds(['h1-1-101', 'h2-1-201'])
      expect(mine.map((t) => t.campaignId)).toEqual(['camp-2', 'camp-1', 'camp-1'])
      expect(await store.campaigns.listTasksOfHouseholds([])).toEqual([])
    })

    it('lists campaigns newest first per community, by status, and the ones still creating oldest first', async () => {
      await store.campaigns.insert(makeCampaign({ id: 'a', createdAt: T0, status: 'open' }))
      await store.campaigns.insert(makeCampaign({ id: 'b', createdAt: T0 + 2 }))
      await store.campaigns.insert(makeCampaign({ id: 'c', createdAt: T0 + 1 }))
      await store.campaigns.insert(makeCampaign({ id: 'd', createdAt: T0 + 3, communityId: 'c-2' }))
      expect((await store.campaigns.listByCommunity('c-1')).map((c) => c.id)).toEqual(['b', 'c', 'a'])
      expect((await store.campaigns.listByCommunity('c-1', { status: 'open' })).map((c) => c.id)).toEqual(['a'])
      expect((await store.campaigns.listByCommunity('c-1', { limit: 1 })).map((c) => c.id)).toEqual(['b'])
      expect((await store.campaigns.listCreating()).map((c) => c.id)).toEqual(['c', 'b', 'd'])
    })
  })
}
