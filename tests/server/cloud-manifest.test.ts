/**
 * The database manifest (src/server/cloud/manifest.ts) against what the adapters really send.
 *
 * This file runs the store contract suite and a walk through the `api` cloud function (every role's
 * reads, an order from placing to rating, the timer) over the real wx-server-sdk, recording every
 * request (tests/support/wx-sdk-db.ts `allRequests`), and then proves:
 * (a) every collection touched is in the manifest; (b) the rules: all closed but order_signals,
 * whose read rule scopes by the record's fields; (c) every query is served by a listed index
 * (tests/support/index-match.ts), and every listed index serves some query.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Result } from '../../src/core/contract'
import type { OrderView } from '../../src/core/views'
import type { AuditPage } from '../../src/core/audit'
import { beijing } from '../../src/core/time'
import { RETENTION_MINUTE } from '../../src/server/notify/jobs'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import { createCloudMain } from '../../src/server/cloud/main'
import { CLOSED, COLLECTIONS, DATABASE_MANIFEST, type IndexKey } from '../../src/server/cloud/manifest'
import { memoryLogger } from '../../src/server/log'
import { DEMO_PEOPLE, DEMO_SQUAD_INVITE, seedDemo } from '../../src/server/seed/demo'
import { storeContract } from '../store.contract'
import { campaignStoreContract } from '../store.campaign-contract'
import { T0 } from '../support/app'
import { branches, branchServedBy, unserved, type QueryShape } from '../support/index-match'
import { TEMPLATES } from '../support/notify'
import { allRequests, openSdkDatabase, SdkDbEngine, type RecordedRequest } from '../support/wx-sdk-db'

const k = (spec: string): IndexKey[] =>
  spec.split(',').map((s) => {
    const [field, dir] = s.trim().split(' ')
    return { field: field!, direction: dir === '-1' ? -1 : 1 }
  })

describe('index matcher (hand-made queries)', () => {
  const byTime = k('communityId 1, createdAt -1, _id -1')
  const newestFirst: QueryShape['order'] = [['createdAt', -1], ['_id', -1]]

  it('splits $and / $or into branches of equality and range fields', () => {
    const b = branches({ $and: [{ communityId: 'c', status: { $in: ['a'] } }, { $or: [{ createdAt: { $lt: 5 } }, { createdAt: 5, _id: { $lt: 'x' } }] }] })
    expect(b.map((x) => [[...x.eq].sort(), [...x.range].sort()])).toEqual([
      [['communityId', 'status'], ['createdAt']],
      [['communityId', 'createdAt', 'status'], ['_id']],
    ])
    // An operator no index serves is a residual: fine behind an _id equality (a compare-and-set's
    // guard), never on its own, even with an index on the field.
    expect([...branches({ status: { $ne: 'x' } })[0]!.residual!]).toEqual(['status'])
    expect(unserved({ filter: { status: { $ne: 'x' } }, order: [] }, [[{ field: 'status', direction: 1 }]])).toHaveLength(1)
    expect(unserved({ filter: { _id: 'a', 'applied.t': { $ne: true } }, order: [] }, [])).toEqual([])
  })

  it('serves equality prefix (any order) + sort, in either direction; ranges on keys after the prefix', () => {
    expect(unserved({ filter: { communityId: 'c' }, order: newestFirst }, [byTime])).toEqual([])
    // The cursor's second branch pins createdAt by equality: the sort continues with _id.
    const paged = { communityId: 'c', $or: [{ createdAt: { $lt: 5 } }, { createdAt: 5, _id: { $lt: 'x' } }] }
    expect(unserved({ filter: paged, order: newestFirst }, [byTime])).toEqual([])
    expect(unserved({ filter: { communityId: 'c' }, order: [['createdAt', 1], ['_id', 1]] }, [byTime])).toEqual([])
    const two = k('status 1, communityId 1, createdAt -1, _id -1')
    expect(unserved({ filter: { communityId: 'c', status: { $in: ['a', 'b'] } }, order: newestFirst }, [two])).toEqual([])
    // By _id: the built-in index, whatever else the condition says.
    expect(unserved({ filter: { _id: 'o1', status: 'pending', version: 3 }, order: [] }, [])).toEqual([])
    expect(unserved({ filter: { _id: { $gt: 'a' } }, order: [['_id', 1]] }, [])).toEqual([])
  })

  it('refuses a missing equality, a mixed direction, a sort out of order and a range off the index', () => {
    // status is not in the index's prefix: every status would be scanned.
    expect(unserved({ filter: { communityId: 'c', status: 'pending' }, order: newestFirst }, [byTime])).toHaveLength(1)
    expect(unserved({ filter: { communityId: 'c' }, order: [['createdAt', -1], ['_id', 1]] }, [byTime])).toHaveLength(1)
    expect(unserved({ filter: { communityId: 'c' }, order: [['_id', -1], ['createdAt', -1]] }, [byTime])).toHaveLength(1)
    expect(unserved({ filter: { communityId: 'c', dueAt: { $lt: 9 } }, order: newestFirst }, [byTime])).toHaveLength(1)
    // An $or is served only when each branch is.
    const holder = { $or: [{ 'holder.id': 'p' }, { 'partner.id': 'p' }] }
    expect(unserved({ filter: holder, order: newestFirst }, [k('holder.id 1, createdAt -1, _id -1')])).toHaveLength(1)
    expect(unserved({ filter: holder, order: newestFirst }, [k('holder.id 1, createdAt -1, _id -1'), k('partner.id 1, createdAt -1, _id -1')])).toEqual([])
  })
})

describe('manifest rules', () => {
  it('lists each collection once and names match COLLECTIONS', () => {
    const names = DATABASE_MANIFEST.map((c) => c.name)
    expect(new Set(names).size).toBe(names.length)
    expect([...names].sort()).toEqual(Object.values(COLLECTIONS).sort())
    // The mini program watches order_signals by name (client/live.ts imports Taro, so read its text).
    const live = readFileSync(join(__dirname, '..', '..', 'src', 'client', 'live.ts'), 'utf8')
    expect(/ORDER_SIGNALS = '([a-z_]+)'/.exec(live)?.[1]).toBe(COLLECTIONS.orderSignals)
  })

  it('closes every collection but order_signals, whose read rule scopes by the record', () => {
    for (const c of DATABASE_MANIFEST) {
      if (c.name === COLLECTIONS.orderSignals) continue
      expect({ name: c.name, rule: c.rule }).toEqual({ name: c.name, rule: CLOSED })
    }
    const signals = DATABASE_MANIFEST.find((c) => c.name === COLLECTIONS.orderSignals)!
    expect(signals.rule.write).toBe(false)
    expect(typeof signals.rule.read).toBe('string')
    const read = String(signals.rule.read)
    expect(read.replace(/\s/g, '')).not.toBe('auth.openid!=null')
    expect(read).toContain('doc.communityId')
    expect(read).toContain('doc.householdId')
  })

  it('gives each index a name, keys and what it serves', () => {
    for (const c of DATABASE_MANIFEST) {
      for (const i of c.indexes) {
        expect(i.name).toMatch(/^[A-Za-z0-9_]+$/)
        expect(i.keys.length).toBeGreaterThan(0)
        expect(i.serves.length).toBeGreaterThan(10)
      }
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Recording: the contract suite and a cloud-function walk, over the real SDK.

storeContract('cloudbase (recorded for the manifest)', async () => openCloudbase(await openSdkDatabase(new SdkDbEngine())), { inboxWithOrder: false })
campaignStoreContract('cloudbase campaigns (recorded for the manifest)', async () => openCloudbase(await openSdkDatabase(new SdkDbEngine())))

describe('api cloud function walk (recorded for the manifest)', () => {
  it('every role reads and an order goes from placing to rating; the timer runs the jobs', async () => {
    const walkEngine = new SdkDbEngine()
    const db = await openSdkDatabase(walkEngine)
    const clock = { now: T0 }
    let openid: string | undefined
    const posted: string[] = []
    const main = createCloudMain(
      { getWXContext: () => ({ OPENID: openid }), database: () => db },
      {
        now: () => clock.now,
        log: memoryLogger(),
        env: { ZJ_SUBSCRIBE_TEMPLATES: JSON.stringify(TEMPLATES), ZJ_SETUP_CODE: 'WALKCODE' },
        postRobot: async (url) => (posted.push(url), { ok: true, errcode: 0 }),
      },
    )
    await seedDemo(openCloudbase(db), T0)
    const codes: string[] = []
    const call = async <T,>(who: string | undefined, action: string, input: unknown = {}): Promise<Result<T>> => {
      openid = who
      clock.now += 1_000
      const res = (await main({ action, input })) as Result<T>
      codes.push(`${action}:${res.ok ? 'ok' : res.code}`)
      return res
    }
    const { zhao, yuhong, wangnan, coordinator, newcomer, newWorker } = DEMO_PEOPLE
    await call(coordinator, 'robot.set', { scope: 'coordinators', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=staff-0001' })
    await call(zhao, 'notify.consent', { results: { [TEMPLATES.claimed.id]: 'accept' } })
    const placed = await call<OrderView>(zhao, 'order.place', {
      requestId: 'manifest-walk-1',
      kind: 'supplies',
      urgency: 'urgent',
      urgentReason: '药快没了',
      lines: [{ itemId: 'rice', qty: 1 }],
    })
    if (!placed.ok) throw new Error(placed.code)
    const id = placed.data.id
    for (const [who, action, input] of [
      [zhao, 'me.get', {}],
      [zhao, 'catalog.get', {}],
      [zhao, 'order.mine', {}],
      [zhao, 'order.get', { id }],
      [yuhong, 'squad.board', {}],
      [yuhong, 'order.claim', { id }],
      [wangnan, 'order.claim', { id }],
      [yuhong, 'squad.tasks', {}],
      [yuhong, 'order.addPartner', { id, partnerId: wangnan }],
      [wangnan, 'squad.tasks', {}],
      [yuhong, 'order.advance', { id, event: 'depart' }],
      ...(['disinfect_corridor', 'remove_seal', 'call_resident', 'picked_up', 'restore_seal'] as const).map((step) => [yuhong, 'order.step', { id, step }] as const),
      [yuhong, 'order.deliver', { id, outcome: 'partial', missing: ['大米'] }],
      [zhao, 'order.confirm', { id }],
      [zhao, 'order.rate', { id, stars: 2, comment: '少了米' }],
      [zhao, 'inbox.list', {}],
      [zhao, 'inbox.markRead', { all: true }],
      [yuhong, 'squad.members', {}],
      [yuhong, 'squad.households', {}],
      [coordinator, 'coord.stats', {}],
      [coordinator, 'coord.followups', {}],
      [coordinator, 'squad.invite', {}],
      [coordinator, 'squad.invites', {}],
      [coordinator, 'robot.list', {}],
      [coordinator, 'robot.log', {}],
      [coordinator, 'robot.log', { scope: 'coordinators' }],
      [coordinator, 'coord.ledger', {}],
      [coordinator, 'coord.ledger', { status: 'confirmed' }],
      [coordinator, 'coord.ledger', { workerId: yuhong }],
      [coordinator, 'coord.ledger', { buildingId: 'b1', kind: 'supplies' }],
      [coordinator, 'coord.householdCodes', { buildingId: 'b1' }],
      [coordinator, 'coord.setServicePhone', { phone: '0471 6281234' }],
      [coordinator, 'coord.buildingMap', { buildingId: 'b1' }],
      [coordinator, 'coord.grids', {}],
      [coordinator, 'coord.setDeadlines', { urgentClaimMinutes: 30, urgentDeliverMinutes: 120, normalClaimMinutes: 120, normalDeliverMinutes: 1440 }],
      [coordinator, 'squad.deactivate', { personId: wangnan }],
      [coordinator, 'squad.members', {}],
      // Left waiting: past its deadlines when the timer runs (the overdue job tells the coordinators).
      [zhao, 'order.place', { requestId: 'manifest-walk-2', kind: 'garbage' }],
      [coordinator, 'coord.importHouseholds', { csv: '楼栋,单元,房号,隔离状态,开始日期,结束日期,特殊情况,联系人,电话\n1号楼,1,301,居家隔离,2026-11-20,2026-12-04,,赵先生,13800000301\n3号楼,1,101,居家隔离,2026-11-20,2026-12-04,独居老人,钱阿姨,13800003101\n' }],
      ['o-walk-founder', 'community.setup', { code: 'WALKCODE', name: '新建社区', buildings: [{ name: '1号楼', units: 1, floors: 2, roomsPerFloor: 2 }] }],
      [newcomer, 'household.join', { code: '000000', phone: '13800009999' }],
      [newWorker, 'squad.join', { code: DEMO_SQUAD_INVITE }],
      // Retention: 7 days; 赵先生's household released long ago (the timer below anonymises it).
      [coordinator, 'coord.setRetention', { days: 7 }],
      [coordinator, 'coord.setHousehold', { id: 'h1-1-301', isolation: 'none', specialNeeds: [], startDate: '2026-10-01', endDate: '2026-10-10' }],
      // The audit log the calls above wrote: all of it, and one kind.
      [coordinator, 'coord.audit', {}],
      [coordinator, 'coord.audit', { kind: 'register' }],
    ] as const) {
      await call(who, action, input)
    }
    // 代下单 twice for 赵's household (his garbage order is still open): cancelled as 重复下单, the
    // kept order found among the household's orders. A family parcel: 已到门岗, then 已消杀.
    const twin = await call<OrderView>(yuhong, 'order.place', { requestId: 'manifest-walk-3', householdId: 'h1-1-301', kind: 'garbage' })
    if (!twin.ok) throw new Error(twin.code)
    await call(yuhong, 'order.cancelProxy', { id: twin.data.id, reason: 'duplicate' })
    const parcel = await call<OrderView>(zhao, 'order.place', {
      requestId: 'manifest-walk-4',
      kind: 'handover',
      handover: { bringer: '父母', items: '水果', expectedAt: clock.now + 3_600_000 },
    })
    if (!parcel.ok) throw new Error(parcel.code)
    await call(yuhong, 'order.claim', { id: parcel.data.id })
    await call(yuhong, 'order.parcelArrived', { id: parcel.data.id })
    await call(yuhong, 'order.disinfectParcel', { id: parcel.data.id })
    // QR door badges: printed (issued), one reissued, scanned by the squad, a wrong one typed.
    const badges = await call<{ badges: { householdId: string; code: string }[] }>(coordinator, 'coord.householdBadges', { buildingId: 'b1' })
    if (!badges.ok) throw new Error(badges.code)
    const reissued = await call<{ code: string }>(coordinator, 'coord.reissueBadge', { householdId: badges.data.badges[0]!.householdId })
    if (!reissued.ok) throw new Error(reissued.code)
    await call(yuhong, 'squad.badgeLookup', { code: reissued.data.code })
    await call(yuhong, 'squad.badgeLookup', { code: 'ZZZZ-ZZZZ' })
    clock.now += 3 * 3_600_000
    // Land the timer on a retention minute (notify/jobs.ts), so retention's queries are walked too.
    while (beijing(clock.now).minute() % 10 !== RETENTION_MINUTE) clock.now += 60_000
    openid = undefined
    expect(await main({ Type: 'Timer', TriggerName: 'dispatch' })).toMatchObject({ ok: true })

    // The walk must really have happened: the order's path succeeded, the losing claim lost.
    expect(codes).toContain('order.claim:ok')
    expect(codes).toContain('order.claim:ORDER.ALREADY_CLAIMED')
    expect(codes).toContain('order.rate:ok')
    expect(codes).toContain('order.cancelProxy:ok')
    expect(codes).toContain('order.parcelArrived:ok')
    expect(codes).toContain('order.disinfectParcel:ok')
    expect(codes).toContain('coord.followups:ok')
    expect(codes).toContain('squad.join:ok')
    expect(codes).toContain('household.join:HOUSEHOLD.CODE_WRONG')
    expect(codes).toContain('coord.ledger:ok')
    expect(codes).toContain('coord.householdCodes:ok')
    expect(codes).toContain('coord.buildingMap:ok')
    expect(codes).toContain('coord.grids:ok')
    expect(codes).toContain('squad.deactivate:ok')
    expect(codes).toContain('coord.importHouseholds:ok')
    expect(codes).toContain('community.setup:ok')
    expect(codes).toContain('coord.audit:ok')
    expect(codes).toContain('coord.setRetention:ok')
    // The timer's retention ran on the cloud path: the household is anonymised.
    expect((await openCloudbase(db).households.get('h1-1-301'))!).toMatchObject({ residentName: '', phone: '' })
    const audit = await call<AuditPage>(coordinator, 'coord.audit', { kind: 'settings' })
    if (!audit.ok) throw new Error(audit.code)
    expect(audit.data.items.map((e) => e.actionLabel)).toEqual(['信息保留天数', '接单送达时限', '服务中心电话'])
    expect(codes).toContain('squad.badgeLookup:ok')
    expect(codes).toContain('coord.setServicePhone:ok')
    expect(codes).toContain('squad.badgeLookup:BADGE.WRONG')
  })
})

// ---------------------------------------------------------------------------------------------
// The checks, over everything recorded above (vitest runs this file's tests in order).

const shape = (r: RecordedRequest): QueryShape => ({ filter: r.query ?? {}, order: r.order ?? [] })
/** The query with its values blanked, so one line stands for all requests of that shape. */
const blank = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(blank) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([key, x]) => [key, key === '$in' ? '?' : blank(x)])) : '?'
const describeReq = (r: RecordedRequest) => `${r.collection}.${r.op} ${JSON.stringify(blank(r.query ?? {}))} order ${JSON.stringify(r.order ?? [])}`

describe('the manifest covers what the adapters sent', () => {
  const indexesOf = (name: string) => DATABASE_MANIFEST.find((c) => c.name === name)?.indexes.map((i) => i.keys) ?? []

  it('recorded a real workload', () => {
    expect(allRequests.length).toBeGreaterThan(1_000)
    const ops = new Set(allRequests.map((r) => r.op))
    for (const op of ['get', 'count', 'add', 'update', 'set', 'createCollection'] as const) expect(ops).toContain(op)
  })

  it('(a) every collection touched is in the manifest', () => {
    const listed = new Set(DATABASE_MANIFEST.map((c) => c.name as string))
    const touched = new Set(allRequests.map((r) => r.collection))
    expect([...touched].filter((c) => !listed.has(c))).toEqual([])
    // The walk and the suite touch every listed collection (nothing listed is dead).
    expect([...listed].filter((c) => !touched.has(c))).toEqual([])
  })

  it('(c) every query is served by a listed index (or by _id)', () => {
    const queries = allRequests.filter((r) => r.query !== undefined)
    expect(queries.length).toBeGreaterThan(500)
    const bad = new Set<string>()
    for (const r of queries) if (unserved(shape(r), indexesOf(r.collection)).length) bad.add(describeReq(r))
    expect([...bad]).toEqual([])
  })

  it('every listed index serves some query the adapters sent (order_signals: the mini program’s watch)', () => {
    const unused: string[] = []
    for (const c of DATABASE_MANIFEST) {
      const queries: QueryShape[] =
        c.name === COLLECTIONS.orderSignals
          ? // client/live.ts watches these (see cloud-signals.ts); the function only writes by _id.
            [{ filter: { communityId: 'c', status: { $in: ['pending'] } }, order: [] }, { filter: { householdId: 'h' }, order: [] }]
          : allRequests.filter((r) => r.collection === c.name && r.query !== undefined).map(shape)
      for (const index of c.indexes) {
        const used = queries.some((q) => branches(q.filter).some((b) => !b.eq.has('_id') && branchServedBy(b, q.order, index.keys)))
        if (!used) unused.push(`${c.name}.${index.name}`)
      }
    }
    expect(unused).toEqual([])
  })
})
