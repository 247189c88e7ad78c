/** The coordinator's figures and 回访 queue, on SQLite through the real dispatcher. */
import { describe, expect, it } from 'vitest'
import { PROTOCOL_STEPS } from '../../src/core/order/protocol'
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE } from '../../src/server/seed/demo'
import { dailyStats } from '../../src/server/notify/jobs'
import { makeApp, rid } from '../support/app'
import { makeOrder } from '../support/fixtures'

type App = Awaited<ReturnType<typeof makeApp>>

async function deliver(app: App, id: string, by: string = DEMO_PEOPLE.yuhong) {
  const squad = app.as(by)
  await squad.call('order.claim', { id })
  await squad.call('order.advance', { id, event: 'depart' })
  for (const step of PROTOCOL_STEPS) await squad.call('order.step', { id, step })
}

describe('coord.stats', () => {
  it('counts waiting, in progress, overdue, today’s orders, deliveries and ratings, per building', async () => {
    const app = await makeApp()
    const zhao = app.as(DEMO_PEOPLE.zhao) // 1号楼
    const zhang = app.as(DEMO_PEOPLE.zhang) // 1号楼
    const a = await zhao.call('order.place', { requestId: rid(), kind: 'garbage' })
    const b = await zhang.call('order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
    const c = await app.as(DEMO_PEOPLE.wangnan).call('order.place', { requestId: rid(), householdId: 'h2-1-201', kind: 'garbage' })
    await app.as(DEMO_PEOPLE.yuhong).call('order.claim', { id: b.id })
    await deliver(app, c.id, DEMO_PEOPLE.wangnan)
    await app.as(DEMO_PEOPLE.coordinator).call('me.get', {})
    let s = await app.as(DEMO_PEOPLE.coordinator).call('coord.stats', {})
    expect(s).toMatchObject({ waiting: 1, inProgress: 1, overdue: 0, placedToday: 3, deliveredToday: 1, ratingAvg: null, ratingCount: 0, followUpsOpen: 0 })
    expect(s.byBuilding).toEqual([
      { buildingId: 'b1', building: '1号楼', waiting: 1, inProgress: 1, overdue: 0 },
      { buildingId: 'b2', building: '2号楼', waiting: 0, inProgress: 0, overdue: 0 },
    ])
    // Five hours later nobody has claimed the garbage pickup (claim deadline 2 h): overdue. The rice
    // was claimed in time and is due within a day; a day later it is overdue too.
    app.advance(5 * 3600_000)
    s = await app.as(DEMO_PEOPLE.coordinator).call('coord.stats', {})
    expect(s.overdue).toBe(1)
    expect(s.byBuilding[0]).toMatchObject({ building: '1号楼', waiting: 1, overdue: 1 })
    app.advance(20 * 3600_000)
    s = await app.as(DEMO_PEOPLE.coordinator).call('coord.stats', {})
    expect(s.overdue).toBe(2)
    expect(a.id).toBeTruthy()
  })

  it('only coordinators', async () => {
    const app = await makeApp()
    for (const who of [DEMO_PEOPLE.yuhong, DEMO_PEOPLE.zhao])
      expect((await app.as(who).refused('coord.stats', {})).message).toBe('只有社区工作人员才能进行这个操作')
  })
})

describe('a long read lets other requests run between its pages', () => {
  it('coord.stats, coord.followups, coord.grids and the daily summary over 350 orders: other work runs while they read, and the figures are whole', async () => {
    const app = await makeApp()
    const now = app.clock.now
    // 350 orders of today straight through the store: 4 pages of the day's read, 4 of the open orders.
    for (let i = 0; i < 350; i++) {
      const at = now - (i + 1) * 1_000
      await app.store.orders.insert(makeOrder({ communityId: DEMO_COMMUNITY_ID, householdId: 'h1-1-301', createdAt: at, updatedAt: at, dueAt: at + 4 * 3600_000, timeline: [{ at, event: 'place', by: { id: DEMO_PEOPLE.zhao, name: '赵先生', role: 'resident' } }] }))
    }
    // Counts the event-loop turns that pass while `work` runs; a read that never yields lets none.
    const turnsDuring = async <T,>(work: () => Promise<T>): Promise<{ turns: number; result: T }> => {
      let turns = 0
      let done = false
      const tick = () => {
        if (done) return
        turns++
        setImmediate(tick)
      }
      setImmediate(tick)
      const result = await work()
      done = true
      return { turns, result }
    }
    const liu = app.as(DEMO_PEOPLE.coordinator)
    for (const action of ['coord.stats', 'coord.followups', 'coord.grids'] as const) {
      const { turns, result } = await turnsDuring(() => liu.call(action, {}))
      expect(turns, action).toBeGreaterThanOrEqual(3)
      if (action === 'coord.stats') expect(result).toMatchObject({ waiting: 350, placedToday: 350, inProgress: 0 })
    }
    // The group's daily summary (the timer job) reads the day's orders the same way.
    const daily = await turnsDuring(() => dailyStats(app.deps, DEMO_COMMUNITY_ID, now))
    expect(daily.turns).toBeGreaterThanOrEqual(3)
    expect(daily.result).toMatchObject({ placed: 350, active: 350 })
  })
})

describe('回访: coord.followups / coord.resolveFollowup', () => {
  it('a 1-star rating joins the queue with its reason; resolving records the note once', async () => {
    const app = await makeApp()
    const zhao = app.as(DEMO_PEOPLE.zhao)
    const o = await zhao.call('order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
    await deliver(app, o.id)
    await zhao.call('order.confirm', { id: o.id })
    await zhao.call('order.rate', { id: o.id, stars: 1, comment: '大米袋子破了' })
    const liu = app.as(DEMO_PEOPLE.coordinator)
    let q = await liu.call('coord.followups', {})
    expect(q.items).toHaveLength(1)
    expect(q.items[0]).toMatchObject({ reason: 'low_rating', order: { id: o.id, rating: { stars: 1, comment: '大米袋子破了' } } })
    // The coordinator may call the resident back: the phone is there for them.
    expect(q.items[0]!.order.residentPhone).toBe('13800000301')
    expect((await liu.call('coord.stats', {})).followUpsOpen).toBe(1)

    const done = await liu.call('coord.resolveFollowup', { id: o.id, note: '已电话致歉，补送一袋' })
    expect(done.followUpDone).toMatchObject({ by: { id: DEMO_PEOPLE.coordinator }, note: '已电话致歉，补送一袋' })
    q = await liu.call('coord.followups', {})
    expect(q.items).toHaveLength(0)
    const again = await liu.refused('coord.resolveFollowup', { id: o.id, note: '再记一次' })
    expect(again).toMatchObject({ code: 'FOLLOWUP.ALREADY_DONE', message: '这个订单已经回访过了' })
    expect((await app.store.orders.get(o.id))?.followUpDone?.note).toBe('已电话致歉，补送一袋')
  })

  it('refusals: no follow-up needed, empty note, unknown order, not a coordinator; nothing written', async () => {
    const app = await makeApp()
    const o = await app.as(DEMO_PEOPLE.zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    const liu = app.as(DEMO_PEOPLE.coordinator)
    expect((await liu.refused('coord.resolveFollowup', { id: o.id, note: '好' })).code).toBe('FOLLOWUP.NOT_NEEDED')
    expect((await liu.refused('coord.resolveFollowup', { id: o.id, note: '  ' })).code).toBe('REQUEST.INVALID_INPUT')
    expect((await liu.refused('coord.resolveFollowup', { id: 'o-missing', note: '好' })).code).toBe('ORDER.NOT_FOUND')
    expect((await app.as(DEMO_PEOPLE.yuhong).refused('coord.resolveFollowup', { id: o.id, note: '好' })).code).toBe('AUTH.FORBIDDEN')
    expect((await app.store.orders.get(o.id))?.version).toBe(o.version)
  })

  it('open orders past due are in the queue too, oldest due first', async () => {
    const app = await makeApp()
    const first = await app.as(DEMO_PEOPLE.zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    app.advance(60_000)
    await app.as(DEMO_PEOPLE.zhang).call('order.place', { requestId: rid(), kind: 'garbage' })
    app.advance(5 * 3600_000)
    const q = await app.as(DEMO_PEOPLE.coordinator).call('coord.followups', {})
    expect(q.items.map((i) => i.reason)).toEqual(['overdue', 'overdue'])
    expect(q.items[0]!.order.id).toBe(first.id)
  })
})

describe('the register: coord.setHousehold', () => {
  it('sets isolation status and special needs by choice; the squad’s register shows them', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    const row = await coord.call('coord.setHousehold', { id: 'h1-2-502', isolation: 'health_monitoring', specialNeeds: ['低血糖', '行动不便', '低血糖'] })
    expect(row).toMatchObject({ id: 'h1-2-502', isolation: 'health_monitoring', isolated: true, specialNeeds: ['低血糖', '行动不便'] })
    expect(await app.store.households.get('h1-2-502')).toMatchObject({ isolation: 'health_monitoring', specialNeeds: ['低血糖', '行动不便'] })
    const seen = (await app.as(DEMO_PEOPLE.yuhong).call('squad.households', {})).households.find((h) => h.id === 'h1-2-502')
    expect(seen).toMatchObject({ isolation: 'health_monitoring', specialNeeds: ['低血糖', '行动不便'] })

    // Released from isolation: no longer among the isolated ones, and the log says nothing of the door or needs.
    await coord.call('coord.setHousehold', { id: 'h1-2-502', isolation: 'none', specialNeeds: [] })
    const after = (await coord.call('squad.households', {})).households
    expect(after.find((h) => h.id === 'h1-2-502')).toMatchObject({ isolated: false, specialNeeds: [] })
    expect(after.filter((h) => h.isolated)).toHaveLength(9)
    expect(app.log.lines.filter((l) => l.includes('household.register')).join('\n')).not.toMatch(/502|低血糖|h1-2/)
  })

  it('refuses free text, unknown households, other communities and other roles; changes nothing', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    const before = await app.store.households.get('h1-2-502')
    const typed = await coord.refused('coord.setHousehold', { id: 'h1-2-502', isolation: 'none', specialNeeds: ['怕狗'] })
    expect(typed).toMatchObject({ code: 'REQUEST.INVALID_INPUT', fields: { 'specialNeeds.0': '特殊情况只能从列表里选' } })
    const status = await coord.refused('coord.setHousehold', { id: 'h1-2-502', isolation: 'quarantine', specialNeeds: [] })
    expect(status).toMatchObject({ code: 'REQUEST.INVALID_INPUT', fields: { isolation: '请选择隔离状态' } })
    expect((await coord.refused('coord.setHousehold', { id: 'h9-9-999', isolation: 'none', specialNeeds: [] })).code).toBe('HOUSEHOLD.NOT_FOUND')
    await app.store.people.put({ id: 'coord-other', name: '外社区主任', phone: '13900000098', households: [], squadOf: null, coordinatorOf: 'elsewhere', createdAt: app.clock.now })
    expect((await app.as('coord-other').refused('coord.setHousehold', { id: 'h1-2-502', isolation: 'none', specialNeeds: [] })).code).toBe('HOUSEHOLD.NOT_FOUND')
    for (const who of [DEMO_PEOPLE.yuhong, DEMO_PEOPLE.zhang]) {
      expect((await app.as(who).refused('coord.setHousehold', { id: 'h1-2-502', isolation: 'none', specialNeeds: [] })).code).toBe('AUTH.FORBIDDEN')
    }
    expect(await app.store.households.get('h1-2-502')).toEqual(before)
  })
})

describe('物资清单: coord.setSoldOut', () => {
  it('an item marked 暂缺 shows so to residents and cannot be ordered; 有货 again, it can', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    const zhao = app.as(DEMO_PEOPLE.zhao)
    const view = await coord.call('coord.setSoldOut', { itemId: 'rice', soldOut: true })
    const rice = (v: typeof view) => v.categories.flatMap((c) => c.items).find((i) => i.id === 'rice')
    expect(rice(view)?.soldOut).toBe(true)
    expect(rice(await zhao.call('catalog.get', {}))?.soldOut).toBe(true)
    expect(rice(await app.as(DEMO_PEOPLE.yuhong).call('catalog.get', {}))?.soldOut).toBe(true)

    const refused = await zhao.refused('order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: 'water20', qty: 1 }, { itemId: 'rice', qty: 2 }] })
    expect(refused).toMatchObject({ code: 'REQUEST.INVALID_INPUT', fields: { 'lines.1.itemId': '大米暂时缺货，请先选别的' } })
    expect((await zhao.call('order.mine', {})).orders).toHaveLength(0)
    // Squad members ordering for a resident (代下单) meet the same rule.
    const proxy = await app.as(DEMO_PEOPLE.yuhong).refused('order.place', { requestId: rid(), kind: 'supplies', householdId: 'h2-1-201', lines: [{ itemId: 'rice', qty: 1 }] })
    expect(proxy.fields?.['lines.0.itemId']).toBe('大米暂时缺货，请先选别的')

    // Marking twice keeps one entry; 有货 again, it can be ordered.
    await coord.call('coord.setSoldOut', { itemId: 'rice', soldOut: true })
    expect((await app.store.communities.get('demo'))?.soldOut).toEqual(['rice'])
    expect(rice(await coord.call('coord.setSoldOut', { itemId: 'rice', soldOut: false }))?.soldOut).toBeUndefined()
    expect((await zhao.call('order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: 'rice', qty: 2 }] })).lines[0]).toMatchObject({ name: '大米', qty: 2 })
  })

  it('medicine, unknown items and other roles are refused; nothing changes', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    expect((await coord.refused('coord.setSoldOut', { itemId: 'medicine', soldOut: true })).fields).toEqual({ itemId: '药品和其他物品按名称下单，不能标暂缺' })
    expect((await coord.refused('coord.setSoldOut', { itemId: 'caviar', soldOut: true })).fields).toEqual({ itemId: '没有这种物品' })
    for (const who of [DEMO_PEOPLE.yuhong, DEMO_PEOPLE.zhao]) {
      expect((await app.as(who).refused('coord.setSoldOut', { itemId: 'rice', soldOut: true })).code).toBe('AUTH.FORBIDDEN')
    }
    expect((await app.store.communities.get('demo'))?.soldOut ?? []).toEqual([])
  })
})

describe('物资清单: coord.addItem / coord.removeItem', () => {
  it('an added item is in everyone’s catalog of that community, orderable, 暂缺-able, repeatable, removable', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    const zhao = app.as(DEMO_PEOPLE.zhao)
    const view = await coord.call('coord.addItem', { categoryId: 'produce', name: ' 胡萝卜 ', unit: '斤' })
    const produce = view.categories.find((c) => c.id === 'produce')!
    const carrot = produce.items.at(-1)!
    expect(carrot).toMatchObject({ name: '胡萝卜', unit: '斤', added: true })
    expect(carrot.id).toMatch(/^x[0-9a-f]{10}$/)
    expect((await zhao.call('catalog.get', {})).categories.find((c) => c.id === 'produce')!.items.map((i) => i.name)).toContain('胡萝卜')

    const placed = await zhao.call('order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: carrot.id, qty: 3 }] })
    expect(placed.lines).toEqual([{ itemId: carrot.id, name: '胡萝卜', unit: '斤', qty: 3 }])
    await coord.call('coord.setSoldOut', { itemId: carrot.id, soldOut: true })
    const out = await zhao.refused('order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: carrot.id, qty: 1 }] })
    expect(out.fields).toEqual({ 'lines.0.itemId': '胡萝卜暂时缺货，请先选别的' })
    await coord.call('coord.setSoldOut', { itemId: carrot.id, soldOut: false })
    await zhao.call('order.cancel', { id: placed.id })
    expect((await zhao.call('order.repeat', { id: placed.id, requestId: rid() })).lines[0]).toMatchObject({ name: '胡萝卜', qty: 3 })

    // Removed: gone from the catalog; the old order keeps its line; 再来一单 says what is gone.
    const after = await coord.call('coord.removeItem', { itemId: carrot.id })
    expect(after.categories.flatMap((c) => c.items).some((i) => i.id === carrot.id)).toBe(false)
    expect((await zhao.call('order.get', { id: placed.id })).lines[0]?.name).toBe('胡萝卜')
    const gone = await zhao.refused('order.repeat', { id: placed.id, requestId: rid() })
    expect(gone).toMatchObject({ code: 'ORDER.NOT_REPEATABLE', message: '「胡萝卜」已不在物品清单里，请重新下单' })
    expect((await app.store.communities.get('demo'))?.extraItems).toEqual([])
  })

  it('refuses duplicates, medicine and 其他 categories, default items, strangers; changes nothing', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    const before = await app.store.communities.get('demo')
    expect((await coord.refused('coord.addItem', { categoryId: 'grain', name: '大米', unit: '袋' })).fields).toEqual({ name: '清单里已经有「大米」了' })
    expect((await coord.refused('coord.addItem', { categoryId: 'medicine', name: '布洛芬', unit: '盒' })).fields).toEqual({ categoryId: '请选择物品分类' })
    expect((await coord.refused('coord.addItem', { categoryId: 'grain', name: '', unit: '袋' })).fields).toEqual({ name: '请填写物品名称' })
    expect((await coord.refused('coord.addItem', { categoryId: 'grain', name: '小米', unit: '吨' })).fields).toEqual({ unit: '请选择单位' })
    expect((await coord.refused('coord.removeItem', { itemId: 'rice' })).fields).toEqual({ itemId: '默认物品不能删除，没货时请标「暂缺」' })
    expect((await coord.refused('coord.removeItem', { itemId: 'xdeadbeef00' })).fields).toEqual({ itemId: '没有这种物品' })
    for (const who of [DEMO_PEOPLE.yuhong, DEMO_PEOPLE.zhao]) {
      expect((await app.as(who).refused('coord.addItem', { categoryId: 'grain', name: '小米', unit: '袋' })).code).toBe('AUTH.FORBIDDEN')
    }
    expect(await app.store.communities.get('demo')).toEqual(before)
  })

  it('keeps a community’s own items to 30', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    for (let i = 0; i < 30; i++) await coord.call('coord.addItem', { categoryId: 'daily', name: `物品${i}`, unit: '份' })
    const r = await coord.refused('coord.addItem', { categoryId: 'daily', name: '物品30', unit: '份' })
    expect(r.fields).toEqual({ name: '自己添加的物品最多30样，请先删掉不用的' })
    expect((await app.store.communities.get('demo'))?.extraItems).toHaveLength(30)
  })
})
