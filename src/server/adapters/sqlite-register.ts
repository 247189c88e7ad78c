/**
 * SQLite side of RegisterRepo (ports.ts): the register's bulk reads and writes, over the same
 * `households` table as sqlite.ts. The building index is an expression index created here with
 * IF NOT EXISTS (idempotent at every open), so it needs no numbered migration.
 */
import type Database from 'better-sqlite3'
import type { Household, RegisterRepo } from '../ports'

export function openSqliteRegister(db: Database.Database): RegisterRepo {
  db.exec(
    `CREATE INDEX IF NOT EXISTS households_building ON households(community_id, json_extract(doc, '$.buildingId'), id)`,
  )
  const byBuilding = db.prepare(
    `SELECT doc FROM households WHERE community_id = ? AND json_extract(doc, '$.buildingId') = ? ORDER BY id LIMIT ?`,
  )
  const put = db.prepare(
    `INSERT INTO households (id, community_id, code, doc) VALUES (@id, @communityId, @code, @doc)
     ON CONFLICT(id) DO UPDATE SET community_id = excluded.community_id, code = excluded.code, doc = excluded.doc`,
  )
  // All or nothing: a UNIQUE(code) clash (a code taken between the check and the write) rolls back every row.
  const putAll = db.transaction((hs: readonly Household[]) => {
    for (const h of hs) put.run({ id: h.id, communityId: h.communityId, code: h.code, doc: JSON.stringify(h) })
  })
  return {
    async listByBuilding(communityId, buildingId, max) {
      const rows = byBuilding.all(communityId, buildingId, Math.max(0, Math.floor(max))) as { doc: string }[]
      return rows.map((r) => JSON.parse(r.doc) as Household)
    },
    async codesTaken(codes) {
      const taken = new Set<string>()
      for (let i = 0; i < codes.length; i += 500) {
        const chunk = codes.slice(i, i + 500)
        const rows = db
          .prepare(`SELECT code FROM households WHERE code IN (${chunk.map(() => '?').join(',')})`)
          .all(...chunk) as { code: string }[]
        for (const r of rows) taken.add(r.code)
      }
      return taken
    },
    async putMany(hs) {
      putAll(hs)
    },
  }
}
