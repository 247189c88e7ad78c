/**
 * community.setup from an empty store: the first coordinator creates the community and every
 * household with a one-time code; every refusal changes nothing; the code works once, also under a
 * race; wrong codes lock like household codes; a crashed setup is finished by the same caller's retry.
 * coord.householdCodes: a building's codes, for that community's coordinator only.
 */
import { describe, expect, it } from 'vitest'
import { openSqlite } from '../../src/server/adapters/sqlite'
import type { Person } from '../../src/server/ports'
import { setupCodeHash } from '../../src/server/usecases/community-setup'
import { createCloudMain } from '../../src/server/cloud/main'
import { memoryLogger } from '../../src/server/log'
import { makeApp, T0 } from '../support/app'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'
import type { CloudDb } from '../../src/server/adapters/cloud-db'

const CODE = 'K7M2P9QX'
const PLAN = {
  name: '幸福里社区',
  buildings: [
    { name: '1号楼', units: 2, floors: 6, roomsPerFloor: 2 },
    { name: '2号楼', units: 3, floors: 5, roomsPerFloor: 4 },
  ],
}
const TOTAL = 2 * 6 * 2 + 3 * 5 * 4 // 84

function person(id: string, over: Partial<Person> = {}): Person {
  return { id, name: '安阿姨', phone: '', households: [], squadOf: null, coordinatorOf: null, createdAt: 0, ...over }
}

async function emptyApp(setupCode: string | null = CODE) {
  const store = openSqlite({ file: ':memory:' })
  const app = await makeApp({ store, demo: false, ...(setupCode ? { setupCode } : {}) })
  /** Rows in the tables a setup writes (attempt counters are the limiter's, not the setup's). */
  const counts = () =>
    Object.fromEntries(
      ['communities', 'households', 'people', 'setup_claims'].map((t) => [
        t,
        (store.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n,
      ]),
    )
  return { ...app, store, counts }
}

async function allHouseholds(app: Awaited<ReturnType<typeof emptyApp>>, communityId: string) {
  const out = []
  let cursor: string | null = null
  do {
    const page = await app.store.households.listByCommunity(communityId, { limit: 100, cursor })
    out.push(...page.items)
    cursor = page.next
  } while (cursor)
  return out
}

describe('community.setup', () => {
  it('creates the community, every household with a fresh unique 6-digit code, and makes the caller its coordinator', async () => {
    const app = await emptyApp()
    await app.store.people.put(person('p-ann'))
    const res = await app.as('p-ann').call('community.setup', { code: ' k7m2-p9qx ', ...PLAN })

    expect(res.households).toBe(TOTAL)
    expect(res.communityName).toBe('幸福里社区')
    expect(res.me).toMatchObject({ name: '安阿姨', coordinator: { communityId: res.communityId, communityName: '幸福里社区' } })
    expect(res.me.prefs.view).toBe('coordinator')

    const community = await app.store.communities.get(res.communityId)
    expect(community?.buildings).toEqual([
      { id: 'b1', name: '1号楼', gridId: 'g1' },
      { id: 'b2', name: '2号楼', gridId: 'g2' },
    ])
    const hs = await allHouseholds(app, res.communityId)
    expect(hs).toHaveLength(TOTAL)
    expect(hs.every((h) => /^\d{6}$/.test(h.code))).toBe(true)
    expect(new Set(hs.map((h) => h.code)).size).toBe(TOTAL)
    expect(new Set(hs.map((h) => h.id)).size).toBe(TOTAL)
    expect(hs.every((h) => h.isolation === 'none' && h.specialNeeds.length === 0)).toBe(true)
    const door = hs.find((h) => h.buildingId === 'b2' && h.unit === 3 && h.room === '504')
    expect(door).toMatchObject({ building: '2号楼', floor: 5 })
    expect(hs.filter((h) => h.buildingId === 'b1').map((h) => h.room).sort()).toContain('602')
    expect(hs.some((h) => h.buildingId === 'b1' && h.room === '603')).toBe(false)

    const stored = await app.store.people.get('p-ann')
    expect(stored).toMatchObject({ name: '安阿姨', coordinatorOf: res.communityId })
    // The code itself is never stored: the claim is keyed by its hash.
    expect(JSON.stringify(app.store.db.prepare('SELECT * FROM setup_claims').all())).not.toContain(CODE)
    expect(app.log.lines.some((l) => JSON.stringify(l).includes(CODE))).toBe(false)

    // Now a coordinator: the coordinator's actions answer for the new community.
    const codes = await app.as('p-ann').call('coord.householdCodes', { buildingId: 'b2' })
    expect(codes.rows).toHaveLength(60)
    expect(codes.rows[0]).toMatchObject({ unit: 1, floor: 1, room: '101' })
    expect(codes.rows.at(-1)).toMatchObject({ unit: 3, floor: 5, room: '504' })
    expect(codes.rows.find((r) => r.householdId === door!.id)?.code).toBe(door!.code)
    expect(codes.buildings).toEqual([{ id: 'b1', name: '1号楼' }, { id: 'b2', name: '2号楼' }])
    const first = await app.as('p-ann').call('coord.householdCodes', {})
    expect(first.building).toEqual({ id: 'b1', name: '1号楼' })
    expect(first.rows).toHaveLength(24)
    const stats = await app.as('p-ann').call('coord.stats', {})
    expect(stats.byBuilding.map((b) => b.building)).toEqual(['1号楼', '2号楼'])
  })

  it('gives a caller with no person record one, with the default name', async () => {
    const app = await emptyApp()
    const res = await app.as('o-wechat-1').call('community.setup', { code: CODE, ...PLAN })
    expect(await app.store.people.get('o-wechat-1')).toMatchObject({ name: '居民', coordinatorOf: res.communityId, households: [] })
  })

  it('a household code from the setup binds a resident', async () => {
    const app = await emptyApp()
    const res = await app.as('p-ann').call('community.setup', { code: CODE, ...PLAN })
    const codes = await app.as('p-ann').call('coord.householdCodes', { buildingId: 'b1' })
    const row = codes.rows.find((r) => r.room === '502' && r.unit === 2)!
    const joined = await app.as('p-bo').call('household.join', { code: row.code, phone: '13812345678' })
    expect(joined.household).toMatchObject({ id: row.householdId, communityId: res.communityId, label: '1号楼2单元502' })
  })

  describe('refusals change nothing', () => {
    it('SETUP.DISABLED when no code is configured', async () => {
      const app = await emptyApp(null)
      await app.store.people.put(person('p-ann'))
      const before = app.counts()
      const r = await app.as('p-ann').refused('community.setup', { code: CODE, ...PLAN })
      expect(r).toMatchObject({ code: 'SETUP.DISABLED', message: '现在还不能创建社区：没有设置码，请联系系统管理员' })
      expect(app.counts()).toEqual(before)
    })

    it('invalid input: a Chinese message on the field, nothing written', async () => {
      const app = await emptyApp()
      await app.store.people.put(person('p-ann'))
      const before = app.counts()
      const cases: [Record<string, unknown>, string, string][] = [
        [{ ...PLAN, name: '幸' }, 'name', '社区名称至少2个字'],
        [{ ...PLAN, name: '  ' }, 'name', '请填写社区名称'],
        [{ ...PLAN, name: '很'.repeat(31) }, 'name', '社区名称不能超过30个字'],
        [{ ...PLAN, code: '' }, 'code', '请填写设置码'],
        [{ ...PLAN, buildings: [] }, 'buildings', '请至少添加一栋楼'],
        [{ ...PLAN, buildings: [PLAN.buildings[0], { ...PLAN.buildings[1], name: '1号楼' }] }, 'buildings', '楼栋名称不能重复'],
        [{ ...PLAN, buildings: [{ ...PLAN.buildings[0], name: ' ' }] }, 'buildings.0.name', '请填写楼栋名称'],
        [{ ...PLAN, buildings: [{ ...PLAN.buildings[0], units: 21 }] }, 'buildings.0.units', '单元数最多为20'],
        [{ ...PLAN, buildings: [{ ...PLAN.buildings[0], floors: 0 }] }, 'buildings.0.floors', '层数至少为1'],
        [{ ...PLAN, buildings: [{ ...PLAN.buildings[0], roomsPerFloor: 13 }] }, 'buildings.0.roomsPerFloor', '每层户数最多为12'],
        [{ ...PLAN, buildings: [{ ...PLAN.buildings[0], units: 1.5 }] }, 'buildings.0.units', '单元数必须是整数'],
        [
          { ...PLAN, buildings: Array.from({ length: 11 }, (_, i) => ({ name: `${i + 1}号楼`, units: 20, floors: 2, roomsPerFloor: 12 })) },
          'buildings',
          '全社区最多5000户，请减少楼栋、单元、层数或每层户数',
        ],
        [
          { ...PLAN, buildings: Array.from({ length: 51 }, (_, i) => ({ name: `${i + 1}号楼`, units: 1, floors: 1, roomsPerFloor: 1 })) },
          'buildings',
          '一次最多添加50栋楼',
        ],
      ]
      for (const [input, field, message] of cases) {
        const r = await app.as('p-ann').refused('community.setup', { code: CODE, ...input })
        expect(r.code, JSON.stringify(input).slice(0, 60)).toBe('REQUEST.INVALID_INPUT')
        expect(r.fields?.[field], field).toBe(message)
      }
      expect(app.counts()).toEqual(before)
    })

    it('SETUP.CODE_WRONG for a wrong code, with the attempts left', async () => {
      const app = await emptyApp()
      await app.store.people.put(person('p-ann'))
      const before = app.counts()
      const r = await app.as('p-ann').refused('community.setup', { ...PLAN, code: 'K7M2P9QY' })
      expect(r).toMatchObject({ code: 'SETUP.CODE_WRONG', message: '设置码不对，请核对后再输入', details: { attemptsLeft: 4 } })
      expect(app.counts()).toEqual(before)
    })

    it('SETUP.ALREADY_COORDINATOR for a caller who coordinates a community, before the code is even looked at', async () => {
      const app = await emptyApp()
      await app.store.people.put(person('p-liu', { coordinatorOf: 'elsewhere' }))
      const before = app.counts()
      const r = await app.as('p-liu').refused('community.setup', { code: CODE, ...PLAN })
      expect(r.code).toBe('SETUP.ALREADY_COORDINATOR')
      expect(app.counts()).toEqual(before)
      // Still unused: someone else can take it.
      await app.as('p-ann').call('community.setup', { code: CODE, ...PLAN })
    })
  })

  it('works once: a second person gets SETUP.CODE_USED, the first one again ALREADY_COORDINATOR; one community', async () => {
    const app = await emptyApp()
    await app.as('p-ann').call('community.setup', { code: CODE, ...PLAN })
    const after = app.counts()
    expect(after).toMatchObject({ communities: 1, households: TOTAL, setup_claims: 1 })
    const r = await app.as('p-bo').refused('community.setup', { code: CODE, ...PLAN, name: '第二个社区' })
    expect(r).toMatchObject({ code: 'SETUP.CODE_USED', message: '这个设置码已经用过了，社区已经建好，不能再用' })
    expect((await app.as('p-ann').refused('community.setup', { code: CODE, ...PLAN })).code).toBe('SETUP.ALREADY_COORDINATOR')
    expect(app.counts()).toEqual(after)
    expect(await app.store.people.get('p-bo')).toBeNull()
  })

  it('two people at once with the same code: exactly one community', async () => {
    const app = await emptyApp()
    const results = await Promise.all(
      ['p-ann', 'p-bo', 'p-cai', 'p-du'].map((id) => app.raw(id, 'community.setup', { code: CODE, ...PLAN, name: `${id}的社区` })),
    )
    const won = results.filter((r) => r.ok)
    expect(won).toHaveLength(1)
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.code)).toEqual(['SETUP.CODE_USED', 'SETUP.CODE_USED', 'SETUP.CODE_USED'])
    expect(app.counts()).toMatchObject({ communities: 1, households: TOTAL, setup_claims: 1 })
  })

  it('the same person twice at once (a double tap): one community, one full set of households', async () => {
    const app = await emptyApp()
    const [a, b] = await Promise.all([
      app.raw('p-ann', 'community.setup', { code: CODE, ...PLAN }),
      app.raw('p-ann', 'community.setup', { code: CODE, ...PLAN }),
    ])
    expect(a!.ok || b!.ok).toBe(true)
    expect(app.counts()).toMatchObject({ communities: 1, households: TOTAL, setup_claims: 1 })
    const hs = await allHouseholds(app, (await app.store.people.get('p-ann'))!.coordinatorOf!)
    expect(new Set(hs.map((h) => h.code)).size).toBe(TOTAL)
  })

  it('five wrong codes lock the person out, even with the right code, for ten minutes', async () => {
    const app = await emptyApp()
    const wrong = () => app.as('p-eve').refused('community.setup', { ...PLAN, code: 'AAAA2222' })
    for (let i = 0; i < 4; i++) expect((await wrong()).code).toBe('SETUP.CODE_WRONG')
    const fifth = await wrong()
    expect(fifth).toMatchObject({ code: 'SETUP.CODE_WRONG', details: { attemptsLeft: 0 } })
    const locked = await app.as('p-eve').refused('community.setup', { code: CODE, ...PLAN })
    expect(locked.code).toBe('SETUP.LOCKED')
    expect(locked.message).toBe('输错次数太多，请10分钟后再试')
    expect(app.counts()).toMatchObject({ communities: 0, households: 0, setup_claims: 0 })
    // Another person is not locked; the locked one can try again after ten minutes.
    app.advance(10 * 60_000 + 1)
    await app.as('p-eve').call('community.setup', { code: CODE, ...PLAN })
    expect(app.counts()).toMatchObject({ communities: 1 })
  })

  it('a setup that crashed after the claim is finished by the same caller from the claimed plan; households written before keep their codes', async () => {
    const app = await emptyApp()
    // The state a crash leaves: the claim, and some of the households.
    await app.store.setup.claim({
      codeHash: setupCodeHash(CODE),
      personId: 'p-ann',
      claimedAt: 1,
      communityId: 'c-000000abcdef',
      plan: PLAN,
    })
    await app.store.households.put({
      id: 'h-000000abcdef-1-1-101',
      communityId: 'c-000000abcdef',
      buildingId: 'b1',
      building: '1号楼',
      unit: 1,
      floor: 1,
      room: '101',
      code: '123456',
      isolation: 'none',
      specialNeeds: [],
      residentName: '',
      phone: '',
    })
    // Someone else cannot take over the half-made setup.
    expect((await app.as('p-bo').refused('community.setup', { code: CODE, ...PLAN })).code).toBe('SETUP.CODE_USED')
    // The claimer's retry finishes it (the plan is the claimed one, whatever this retry says).
    const res = await app.as('p-ann').call('community.setup', { code: CODE, ...PLAN, name: '另一个名字' })
    expect(res).toMatchObject({ communityId: 'c-000000abcdef', communityName: '幸福里社区', households: TOTAL })
    const hs = await allHouseholds(app, 'c-000000abcdef')
    expect(hs).toHaveLength(TOTAL)
    expect(hs.find((h) => h.id === 'h-000000abcdef-1-1-101')?.code).toBe('123456')
    expect(app.counts()).toMatchObject({ communities: 1, setup_claims: 1 })
  })
})

describe('coord.householdCodes', () => {
  it('only a coordinator, and only of their own community', async () => {
    const app = await emptyApp()
    const res = await app.as('p-ann').call('community.setup', { code: CODE, ...PLAN })
    expect((await app.as('p-bo').refused('coord.householdCodes', { buildingId: 'b1' })).code).toBe('AUTH.FORBIDDEN')

    // A coordinator of another community asking for "b1" gets their own b1, never this community's codes.
    await app.store.communities.put({ id: 'other', name: '别的社区', buildings: [], parcelHoldMinutes: 120, createdAt: 0 })
    await app.store.people.put(person('p-liu', { coordinatorOf: 'other' }))
    expect((await app.as('p-liu').refused('coord.householdCodes', { buildingId: 'b1' })).code).toBe('BUILDING.NOT_FOUND')
    expect((await app.as('p-liu').refused('coord.householdCodes', {})).code).toBe('BUILDING.NOT_FOUND')

    expect((await app.as('p-ann').refused('coord.householdCodes', { buildingId: 'b9' })).code).toBe('BUILDING.NOT_FOUND')
    const own = await app.as('p-ann').call('coord.householdCodes', { buildingId: 'b1' })
    expect(own.rows.every((r) => r.householdId.startsWith(`h-${res.communityId.slice(2)}-1-`))).toBe(true)
  })
})

describe('community.setup on the cloud function', () => {
  const cloud = (db: CloudDb, openid: string, env: Record<string, string>) =>
    createCloudMain({ getWXContext: () => ({ OPENID: openid }), database: () => db }, { now: () => T0, log: memoryLogger(), env })

  it('takes its code from ZJ_SETUP_CODE; two callers at once make one community; none configured → SETUP.DISABLED', async () => {
    const engine = new SdkDbEngine()
    const db = await openSdkDatabase(engine)
    const env = { ZJ_SETUP_CODE: 'zj-first-2026' }
    const input = { code: 'ZJFIRST2026', ...PLAN }
    const [a, b] = (await Promise.all([
      cloud(db, 'o-ann', env)({ action: 'community.setup', input }),
      cloud(db, 'o-bo', env)({ action: 'community.setup', input }),
    ])) as { ok: boolean; code?: string }[]
    expect([a!.ok, b!.ok].filter(Boolean)).toHaveLength(1)
    expect([a, b].find((r) => !r!.ok)).toMatchObject({ code: 'SETUP.CODE_USED' })
    expect(engine.dump('communities')).toHaveLength(1)
    expect(engine.dump('households')).toHaveLength(TOTAL)
    expect(engine.dump('setup_claims')).toHaveLength(1)
    expect(await cloud(await openSdkDatabase(new SdkDbEngine()), 'o-cai', {})({ action: 'community.setup', input })).toMatchObject({
      ok: false,
      code: 'SETUP.DISABLED',
    })
  })
})
