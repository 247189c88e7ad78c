/**
 * In-memory stand-ins for the parts of @cloudbase/manager-node and miniprogram-ci the deploy
 * scripts use. They keep state (collections, indexes, rules, the function, its triggers) and
 * answer from it the way the real services do (paged ListTables, "already exists" errors,
 * ResourceNotFound for a missing function), so a second run can be checked to find nothing to do.
 */
import type { AclTag } from '../../scripts/deploy/setup-plan'
import type { CloudAdminApi } from '../../scripts/deploy/setup-exec'
import type { CiCloudApi, FunctionsAdminApi } from '../../scripts/deploy/functions-exec'
import { TRIGGER_CREATED } from '../../scripts/deploy/functions-exec'

class ApiError extends Error {
  constructor(
    public code: string,
    message: string,
  ) {
    super(message)
  }
}

interface FakeIndex {
  Name: string
  Keys: { Name: string; Direction: string }[]
  Unique: boolean
}

interface FakeCollection {
  indexes: FakeIndex[]
  acl: AclTag
  rule?: string
}

type Rule = { read: boolean | string; write: boolean | string }

export class FakeCloud implements CloudAdminApi {
  collections = new Map<string, FakeCollection>()
  storageAcl: { acl: AclTag; rule?: Rule } = { acl: 'READONLY' }
  /** Every call that changed something, in order. */
  writes: string[] = []
  /** Set to make ModifySafeRule / ModifyStorageSafeRule fail (an action not open to the account). */
  rulesRefused = false

  addCollection(name: string, opts: { acl?: AclTag; rule?: Rule; indexes?: FakeIndex[] } = {}) {
    this.collections.set(name, {
      indexes: [{ Name: '_id_', Keys: [{ Name: '_id', Direction: '1' }], Unique: true }, ...(opts.indexes ?? [])],
      acl: opts.acl ?? 'PRIVATE',
      rule: opts.rule ? JSON.stringify(opts.rule) : undefined,
    })
  }

  private get(name: string): FakeCollection {
    const c = this.collections.get(name)
    if (!c) throw new ApiError('ResourceNotFound', `collection ${name} does not exist`)
    return c
  }

  database: CloudAdminApi['database'] = {
    listCollections: async (options = {}) => {
      const all = [...this.collections.keys()].sort()
      const offset = options.MgoOffset ?? 0
      const limit = options.MgoLimit ?? 100
      return { Collections: all.slice(offset, offset + limit).map((CollectionName) => ({ CollectionName })), Pager: { Total: all.length } }
    },
    createCollection: async (name) => {
      if (this.collections.has(name)) throw new ApiError('ResourceInUse', `collection ${name} exists`)
      this.writes.push(`createCollection ${name}`)
      this.addCollection(name)
    },
    describeCollection: async (name) => ({ Indexes: this.get(name).indexes.map((i) => ({ ...i, Keys: i.Keys.map((k) => ({ ...k })) })) }),
    updateCollection: async (name, info) => {
      const c = this.get(name)
      for (const idx of info.CreateIndexes ?? []) {
        if (c.indexes.some((i) => i.Name === idx.IndexName)) throw new ApiError('InvalidParameter', `index ${idx.IndexName} exists`)
        this.writes.push(`createIndex ${name}.${idx.IndexName}`)
        c.indexes.push({ Name: idx.IndexName, Keys: idx.MgoKeySchema.MgoIndexKeys.map((k) => ({ ...k })), Unique: idx.MgoKeySchema.MgoIsUnique })
      }
    },
  }

  storage: CloudAdminApi['storage'] = {
    getStorageAcl: async () => ({ ...this.storageAcl }),
    setStorageAcl: async (acl, rule) => {
      if (this.rulesRefused) throw new ApiError('UnauthorizedOperation', 'ModifyStorageSafeRule is not open to this account')
      this.writes.push(`setStorageAcl ${acl}`)
      this.storageAcl = { acl, rule: rule ? (JSON.parse(JSON.stringify(rule)) as Rule) : undefined }
    },
  }

  commonService(service = 'tcb') {
    return {
      call: async ({ Action, Param }: { Action: string; Param: Record<string, any> }) => {
        if (service !== 'tcb') throw new ApiError('InvalidAction', `${service}.${Action}`)
        const c = this.get(Param.CollectionName as string)
        if (Action === 'DescribeSafeRule') {
          if (!Param.WxAppId) throw new ApiError('MissingParameter', 'WxAppId is required for WeChat environments')
          return { AclTag: c.acl, Rule: c.rule ?? null, RequestId: 'r' }
        }
        if (Action === 'ModifySafeRule') {
          const known = ['EnvId', 'CollectionName', 'AclTag', 'Rule']
          const unknown = Object.keys(Param).filter((k) => !known.includes(k))
          if (unknown.length) throw new ApiError('UnknownParameter', `unknown parameter ${unknown.join(', ')}`)
          if (this.rulesRefused) throw new ApiError('UnauthorizedOperation', 'ModifySafeRule is not open to this account')
          this.writes.push(`setRule ${Param.CollectionName} ${Param.AclTag}`)
          c.acl = Param.AclTag as AclTag
          c.rule = Param.Rule as string | undefined
          return { RequestId: 'r' }
        }
        throw new ApiError('InvalidAction', Action)
      },
    }
  }
}

interface FakeFunction {
  runtime: string
  timeout: number
  env: Record<string, string>
  triggers: { TriggerName: string; Type: string; TriggerDesc: string }[]
  codeUploads: number
}

/** One cloud environment's functions, seen through manager-node (admin) and miniprogram-ci (ci). */
export class FakeFunctions {
  fns = new Map<string, FakeFunction>()
  writes: string[] = []
  readonly project = { appid: 'wx0123456789abcdef' }

  constructor(readonly envId: string) {}

  private get(name: string): FakeFunction {
    const f = this.fns.get(name)
    if (!f) throw new ApiError('ResourceNotFound.Function', `function ${name} not found`)
    return f
  }

  admin: FunctionsAdminApi = {
    functions: {
      getFunctionDetail: async (name) => {
        const f = this.get(name)
        return {
          Runtime: f.runtime,
          Timeout: f.timeout,
          Environment: { Variables: Object.entries(f.env).map(([Key, Value]) => ({ Key, Value })) },
          Triggers: f.triggers.map((t) => ({ ...t })),
        }
      },
      createFunction: async ({ func }) => {
        if (this.fns.has(func.name)) throw new ApiError('ResourceInUse.Function', `${func.name} exists`)
        this.writes.push(`createFunction ${func.name} ${func.runtime}`)
        this.fns.set(func.name, { runtime: func.runtime, timeout: func.timeout, env: { ...func.envVariables }, triggers: [], codeUploads: 1 })
      },
      updateFunctionConfig: async (func) => {
        const f = this.get(func.name)
        this.writes.push(`updateFunctionConfig ${func.name}`)
        f.timeout = func.timeout
        // SCF replaces the whole variable set.
        f.env = { ...func.envVariables }
      },
      deleteFunctionTrigger: async (name, triggerName) => {
        const f = this.get(name)
        this.writes.push(`deleteTrigger ${name}.${triggerName}`)
        f.triggers = f.triggers.filter((t) => t.TriggerName !== triggerName)
      },
      waitFunctionActive: async (name) => {
        this.get(name)
      },
    },
  }

  ci: CiCloudApi<{ appid: string }> = {
    uploadFunction: async ({ project, env, name, remoteNpmInstall }) => {
      if (project !== this.project || env !== this.envId) throw new Error('env not found')
      if (!remoteNpmInstall) throw new Error('expected a remote npm install')
      // miniprogram-ci would create a missing function on Nodejs8.9; the deploy must never let it.
      if (!this.fns.has(name)) this.fns.set(name, { runtime: 'Nodejs8.9', timeout: 3, env: {}, triggers: [], codeUploads: 0 })
      this.writes.push(`uploadFunction ${name}`)
      this.get(name).codeUploads++
      return { filesCount: 3, packSize: 1234 }
    },
    createTimeTrigger: async ({ envId, functionName, triggersConfig }) => {
      const f = this.fns.get(functionName)
      if (!f || envId !== this.envId || triggersConfig.length !== 1) return '请检查传入的 triggersConfig 是否符合格式'
      const t = triggersConfig[0]!
      if (f.triggers.some((x) => x.TriggerName === t.name)) return '请检查传入的 triggersConfig 是否符合格式'
      this.writes.push(`createTrigger ${functionName}.${t.name}`)
      f.triggers.push({ TriggerName: t.name, Type: t.type, TriggerDesc: JSON.stringify({ cron: t.config }) })
      return TRIGGER_CREATED
    },
  }
}
