/**
 * CloudBase side of RegisterRepo (ports.ts), over the `households` collection. Every read asks
 * for ≤ 100 records (the service's ceiling); the indexes that serve them are declared in
 * cloud/manifest.ts (households: communityId + buildingId + _id; code).
 */
import { MAX_PAGE, type Household, type RegisterRepo } from '../ports'
import type { CloudDb, CloudDocData, WhereCondition } from './cloud-db'
import { COLLECTIONS } from '../cloud/manifest'

/** Record writes in flight at once: 2,000 rows are ~100 rounds of 20, a few seconds. */
export const PUT_CONCURRENCY = 20

export function openCloudRegister(db: CloudDb): RegisterRepo {
  const _ = db.command
  const coll = () => db.collection(COLLECTIONS.households)
  const fromDoc = (d: CloudDocData): Household => {
    const { _id, ...rest } = d
    return { id: _id, ...rest } as unknown as Household
  }
  return {
    async listByBuilding(communityId, buildingId, max) {
      const out: Household[] = []
      let after: string | null = null
      while (out.length < max) {
        const where: WhereCondition = after ? { communityId, buildingId, _id: _.gt(after) } : { communityId, buildingId }
        const n = Math.min(MAX_PAGE, max - out.length)
        const { data } = await coll().where(where).orderBy('_id', 'asc').limit(n).get()
        out.push(...data.map(fromDoc))
        if (data.length < n) break
        after = data[data.length - 1]!._id as string
      }
      return out
    },
    async codesTaken(codes) {
      const taken = new Set<string>()
      for (let i = 0; i < codes.length; i += MAX_PAGE) {
        const chunk = codes.slice(i, i + MAX_PAGE)
        const { data } = await coll().where({ code: _.in(chunk) }).limit(MAX_PAGE).get()
        for (const d of data) taken.add(d.code as string)
      }
      return taken
    },
    async putMany(hs) {
      // No multi-record transaction for thousands of records: each set is an idempotent upsert by id.
      for (let i = 0; i < hs.length; i += PUT_CONCURRENCY) {
        await Promise.all(
          hs.slice(i, i + PUT_CONCURRENCY).map(({ id, ...data }) => coll().doc(id).set({ data: data as CloudDocData })),
        )
      }
    },
  }
}
