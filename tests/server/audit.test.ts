/** The audit log (操作记录) through the real dispatcher on SQLite: what is recorded, what is not, who may read it. */
import { describe, expect, it } from 'vitest'
import { AUDITED_ACTIONS, type AuditItemView } from '../../src/core/audit'
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, rid } from '../support/app'

const { zhao, zhang, yuhong, wangnan, coordinator } = DEMO_PEOPLE

async function allEntries(app: Awaited<ReturnType<typeof makeApp>>, kind?: AuditItemView['kind']): Promise<AuditItemView[]> {
  const out: AuditItemView[] = []
  let cursor: string | undefined
  for (;;) {
    const page = await app.as(coordinator).call('coord.audit', { ...(kind ? { kind } : {}), ...(cursor ? { cursor } : {}) })
    out.push(...page.items)
    if (!page.next) return out
    cursor = page.next
  }
}

describe('audit log', () => {
  it('a register edit is recorded with who, when, the door and the status, but no phone or resident name', async () => {
    const app = await makeApp()
    const before = (await app.store.households.get('h1-2-502'))!
    await app.as(coordinator).call('coord.setHousehold', { id: 'h1-2-502', isolation: 'home_isolation', specialNeeds: ['低血糖'] })
    const [e, ...rest] = await allEntries(app)
    expect(rest).toEqual([])
    expect(e).toMatchObject({
      at: app.clock.now,
      actorName: '刘主任',
      system: false,
      kind: 'register',
      kindLabel: '住户登记',
      actionLabel: '修改住户登记',
      target: { kind: 'household', id: 'h1-2-502' },
      summary: '修改了 1号楼2单元502 的登记信息（隔离状态：居家隔离）',
    })
    expect(e!.summary).not.toContain(before.phone)
    expect(e!.summary).not.toContain(before.residentName)
    const stored = (await app.store.audit.list({ communityId: DEMO_COMMUNITY_ID })).items[0]!
    expect(stored).toMatchObject({ actorId: coordinator, action: 'coord.setHousehold', communityId: DEMO_COMMUNITY_ID })
  })

  it('a refused change writes no entry (unknown household, bad input, wrong standing)', async () => {
    const app = await makeApp()
    expect((await app.as(coordinator).refused('coord.setHousehold', { id: 'h-none', isolation: 'none', specialNeeds: [] })).code).toBe('HOUSEHOLD.NOT_FOUND')
    expect((await app.as(coordinator).refused('coord.setParcelHold', { minutes: 7 })).code).toBe('REQUEST.INVALID_INPUT')
    expect((await app.as(yuhong).refused('coord.setParcelHold', { minutes: 30 })).code).toBe('AUTH.FORBIDDEN')
    expect((await app.as(coordinator).refused('robot.set', { scope: 'community', url: 'https://evil.example/x' })).code).toBe('ROBOT.URL_NOT_ALLOWED')
    expect(await allEntries(app)).toEqual([])
  })

  it('records settings, robots, exports, squad and register actions with their labels; a preview is not recorded', async () => {
    const app = await makeApp()
    const liu = app.as(coordinator)
    const step = () => app.advance(1000)
    await liu.call('coord.setParcelHold', { minutes: 30 }); step()
    await liu.call('coord.setSoldOut', { itemId: 'rice', soldOut: true }); step()
    await liu.call('coord.setDeadlines', { urgentClaimMinutes: 30, urgentDeliverMinutes: 120, normalClaimMinutes: 120, normalDeliverMinutes: 1440 }); step()
    const url = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-robot-key-1'
    await liu.call('robot.set', { scope: 'coordinators', url }); step()
    const invite = await liu.call('squad.invite', {}); step()
    await liu.call('squad.deactivate', { personId: wangnan }); step()
    await liu.call('coord.householdCodes', { buildingId: 'b1' }); step()
    const csv = '楼栋,单元,房号,隔离状态,开始日期,结束日期,特殊情况,联系人,电话\n1号楼,1,301,居家隔离,2026-11-20,2026-12-04,,赵先生,13800000301\n'
    await liu.call('coord.importHouseholds', { csv, dryRun: true }); step()
    await liu.call('coord.importHouseholds', { csv }); step()
    const order = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' }); step()
    await liu.call('order.reassign', { id: order.id, toId: yuhong }); step()

    const all = await allEntries(app)
    expect(all.map((e) => e.actionLabel)).toEqual([
      AUDITED_ACTIONS['order.reassign'].label,
      '导入住户',
      '打印住户码',
      '停用队员',
      '小分队邀请码',
      '群机器人',
      '接单送达时限',
      '物资有货/暂缺',
      '静置时间',
    ])
    const summaries = all.map((e) => e.summary)
    expect(summaries).toContain('把家属送物的静置时间设为 30 分钟')
    expect(summaries).toContain('把「大米」设为暂缺')
    expect(summaries).toContain('设置了「工作人员群」的群机器人')
    expect(summaries).toContain('停用了队员 王楠')
    expect(summaries).toContain('导入住户 1 行：新增 0 户，更新 1 户')
    expect(summaries).toContain(`把 1号楼1单元301 的订单交给 于红 负责`)
    // Secrets and personal data stay out of the log.
    const text = JSON.stringify(all)
    for (const secret of ['secret-robot-key-1', invite.code, '13800000301', '赵先生']) expect(text).not.toContain(secret)

    // Newest first, filtered by kind.
    expect((await allEntries(app, 'settings')).map((e) => e.actionLabel)).toEqual(['接单送达时限', '物资有货/暂缺', '静置时间'])
    expect((await allEntries(app, 'squad')).map((e) => e.target.kind)).toEqual(['person', 'invite'])
  })

  it('pages 30 at a time with a cursor, newest first, no repeats', async () => {
    const app = await makeApp()
    for (let i = 0; i < 35; i++) {
      await app.as(coordinator).call('coord.setSoldOut', { itemId: 'rice', soldOut: i % 2 === 0 })
      app.advance(1000)
    }
    const first = await app.as(coordinator).call('coord.audit', {})
    expect(first.items).toHaveLength(30)
    expect(first.next).not.toBeNull()
    const second = await app.as(coordinator).call('coord.audit', { cursor: first.next! })
    expect(second.items).toHaveLength(5)
    expect(second.next).toBeNull()
    const ats = [...first.items, ...second.items].map((e) => e.at)
    expect(ats).toEqual([...ats].sort((a, b) => b - a))
    expect(new Set([...first.items, ...second.items].map((e) => e.id)).size).toBe(35)
  })

  it('only coordinators read it, and only their own community', async () => {
    const app = await makeApp({ setupCode: 'AUDITSETUP' })
    await app.as(coordinator).call('coord.setParcelHold', { minutes: 30 })
    expect((await app.as(yuhong).refused('coord.audit', {})).code).toBe('AUTH.FORBIDDEN')
    expect((await app.as(zhang).refused('coord.audit', {})).code).toBe('AUTH.FORBIDDEN')
    expect((await app.as(coordinator).refused('coord.audit', { kind: 'nope' })).fields).toEqual({ kind: '请选择记录类型' })
    // A second community's first coordinator sees its own setup, not 风水山's settings.
    const founder = 'p-founder'
    await app.store.people.put({ id: founder, name: '新主任', phone: '', households: [], squadOf: null, coordinatorOf: null, createdAt: app.clock.now })
    await app.as(founder).call('community.setup', { code: 'AUDITSETUP', name: '新社区', buildings: [{ name: '1号楼', units: 1, floors: 2, roomsPerFloor: 2 }] })
    const theirs = await app.as(founder).call('coord.audit', {})
    expect(theirs.items.map((e) => [e.actorName, e.summary])).toEqual([['新主任', '创建了社区「新社区」，共 4 户']])
    expect((await app.as(coordinator).call('coord.audit', {})).items.map((e) => e.actionLabel)).toEqual(['静置时间'])
  })
})
