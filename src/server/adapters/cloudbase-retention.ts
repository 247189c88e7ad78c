/**
 * RetentionRepo on the cloud database: community ids by `_id`, a community's released households
 * (index community_isolation_end in cloud/manifest.ts), and a multi-record update of the messages
 * about given orders (indexes order_id on notifications and inbox).
 */
import { COLLECTIONS } from '../cloud/manifest'
import { MAX_PAGE, type Household, type RetentionRepo } from '../ports'
import type { CloudDb } from './cloud-db'
import { fromDoc } from './cloudbase-records'

export function openCloudRetention(db: CloudDb): RetentionRepo {
  const _ = db.command
  const cap = (n: number) => Math.max(1, Math.min(MAX_PAGE, Math.floor(n)))
  return {
    async communities(after, limit) {
      const coll = db.collection(COLLECTIONS.communities)
      const q = after === null ? coll : coll.where({ _id: _.gt(after) })
      const { data } = await q.field({ retentionDays: true }).orderBy('_id', 'asc').limit(cap(limit)).get()
      return data.map((d) => (typeof d.retentionDays === 'number' ? { id: d._id as string, retentionDays: d.retentionDays } : { id: d._id as string }))
    },
    async dueHouseholds(communityId, endDateOnOrBefore, limit) {
      const { data } = await db
        .collection(COLLECTIONS.households)
        .where({ communityId, isolation: 'none', anonymisedAt: null, endDate: _.lte(endDateOnOrBefore) })
        .orderBy('endDate', 'asc')
        .orderBy('_id', 'asc')
        .limit(cap(limit))
        .get()
      return data.map((d) => fromDoc<Household>(d))
    },
    async scrubMessages(orderIds, text) {
      if (orderIds.length === 0) return 0
      let changed = 0
      for (const name of [COLLECTIONS.notifications, COLLECTIONS.inbox]) {
        for (let i = 0; i < orderIds.length; i += MAX_PAGE) {
          const ids = orderIds.slice(i, i + MAX_PAGE)
          const res = await db
            .collection(name)
            .where({ orderId: _.in([...ids]) })
            .update({ data: { title: text.title, body: text.body, fields: _.remove() } })
          changed += res.stats.updated
        }
      }
      return changed
    },
  }
}
