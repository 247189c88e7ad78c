/**
 * The part of wx-server-sdk's database API (`cloud.database()`) that adapters/cloudbase.ts uses,
 * and nothing more. tests/support/wx-db-engine.ts interprets exactly this subset in memory.
 *
 * Behaviour of the real service that the adapter relies on or works around:
 * - `get()` returns at most 100 records per request in a cloud function (the client SDK: 20), and
 *   the documented default and ceiling disagree between doc versions: always pass `limit(n)`, n ≤ 100.
 * - `doc(id).get()` REJECTS when the document does not exist (errMsg
 *   "document.get:fail document with _id … does not exist"); the adapter reads by id with
 *   `where({ _id }).limit(1).get()` instead, which resolves with `{ data: [] }`.
 * - `add({ data: { _id } })` with an existing `_id` REJECTS (a duplicate-key database error whose
 *   errCode, -502001, is the generic "database request failed" code shared with other failures).
 * - `update({ data })` MERGES plain objects field by field (`{ a: { b: 1 } }` is `$set: { 'a.b': 1 }`)
 *   and drops empty objects; wrap a value in `command.set(v)` to replace a field wholesale, and use
 *   `command.remove()` to delete a field. `where().update()` resolves `{ stats: { updated } }`.
 * - Equality on an array field matches when the array contains the value (MongoDB semantics).
 * - A value of `undefined` in a condition is dropped by the SDK's serializer (the condition then
 *   matches everything): never pass one.
 */

/** A stored record. `_id` is the record's key. */
export interface CloudDocData {
  _id?: string
  [field: string]: unknown
}

/** Opaque values produced by `db.command`; only the SDK (or the test engine) looks inside. */
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
  skip(n: number): CloudQuery
  get(): Promise<CloudGetResult>
  /** Updates every matching record (server side only). */
  update(options: { data: UpdateData }): Promise<CloudUpdateResult>
}

export interface CloudDocument {
  /** Rejects when the record does not exist. */
  get(): Promise<{ data: CloudDocData; errMsg?: string }>
  /** Replaces the whole record, creating it when absent. `data` must not contain `_id`. */
  set(options: { data: CloudDocData }): Promise<{ _id?: string; stats: { updated: number; created: number } }>
  update(options: { data: UpdateData }): Promise<CloudUpdateResult>
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
