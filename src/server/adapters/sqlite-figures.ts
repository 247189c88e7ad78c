/** FiguresRepo on SQLite: one row per community and Beijing date. */
import type Database from 'better-sqlite3'
import type { DayFigures } from '../../core/figures'
import type { FiguresRepo } from '../ports'

export const FIGURES_MIGRATION = `CREATE TABLE day_figures (
  community_id TEXT NOT NULL, date TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (community_id, date));`

export function openSqliteFigures(db: Database.Database): FiguresRepo {
  const put = db.prepare(
    `INSERT INTO day_figures (community_id, date, doc) VALUES (?, ?, ?)
     ON CONFLICT(community_id, date) DO UPDATE SET doc = excluded.doc`,
  )
  return {
    async get(communityId, dates) {
      if (dates.length === 0) return []
      const rows = db
        .prepare(`SELECT doc FROM day_figures WHERE community_id = ? AND date IN (${dates.map(() => '?').join(',')})`)
        .all(communityId, ...dates) as { doc: string }[]
      return rows.map((r) => JSON.parse(r.doc) as DayFigures)
    },
    async put(communityId, f) {
      put.run(communityId, f.date, JSON.stringify(f))
    },
  }
}
