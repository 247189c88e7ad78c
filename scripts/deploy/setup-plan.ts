/**
 * What `npm run setup:cloud` must do, computed from the manifest and what the environment already
 * has. Pure: no I/O; the executor (setup-exec.ts) reads the state and carries out the steps.
 */
import type { CollectionSpec, IndexKey, IndexSpec, SecurityRule } from '../../src/server/cloud/manifest'

/** CloudBase's permission tags: four simple ones and CUSTOM (a rule). */
export type AclTag = 'READONLY' | 'PRIVATE' | 'ADMINWRITE' | 'ADMINONLY' | 'CUSTOM'

/** A rule as read back: the tag, and the rule when the tag is CUSTOM. null: could not be read. */
export type ExistingRule = { acl: AclTag; rule?: SecurityRule } | null

export interface ExistingIndex {
  name: string
  keys: IndexKey[]
  unique: boolean
}

export interface ExistingCollection {
  name: string
  indexes: ExistingIndex[]
  rule: ExistingRule
}

export interface CloudState {
  collections: ExistingCollection[]
  storage: ExistingRule
}

export type SetupStep =
  | { kind: 'create-collection'; collection: string }
  | { kind: 'create-index'; collection: string; index: IndexSpec }
  | { kind: 'set-rule'; collection: string; rule: SecurityRule }
  | { kind: 'set-storage-rule'; rule: SecurityRule }
  | { kind: 'index-conflict'; collection: string; index: IndexSpec; existing: ExistingIndex }

const squash = (s: string) => s.replace(/\s+/g, ' ').trim()

function normalize(rule: Record<string, unknown>): string {
  const keys = Object.keys(rule).sort()
  return JSON.stringify(keys.map((k) => [k, typeof rule[k] === 'string' ? squash(rule[k] as string) : rule[k]]))
}

/** The simple tags that mean exactly a given rule (database: doc._openid; storage: resource.openid). */
function tagMeaning(tag: AclTag, owner: string): SecurityRule | null {
  const mine = `${owner} == auth.openid`
  switch (tag) {
    case 'ADMINONLY':
      return { read: false, write: false }
    case 'PRIVATE':
      return { read: mine, write: mine }
    case 'READONLY':
      return { read: true, write: mine }
    case 'ADMINWRITE':
      return { read: true, write: false }
    default:
      return null
  }
}

export function ruleMatches(existing: ExistingRule, wanted: SecurityRule, owner: 'doc._openid' | 'resource.openid'): boolean {
  if (!existing) return false
  const have = existing.acl === 'CUSTOM' ? existing.rule : tagMeaning(existing.acl, owner)
  if (!have) return false
  return normalize(have as unknown as Record<string, unknown>) === normalize(wanted as unknown as Record<string, unknown>)
}

const sameKeys = (a: IndexKey[], b: IndexKey[]) =>
  a.length === b.length && a.every((k, i) => k.field === b[i]!.field && k.direction === b[i]!.direction)

export function indexMatches(existing: ExistingIndex, wanted: IndexSpec): boolean {
  return sameKeys(existing.keys, wanted.keys) && existing.unique === (wanted.unique ?? false)
}

/** Every step still needed, in order: collections, then their indexes and rules, then storage. */
export function planSetup(manifest: readonly CollectionSpec[], storageRule: SecurityRule, state: CloudState): SetupStep[] {
  const steps: SetupStep[] = []
  const have = new Map(state.collections.map((c) => [c.name, c]))
  for (const spec of manifest) {
    const existing = have.get(spec.name)
    if (!existing) steps.push({ kind: 'create-collection', collection: spec.name })
    const indexes = existing?.indexes ?? []
    for (const index of spec.indexes) {
      // Served already when an index with the same keys and uniqueness exists, whatever its name.
      if (indexes.some((i) => indexMatches(i, index))) continue
      const clash = indexes.find((i) => i.name === index.name)
      if (clash) steps.push({ kind: 'index-conflict', collection: spec.name, index, existing: clash })
      else steps.push({ kind: 'create-index', collection: spec.name, index })
    }
    if (!existing || !ruleMatches(existing.rule, spec.rule, 'doc._openid')) {
      steps.push({ kind: 'set-rule', collection: spec.name, rule: spec.rule })
    }
  }
  if (!ruleMatches(state.storage, storageRule, 'resource.openid')) steps.push({ kind: 'set-storage-rule', rule: storageRule })
  return steps
}

export const describeIndex = (index: { keys: IndexKey[]; unique?: boolean }) =>
  `{ ${index.keys.map((k) => `${k.field}: ${k.direction}`).join(', ')} }${index.unique ? ' unique' : ''}`

export function describeStep(step: SetupStep): string {
  switch (step.kind) {
    case 'create-collection':
      return `create collection ${step.collection}`
    case 'create-index':
      return `create index ${step.index.name} ${describeIndex(step.index)} on ${step.collection}`
    case 'set-rule':
      return `apply the security rule of ${step.collection}`
    case 'set-storage-rule':
      return 'apply the storage rule'
    case 'index-conflict':
      return `index ${step.index.name} on ${step.collection} exists as ${describeIndex(step.existing)}, manifest wants ${describeIndex(step.index)}`
  }
}
