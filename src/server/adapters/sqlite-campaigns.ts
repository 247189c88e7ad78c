/**
 * SQLite side of campaigns (CampaignRepo). Tables are created here with IF NOT EXISTS, apart from
 * sqlite.ts's numbered MIGRATIONS, so this area's schema never races other areas' migrations.
 * The campaign document carries its counters; every counter change happens in the same
 * transaction as the task write it counts (better-sqlite3 transactions are synchronous: nothing
 * interleaves between the read of the counters and their write).
 */
import type Database from 'better-sqlite3'
import { applyDeltas, moveDeltas, writeDeltas } from '../../core/campaign/rules'
import type { Campaign, CampaignTask, TaskStatus } from '../../core/campaign/types'
import { clampLimit, type CampaignRepo, type Page } from '../ports'

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS campaigns (
    id TEXT PRIMARY KEY, community_id TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL, doc TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS campaigns_community ON campaigns(community_id, created_at DESC, id DESC);
  CREATE INDEX IF NOT EXISTS campaigns_status ON campaigns(status, created_at, id);
  CREATE TABLE IF NOT EXISTS campaign_tasks (
    id TEXT PRIMARY KEY, campaign_id TEXT NOT NULL, household_id TEXT NOT NULL, building_id TEXT NOT NULL,
    unit INTEGER NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL, doc TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS campaign_tasks_unit ON campaign_tasks(campaign_id, building_id, unit, id);
  CREATE INDEX IF NOT EXISTS campaign_tasks_household ON campaign_tasks(household_id, created_at DESC, id DESC);`

export function openSqliteCampaigns(db: Database.Database): CampaignRepo {
  db.exec(SCHEMA)
  const st = {
    insert: db.prepare(
      `INSERT INTO campaigns (id, community_id, status, created_at, doc) VALUES (@id, @communityId, @status, @createdAt, @doc)
       ON CONFLICT(id) DO NOTHING`,
    ),
    get: db.prepare(`SELECT doc FROM campaigns WHERE id = ?`),
    put: db.prepare(`UPDATE campaigns SET status = ?, doc = ? WHERE id = ?`),
    taskInsert: db.prepare(
      `INSERT INTO campaign_tasks (id, campaign_id, household_id, building_id, unit, status, created_at, doc)
       VALUES (@id, @campaignId, @householdId, @buildingId, @unit, @status, @createdAt, @doc) ON CONFLICT(id) DO NOTHING`,
    ),
    taskGet: db.prepare(`SELECT doc FROM campaign_tasks WHERE id = ?`),
    taskMove: db.prepare(
      `UPDATE campaign_tasks SET status = @to, doc = json_set(doc, '$.status', @to, '$.at', @at, '$.by', @by)
       WHERE id = @id AND status = @from`,
    ),
  }
  const parse = <T>(row: unknown): T | null => (row ? (JSON.parse((row as { doc: string }).doc) as T) : null)
  const getCampaign = (id: string) => parse<Campaign>(st.get.get(id))
  const save = (c: Campaign) => st.put.run(c.status, JSON.stringify(c), c.id)

  const writePage = db.transaction(
    (campaignId: string, expectCursor: string | null, page: { tasks: CampaignTask[]; nextCursor: string | null; last: boolean }) => {
      const c = getCampaign(campaignId)
      if (!c || c.creation.cursor !== expectCursor || c.status !== 'creating') return false
      for (const t of page.tasks) st.taskInsert.run({ ...t, doc: JSON.stringify(t) })
      const counters = applyDeltas(c, writeDeltas(page.tasks.map((t) => ({ ...t, status: 'pending' as const }))))
      save({
        ...c,
        ...counters,
        status: page.last ? 'open' : 'creating',
        creation: { ...c.creation, cursor: page.nextCursor, written: c.creation.written + page.tasks.length },
      })
      return true
    },
  )

  const moveTask = db.transaction((task: CampaignTask, to: TaskStatus, at: number, by: string) => {
    const r = st.taskMove.run({ id: task.id, from: task.status, to, at, by })
    if (r.changes !== 1) return false
    const c = getCampaign(task.campaignId)
    if (c) save({ ...c, ...applyDeltas(c, moveDeltas(task, task.status, to)) })
    return true
  })

  return {
    async insert(c) {
      const created = st.insert.run({ id: c.id, communityId: c.communityId, status: c.status, createdAt: c.createdAt, doc: JSON.stringify(c) }).changes === 1
      if (created) return { campaign: c, created }
      const existing = getCampaign(c.id)
      if (!existing) throw new Error('campaign insert conflicted but no row found')
      return { campaign: existing, created: false }
    },
    async get(id) {
      return getCampaign(id)
    },
    async listByCommunity(communityId, opts = {}) {
      const rows = (
        opts.status !== undefined
          ? db
              .prepare(`SELECT doc FROM campaigns WHERE community_id = ? AND status = ? ORDER BY created_at DESC, id DESC LIMIT ?`)
              .all(communityId, opts.status, clampLimit(opts.limit))
          : db
              .prepare(`SELECT doc FROM campaigns WHERE community_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`)
              .all(communityId, clampLimit(opts.limit))
      ) as { doc: string }[]
      return rows.map((r) => JSON.parse(r.doc) as Campaign)
    },
    async listCreating(limit) {
      const rows = db
        .prepare(`SELECT doc FROM campaigns WHERE status = 'creating' ORDER BY created_at, id LIMIT ?`)
        .all(clampLimit(limit)) as { doc: string }[]
      return rows.map((r) => JSON.parse(r.doc) as Campaign)
    },
    async writePage(campaignId, expectCursor, page) {
      return writePage(campaignId, expectCursor, page)
    },
    async getTask(id) {
      return parse<CampaignTask>(st.taskGet.get(id))
    },
    async moveTask(task, to, at, by) {
      return moveTask(task, to, at, by)
    },
    async listTasks(q): Promise<Page<CampaignTask>> {
      const limit = clampLimit(q.limit)
      const where = ['campaign_id = ?', 'building_id = ?', 'id > ?']
      const params: unknown[] = [q.campaignId, q.buildingId, q.cursor ?? '']
      if (q.unit !== undefined) {
        where.push('unit = ?')
        params.push(q.unit)
      }
      const rows = db
        .prepare(`SELECT doc FROM campaign_tasks WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`)
        .all(...params, limit + 1) as { doc: string }[]
      const items = rows.slice(0, limit).map((r) => JSON.parse(r.doc) as CampaignTask)
      return { items, next: rows.length > limit ? items[items.length - 1]!.id : null }
    },
    async listTasksOfHouseholds(householdIds, limit) {
      if (householdIds.length === 0) return []
      const rows = db
        .prepare(
          `SELECT doc FROM campaign_tasks WHERE household_id IN (${householdIds.map(() => '?').join(',')})
           ORDER BY created_at DESC, id DESC LIMIT ?`,
        )
        .all(...householdIds, clampLimit(limit)) as { doc: string }[]
      return rows.map((r) => JSON.parse(r.doc) as CampaignTask)
    },
    async repairCounts() {
      // Task and counters are written in one transaction: nothing is ever owed.
      return 0
    },
  }
}
