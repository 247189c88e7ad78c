/**
 * Bulk distributions (社区发放): validate → authorize → use case, like every action.
 *
 * Creation is resumable. campaign.create scans the register once (to plan buildings, units and
 * slots, and to refuse a campaign over zero households), stores the campaign as `creating`, then
 * writes tasks one household page at a time within a wall-clock budget. Whatever is left is
 * written by the timer (resumeCampaigns, from notify/jobs.ts runJobs) and by the next
 * campaign.get. Task ids are campaignId + householdId and each page is accounted once by a
 * compare-and-set on the creation cursor, so concurrent or repeated resumes never duplicate.
 *
 * Progress is read from the campaign's counters, never by reading the tasks.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Actor } from '../../core/actor'
import { decideTask, pendingOf, planCampaign, slotFitsDay, unitSlots, zeroCounters, type TaskCommand } from '../../core/campaign/rules'
import { campaignTaskId, unitKey, type Campaign, type CampaignTask, type Counts } from '../../core/campaign/types'
import type { CampaignList, CampaignTaskList, CampaignView, MyCampaigns, MyCampaignView } from '../../core/campaign/views'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import { beijingDate } from '../../core/time'
import type { Deps } from '../deps'
import { MAX_PAGE, type Household } from '../ports'
import { householdLabel } from './me'

/** Households per creation page (one store page; the unit a resume accounts at once). */
export const CREATION_PAGE_SIZE = MAX_PAGE
/** Wall-clock budgets for writing tasks: inside a call (3–20 s function timeout) and in the timer. */
export const CREATE_BUDGET_MS = 2_000
export const GET_BUDGET_MS = 1_000
export const TIMER_BUDGET_MS = 5_000

export interface CreationBudget {
  /** Stop starting pages at this wall-clock time. */
  deadline: number
  /** And after this many pages (tests). */
  maxPages?: number
  /** Real time (default Date.now): deps.now is the domain clock, which tests stop. */
  wall?: () => number
}

export const budgetOf = (ms: number, wall: () => number = Date.now): CreationBudget => ({ deadline: wall() + ms, wall })

// ---------------------------------------------------------------------------------------------
// Views

const progress = (c: Counts | undefined) => {
  const x = c ?? { total: 0, done: 0, declined: 0 }
  return { total: x.total, done: x.done, declined: x.declined, pending: pendingOf(x) }
}

export function campaignView(c: Campaign): CampaignView {
  const slots = unitSlots(c.plan, c.slot)
  return {
    id: c.id,
    title: c.title,
    item: c.item,
    qtyPerHousehold: c.qtyPerHousehold,
    unit: c.unit,
    status: c.status,
    date: c.date,
    slot: c.slot,
    createdAt: c.createdAt,
    creation: { written: c.creation.written, planned: c.creation.planned },
    ...progress(c.counts),
    buildings: c.plan.map((b) => {
      const bc = c.buildings[b.buildingId]
      return {
        buildingId: b.buildingId,
        name: b.name,
        ...progress(bc),
        units: b.units.map((u) => ({ unit: u, slot: slots?.get(`${b.buildingId}/${u}`) ?? null, ...progress(bc?.units[unitKey(u)]) })),
      }
    }),
  }
}

// ---------------------------------------------------------------------------------------------
// Creation

async function communityHouseholds(deps: Deps, communityId: string): Promise<Household[]> {
  const out: Household[] = []
  let cursor: string | null = null
  for (let i = 0; i < 1000; i++) {
    const page = await deps.store.households.listByCommunity(communityId, { limit: MAX_PAGE, cursor })
    out.push(...page.items)
    if (!page.next) break
    cursor = page.next
  }
  return out
}

const taskOf = (c: Campaign, h: Household): CampaignTask => ({
  id: campaignTaskId(c.id, h.id),
  campaignId: c.id,
  communityId: c.communityId,
  householdId: h.id,
  buildingId: h.buildingId,
  unit: h.unit,
  floor: h.floor,
  room: h.room,
  status: 'pending',
  at: null,
  by: null,
  createdAt: c.createdAt,
})

/** Writes creation pages until the campaign is open or the budget is spent; returns the campaign as stored. */
export async function resumeCreation(deps: Deps, campaign: Campaign, budget: CreationBudget): Promise<{ campaign: Campaign; pages: number }> {
  const wall = budget.wall ?? Date.now
  let c = campaign
  let pages = 0
  const buildings = new Set(c.buildingIds)
  while (c.status === 'creating' && wall() < budget.deadline && (budget.maxPages === undefined || pages < budget.maxPages)) {
    const page = await deps.store.households.listByCommunity(c.communityId, { limit: c.creation.pageSize, cursor: c.creation.cursor })
    const tasks = page.items.filter((h) => buildings.has(h.buildingId)).map((h) => taskOf(c, h))
    const last = page.next === null
    const nextCursor = last ? (page.items[page.items.length - 1]?.id ?? c.creation.cursor) : page.next
    await deps.store.campaigns.writePage(c.id, c.creation.cursor, { tasks, nextCursor, last })
    pages++
    const again = await deps.store.campaigns.get(c.id)
    if (!again) break
    c = again
  }
  if (pages > 0) deps.log.info('campaign.resume', { pages, written: c.creation.written, planned: c.creation.planned, status: c.status })
  return { campaign: c, pages }
}

/** Counter moves older than this that never completed are finished by the timer (> the function timeout). */
export const REPAIR_AFTER_MS = 2 * 60_000

/**
 * The timer's hook (notify/jobs.ts runJobs): finishes counter moves a killed call left owing,
 * then campaigns still being created, oldest first.
 */
export async function resumeCampaigns(deps: Deps, budget: CreationBudget): Promise<number> {
  const wall = budget.wall ?? Date.now
  const repaired = await deps.store.campaigns.repairCounts(deps.now(), REPAIR_AFTER_MS)
  if (repaired > 0) deps.log.info('campaign.counts_repaired', { repaired })
  let pages = 0
  for (const c of await deps.store.campaigns.listCreating(10)) {
    if (wall() >= budget.deadline) break
    pages += (await resumeCreation(deps, c, budget)).pages
  }
  return pages
}

function campaignIdFor(actorId: string, requestId: string | undefined): string {
  if (!requestId) return 'c' + randomBytes(12).toString('hex')
  return 'c' + createHash('sha256').update(`campaign\u0000${actorId}\u0000${requestId}`).digest('hex').slice(0, 23)
}

export async function createCampaign(
  deps: Deps,
  actor: Actor,
  input: ParsedInputOf<'campaign.create'>,
  opts: { pageSize?: number; budget?: CreationBudget } = {},
): Promise<CampaignView> {
  const communityId = actor.coordinatorOf!
  const id = campaignIdFor(actor.id, input.requestId)
  const budget = opts.budget ?? budgetOf(CREATE_BUDGET_MS)
  const existing = await deps.store.campaigns.get(id)
  if (existing) return campaignView((await resumeCreation(deps, existing, budget)).campaign)

  const community = await deps.store.communities.get(communityId)
  const known = new Set((community?.buildings ?? []).map((b) => b.id))
  const unknown = input.buildingIds.filter((b) => !known.has(b))
  if (unknown.length > 0) {
    throw new AppError('CAMPAIGN.UNKNOWN_BUILDING', { fields: { buildingIds: '只能选择本社区的楼栋' } })
  }
  const { plan, planned } = planCampaign(community!.buildings, input.buildingIds, await communityHouseholds(deps, communityId))
  if (planned === 0) throw new AppError('CAMPAIGN.NO_HOUSEHOLDS', { fields: { buildingIds: '所选楼栋还没有登记住户' } })
  const slot = input.slot ?? null
  if (slot && !slotFitsDay(plan, slot)) {
    const message = '按这个时间排，最后几个单元要到半夜了，请提前开始时间或缩短每个单元的时间'
    throw new AppError('CAMPAIGN.SLOT_TOO_LATE', { fields: { slot: message } })
  }
  const now = deps.now()
  const campaign: Campaign = {
    id,
    communityId,
    title: input.title,
    item: input.item,
    qtyPerHousehold: input.qtyPerHousehold,
    unit: input.unit,
    buildingIds: input.buildingIds,
    plan,
    slot,
    date: beijingDate(now),
    status: 'creating',
    creation: { pageSize: Math.max(1, Math.min(MAX_PAGE, opts.pageSize ?? CREATION_PAGE_SIZE)), cursor: null, planned, written: 0 },
    ...zeroCounters(plan),
    createdBy: actor.id,
    createdAt: now,
  }
  const { campaign: stored } = await deps.store.campaigns.insert(campaign)
  deps.log.info('campaign.created', { community: communityId, planned, buildings: plan.length })
  return campaignView((await resumeCreation(deps, stored, budget)).campaign)
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The campaign, if the caller is its community's coordinator or squad member; else NOT_FOUND. */
async function campaignFor(deps: Deps, actor: Actor, id: string, who: 'staff' | 'squad'): Promise<Campaign> {
  const c = await deps.store.campaigns.get(id)
  const ok = c && (c.communityId === actor.squadOf || (who === 'staff' && c.communityId === actor.coordinatorOf))
  if (!c || !ok) throw new AppError('CAMPAIGN.NOT_FOUND')
  return c
}

export async function listCampaigns(deps: Deps, actor: Actor): Promise<CampaignList> {
  const communityId = (actor.coordinatorOf ?? actor.squadOf)!
  const list = actor.coordinatorOf
    ? await deps.store.campaigns.listByCommunity(communityId, { limit: 30 })
    : await deps.store.campaigns.listByCommunity(communityId, { status: 'open', limit: 30 })
  const community = await deps.store.communities.get(communityId)
  return { campaigns: list.map(campaignView), buildings: (community?.buildings ?? []).map((b) => ({ id: b.id, name: b.name })) }
}

export async function getCampaign(deps: Deps, actor: Actor, input: ParsedInputOf<'campaign.get'>): Promise<CampaignView> {
  let c = await campaignFor(deps, actor, input.id, 'staff')
  if (c.status === 'creating') c = (await resumeCreation(deps, c, budgetOf(GET_BUDGET_MS))).campaign
  return campaignView(c)
}

export async function campaignTasks(deps: Deps, actor: Actor, input: ParsedInputOf<'campaign.tasks'>): Promise<CampaignTaskList> {
  const c = await campaignFor(deps, actor, input.id, 'staff')
  const building = c.plan.find((b) => b.buildingId === input.buildingId)
  const tasks: CampaignTask[] = []
  let cursor: string | null = null
  for (let i = 0; building && i < 50; i++) {
    const page = await deps.store.campaigns.listTasks({
      campaignId: c.id,
      buildingId: input.buildingId,
      ...(input.unit !== undefined ? { unit: input.unit } : {}),
      limit: MAX_PAGE,
      cursor,
    })
    tasks.push(...page.items)
    if (!page.next) break
    cursor = page.next
  }
  tasks.sort((a, b) => a.unit - b.unit || a.floor - b.floor || a.room.localeCompare(b.room))
  return {
    campaignId: c.id,
    buildingId: input.buildingId,
    unit: input.unit ?? null,
    tasks: tasks.map((t) => ({
      householdId: t.householdId,
      unit: t.unit,
      floor: t.floor,
      room: t.room,
      door: householdLabel({ building: building?.name ?? '', unit: t.unit, room: t.room }),
      status: t.status,
    })),
  }
}

// ---------------------------------------------------------------------------------------------
// Tick, untick, decline

/** read → decide → compare-and-set, re-deciding after a lost race. The store moves the counters with the task. */
async function commandTask(deps: Deps, actor: Actor, c: Campaign, householdId: string, command: TaskCommand): Promise<void> {
  const id = campaignTaskId(c.id, householdId)
  for (let round = 0; round < 3; round++) {
    let task = await deps.store.campaigns.getTask(id)
    if (!task && c.status === 'creating') {
      // Not written yet: write what the budget allows, then look again.
      c = (await resumeCreation(deps, c, budgetOf(GET_BUDGET_MS))).campaign
      task = await deps.store.campaigns.getTask(id)
    }
    if (!task) throw new AppError('CAMPAIGN.TASK_NOT_FOUND')
    const decision = decideTask(command, task.status)
    if (decision.kind === 'noop') return
    if (await deps.store.campaigns.moveTask(task, decision.to, deps.now(), actor.id)) {
      deps.log.info('campaign.task', { command, community: c.communityId })
      return
    }
  }
  throw new AppError('CAMPAIGN.CONFLICT')
}

export async function tickCampaign(deps: Deps, actor: Actor, input: ParsedInputOf<'campaign.tick'>): Promise<CampaignView> {
  const c = await campaignFor(deps, actor, input.id, 'squad')
  await commandTask(deps, actor, c, input.householdId, 'tick')
  return campaignView((await deps.store.campaigns.get(c.id)) ?? c)
}

export async function untickCampaign(deps: Deps, actor: Actor, input: ParsedInputOf<'campaign.untick'>): Promise<CampaignView> {
  const c = await campaignFor(deps, actor, input.id, 'squad')
  await commandTask(deps, actor, c, input.householdId, 'untick')
  return campaignView((await deps.store.campaigns.get(c.id)) ?? c)
}

export async function declineCampaign(deps: Deps, actor: Actor, input: ParsedInputOf<'campaign.decline'>): Promise<MyCampaigns> {
  if (actor.households.length === 0) throw new AppError('HOUSEHOLD.NONE_BOUND')
  if (input.householdId !== undefined && !actor.households.includes(input.householdId)) {
    throw new AppError('HOUSEHOLD.NOT_MEMBER', { message: '只能替自己家说不需要' })
  }
  let c = await deps.store.campaigns.get(input.id)
  if (!c) throw new AppError('CAMPAIGN.NOT_FOUND')
  if (c.status === 'creating') c = (await resumeCreation(deps, c, budgetOf(GET_BUDGET_MS))).campaign
  let householdId = input.householdId
  if (householdId === undefined) {
    for (const h of actor.households) {
      if (await deps.store.campaigns.getTask(campaignTaskId(c.id, h))) {
        householdId = h
        break
      }
    }
  }
  // A campaign of another community, or one that does not include the caller's household.
  if (householdId === undefined) throw new AppError(c.status === 'creating' ? 'CAMPAIGN.TASK_NOT_FOUND' : 'CAMPAIGN.NOT_FOUND')
  await commandTask(deps, actor, c, householdId, 'decline')
  return myCampaigns(deps, actor)
}

/** The resident's cards: pending ones, and today's whatever their state. */
export async function myCampaigns(deps: Deps, actor: Actor): Promise<MyCampaigns> {
  if (actor.households.length === 0) throw new AppError('HOUSEHOLD.NONE_BOUND')
  const today = beijingDate(deps.now())
  const tasks = await deps.store.campaigns.listTasksOfHouseholds(actor.households, 20)
  const campaigns = new Map<string, Campaign | null>()
  const out: MyCampaignView[] = []
  for (const t of tasks) {
    if (!campaigns.has(t.campaignId)) campaigns.set(t.campaignId, await deps.store.campaigns.get(t.campaignId))
    const c = campaigns.get(t.campaignId)
    if (!c || (t.status !== 'pending' && c.date !== today)) continue
    out.push({
      campaignId: c.id,
      householdId: t.householdId,
      title: c.title,
      item: c.item,
      qtyPerHousehold: c.qtyPerHousehold,
      unit: c.unit,
      date: c.date,
      slot: unitSlots(c.plan, c.slot)?.get(`${t.buildingId}/${t.unit}`) ?? null,
      status: t.status,
    })
  }
  return { campaigns: out }
}
