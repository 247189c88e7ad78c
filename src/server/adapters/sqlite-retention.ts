/** RetentionRepo on SQLite: reads over the households' documents and a scrub of message documents. */
import type Database from 'better-sqlite3'
import { MAX_PAGE, type Household, type RetentionRepo } from '../ports'

const SCHEMA = `
  CREATE INDEX IF NOT EXISTS notifications_order ON notifications(json_extract(doc, '$.orderId')) WHERE json_extract(doc, '$.orderId') IS NOT NULL;
  CREATE INDEX IF NOT EXISTS inbox_order ON inbox(json_extract(doc, '$.orderId')) WHERE json_extract(doc, '$.orderId') IS NOT NULL;`

export function openSqliteRetention(db: Database.Database): RetentionRepo {
  db.exec(SCHEMA)
  const cap = (n: number) => Math.max(1, Math.min(MAX_PAGE, Math.floor(n)))
  return {
    async communities(after, limit) {
      const rows = db
        .prepare(`SELECT id, json_extract(doc, '$.retentionDays') AS days FROM communities WHERE id > ? ORDER BY id LIMIT ?`)
        .all(after ?? '', cap(limit)) as { id: string; days: number | null }[]
      return rows.map((r) => (r.days === null ? { id: r.id } : { id: r.id, retentionDays: r.days }))
    },
    async dueHouseholds(communityId, endDateOnOrBefore, limit) {
      const rows = db
        .prepare(
          `SELECT doc FROM households WHERE community_id = ?
             AND json_extract(doc, '$.isolation') = 'none'
             AND json_extract(doc, '$.endDate') <= ?
             AND json_extract(doc, '$.anonymisedAt') IS NULL
           ORDER BY json_extract(doc, '$.endDate'), id LIMIT ?`,
        )
        .all(communityId, endDateOnOrBefore, cap(limit)) as { doc: string }[]
      return rows.map((r) => JSON.parse(r.doc) as Household)
    },
    async scrubMessages(orderIds, text) {
      if (orderIds.length === 0) return 0
      const marks = orderIds.map(() => '?').join(',')
      let changed = 0
      db.transaction(() => {
        for (const table of ['notifications', 'inbox']) {
          changed += db
            .prepare(
              `UPDATE ${table} SET doc = json_remove(json_set(doc, '$.title', ?, '$.body', ?), '$.fields')
               WHERE json_extract(doc, '$.orderId') IN (${marks})
                 AND (json_extract(doc, '$.title') IS NOT ? OR json_extract(doc, '$.body') IS NOT ? OR json_extract(doc, '$.fields') IS NOT NULL)`,
            )
            .run(text.title, text.body, ...orderIds, text.title, text.body).changes
        }
      })()
      return changed
    },
  }
}
