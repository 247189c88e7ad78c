/** The audit log (AuditRepo) on the cloud database: `audit`, `_id` = the entry id; append-only. */
import type { AuditEntry } from '../../core/audit'
import { COLLECTIONS } from '../cloud/manifest'
import type { AuditRepo } from '../ports'
import type { CloudDb } from './cloud-db'
import { cloudRecords, toData } from './cloudbase-records'

export function openCloudAudit(db: CloudDb): AuditRepo {
  const records = cloudRecords(db)
  return {
    async append(e) {
      await records.addIfAbsent(COLLECTIONS.audit, e.id, toData(e))
    },
    list(q) {
      const cond: Record<string, unknown> = { communityId: q.communityId }
      if (q.kind !== undefined) cond.kind = q.kind
      return records.newestFirst<AuditEntry>(COLLECTIONS.audit, [cond], q)
    },
  }
}
