/**
 * The REAL wx-server-sdk database client with only its network request replaced.
 *
 * `cloud.database()` (wx-server-sdk) wraps `@cloudbase/node-sdk`'s `newDb()`, which sets
 * `Db.reqClass = TcbDBApiHttpRequester` on `@cloudbase/database`'s `Db`; every query, document and
 * collection object then does `new Db.reqClass(db.config).send(action, params)`. openSdkDatabase()
 * builds the database through the SDK and then installs EngineRequester on that same `Db`, so the
 * adapters run through the SDK's own query builder, serializers (plain objects flattened to dot
 * paths, commands to MongoDB operators, everything as EJSON strings), response parsing, error
 * checker and `throwOnNotFound`. Only the wire is replaced: SdkDbEngine answers each action the way
 * the CloudBase database service does, with EJSON-decoded documents evaluated by mingo.
 *
 * What the engine holds to, like the service:
 * - a request to a collection that does not exist fails with DATABASE_COLLECTION_NOT_EXIST (the SDK
 *   surfaces errCode -502005); collections are created only by `database.addCollection`
 *   (`db.createCollection`), never on first write. openSdkDatabase() creates the manifest's
 *   collections through the SDK first, as the setup would;
 * - insert with an existing `_id` fails with DATABASE_REQUEST_FAILED (errCode -502001, E11000 text);
 * - `getDocument` returns at most `maxLimit` (100) records and at most the limit sent, after the
 *   order and offset; projections are MongoDB's (inclusion or exclusion, not mixed);
 * - `modifyDocument` with merge applies the operator document ($set, $unset, $inc, …) to every match
 *   (or the first when multi is false) and counts records that changed; a path set twice or set and
 *   unset in one update is refused like MongoDB's "would create a conflict"; merge false replaces
 *   (doc().set(), upsert);
 * - stored field names never contain `.` or start with `$` (MongoDB refuses them);
 * - each request runs atomically after a macrotask, so concurrent requests interleave between
 *   requests, never within one;
 * - every request is recorded (collection, action, decoded query, order, limit, offset, projection,
 *   data) in `requests`, and in the process-wide `allRequests` for the manifest test.
 */
import { createRequire } from 'node:module'
import { find, Query, update as mingoUpdate } from 'mingo'
import type { UpdateExpression } from 'mingo/updater'
import type { CloudDb } from '../../src/server/adapters/cloud-db'
import { DATABASE_MANIFEST } from '../../src/server/cloud/manifest'

const requireHere = createRequire(import.meta.url)

interface WxCloud {
  init(config: { env: string }): void
  database(): unknown
}
interface DbModule {
  Db: { reqClass: unknown }
}
interface Ejson {
  parse(text: string, options?: { relaxed?: boolean }): unknown
  stringify(value: unknown, options?: { relaxed?: boolean }): string
}
/** The wx-server-sdk database object, as far as this module looks inside it. */
interface WxDatabase {
  _db: { config: object }
  createCollection(name: string): Promise<unknown>
}

const cloud = requireHere('wx-server-sdk') as WxCloud
const dbModule = requireHere('@cloudbase/database') as DbModule
// The EJSON the SDK itself serializes with (bson, as @cloudbase/database resolves it).
const { EJSON } = createRequire(requireHere.resolve('@cloudbase/database'))('bson') as { EJSON: Ejson }

export type Doc = { _id: string } & Record<string, unknown>
type Filter = Record<string, unknown>

/** Short names for what a request did. */
export type RequestOp = 'get' | 'count' | 'add' | 'update' | 'set' | 'remove' | 'createCollection'

export interface RecordedRequest {
  collection: string
  /** The wire action, e.g. `database.getDocument`. */
  action: string
  op: RequestOp
  /** WHERE (a query) or DOC (doc(id)). */
  queryType?: 'WHERE' | 'DOC'
  /** The decoded MongoDB filter, as the service receives it. */
  query?: Filter
  /** Sort keys in order. */
  order?: [string, 1 | -1][]
  offset?: number
  limit?: number
  projection?: Record<string, 0 | 1>
  /** The decoded update (operators) or record(s). */
  data?: unknown
  multi?: boolean
}

/** Every request of every engine in this test process, in the order they ran. */
export const allRequests: RecordedRequest[] = []

/** A failed request as the service reports it: `{ code, message }` in the response body. */
class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

const notExist = (name: string) =>
  new ServiceError('DATABASE_COLLECTION_NOT_EXIST', `[ResourceNotFound] Db or Table not exist: ${name}. collection not exists`)
const failed = (message: string) => new ServiceError('DATABASE_REQUEST_FAILED', message)

const decode = (text: unknown): unknown => (typeof text === 'string' ? EJSON.parse(text, { relaxed: true }) : undefined)
const encode = (value: unknown): string => EJSON.stringify(value, { relaxed: false })
/** Deep copy through the wire format. */
const copy = <T>(v: T): T => EJSON.parse(encode(v), { relaxed: true }) as T

/** MongoDB refuses stored field names with a dot or a leading `$` (they would read as paths or operators). */
function checkFieldNames(value: unknown, path = ''): void {
  if (Array.isArray(value)) value.forEach((v, i) => checkFieldNames(v, `${path}.${i}`))
  else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, v] of Object.entries(value)) {
      if (key.includes('.') || key.startsWith('$')) throw failed(`[BadValue] field name "${key}" at "${path || '/'}" must not contain "." or start with "$"`)
      checkFieldNames(v, path ? `${path}.${key}` : key)
    }
  }
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve))

export interface SdkDbEngineOptions {
  /** Per-request ceiling of getDocument (the service's in a cloud function: 100). */
  maxLimit?: number
}

export class SdkDbEngine {
  /** This engine's requests, in the order they ran. */
  readonly requests: RecordedRequest[] = []
  readonly maxLimit: number
  private readonly store = new Map<string, Map<string, Doc>>()
  private idSeq = 0

  constructor(opts: SdkDbEngineOptions = {}) {
    this.maxLimit = opts.maxLimit ?? 100
  }

  /** Test helper: deep copies of a collection's records in insertion order. */
  dump(name: string): Doc[] {
    const docs = this.store.get(name)
    if (!docs) throw new Error(`no collection ${name}`)
    return [...docs.values()].map(copy)
  }

  collections(): string[] {
    return [...this.store.keys()]
  }

  /** Answers one wire request, atomically, after a macrotask. */
  async answer(action: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    await nextTick()
    const name = params.collectionName
    if (typeof name !== 'string' || !name) throw failed('collectionName required')
    const req = this.describe(action, name, params)
    this.requests.push(req)
    allRequests.push(req)
    const requestId = `req-${this.requests.length}`
    if (req.op === 'createCollection') {
      if (this.store.has(name)) throw new ServiceError('DATABASE_COLLECTION_ALREADY_EXIST', `collection ${name} already exists`)
      this.store.set(name, new Map())
      return { requestId }
    }
    const docs = this.store.get(name)
    if (!docs) throw notExist(name)
    switch (req.op) {
      case 'get':
        return { requestId, data: { list: this.read(docs, req).map(encode) } }
      case 'count':
        return { requestId, data: { total: this.matching(docs, req.query).length } }
      case 'add':
        return { requestId, data: { insertedIds: this.insert(name, docs, req.data as Filter[]) } }
      case 'update':
        return { requestId, data: { updated: this.modify(docs, req) } }
      case 'set':
        return { requestId, data: this.replace(docs, req, params.upsert === true) }
      case 'remove': {
        const gone = this.matching(docs, req.query).slice(0, req.multi === false ? 1 : undefined)
        for (const d of gone) docs.delete(d._id)
        return { requestId, data: { deleted: gone.length } }
      }
    }
  }

  private describe(action: string, collection: string, params: Record<string, unknown>): RecordedRequest {
    const op = OPS[action]
    if (!op) throw failed(`unsupported action ${action}`)
    const req: RecordedRequest = { collection, action, op: op === 'modify' ? (params.merge === false ? 'set' : 'update') : op }
    if (params.queryType === 'WHERE' || params.queryType === 'DOC') req.queryType = params.queryType
    const query = decode(params.query)
    if (query !== undefined) req.query = query as Filter
    const order = decode(params.order)
    if (order !== undefined) req.order = Object.entries(order as Record<string, number>).map(([f, d]) => [f, d < 0 ? -1 : 1])
    if (typeof params.offset === 'number') req.offset = params.offset
    if (typeof params.limit === 'number') req.limit = params.limit
    const projection = decode(params.projection)
    if (projection !== undefined) req.projection = projection as Record<string, 0 | 1>
    if (Array.isArray(params.data)) req.data = params.data.map(decode)
    else if (params.data !== undefined) req.data = decode(params.data)
    if (typeof params.multi === 'boolean') req.multi = params.multi
    return req
  }

  private matching(docs: Map<string, Doc>, query: Filter | undefined): Doc[] {
    const all = [...docs.values()]
    if (!query || Object.keys(query).length === 0) return all
    let q: Query
    try {
      q = new Query(query)
    } catch (e) {
      throw new ServiceError('DATABASE_INVALID_OPERRATOR', e instanceof Error ? e.message : 'invalid query')
    }
    return all.filter((d) => q.test(d))
  }

  private read(docs: Map<string, Doc>, req: RecordedRequest): Doc[] {
    const projection = req.projection
    if (projection) {
      const kinds = new Set(Object.entries(projection).filter(([f]) => f !== '_id').map(([, v]) => v))
      if (kinds.size > 1) throw failed('[BadValue] Projection cannot have a mix of inclusion and exclusion.')
    }
    let cursor = find(this.matching(docs, req.query), {}, projection && Object.keys(projection).length ? projection : undefined)
    if (req.order?.length) cursor = cursor.sort(Object.fromEntries(req.order))
    const limit = Math.min(req.limit ?? this.maxLimit, this.maxLimit)
    return cursor.skip(req.offset ?? 0).limit(limit).all() as Doc[]
  }

  private insert(name: string, docs: Map<string, Doc>, records: Filter[]): string[] {
    const ids: string[] = []
    for (const rec of records) {
      const id = rec._id === undefined ? this.newId() : rec._id
      if (typeof id !== 'string' || !id) throw failed('_id must be a non-empty string')
      if (docs.has(id)) {
        throw failed(`[FailedOperation] E11000 duplicate key error collection: ${name} index: _id_ dup key: { _id: "${id}" }`)
      }
      checkFieldNames(rec)
      docs.set(id, { ...copy(rec), _id: id })
      ids.push(id)
    }
    return ids
  }

  private modify(docs: Map<string, Doc>, req: RecordedRequest): number {
    const update = req.data as Record<string, Filter> | undefined
    if (!update || Object.keys(update).length === 0) throw failed('update data is empty')
    const paths: string[] = []
    for (const [op, fields] of Object.entries(update)) {
      if (!op.startsWith('$')) throw failed(`merge update must use operators, got "${op}"`)
      for (const path of Object.keys(fields)) {
        if (path === '_id' || path.startsWith('_id.')) throw failed('[ImmutableField] _id cannot be updated')
        const clash = paths.find((p) => p === path || p.startsWith(`${path}.`) || path.startsWith(`${p}.`))
        if (clash) throw failed(`[ConflictingUpdateOperators] Updating the path '${path}' would create a conflict at '${clash}'`)
        paths.push(path)
        if (op === '$set') checkFieldNames(fields[path], path)
      }
    }
    const targets = this.matching(docs, req.query).slice(0, req.multi === false ? 1 : undefined)
    // Compute every change first, then commit: all matches or none.
    const changed: Doc[] = []
    for (const doc of targets) {
      const next = copy(doc)
      let touched = false
      for (const [op, fields] of Object.entries(update)) {
        try {
          if (mingoUpdate(next, { [op]: copy(fields) } as unknown as UpdateExpression).length > 0) touched = true
        } catch (e) {
          throw failed(e instanceof Error ? e.message : 'update failed')
        }
      }
      if (touched) changed.push(next)
    }
    for (const d of changed) docs.set(d._id, d)
    return changed.length
  }

  private replace(docs: Map<string, Doc>, req: RecordedRequest, upsert: boolean): Record<string, unknown> {
    const data = req.data as Filter
    if (Object.keys(data).some((k) => k.startsWith('$'))) throw failed('replacement must not contain operators')
    if ('_id' in data) throw failed('[ImmutableField] _id cannot be updated')
    checkFieldNames(data)
    const [doc] = this.matching(docs, req.query)
    if (doc) {
      const next = { _id: doc._id, ...copy(data) }
      const same = encode(next) === encode(doc)
      docs.set(doc._id, next)
      return { updated: same ? 0 : 1 }
    }
    if (!upsert) return { updated: 0 }
    const id = (req.query as { _id?: unknown } | undefined)?._id
    if (typeof id !== 'string') throw failed('upsert needs an _id')
    docs.set(id, { _id: id, ...copy(data) })
    return { updated: 0, upsert_id: id }
  }

  private newId(): string {
    this.idSeq++
    return (Date.now().toString(16) + this.idSeq.toString(16).padStart(8, '0')).padStart(32, '0').slice(-32)
  }
}

const OPS: Record<string, Exclude<RequestOp, 'update' | 'set'> | 'modify'> = {
  'database.getDocument': 'get',
  'database.calculateDocument': 'count',
  'database.insertDocument': 'add',
  'database.modifyDocument': 'modify',
  'database.removeDocument': 'remove',
  'database.addCollection': 'createCollection',
}

// ---------------------------------------------------------------------------------------------
// The requester installed on the SDK's Db

/** Engines by the config object of the SDK database they answer for. */
const engines = new WeakMap<object, SdkDbEngine>()

/**
 * Stands in for TcbDBApiHttpRequester: same constructor (the Db config) and `send(action, params)`.
 * A service error becomes what node-sdk's request() makes of an error body (a TcbError with code and
 * message), which wx-server-sdk's error checker turns into errCode/errMsg.
 */
class EngineRequester {
  constructor(private readonly config: object) {}

  async send(action: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const engine = engines.get(this.config)
    if (!engine) throw new Error('wx-sdk-db: this SDK database has no engine (was cloud.database() called again?)')
    try {
      return await engine.answer(action, params)
    } catch (e) {
      if (e instanceof ServiceError) throw Object.assign(new Error(e.message), { code: e.code, requestId: 'req-failed' })
      throw e
    }
  }
}

let initialized = false

export interface OpenOptions {
  /** Create the manifest's collections first (default true), as the cloud setup does. */
  createCollections?: boolean
}

/**
 * A wx-server-sdk database whose requests `engine` answers. Does `cloud.init()` once per process
 * (without its metadata probe: see below; nothing is sent until a request) and creates the manifest's collections through
 * the SDK's own createCollection.
 */
export async function openSdkDatabase(engine: SdkDbEngine, opts: OpenOptions = {}): Promise<CloudDb> {
  if (!initialized) {
    // init() starts a fire-and-forget probe of the Tencent Cloud metadata server
    // (GET http://metadata.tencentyun.com/latest/meta-data/app-id, 30 ms timeout) unless the process
    // says it runs on Tencent Cloud; the SDK notes the result changes nothing after it. Say so while
    // init() runs (the check is synchronous), so tests never touch the network.
    const was = process.env.TENCENTCLOUD
    process.env.TENCENTCLOUD = 'true'
    try {
      cloud.init({ env: 'test-env' })
    } finally {
      if (was === undefined) delete process.env.TENCENTCLOUD
      else process.env.TENCENTCLOUD = was
    }
    initialized = true
  }
  const db = cloud.database() as WxDatabase
  // newDb() has just set Db.reqClass to the HTTP requester: replace it on that same module instance.
  dbModule.Db.reqClass = EngineRequester
  engines.set(db._db.config, engine)
  if (opts.createCollections !== false) {
    for (const c of DATABASE_MANIFEST) await db.createCollection(c.name)
  }
  return db as unknown as CloudDb
}

/** The requester class installed on the SDK's Db (for tests that check the installation). */
export const installedRequester = (): unknown => dbModule.Db.reqClass
export const engineRequesterClass: unknown = EngineRequester
