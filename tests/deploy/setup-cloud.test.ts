/**
 * setup:cloud: the planner (what is missing, given what exists) and the executor against an
 * in-memory CloudBase that keeps state, run twice to prove the second run changes nothing.
 */
import { describe, expect, it } from 'vitest'
import { CLOSED, DATABASE_MANIFEST, ORDER_SIGNALS_RULE, STORAGE_RULE, type CollectionSpec } from '../../src/server/cloud/manifest'
import { planSetup, ruleMatches, type CloudState } from '../../scripts/deploy/setup-plan'
import { runSetup } from '../../scripts/deploy/setup-exec'
import { FakeCloud } from './fake-cloud'

const TARGET = { envId: 'prod-4gabc123', appId: 'wx0123456789abcdef' }

/** A manifest with indexes of every shape: compound, descending, unique. */
const MANIFEST: CollectionSpec[] = [
  {
    name: 'orders',
    holds: 'orders',
    rule: CLOSED,
    indexes: [
      { name: 'community_status_due', keys: [{ field: 'communityId', direction: 1 }, { field: 'status', direction: 1 }, { field: 'dueAt', direction: -1 }], serves: 'board' },
      { name: 'household_created', keys: [{ field: 'householdId', direction: 1 }, { field: 'createdAt', direction: -1 }], serves: 'my orders' },
    ],
  },
  {
    name: 'households',
    holds: 'register',
    rule: CLOSED,
    indexes: [{ name: 'community_code', keys: [{ field: 'communityId', direction: 1 }, { field: 'code', direction: 1 }], unique: true, serves: 'join by code' }],
  },
  { name: 'order_signals', holds: 'signals', rule: ORDER_SIGNALS_RULE, indexes: [] },
]

const EMPTY: CloudState = { collections: [], storage: { acl: 'READONLY' } }

const silent = () => undefined

describe('planSetup', () => {
  it('fresh environment: every collection, every index, every rule and the storage rule', () => {
    const steps = planSetup(MANIFEST, STORAGE_RULE, EMPTY)
    expect(steps).toEqual([
      { kind: 'create-collection', collection: 'orders' },
      { kind: 'create-index', collection: 'orders', index: MANIFEST[0]!.indexes[0] },
      { kind: 'create-index', collection: 'orders', index: MANIFEST[0]!.indexes[1] },
      { kind: 'set-rule', collection: 'orders', rule: CLOSED },
      { kind: 'create-collection', collection: 'households' },
      { kind: 'create-index', collection: 'households', index: MANIFEST[1]!.indexes[0] },
      { kind: 'set-rule', collection: 'households', rule: CLOSED },
      { kind: 'create-collection', collection: 'order_signals' },
      { kind: 'set-rule', collection: 'order_signals', rule: ORDER_SIGNALS_RULE },
      { kind: 'set-storage-rule', rule: STORAGE_RULE },
    ])
  })

  it('the checked-in manifest on a fresh environment: each of its collections, indexes and rules', () => {
    const steps = planSetup(DATABASE_MANIFEST, STORAGE_RULE, EMPTY)
    const indexes = DATABASE_MANIFEST.reduce((n, c) => n + c.indexes.length, 0)
    expect(steps.filter((s) => s.kind === 'create-collection').map((s) => s.kind === 'create-collection' && s.collection)).toEqual(
      DATABASE_MANIFEST.map((c) => c.name),
    )
    expect(steps.filter((s) => s.kind === 'create-index')).toHaveLength(indexes)
    expect(steps.filter((s) => s.kind === 'set-rule')).toHaveLength(DATABASE_MANIFEST.length)
    expect(steps.at(-1)).toEqual({ kind: 'set-storage-rule', rule: STORAGE_RULE })
  })

  it('partly set up: only what is missing', () => {
    const state: CloudState = {
      collections: [
        {
          name: 'orders',
          // the first index exists under another name: same keys, so it is served
          indexes: [{ name: 'legacy', keys: MANIFEST[0]!.indexes[0]!.keys, unique: false }],
          rule: { acl: 'ADMINONLY' },
        },
        { name: 'households', indexes: [], rule: { acl: 'CUSTOM', rule: { write: false, read: false } } },
      ],
      storage: { acl: 'PRIVATE' },
    }
    expect(planSetup(MANIFEST, STORAGE_RULE, state)).toEqual([
      { kind: 'create-index', collection: 'orders', index: MANIFEST[0]!.indexes[1] },
      { kind: 'create-index', collection: 'households', index: MANIFEST[1]!.indexes[0] },
      { kind: 'create-collection', collection: 'order_signals' },
      { kind: 'set-rule', collection: 'order_signals', rule: ORDER_SIGNALS_RULE },
    ])
  })

  it('fully set up: nothing', () => {
    const state: CloudState = {
      collections: MANIFEST.map((c) => ({
        name: c.name,
        indexes: c.indexes.map((i) => ({ name: i.name, keys: i.keys, unique: i.unique ?? false })),
        rule: { acl: 'CUSTOM' as const, rule: c.rule },
      })),
      storage: { acl: 'CUSTOM', rule: STORAGE_RULE },
    }
    expect(planSetup(MANIFEST, STORAGE_RULE, state)).toEqual([])
  })

  it('an index of the same name but other keys or uniqueness is a conflict, never dropped', () => {
    const wanted = MANIFEST[1]!.indexes[0]!
    const state: CloudState = {
      collections: [{ name: 'households', indexes: [{ name: wanted.name, keys: wanted.keys, unique: false }], rule: { acl: 'ADMINONLY' } }],
      storage: { acl: 'PRIVATE' },
    }
    expect(planSetup([MANIFEST[1]!], STORAGE_RULE, state)).toEqual([
      { kind: 'index-conflict', collection: 'households', index: wanted, existing: { name: wanted.name, keys: wanted.keys, unique: false } },
    ])
  })

  it('rules: a rule that could not be read, or differs, is applied; tags mean their rule', () => {
    expect(ruleMatches(null, CLOSED, 'doc._openid')).toBe(false)
    expect(ruleMatches({ acl: 'PRIVATE' }, CLOSED, 'doc._openid')).toBe(false)
    expect(ruleMatches({ acl: 'ADMINONLY' }, CLOSED, 'doc._openid')).toBe(true)
    expect(ruleMatches({ acl: 'PRIVATE' }, STORAGE_RULE, 'resource.openid')).toBe(true)
    expect(ruleMatches({ acl: 'CUSTOM', rule: { read: true, write: false } }, CLOSED, 'doc._openid')).toBe(false)
    const spaced = { read: ORDER_SIGNALS_RULE.read.toString().replace(/ /g, '  '), write: false }
    expect(ruleMatches({ acl: 'CUSTOM', rule: spaced }, ORDER_SIGNALS_RULE, 'doc._openid')).toBe(true)
    expect(ruleMatches({ acl: 'CUSTOM', rule: { ...ORDER_SIGNALS_RULE, read: 'auth.openid != null' } }, ORDER_SIGNALS_RULE, 'doc._openid')).toBe(false)
  })
})

describe('runSetup against an in-memory environment', () => {
  it('first run creates everything; the second changes nothing and says so', async () => {
    const cloud = new FakeCloud()
    const first: string[] = []
    const r1 = await runSetup(cloud, TARGET, MANIFEST, STORAGE_RULE, (s) => first.push(s))
    expect(r1.console).toEqual([])
    expect(cloud.writes).toEqual([
      'createCollection orders',
      'createIndex orders.community_status_due',
      'createIndex orders.household_created',
      'setRule orders CUSTOM',
      'createCollection households',
      'createIndex households.community_code',
      'setRule households CUSTOM',
      'createCollection order_signals',
      'setRule order_signals CUSTOM',
      'setStorageAcl CUSTOM',
    ])
    // what the environment now holds is the manifest, read back through the service's own shapes
    expect(cloud.collections.get('households')!.indexes.at(-1)).toEqual({
      Name: 'community_code',
      Keys: [
        { Name: 'communityId', Direction: '1' },
        { Name: 'code', Direction: '1' },
      ],
      Unique: true,
    })
    expect(cloud.collections.get('orders')!.indexes.find((i) => i.Name === 'community_status_due')!.Keys[2]).toEqual({ Name: 'dueAt', Direction: '-1' })
    expect(JSON.parse(cloud.collections.get('order_signals')!.rule!)).toEqual(ORDER_SIGNALS_RULE)
    expect(cloud.storageAcl).toEqual({ acl: 'CUSTOM', rule: STORAGE_RULE })
    expect(first).toContain('done: create index community_code { communityId: 1, code: 1 } unique on households')

    cloud.writes = []
    const second: string[] = []
    const r2 = await runSetup(cloud, TARGET, MANIFEST, STORAGE_RULE, (s) => second.push(s))
    expect(cloud.writes).toEqual([])
    expect(r2.done).toEqual([])
    expect(second).toEqual(['nothing to do: 3 collections, 3 indexes, their rules and the storage rule already match the manifest'])
  })

  it('partly set up by hand: only the missing parts are created', async () => {
    const cloud = new FakeCloud()
    cloud.addCollection('orders', {
      acl: 'ADMINONLY',
      indexes: [{ Name: 'community_status_due', Keys: [{ Name: 'communityId', Direction: '1' }, { Name: 'status', Direction: '1' }, { Name: 'dueAt', Direction: '-1' }], Unique: false }],
    })
    cloud.storageAcl = { acl: 'PRIVATE' }
    await runSetup(cloud, TARGET, MANIFEST, STORAGE_RULE, silent)
    expect(cloud.writes).toEqual([
      'createIndex orders.household_created',
      'createCollection households',
      'createIndex households.community_code',
      'setRule households CUSTOM',
      'createCollection order_signals',
      'setRule order_signals CUSTOM',
    ])
  })

  it('reads collections past the first page', async () => {
    const cloud = new FakeCloud()
    for (let i = 0; i < 130; i++) cloud.addCollection(`aaa_other_${String(i).padStart(3, '0')}`)
    for (const c of MANIFEST) cloud.addCollection(c.name, { acl: 'ADMINONLY' })
    await runSetup(cloud, TARGET, MANIFEST, STORAGE_RULE, silent)
    expect(cloud.writes.filter((w) => w.startsWith('createCollection'))).toEqual([])
  })

  it('works with the checked-in manifest, whatever indexes it lists: second run has nothing to do', async () => {
    const cloud = new FakeCloud()
    await runSetup(cloud, TARGET, DATABASE_MANIFEST, STORAGE_RULE, silent)
    expect([...cloud.collections.keys()].sort()).toEqual(DATABASE_MANIFEST.map((c) => c.name).sort())
    for (const spec of DATABASE_MANIFEST) {
      const names = cloud.collections.get(spec.name)!.indexes.map((i) => i.Name)
      for (const index of spec.indexes) expect(names).toContain(index.name)
    }
    cloud.writes = []
    const log: string[] = []
    await runSetup(cloud, TARGET, DATABASE_MANIFEST, STORAGE_RULE, (s) => log.push(s))
    expect(cloud.writes).toEqual([])
    expect(log[0]).toMatch(new RegExp(`^nothing to do: ${DATABASE_MANIFEST.length} collections`))
  })

  it('rules the account may not set become console steps with the menu path and the JSON to paste', async () => {
    const cloud = new FakeCloud()
    cloud.rulesRefused = true
    const log: string[] = []
    const result = await runSetup(cloud, TARGET, MANIFEST, STORAGE_RULE, (s) => log.push(s))
    expect(result.console.map((c) => c.title)).toEqual([
      'security rule of orders (ModifySafeRule failed: ModifySafeRule is not open to this account)',
      'security rule of households (ModifySafeRule failed: ModifySafeRule is not open to this account)',
      'security rule of order_signals (ModifySafeRule failed: ModifySafeRule is not open to this account)',
      'storage rule (ModifyStorageSafeRule failed: ModifyStorageSafeRule is not open to this account)',
    ])
    const text = log.join('\n')
    expect(text).toContain('4 step(s) to do by hand in the cloud console:')
    expect(text).toContain('数据库 → 集合「order_signals」→ 数据权限 → 自定义安全规则 → 粘贴下面的 JSON → 保存')
    expect(text).toContain('存储 → 权限设置 → 自定义安全规则')
    // the pasted JSON is the manifest's rule, exactly
    expect(result.console[2]!.paste && JSON.parse(result.console[2]!.paste)).toEqual(ORDER_SIGNALS_RULE)
    // collections and indexes were still created
    expect(cloud.writes.filter((w) => w.startsWith('create'))).toHaveLength(6)
  })

  it('an index conflict is printed as a console step and nothing is dropped', async () => {
    const cloud = new FakeCloud()
    cloud.addCollection('households', { acl: 'ADMINONLY', indexes: [{ Name: 'community_code', Keys: [{ Name: 'code', Direction: '1' }], Unique: false }] })
    const result = await runSetup(cloud, TARGET, [MANIFEST[1]!], STORAGE_RULE, silent)
    expect(result.console).toHaveLength(1)
    expect(result.console[0]!.lines.join('\n')).toContain('索引管理 → 删除索引 community_code')
    expect(cloud.collections.get('households')!.indexes.map((i) => i.Name)).toEqual(['_id_', 'community_code'])
  })
})
