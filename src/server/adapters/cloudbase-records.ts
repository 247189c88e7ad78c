/**
 * Record helpers shared by the CloudBase adapters (cloudbase.ts, cloudbase-notify.ts): the
 * domain ↔ record mapping (`id` is stored as `_id`), reads by id, add-if-absent, and the paged
 * reads. Reads cost money on CloudBase: every read asks for at most MAX_PAGE records, existence
 * checks use count(), and callers pass a projection when they need less than the whole record.
 */
import { clampLimit, MAX_PAGE, type Page } from '../ports'
import type { CloudDb, CloudDocData, CloudQuery, WhereCondition } from './cloud-db'
import { decodeCursor, encodeCursor, type OrderCursor } from './cursor'

/** A `field()` projection: only the listed fields (true) or all but them (false). */
export type Projection = { [field: string]: boolean }

/** The record without `_id`, from a domain object with `id`. */
export function toData<T extends { id: string }>(obj: T): CloudDocData {
  const { id: _ignored, ...rest } = obj
  return rest
}

/** The record with `_id` = the domain id. */
export function toDoc<T extends { id: string }>(obj: T): CloudDocData & { _id: string } {
  return { _id: obj.id, ...toData(obj) }
}

/** The domain object: `_id` back to `id`. */
export function fromDoc<T>(doc: CloudDocData): T {
  const { _id, ...rest } = doc
  return { id: _id, ...rest } as unknown as T
}

export interface CloudRecords {
  /** `where` of one condition, `_.and` of several, or the bare collection for none. */
  query(collection: string, conds: readonly WhereCondition[]): CloudQuery
  /**
   * The record by id, or null. `doc(id).get()` rejects for a missing record (throwOnNotFound), so
   * this reads `where({ _id }).limit(1)`, which resolves empty.
   */
  getDoc(collection: string, id: string, projection?: Projection): Promise<CloudDocData | null>
  /** Whether a record with this id exists: a count, no record is read. */
  exists(collection: string, id: string): Promise<boolean>
  /**
   * `add` with `_id`; false when a record with that id already exists. The duplicate-key rejection
   * (-502001) shares its errCode with other failures: look, don't parse.
   */
  addIfAbsent(collection: string, id: string, data: CloudDocData): Promise<boolean>
  /** Every record matching `cond`, in `_id` order, MAX_PAGE per request. */
  listAll(collection: string, cond: { [field: string]: unknown }, projection?: Projection): Promise<CloudDocData[]>
  /**
   * One page of `limit` records after `after` and whether more follow. Asks for limit + 1 to tell;
   * when that would exceed the per-request ceiling, asks for one record after the page instead.
   */
  fetchPage<K>(
    fetch: (after: K | null, n: number) => Promise<CloudDocData[]>,
    after: K | null,
    limit: number,
    keyOf: (d: CloudDocData) => K,
  ): Promise<{ docs: CloudDocData[]; more: boolean }>
  /** Newest first by (createdAt, _id) under `conds`, with the shared cursor format. */
  newestFirst<T extends { id: string; createdAt: number }>(
    collection: string,
    conds: readonly WhereCondition[],
    page: { limit?: number | undefined; cursor?: string | null | undefined },
    projection?: Projection,
  ): Promise<Page<T>>
}

export function cloudRecords(db: CloudDb): CloudRecords {
  const _ = db.command

  const query = (collection: string, conds: readonly WhereCondition[]): CloudQuery => {
    const coll = db.collection(collection)
    if (conds.length === 0) return coll
    return coll.where(conds.length === 1 ? conds[0]! : _.and(conds))
  }

  const withProjection = (q: CloudQuery, projection?: Projection) => (projection ? q.field(projection) : q)

  async function getDoc(collection: string, id: string, projection?: Projection): Promise<CloudDocData | null> {
    const { data } = await withProjection(db.collection(collection).where({ _id: id }), projection).limit(1).get()
    return data[0] ?? null
  }

  async function exists(collection: string, id: string): Promise<boolean> {
    const { total } = await db.collection(collection).where({ _id: id }).count()
    return total > 0
  }

  async function addIfAbsent(collection: string, id: string, data: CloudDocData): Promise<boolean> {
    try {
      await db.collection(collection).add({ data: { _id: id, ...data } })
      return true
    } catch (err) {
      if (await exists(collection, id)) return false
      throw err
    }
  }

  async function listAll(collection: string, cond: { [field: string]: unknown }, projection?: Projection) {
    const out: CloudDocData[] = []
    let after: string | null = null
    for (;;) {
      const where = after === null ? cond : { ...cond, _id: _.gt(after) }
      const conds = Object.keys(where).length ? [where] : []
      const { data } = await withProjection(query(collection, conds), projection).orderBy('_id', 'asc').limit(MAX_PAGE).get()
      out.push(...data)
      if (data.length < MAX_PAGE) return out
      after = data[data.length - 1]!._id as string
    }
  }

  async function fetchPage<K>(
    fetch: (after: K | null, n: number) => Promise<CloudDocData[]>,
    after: K | null,
    limit: number,
    keyOf: (d: CloudDocData) => K,
  ): Promise<{ docs: CloudDocData[]; more: boolean }> {
    const n = Math.min(limit + 1, MAX_PAGE)
    const docs = await fetch(after, n)
    if (docs.length > limit) return { docs: docs.slice(0, limit), more: true }
    if (docs.length < n) return { docs, more: false }
    const probe = await fetch(keyOf(docs[docs.length - 1]!), 1)
    return { docs, more: probe.length > 0 }
  }

  async function newestFirst<T extends { id: string; createdAt: number }>(
    collection: string,
    conds: readonly WhereCondition[],
    page: { limit?: number | undefined; cursor?: string | null | undefined },
    projection?: Projection,
  ): Promise<Page<T>> {
    const fetch = async (after: OrderCursor | null, n: number) => {
      const where = after
        ? [...conds, _.or([{ createdAt: _.lt(after.createdAt) }, { createdAt: after.createdAt, _id: _.lt(after.id) }])]
        : conds
      const res = await withProjection(query(collection, where), projection)
        .orderBy('createdAt', 'desc')
        .orderBy('_id', 'desc')
        .limit(n)
        .get()
      return res.data
    }
    const keyOf = (d: CloudDocData): OrderCursor => ({ createdAt: d.createdAt as number, id: d._id as string })
    const { docs, more } = await fetchPage(fetch, decodeCursor(page.cursor), clampLimit(page.limit), keyOf)
    const items = docs.map((d) => fromDoc<T>(d))
    const last = items[items.length - 1]
    return { items, next: more && last ? encodeCursor(last) : null }
  }

  return { query, getDoc, exists, addIfAbsent, listAll, fetchPage, newestFirst }
}
