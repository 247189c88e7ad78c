/**
 * The part of wx-server-sdk's database API (`cloud.database()`) that the CloudBase adapters use
 * (cloudbase.ts, cloudbase-notify.ts, cloudbase-records.ts, live/cloud-signals.ts), and nothing
 * more. Tests run the adapters through the REAL SDK (tests/support/wx-sdk-db.ts replaces only its
 * network request), so what follows was read in the SDK (wx-server-sdk 4.0.2 over @cloudbase/node-sdk
 * 3.17 and @cloudbase/database 1.4) and is exercised by those tests:
 * - `where(cond)` serializes at once to an EJSON string: plain objects are flattened to dot paths
 *   (`{ a: { b: 1 } }` is `{ 'a.b': 1 }`), commands become MongoDB operators, and a value of
 *   `undefined` is DROPPED (the condition then matches more: never pass one; all-undefined throws).
 * - `get()` sends `limit` 100 when none is given and at most 1000 (the SDK clamps); the service in a
 *   cloud function has returned at most 100 per request, so always pass `limit(n)`, n ≤ 100.
 * - `orderBy` keys are kept in call order; ordering by the same field twice keeps the last direction.
 * - `field({ f: true })` / `field({ f: false })` is a MongoDB projection; `_id` always comes back.
 * - `count()` is `database.calculateDocument`: it reads no records out.
 * - `doc(id).get()` REJECTS when the record does not exist (wx-server-sdk's throwOnNotFound,
 *   default true: errMsg "document.get:fail document with _id … does not exist", errCode -1); the
 *   adapters read by id with `where({ _id }).limit(1).get()`, which resolves with `{ data: [] }`.
 * - `add({ data: { _id } })` with an existing `_id` REJECTS with errCode -502001
 *   (DATABASE_REQUEST_FAILED, the generic code shared with other failures; the text has E11000).
 * - A request to a collection that does not exist REJECTS with errCode -502005
 *   (DATABASE_COLLECTION_NOT_EXIST): collections are created by setup (cloud/manifest.ts), not by
 *   a first write.
 * - `update({ data })` (where() and doc()) MERGES: plain objects are flattened into `$set` of dot
 *   paths and empty objects vanish; wrap a value in `command.set(v)` to replace a field wholesale,
 *   `command.remove()` deletes it (`$unset`), `command.inc(n)` adds atomically (`$inc`).
 *   `where().update()` updates every match (multi) and resolves `{ stats: { updated } }`, counting
 *   records that changed. Setting a path and its parent in one update is refused by the service.
 * - `doc(id).set({ data })` replaces the record (upsert); `stats.created` is 1 when it was new.
 * - Equality on an array field matches when the array contains the value; `null` matches a
 *   missing field too (MongoDB semantics).
 * - Stored field names must not contain `.` or start with `$`.
 */

/** A stored record. `_id` is the record's key. */
export interface CloudDocData {
  _id?: string
  [field: string]: unknown
}

/** Opaque values produced by `db.command`; only the SDK's serializers look inside. */
export type QueryCommand = object
export type LogicCommand = object
export type UpdateCommand = object

/** A `where()` condition: field → value or query command (dot paths allowed), or a logic command. */
export type WhereCondition = { [field: string]: unknown } | LogicCommand

/** `update({ data })`: field → value or update command. */
export type UpdateData = { [field: string]: unknown }

export interface DbCommand {
  eq(value: unknown): QueryCommand
  /** Not equal; also matches records without the field (MongoDB semantics). */
  neq(value: unknown): QueryCommand
  lt(value: number | string): QueryCommand
  gt(value: number | string): QueryCommand
  gte(value: number | string): QueryCommand
  lte(value: number | string): QueryCommand
  in(values: readonly unknown[]): QueryCommand
  /** Across fields (`_.or([{ a: 1 }, { b: 2 }])`) or on one field (`{ a: _.or([_.lt(1), _.gt(9)]) }`). */
  or(conditions: readonly (WhereCondition | QueryCommand)[]): LogicCommand
  and(conditions: readonly (WhereCondition | QueryCommand)[]): LogicCommand
  /** Update command: set the field to exactly this value (no merging of objects). */
  set(value: unknown): UpdateCommand
  /** Update command: delete the field. */
  remove(): UpdateCommand
  /** Update command: add n to the number in the field, atomically on the server (n may be negative). */
  inc(n: number): UpdateCommand
}

export interface CloudGetResult {
  data: CloudDocData[]
  errMsg?: string
}

export interface CloudUpdateResult {
  stats: { updated: number }
  errMsg?: string
}

export interface CloudQuery {
  /** Replaces any previous condition. */
  where(condition: WhereCondition): CloudQuery
  orderBy(field: string, order: 'asc' | 'desc'): CloudQuery
  limit(n: number): CloudQuery
  /**
   * Projection: `{ f: true }` returns only the listed fields (and `_id`), `{ f: false }` all but the
   * listed ones; the two kinds cannot be mixed in one projection (the service rejects it).
   */
  field(projection: { [field: string]: boolean }): CloudQuery
  get(): Promise<CloudGetResult>
  /** How many records match (`database.calculateDocument`): no records are read out. */
  count(): Promise<{ total: number; errMsg?: string }>
  /** Updates every matching record (server side only). */
  update(options: { data: UpdateData }): Promise<CloudUpdateResult>
}

export interface CloudDocument {
  /** Replaces the whole record, creating it when absent. `data` must not contain `_id`. */
  set(options: { data: CloudDocData }): Promise<{ _id?: string; stats: { updated: number; created: number } }>
}

export interface CloudCollection extends CloudQuery {
  doc(id: string): CloudDocument
  /** Rejects when `data._id` is given and already exists. */
  add(options: { data: CloudDocData }): Promise<{ _id: string; errMsg?: string }>
}

export interface CloudDb {
  readonly command: DbCommand
  collection(name: string): CloudCollection
}
