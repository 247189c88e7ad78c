/**
 * Is a query served by an index? For the manifest test (tests/server/cloud-manifest.test.ts).
 *
 * A query (a decoded MongoDB filter plus its sort) is first split into branches: `$and` joins
 * conditions, `$or` makes one branch per alternative (each with the conditions around it). Each
 * branch has equality fields (a value, `$eq`, or `$in`) and range fields (`$lt`, `$lte`, `$gt`,
 * `$gte`); any other operator (`$ne`, …) is a residual filter. A branch is served
 * - by the built-in `_id` index when it has an equality on `_id` (at most a few records by key,
 *   whatever else it filters on: a compare-and-set's guard), or otherwise, only without residuals,
 * - by an index whose first keys are exactly its equality fields (any order), followed by its sort
 *   fields in order (sort fields that are also equality fields drop out), with every direction as
 *   sorted or every direction reversed; each range field must be one of the keys after the
 *   equalities (the next key narrows the scan; a later one is filtered inside the index), or
 * - by the built-in `_id` index read as `[_id]` with no equalities (ranges and sort on `_id`).
 * A query is served when every branch is.
 */
import type { IndexKey } from '../../src/server/cloud/manifest'

export type Filter = { [key: string]: unknown }

export interface QueryShape {
  filter: Filter
  order: readonly (readonly [string, 1 | -1])[]
}

export interface Branch {
  eq: ReadonlySet<string>
  range: ReadonlySet<string>
  /** Fields filtered by an operator no index serves (`$ne`, …): only an `_id` equality makes it cheap. */
  residual?: ReadonlySet<string>
}

const EQ_OPS = new Set(['$eq', '$in'])
const RANGE_OPS = new Set(['$lt', '$lte', '$gt', '$gte'])
const ID_INDEX: readonly IndexKey[] = [{ field: '_id', direction: 1 }]

const isOperators = (v: unknown): v is Filter =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) &&
  Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$'))

const join = (a: Branch, b: Branch): Branch => ({
  eq: new Set([...a.eq, ...b.eq]),
  range: new Set([...a.range, ...b.range]),
  residual: new Set([...(a.residual ?? []), ...(b.residual ?? [])]),
})
const cross = (as: Branch[], bs: Branch[]): Branch[] => as.flatMap((a) => bs.map((b) => join(a, b)))

function fieldBranch(field: string, value: unknown): Branch {
  if (!isOperators(value)) return { eq: new Set([field]), range: new Set() }
  const ops = Object.keys(value)
  if (ops.every((op) => EQ_OPS.has(op))) return { eq: new Set([field]), range: new Set() }
  if (ops.every((op) => RANGE_OPS.has(op))) return { eq: new Set(), range: new Set([field]) }
  return { eq: new Set(), range: new Set(), residual: new Set([field]) }
}

/** The query's branches (the disjunctive normal form, by field kind). */
export function branches(filter: Filter): Branch[] {
  let out: Branch[] = [{ eq: new Set(), range: new Set() }]
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and') for (const sub of value as Filter[]) out = cross(out, branches(sub))
    else if (key === '$or') out = cross(out, (value as Filter[]).flatMap(branches))
    else if (key.startsWith('$')) throw new Error(`no index can serve ${key}`)
    else out = cross(out, [fieldBranch(key, value)])
  }
  // A field both equal and ranged in one branch is pinned by the equality.
  return out.map((b) => ({ eq: b.eq, range: new Set([...b.range].filter((f) => !b.eq.has(f))), residual: b.residual ?? new Set() }))
}

export function branchServedBy(branch: Branch, order: QueryShape['order'], keys: readonly IndexKey[]): boolean {
  const n = branch.eq.size
  if (keys.length < n || !keys.slice(0, n).every((k) => branch.eq.has(k.field))) return false
  const rest = keys.slice(n)
  const sort = order.filter(([f]) => !branch.eq.has(f))
  if (sort.length > rest.length) return false
  const same = sort.map(([f, d], i) => (rest[i]!.field === f ? rest[i]!.direction === d : null))
  if (same.some((s) => s === null)) return false
  if (!same.every((s) => s === same[0])) return false
  return [...branch.range].every((f) => rest.some((k) => k.field === f))
}

/** The branches of `q` that no index serves (empty: the query is served). */
export function unserved(q: QueryShape, indexes: readonly (readonly IndexKey[])[]): Branch[] {
  return branches(q.filter).filter(
    (b) =>
      !b.eq.has('_id') &&
      ((b.residual?.size ?? 0) > 0 || ![...indexes, ID_INDEX].some((keys) => branchServedBy(b, q.order, keys))),
  )
}
