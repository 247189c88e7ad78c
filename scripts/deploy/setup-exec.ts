/**
 * Carries out the setup plan with @cloudbase/manager-node. `CloudAdminApi` is the part of
 * manager-node's CloudBase object this uses (the real object is checked against it at compile
 * time in setup-cloud.ts); tests pass an in-memory fake with the same surface.
 *
 * APIs used (all exist in @cloudbase/manager-node 5.x):
 *   database.listCollections / createCollection / describeCollection / updateCollection (CreateIndexes)
 *   commonService('tcb').call DescribeSafeRule / ModifySafeRule  (database security rules; manager-node
 *     documents these as commonService calls, it has no typed method)
 *   storage.getStorageAcl({ withRule: true }) / setStorageAcl('CUSTOM', rule)
 * A rule call that fails (e.g. the action is not open to this account) becomes a console step.
 */
import type { CollectionSpec, SecurityRule } from '../../src/server/cloud/manifest'
import {
  collectionRuleStep,
  indexConflictStep,
  indexStep,
  printConsoleSteps,
  storageRuleStep,
  type ConsoleStep,
} from './console-steps'
import {
  describeStep,
  planSetup,
  type AclTag,
  type CloudState,
  type ExistingCollection,
  type ExistingIndex,
  type ExistingRule,
  type SetupStep,
} from './setup-plan'

interface MgoIndexKey {
  Name: string
  Direction: string
}

export interface CloudAdminApi {
  database: {
    listCollections(options?: { MgoLimit?: number; MgoOffset?: number }): Promise<{
      Collections: { CollectionName: string }[]
      Pager: { Total: number }
    }>
    createCollection(name: string): Promise<unknown>
    describeCollection(name: string): Promise<{
      Indexes?: { Name: string; Keys: { Name?: string; Direction?: string }[]; Unique: boolean }[]
    }>
    updateCollection(
      name: string,
      info: { CreateIndexes?: { IndexName: string; MgoKeySchema: { MgoIndexKeys: MgoIndexKey[]; MgoIsUnique: boolean } }[] },
    ): Promise<unknown>
  }
  storage: {
    getStorageAcl(options: { withRule: true }): Promise<{ acl: AclTag; rule?: { read: boolean | string; write: boolean | string } }>
    setStorageAcl(acl: AclTag, rule?: { read: boolean | string; write: boolean | string }): Promise<unknown>
  }
  commonService(service?: string, version?: string): { call(options: { Action: string; Param: Record<string, any> }): Promise<any> }
}

export interface SetupTarget {
  envId: string
  /** Passed as WxAppId to DescribeSafeRule (required there for WeChat environments). */
  appId: string
}

const ACL_TAGS: readonly AclTag[] = ['READONLY', 'PRIVATE', 'ADMINWRITE', 'ADMINONLY', 'CUSTOM']
const isAclTag = (s: unknown): s is AclTag => typeof s === 'string' && (ACL_TAGS as readonly string[]).includes(s)

function parseRule(text: unknown): SecurityRule | undefined {
  if (typeof text !== 'string') return undefined
  try {
    const r = JSON.parse(text) as unknown
    return typeof r === 'object' && r !== null ? (r as SecurityRule) : undefined
  } catch {
    return undefined
  }
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200)

async function listAllCollections(api: CloudAdminApi): Promise<string[]> {
  const names: string[] = []
  for (let offset = 0; ; offset += 100) {
    const page = await api.database.listCollections({ MgoLimit: 100, MgoOffset: offset })
    names.push(...page.Collections.map((c) => c.CollectionName))
    if (page.Collections.length === 0 || names.length >= page.Pager.Total) return names
  }
}

async function readIndexes(api: CloudAdminApi, collection: string): Promise<ExistingIndex[]> {
  const info = await api.database.describeCollection(collection)
  return (info.Indexes ?? []).map((i) => ({
    name: i.Name,
    unique: Boolean(i.Unique),
    keys: i.Keys.map((k) => ({ field: k.Name ?? '', direction: Number(k.Direction) === -1 ? (-1 as const) : (1 as const) })),
  }))
}

async function readRule(api: CloudAdminApi, target: SetupTarget, collection: string): Promise<ExistingRule> {
  try {
    const res = await api
      .commonService('tcb', '2018-06-08')
      .call({ Action: 'DescribeSafeRule', Param: { EnvId: target.envId, CollectionName: collection, WxAppId: target.appId } })
    if (!isAclTag(res?.AclTag)) return null
    return res.AclTag === 'CUSTOM' ? { acl: 'CUSTOM', rule: parseRule(res.Rule) } : { acl: res.AclTag }
  } catch {
    return null
  }
}

/** Reads what the environment has for the collections of the manifest, and the storage rule. */
export async function readCloudState(api: CloudAdminApi, target: SetupTarget, manifest: readonly CollectionSpec[]): Promise<CloudState> {
  const existing = new Set(await listAllCollections(api))
  const collections: ExistingCollection[] = []
  for (const spec of manifest) {
    if (!existing.has(spec.name)) continue
    collections.push({ name: spec.name, indexes: await readIndexes(api, spec.name), rule: await readRule(api, target, spec.name) })
  }
  let storage: ExistingRule = null
  try {
    const s = await api.storage.getStorageAcl({ withRule: true })
    storage = isAclTag(s.acl) ? { acl: s.acl, rule: s.rule } : null
  } catch {
    storage = null
  }
  return { collections, storage }
}

export interface SetupResult {
  done: SetupStep[]
  console: ConsoleStep[]
}

/** Reads the state, plans, carries out the plan, and prints what it did and what is left by hand. */
export async function runSetup(
  api: CloudAdminApi,
  target: SetupTarget,
  manifest: readonly CollectionSpec[],
  storageRule: SecurityRule,
  log: (s: string) => void = console.log,
): Promise<SetupResult> {
  const state = await readCloudState(api, target, manifest)
  const plan = planSetup(manifest, storageRule, state)
  const done: SetupStep[] = []
  const manual: ConsoleStep[] = []
  if (plan.length === 0) {
    const indexes = manifest.reduce((n, c) => n + c.indexes.length, 0)
    log(`nothing to do: ${manifest.length} collections, ${indexes} indexes, their rules and the storage rule already match the manifest`)
    return { done, console: manual }
  }
  for (const step of plan) {
    switch (step.kind) {
      case 'create-collection':
        await api.database.createCollection(step.collection)
        break
      case 'create-index':
        try {
          await api.database.updateCollection(step.collection, {
            CreateIndexes: [
              {
                IndexName: step.index.name,
                MgoKeySchema: {
                  MgoIndexKeys: step.index.keys.map((k) => ({ Name: k.field, Direction: String(k.direction) })),
                  MgoIsUnique: step.index.unique ?? false,
                },
              },
            ],
          })
        } catch (e) {
          manual.push(indexStep(step.collection, step.index, `UpdateTable failed: ${errorText(e)}`))
          continue
        }
        break
      case 'set-rule':
        try {
          await api.commonService('tcb', '2018-06-08').call({
            Action: 'ModifySafeRule',
            // ModifySafeRule takes no WxAppId (DescribeSafeRule does); the API refuses unknown parameters.
            Param: { EnvId: target.envId, CollectionName: step.collection, AclTag: 'CUSTOM', Rule: JSON.stringify(step.rule) },
          })
        } catch (e) {
          manual.push(collectionRuleStep(step.collection, step.rule, `ModifySafeRule failed: ${errorText(e)}`))
          continue
        }
        break
      case 'set-storage-rule':
        try {
          await api.storage.setStorageAcl('CUSTOM', step.rule)
        } catch (e) {
          manual.push(storageRuleStep(step.rule, `ModifyStorageSafeRule failed: ${errorText(e)}`))
          continue
        }
        break
      case 'index-conflict':
        manual.push(indexConflictStep(step.collection, step.index, step.existing))
        continue
    }
    done.push(step)
    log(`done: ${describeStep(step)}`)
  }
  printConsoleSteps(manual, log)
  return { done, console: manual }
}
