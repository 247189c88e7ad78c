/**
 * CloudBase side of campaigns (CampaignRepo), same semantics as sqlite-campaigns.ts, checked by
 * tests/store.campaign-contract.ts against the in-memory wx database engine.
 *
 * - A campaign document carries its counters; they only ever move by `_.inc` on the server.
 * - moveTask: the task's status change is one conditional `where({ _id, status: from }).update()`
 *   (compare-and-set: a double tick changes it once) that also records the counter move it owes
 *   (`pendingCount`, with a fresh token). Only the call that won it then moves the campaign's
 *   counters with `_.inc`, in a conditional update that also marks the token applied
 *   (`applied.<taskId>`) and runs only if that mark is not there yet; then it clears the task's
 *   `pendingCount`, and only then the campaign's mark. The SDK subset has no transactions, so a
 *   function killed part way leaves a `pendingCount` behind: repairCounts (the timer, minutes
 *   later, after claiming it) finishes it; while a `pendingCount` is there, so is the mark if the
 *   `_.inc` ran, so the move counts once. A task owing a count takes no new move until then.
 *   Four requests per tick instead of two, for counters that never drift.
 * - writePage: tasks are added with deterministic `_id`s (a duplicate add is ignored), then one
 *   conditional update on the campaign moves the creation cursor and adds the page to the
 *   counters; a second writer of the same page loses that compare-and-set and counts nothing.
 * - every read asks for at most 100 records.
 */
import { moveDeltas, writeDeltas, type CounterDelta } from '../../core/campaign/rules'
import { randomBytes } from 'node:crypto'
import type { Campaign, CampaignTask } from '../../core/campaign/types'
import { COLLECTIONS } from '../cloud/manifest'
import { clampLimit, MAX_PAGE, type CampaignRepo, type Page } from '../ports'
import type { CloudDb, CloudDocData, UpdateData, WhereCondition } from './cloud-db'

const CAMPAIGNS = COLLECTIONS.campaigns
const TASKS = COLLECTIONS.campaignTasks

function fromDoc<T>(doc: CloudDocData): T {
  // `pendingCount` (tasks) and `applied` (campaigns) are this adapter's bookkeeping, not the domain's.
  const { _id, pendingCount: _p, applied: _a, ...rest } = doc
  return { id: _id, ...rest } as unknown as T
}

/** A counter move a task owes its campaign, recorded with the task's status change. */
interface PendingCount {
  token: string
  from: CampaignTask['status']
  to: CampaignTask['status']
  /** When the move was made (the domain clock); repairCounts finishes old ones. */
  at: number
  campaignId: string
  buildingId: string
  unit: number
}

function toDoc<T extends { id: string }>(obj: T): CloudDocData & { _id: string } {
  const { id, ...rest } = obj
  return { _id: id, ...rest }
}

/** How many adds run at once while writing a page (well under the service's concurrency limits). */
const ADD_CONCURRENCY = 20

export function openCloudCampaigns(db: CloudDb): CampaignRepo {
  const _ = db.command

  async function getById<T>(collection: string, id: string): Promise<T | null> {
    const { data } = await db.collection(collection).where({ _id: id }).limit(1).get()
    return data[0] ? fromDoc<T>(data[0]) : null
  }

  const incs = (deltas: readonly CounterDelta[]): UpdateData => {
    const data: UpdateData = {}
    for (const d of deltas) if (d.n !== 0) data[d.path] = _.inc(d.n)
    return data
  }

  /** Adds a task unless its id exists (a rejected add whose record exists is a duplicate). */
  async function addTask(t: CampaignTask): Promise<void> {
    try {
      await db.collection(TASKS).add({ data: toDoc(t) })
    } catch (err) {
      // The duplicate-key rejection shares its errCode with other failures: look, don't parse.
      if (!(await getById<CampaignTask>(TASKS, t.id))) throw err
    }
  }

  async function listCampaigns(where: WhereCondition, order: 'asc' | 'desc', limit: number): Promise<Campaign[]> {
    const { data } = await db
      .collection(CAMPAIGNS)
      .where(where)
      .orderBy('createdAt', order)
      .orderBy('_id', order)
      .limit(clampLimit(limit))
      .get()
    return data.map((d) => fromDoc<Campaign>(d))
  }

  /**
   * The counter move `p` of task `taskId`, counted once: the `_.inc` runs only while the campaign
   * has not marked this token applied, and marks it in the same update; then the task's record of
   * the move and the campaign's mark are cleared (each only if still this token's).
   */
  async function applyCount(taskId: string, p: PendingCount): Promise<void> {
    const mark = `applied.${taskId}`
    const deltas = moveDeltas(p, p.from, p.to)
    await db
      .collection(CAMPAIGNS)
      .where({ _id: p.campaignId, [mark]: _.neq(p.token) })
      .update({ data: { ...incs(deltas), [mark]: p.token } })
    await db.collection(TASKS).where({ _id: taskId, 'pendingCount.token': p.token }).update({ data: { pendingCount: _.remove() } })
    await db.collection(CAMPAIGNS).where({ _id: p.campaignId, [mark]: p.token }).update({ data: { [mark]: _.remove() } })
  }

  return {
    async insert(c) {
      try {
        await db.collection(CAMPAIGNS).add({ data: toDoc(c) })
        return { campaign: c, created: true }
      } catch (err) {
        const existing = await getById<Campaign>(CAMPAIGNS, c.id)
        if (existing) return { campaign: existing, created: false }
        throw err
      }
    },
    get(id) {
      return getById<Campaign>(CAMPAIGNS, id)
    },
    listByCommunity(communityId, opts = {}) {
      const where = opts.status !== undefined ? { communityId, status: opts.status } : { communityId }
      return listCampaigns(where, 'desc', clampLimit(opts.limit))
    },
    listCreating(limit) {
      return listCampaigns({ status: 'creating' }, 'asc', clampLimit(limit))
    },
    async writePage(campaignId, expectCursor, page) {
      for (let i = 0; i < page.tasks.length; i += ADD_CONCURRENCY) {
        await Promise.all(page.tasks.slice(i, i + ADD_CONCURRENCY).map(addTask))
      }
      const deltas = writeDeltas(page.tasks.map((t) => ({ ...t, status: 'pending' as const })))
      const res = await db
        .collection(CAMPAIGNS)
        .where({ _id: campaignId, status: 'creating', 'creation.cursor': expectCursor })
        .update({
          data: {
            ...incs(deltas),
            'creation.cursor': page.nextCursor,
            'creation.written': _.inc(page.tasks.length),
            status: page.last ? 'open' : 'creating',
          },
        })
      return res.stats.updated === 1
    },
    getTask(id) {
      return getById<CampaignTask>(TASKS, id)
    },
    async moveTask(task, to, at, by) {
      const pending: PendingCount = {
        token: randomBytes(8).toString('hex'),
        from: task.status,
        to,
        at,
        campaignId: task.campaignId,
        buildingId: task.buildingId,
        unit: task.unit,
      }
      const res = await db
        .collection(TASKS)
        // No move still owed (`pendingCount: null` also matches a missing field): a new move must not
        // overwrite one that has not been counted yet.
        .where({ _id: task.id, status: task.status, pendingCount: null })
        .update({ data: { status: to, at, by, pendingCount: _.set(pending) } })
      if (res.stats.updated !== 1) return false
      await applyCount(task.id, pending)
      return true
    },
    async repairCounts(now, olderThanMs, limit) {
      const { data } = await db
        .collection(TASKS)
        .where({ 'pendingCount.at': _.lt(now - olderThanMs) })
        .orderBy('pendingCount.at', 'asc')
        .limit(clampLimit(limit))
        .get()
      let repaired = 0
      for (const d of data) {
        const p = d.pendingCount as PendingCount
        // Claim it (compare-and-set on its time): one repairer per move; the mover itself is long gone.
        const claim = await db
          .collection(TASKS)
          .where({ _id: d._id as string, 'pendingCount.token': p.token, 'pendingCount.at': p.at })
          .update({ data: { 'pendingCount.at': now } })
        if (claim.stats.updated !== 1) continue
        await applyCount(d._id as string, p)
        repaired++
      }
      return repaired
    },
    async listTasks(q): Promise<Page<CampaignTask>> {
      const limit = clampLimit(q.limit)
      const base: Record<string, unknown> = { campaignId: q.campaignId, buildingId: q.buildingId }
      if (q.unit !== undefined) base.unit = q.unit
      const fetch = async (after: string | null, n: number) => {
        const where = after ? { ...base, _id: _.gt(after) } : base
        const { data } = await db.collection(TASKS).where(where).orderBy('_id', 'asc').limit(n).get()
        return data
      }
      // limit + 1 tells whether more follow; at the ceiling, one probe after the page instead.
      const n = Math.min(limit + 1, MAX_PAGE)
      let docs = await fetch(q.cursor ?? null, n)
      let more = false
      if (docs.length > limit) {
        docs = docs.slice(0, limit)
        more = true
      } else if (docs.length === n) {
        more = (await fetch(docs[docs.length - 1]!._id as string, 1)).length > 0
      }
      const items = docs.map((d) => fromDoc<CampaignTask>(d))
      return { items, next: more && items.length ? items[items.length - 1]!.id : null }
    },
    async listTasksOfHouseholds(householdIds, limit) {
      if (householdIds.length === 0) return []
      const { data } = await db
        .collection(TASKS)
        .where({ householdId: _.in(householdIds) })
        .orderBy('createdAt', 'desc')
        .orderBy('_id', 'desc')
        .limit(clampLimit(limit))
        .get()
      return data.map((d) => fromDoc<CampaignTask>(d))
    },
  }
}
