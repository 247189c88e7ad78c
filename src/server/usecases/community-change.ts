/**
 * Every settings change to a community as one compare-and-set (communities.update on its revision):
 * read, apply the change, write only if nobody wrote in between, else read again and re-apply. Two
 * coordinators saving different settings at once (a deadline and the service phone, 暂缺 and a new
 * item) both keep their change; before, the later whole-document write dropped the other.
 */
import { isDeepStrictEqual } from 'node:util'
import { AppError } from '../../core/errors'
import type { Deps } from '../deps'
import type { Community } from '../ports'

/** A change that lost this many races in a row gives up (INTERNAL): that needs a stuck writer, not traffic. */
const MAX_TRIES = 8

/**
 * `change` gets the community as stored and returns it changed, or null for "nothing to write" (a
 * resend); it may throw an AppError to refuse (its checks then ran on the latest state). Returns the
 * community as written (or as found, for null). A community that does not exist: AUTH.FORBIDDEN.
 */
export async function changeCommunity(deps: Deps, id: string, change: (c: Community) => Community | null): Promise<Community> {
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const current = await deps.store.communities.get(id)
    if (!current) throw new AppError('AUTH.FORBIDDEN')
    const next = change(current)
    // Nothing to write (a resend, or a value already in force): no new revision either.
    if (next === null || sameContent(next, current)) return current
    const revision = current.revision ?? 0
    const written: Community = { ...next, id, revision: revision + 1 }
    if (await deps.store.communities.update(written, revision)) return written
    deps.log.info('community.write_conflict', { community: id, attempt: attempt + 1 })
  }
  throw new Error(`community ${id}: ${MAX_TRIES} writes lost in a row`)
}

/** Equal as data (node's deep equality: key order does not matter), the revision aside. */
function sameContent(a: Community, b: Community): boolean {
  return isDeepStrictEqual({ ...a, revision: 0 }, { ...b, revision: 0 })
}
