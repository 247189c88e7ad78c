/** coord.grids / coord.setGrid on SQLite through the real dispatcher. */
import { describe, expect, it } from 'vitest'
import { communityGrids } from '../../src/core/grids'
import { PROTOCOL_STEPS } from '../../src/core/order/protocol'
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, rid } from '../support/app'

const { zhao, yuhong, wangnan, chaolu, coordinator } = DEMO_PEOPLE
const names = (xs: { name: string }[]) => xs.map((x) => x.name)

describe('grids', () => {
  it('lists each grid with buildings, workers and workload (open, delivered today); unassigned too', async () => {
    const app = await makeApp()
    const o1 = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' }) // 1号楼
    const o2 = await app.as(wangnan).call('order.place', { requestId: rid(), householdId: 'h2-1-201', kind: 'garbage' }) // 2号楼
    await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' }) // 1号楼, stays open
    const sq = app.as(wangnan)
    await sq.call('order.claim', { id: o2.id })
    await sq.call('order.advance', { id: o2.id, event: 'depart' })
    for (const step of PROTOCOL_STEPS) await sq.call('order.step', { id: o2.id, step })
    const v = await app.as(coordinator).call('coord.grids', {})
    expect(v.grids.map((g) => [g.id, g.name, names(g.buildings), names(g.workers), g.open, g.deliveredToday])).toEqual([
      ['g1', '1号楼网格', ['1号楼'], ['于红'], 2, 0],
      ['g2', '2号楼网格', ['2号楼'], ['王楠'], 0, 1],
    ])
    expect(v.unassigned).toMatchObject({ buildings: [], workers: [{ id: chaolu, name: '朝鲁门' }], open: 0, deliveredToday: 0 })
    expect(o1.id).toBeTruthy()
    // The next Beijing day, yesterday's delivery no longer counts.
    app.advance(24 * 3600_000)
    expect((await app.as(coordinator).call('coord.grids', {})).grids[1]!.deliveredToday).toBe(0)
  })

  it('setGrid moves a building (and its open orders) and workers; the board’s 我的网格 follows', async () => {
    const app = await makeApp()
    const o = await app.as(wangnan).call('order.place', { requestId: rid(), householdId: 'h2-1-201', kind: 'garbage' })
    const liu = app.as(coordinator)
    // g1 takes 2号楼 too, and 朝鲁门 joins 于红 there.
    const v = await liu.call('coord.setGrid', { gridId: 'g1', name: '东片网格', buildingIds: ['b1', 'b2'], workerIds: [yuhong, chaolu] })
    expect(v.grids.map((g) => [g.id, g.name, names(g.buildings), names(g.workers), g.open])).toEqual([
      ['g1', '东片网格', ['1号楼', '2号楼'], ['朝鲁门', '于红'], 1],
      ['g2', '2号楼网格', [], ['王楠'], 0],
    ])
    const c = (await app.store.communities.get(DEMO_COMMUNITY_ID))!
    expect(c.buildings.map((b) => b.gridId)).toEqual(['g1', 'g1'])
    expect((await app.store.people.get(chaolu))!.squadGridId).toBe('g1')
    const me = await app.as(chaolu).call('me.get', {})
    expect(me.squad?.grid?.buildingIds).toEqual(['b1', 'b2'])
    expect(me.squad?.grid?.buildingIds).toContain(o.address.buildingId)

    // A new grid takes 2号楼 back; 于红 leaves g1 when g1 is saved without her.
    const made = await liu.call('coord.setGrid', { name: '西片网格', buildingIds: ['b2'], workerIds: [] })
    const west = made.grids.find((g) => g.name === '西片网格')!
    expect(names(west.buildings)).toEqual(['2号楼'])
    expect(names(made.grids.find((g) => g.id === 'g1')!.buildings)).toEqual(['1号楼'])
    const after = await liu.call('coord.setGrid', { gridId: 'g1', name: '东片网格', buildingIds: ['b1'], workerIds: [chaolu] })
    expect(names(after.unassigned.workers)).toEqual(['于红'])
    expect((await app.store.people.get(yuhong))!.squadGridId).toBeNull()
  })

  it('refuses unknown grids, buildings of nobody, workers not on this squad, duplicate names; nothing changes', async () => {
    const app = await makeApp()
    const liu = app.as(coordinator)
    const before = await app.store.communities.get(DEMO_COMMUNITY_ID)
    expect(await liu.refused('coord.setGrid', { gridId: 'g9', name: '新网格', buildingIds: [], workerIds: [] })).toMatchObject({ code: 'GRID.NOT_FOUND' })
    const bad = await liu.refused('coord.setGrid', { gridId: 'g1', name: '1号楼网格', buildingIds: ['b1', 'b9'], workerIds: [DEMO_PEOPLE.newWorker] })
    expect(bad).toMatchObject({ code: 'REQUEST.INVALID_INPUT', fields: { buildingIds: '有楼栋不属于本社区，请刷新后再选', workerIds: '只能选择本社区小分队的队员' } })
    expect((await liu.refused('coord.setGrid', { name: '2号楼网格', buildingIds: [], workerIds: [] })).fields).toEqual({ name: '已经有叫「2号楼网格」的网格了' })
    expect((await liu.refused('coord.setGrid', { name: '', buildingIds: [], workerIds: [] })).fields?.name).toBe('请填写网格名称')
    expect((await app.as(yuhong).refused('coord.grids', {})).code).toBe('AUTH.FORBIDDEN')
    expect(await app.store.communities.get(DEMO_COMMUNITY_ID)).toEqual(before)
    expect((await app.store.people.get(DEMO_PEOPLE.newWorker))!.squadGridId).toBeUndefined()
  })

  it('communities stored before grids had names: each gridId is named after its buildings', () => {
    expect(
      communityGrids({
        buildings: [
          { id: 'b1', name: '1号楼', gridId: 'g1' },
          { id: 'b3', name: '3号楼', gridId: 'g1' },
          { id: 'b2', name: '2号楼', gridId: 'g2' },
          { id: 'b4', name: '4号楼', gridId: '' },
        ],
      }),
    ).toEqual([
      { id: 'g1', name: '1号楼、3号楼网格' },
      { id: 'g2', name: '2号楼网格' },
    ])
  })
})
