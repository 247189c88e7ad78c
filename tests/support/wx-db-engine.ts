/**
 * In-memory interpreter of the wx-server-sdk database subset in src/server/adapters/cloud-db.ts,
 * for tests. Conditions and update data are translated the way the SDK's serializers translate
 * them (plain objects flattened to dot paths, commands to MongoDB operators) and then evaluated by
 * mingo, so a wrong query in an adapter gives wrong results here too.
 *
 * Behaves like the service where adapters depend on it:
 * - `doc(id).get()` rejects for a missing record; `add` with an existing `_id` rejects (duplicate key);
 * - `get()` returns at most `maxLimit` (100) records, and at most the `limit` given; `skip`, multi-field `orderBy`;
 * - `update()` merges plain objects field by field (command.set replaces, command.remove deletes),
 *   applies to all matches of the query atomically, and resolves `{ stats: { updated } }`;
 * - each request runs atomically after a macrotask, so concurrent requests interleave between requests;
 * - records are deep-copied in and out.
 * Stricter than the service on purpose: `undefined` anywhere in a condition or update rejects (the
 * SDK silently drops it, which turns a condition into "match everything").
 */
import { find, Query, update as mingoUpdate } from 'mingo'
import type { UpdateExpression } from 'mingo/updater'
import type {
  CloudCollection,
  CloudDb,
  CloudDocData,
  CloudDocument,
  CloudGetResult,
  CloudQuery,
  CloudUpdateResult,
  UpdateData,
  WhereCondition,
} from '../../src/server/adapters/cloud-db'

type Doc = { _id: string } & Record<string, unknown>
type Filter = Record<string, unknown>

// ---------------------------------------------------------------------------------------------
// Commands (db.command)

type QueryOp = '$eq' | '$ne' | '$lt' | '$lte' | '$gt' | '$gte' | '$in' | '$nin'

class QueryCmd {
  constructor(
    readonly op: QueryOp,
    readonly operand: unknown,
  ) {}
}

class LogicCmd {
  constructor(
    readonly op: '$or' | '$and',
    readonly operands: readonly unknown[],
  ) {}
}

class UpdateCmd {
  constructor(
    readonly op: '$set' | '$unset' | '$inc',
    readonly operand?: unknown,
  ) {}
}

const logicOperands = (args: unknown[]): unknown[] => (args.length === 1 && Array.isArray(args[0]) ? args[0] : args)

export const engineCommand = {
  eq: (v: unknown) => new QueryCmd('$eq', v),
  neq: (v: unknown) => new QueryCmd('$ne', v),
  lt: (v: unknown) => new QueryCmd('$lt', v),
  lte: (v: unknown) => new QueryCmd('$lte', v),
  gt: (v: unknown) => new QueryCmd('$gt', v),
  gte: (v: unknown) => new QueryCmd('$gte', v),
  in: (vs: readonly unknown[]) => new QueryCmd('$in', vs),
  nin: (vs: readonly unknown[]) => new QueryCmd('$nin', vs),
  /** `_.or([a, b])` or `_.or(a, b)`, like the SDK. */
  or: (...conds: unknown[]) => new LogicCmd('$or', logicOperands(conds)),
  and: (...conds: unknown[]) => new LogicCmd('$and', logicOperands(conds)),
  set: (v: unknown) => new UpdateCmd('$set', v),
  remove: () => new UpdateCmd('$unset'),
  inc: (n: number) => new UpdateCmd('$inc', n),
}

// ---------------------------------------------------------------------------------------------
// Errors shaped like wx-server-sdk's: an Error with errCode and errMsg.

export class WxDbError extends Error {
  constructor(
    readonly errCode: number,
    readonly errMsg: string,
  ) {
    super(errMsg)
    this.name = 'WxDbError'
  }
}

/** The service's generic "database request failed" code, used for duplicate keys among others. */
export const DB_REQUEST_FAILED = -502001

const invalid = (api: string, why: string) => new WxDbError(-1, `${api}:fail ${why}`)

// ---------------------------------------------------------------------------------------------
// Values

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** Deep copy as the wire would: plain data only, undefined object fields dropped. */
function copy<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : copy(x))) as T
  if (v instanceof Date) return new Date(v.getTime()) as T
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = copy(x)
    return out as T
  }
  if (v instanceof QueryCmd || v instanceof LogicCmd || v instanceof UpdateCmd) {
    throw invalid('database', 'a command cannot be stored as a value')
  }
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') {
    throw invalid('database', `cannot store a ${typeof v}`)
  }
  return v
}

/**
 * The SDK's flattening of plain objects into dot paths ({ a: { b: 1 } } → 'a.b': 1). Arrays,
 * dates, commands and primitives are leaves; an empty object contributes nothing.
 */
function flatten(api: string, obj: Record<string, unknown>, prefix: string, emit: (path: string, v: unknown) => void) {
  for (const [key, value] of Object.entries(obj)) {
    if (key.startsWith('$')) throw invalid(api, `operator-like field name "${key}" is not allowed`)
    const path = prefix ? `${prefix}.${key}` : key
    if (value === undefined) {
      throw invalid(api, `"${path}" is undefined (the real SDK silently drops it and the condition widens)`)
    }
    if (isPlainObject(value)) flatten(api, value, path, emit)
    else emit(path, value)
  }
}

// ---------------------------------------------------------------------------------------------
// where(): condition → MongoDB filter

function encodeWhere(cond: unknown): Filter {
  if (cond instanceof LogicCmd) return encodeLogic(cond, null)
  if (cond instanceof QueryCmd) throw invalid('collection.where', 'a query command needs a field name')
  if (!isPlainObject(cond)) throw invalid('collection.where', 'condition must be an object or a logic command')
  return encodeObject(cond, '')
}

function encodeObject(obj: Record<string, unknown>, prefix: string): Filter {
  const fields: Filter = {}
  const extra: Filter[] = []
  flatten('collection.where', obj, prefix, (path, value) => {
    if (value instanceof LogicCmd) {
      extra.push(encodeLogic(value, path))
    } else if (value instanceof UpdateCmd) {
      throw invalid('collection.where', `update command at "${path}" in a query`)
    } else {
      const ops = value instanceof QueryCmd ? { [value.op]: copy(value.operand) } : { $eq: copy(value) }
      const prev = fields[path] as Filter | undefined
      if (prev && Object.keys(ops).some((op) => op in prev)) {
        throw invalid('collection.where', `conflicting conditions on "${path}"`)
      }
      fields[path] = { ...prev, ...ops }
    }
  })
  return extra.length ? { $and: [fields, ...extra] } : fields
}

function encodeLogic(cmd: LogicCmd, field: string | null): Filter {
  if (cmd.operands.length === 0) throw invalid('collection.where', `${cmd.op} needs at least one condition`)
  return { [cmd.op]: cmd.operands.map((o) => (field === null ? encodeWhere(o) : encodeFieldOperand(o, field))) }
}

function encodeFieldOperand(o: unknown, field: string): Filter {
  if (o instanceof QueryCmd) return { [field]: { [o.op]: copy(o.operand) } }
  if (o instanceof LogicCmd) return encodeLogic(o, field)
  if (o instanceof UpdateCmd) throw invalid('collection.where', `update command at "${field}" in a query`)
  if (isPlainObject(o)) return encodeObject(o, field)
  if (o === undefined) throw invalid('collection.where', `"${field}" is undefined`)
  return { [field]: { $eq: copy(o) } }
}

// ---------------------------------------------------------------------------------------------
// update(): data → MongoDB update operators

interface EncodedUpdate {
  $set: Record<string, unknown>
  $unset: Record<string, ''>
  $inc: Record<string, number>
}

function encodeUpdate(api: string, data: unknown): EncodedUpdate {
  if (!isPlainObject(data) || Object.keys(data).length === 0) throw invalid(api, 'data must be a non-empty object')
  if ('_id' in data) throw invalid(api, '_id cannot be updated')
  const out: EncodedUpdate = { $set: {}, $unset: {}, $inc: {} }
  flatten(api, data, '', (path, value) => {
    if (value instanceof UpdateCmd) {
      if (value.op === '$set') out.$set[path] = copy(value.operand)
      else if (value.op === '$unset') out.$unset[path] = ''
      else out.$inc[path] = value.operand as number
    } else if (value instanceof QueryCmd || value instanceof LogicCmd) {
      throw invalid(api, `query command at "${path}" in update data`)
    } else {
      out.$set[path] = copy(value)
    }
  })
  return out
}

/** Applies the update to `doc` in place; returns whether anything changed. */
function applyUpdate(doc: Doc, u: EncodedUpdate): boolean {
  let changed = false
  for (const op of ['$set', '$unset', '$inc'] as const) {
    if (Object.keys(u[op]).length === 0) continue
    const paths = mingoUpdate(doc, { [op]: copy(u[op]) } as unknown as UpdateExpression)
    if (paths.length > 0) changed = true
  }
  return changed
}

function checkStorable(api: string, data: unknown): asserts data is Record<string, unknown> {
  if (!isPlainObject(data)) throw invalid(api, 'data must be an object')
  const walk = (v: unknown): void => {
    if (v instanceof QueryCmd || v instanceof LogicCmd || v instanceof UpdateCmd) {
      throw invalid(api, 'data must not contain commands')
    }
    if (Array.isArray(v)) v.forEach(walk)
    else if (isPlainObject(v)) Object.values(v).forEach(walk)
  }
  walk(data)
}

// ---------------------------------------------------------------------------------------------
// The engine

export interface WxDbEngineOptions {
  /** Per-request ceiling of get(); the service's is 100 in cloud functions. */
  maxLimit?: number
}

export interface EngineRequest {
  collection: string
  op: 'get' | 'update' | 'add' | 'doc.get' | 'doc.set' | 'doc.update'
  where?: Filter
  /** The limit the caller asked for (get() only); undefined when it relied on the default. */
  limit?: number
}

interface QueryState {
  where: Filter | null
  orderBy: [string, 1 | -1][]
  limit: number | null
  skip: number
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve))

export class WxDbEngine implements CloudDb {
  readonly command = engineCommand
  /** Every request, in the order it ran (for asserting what an adapter sent). */
  readonly requests: EngineRequest[] = []
  readonly maxLimit: number
  private readonly store = new Map<string, Map<string, Doc>>()
  private idSeq = 0

  constructor(opts: WxDbEngineOptions = {}) {
    this.maxLimit = opts.maxLimit ?? 100
  }

  collection(name: string): CloudCollection {
    if (!name) throw invalid('database.collection', 'collection name required')
    return new EngineCollection(this, name, { where: null, orderBy: [], limit: null, skip: 0 })
  }

  /** Test helper: deep copies of a collection's records in insertion order. */
  dump(name: string): Doc[] {
    return [...this.docs(name).values()].map(copy)
  }

  /** @internal */
  docs(name: string): Map<string, Doc> {
    let m = this.store.get(name)
    if (!m) this.store.set(name, (m = new Map()))
    return m
  }

  /** @internal Generates a record id like the service's (32 hex digits). */
  newId(): string {
    this.idSeq++
    return (Date.now().toString(16) + this.idSeq.toString(16).padStart(8, '0')).padStart(32, '0').slice(-32)
  }

  /** @internal Runs a request atomically after the current macrotask, like a round trip. */
  async run<T>(req: EngineRequest, body: () => T): Promise<T> {
    await nextTick()
    this.requests.push(req)
    return body()
  }
}

class EngineCollection implements CloudCollection {
  constructor(
    private readonly engine: WxDbEngine,
    private readonly name: string,
    private readonly state: QueryState,
  ) {}

  private with(patch: Partial<QueryState>): EngineCollection {
    return new EngineCollection(this.engine, this.name, { ...this.state, ...patch })
  }

  where(condition: WhereCondition): CloudQuery {
    return this.with({ where: encodeWhere(condition) })
  }

  orderBy(field: string, order: 'asc' | 'desc'): CloudQuery {
    if (!field || typeof field !== 'string') throw invalid('collection.orderBy', 'field name required')
    if (order !== 'asc' && order !== 'desc') throw invalid('collection.orderBy', `order must be "asc" or "desc"`)
    return this.with({ orderBy: [...this.state.orderBy.filter(([f]) => f !== field), [field, order === 'asc' ? 1 : -1]] })
  }

  limit(n: number): CloudQuery {
    if (!Number.isInteger(n) || n < 1) throw invalid('collection.limit', 'limit must be a positive integer')
    return this.with({ limit: n })
  }

  skip(n: number): CloudQuery {
    if (!Number.isInteger(n) || n < 0) throw invalid('collection.skip', 'skip must be a non-negative integer')
    return this.with({ skip: n })
  }

  private matching(): Doc[] {
    const all = [...this.engine.docs(this.name).values()]
    if (!this.state.where) return all
    const q = new Query(this.state.where)
    return all.filter((d) => q.test(d))
  }

  get(): Promise<CloudGetResult> {
    const limit = Math.min(this.state.limit ?? this.engine.maxLimit, this.engine.maxLimit)
    const where = this.state.where ?? undefined
    const requested = this.state.limit ?? undefined
    return this.engine.run({ collection: this.name, op: 'get', where, limit: requested }, () => {
      let cursor = find(this.matching(), {})
      if (this.state.orderBy.length) cursor = cursor.sort(Object.fromEntries(this.state.orderBy))
      const data = cursor.skip(this.state.skip).limit(limit).all() as Doc[]
      return { data: data.map(copy), errMsg: 'collection.get:ok' }
    })
  }

  update(options: { data: UpdateData }): Promise<CloudUpdateResult> {
    const where = this.state.where ?? undefined
    return this.engine.run({ collection: this.name, op: 'update', where }, () => {
      const u = encodeUpdate('collection.update', options?.data)
      // Compute every change first, then commit: all matches or none.
      const changed: Doc[] = []
      for (const doc of this.matching()) {
        const next = copy(doc)
        if (applyUpdate(next, u)) changed.push(next)
      }
      const docs = this.engine.docs(this.name)
      for (const d of changed) docs.set(d._id, d)
      return { stats: { updated: changed.length }, errMsg: 'collection.update:ok' }
    })
  }

  add(options: { data: CloudDocData }): Promise<{ _id: string; errMsg: string }> {
    return this.engine.run({ collection: this.name, op: 'add' }, () => {
      const data = options?.data
      checkStorable('collection.add', data)
      if (data._id !== undefined && (typeof data._id !== 'string' || !data._id)) {
        throw invalid('collection.add', '_id must be a non-empty string')
      }
      const id = (data._id as string | undefined) ?? this.engine.newId()
      const docs = this.engine.docs(this.name)
      if (docs.has(id)) {
        throw new WxDbError(
          DB_REQUEST_FAILED,
          `collection.add:fail -502001 database request fail. [FailedOperation] E11000 duplicate key error ` +
            `collection: ${this.name} index: _id_ dup key: { _id: "${id}" }`,
        )
      }
      const { _id: _ignored, ...rest } = copy(data)
      docs.set(id, { _id: id, ...rest })
      return { _id: id, errMsg: 'collection.add:ok' }
    })
  }

  doc(id: string): CloudDocument {
    if (typeof id !== 'string' || !id) throw invalid('document', 'docId must be a non-empty string')
    const engine = this.engine
    const name = this.name
    return {
      get() {
        return engine.run({ collection: name, op: 'doc.get' }, () => {
          const doc = engine.docs(name).get(id)
          if (!doc) throw new WxDbError(-1, `document.get:fail document with _id ${id} does not exist`)
          return { data: copy(doc) as CloudDocData, errMsg: 'document.get:ok' }
        })
      },
      set(options: { data: CloudDocData }) {
        return engine.run({ collection: name, op: 'doc.set' }, () => {
          const data = options?.data
          checkStorable('document.set', data)
          if ('_id' in data) throw invalid('document.set', '_id cannot be updated')
          const docs = engine.docs(name)
          const existed = docs.has(id)
          docs.set(id, { _id: id, ...copy(data) })
          return { _id: id, stats: { updated: existed ? 1 : 0, created: existed ? 0 : 1 }, errMsg: 'document.set:ok' }
        })
      },
      update(options: { data: UpdateData }) {
        return engine.run({ collection: name, op: 'doc.update' }, () => {
          const u = encodeUpdate('document.update', options?.data)
          const docs = engine.docs(name)
          const doc = docs.get(id)
          if (!doc) return { stats: { updated: 0 }, errMsg: 'document.update:ok' }
          const next = copy(doc)
          const changed = applyUpdate(next, u)
          if (changed) docs.set(id, next)
          return { stats: { updated: changed ? 1 : 0 }, errMsg: 'document.update:ok' }
        })
      },
    }
  }
}
