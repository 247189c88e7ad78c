/**
 * SQLite side of the audit log (AuditRepo): one append-only table. Created with IF NOT EXISTS, apart
 * from sqlite.ts's numbered MIGRATIONS (as sqlite-campaigns.ts), so it never races other migrations.
 */
import type Database from 'better-sqlite3'
import type { AuditEntry } from '../../core/audit'
import { clampLimit, type AuditRepo } from '../ports'
import { decodeCursor, encodeCursor, sqliteAfter } from './cursor'

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS audit (
    id TEXT PRIMARY KEY, community_id TEXT NOT NULL, kind TEXT NOT NULL, created_at INTEGER NOT NULL, doc TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS audit_community ON audit(community_id, created_at DESC, id DESC);
  CREATE INDEX IF NOT EXISTS audit_community_kind ON audit(community_id, kind, created_at DESC, id DESC);`

export function openSqliteAudit(db: Database.Database): AuditRepo {
  db.exec(SCHEMA)
  const insert = db.prepare(
    `INSERT INTO audit (id, community_id, kind, created_at, doc) VALUES (@id, @communityId, @kind, @createdAt, @doc)
     ON CONFLICT(id) DO NOTHING`,
  )
  return {
    async append(e) {
      insert.run({ id: e.id, communityId: e.communityId, kind: e.kind, createdAt: e.createdAt, doc: JSON.stringify(e) })
    },
    async list(q) {
      const limit = clampLimit(q.limit)
      const where = ['community_id = ?']
      const args: (string | number)[] = [q.communityId]
      if (q.kind !== undefined) {
        where.push('kind = ?')
        args.push(q.kind)
      }
      const after = decodeCursor(q.cursor)
      if (after) {
        const a = sqliteAfter(after)
        where.push(a.sql)
        args.push(...a.params)
      }
      const rows = db
        .prepare(`SELECT doc FROM audit WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`)
        .all(...args, limit + 1) as { doc: string }[]
      const items = rows.slice(0, limit).map((r) => JSON.parse(r.doc) as AuditEntry)
      const last = items[items.length - 1]
      return { items, next: rows.length > limit && last ? encodeCursor(last) : null }
    },
  }
}
