/**
 * CloudBase side of one-time setup codes (SetupRepo), same semantics as the SQLite table
 * `setup_claims` (tests/store.contract.ts checks both). A claim is one record whose `_id` is the
 * code's SHA-256: `add` with an existing `_id` is rejected by the database, so of any number of
 * concurrent claims exactly one inserts. The rejection's errCode is shared with other failures, so
 * a rejected add looks for the record instead of parsing the error.
 */
import { COLLECTIONS } from '../cloud/manifest'
import type { SetupClaim, SetupRepo } from '../ports'
import type { CloudDb } from './cloud-db'

const SETUP_CLAIMS = COLLECTIONS.setupClaims

export function openCloudSetup(db: CloudDb): SetupRepo {
  async function get(codeHash: string): Promise<SetupClaim | null> {
    // where({ _id }) rather than doc(id).get(), which rejects for a missing record.
    const { data } = await db.collection(SETUP_CLAIMS).where({ _id: codeHash }).limit(1).get()
    const d = data[0]
    if (!d) return null
    const { _id: _ignored, ...rest } = d
    return { ...(rest as unknown as Omit<SetupClaim, 'codeHash'>), codeHash }
  }
  return {
    async claim(c) {
      const { codeHash, ...rest } = c
      try {
        await db.collection(SETUP_CLAIMS).add({ data: { _id: codeHash, ...rest } })
        return true
      } catch (err) {
        if (await get(codeHash)) return false
        throw err
      }
    },
    get,
  }
}
