/**
 * 代下单: the squad lists the community's households and orders for one whose resident phoned in;
 * the order records who placed it and the household's members see it.
 */
import { describe, expect, it } from 'vitest'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, rid } from '../support/app'

describe('squad.households', () => {
  it('all 72 doors, isolated first with their special needs, members joined; no names or phones', async () => {
    const app = await makeApp()
    const { households } = await app.as(DEMO_PEOPLE.yuhong).call('squad.households', {})
    expect(households).toHaveLength(72)
    expect(households.slice(0, 10).every((h) => h.isolated)).toBe(true)
    expect(households.slice(10).some((h) => h.isolated)).toBe(false)
    expect(households.slice(0, 3).map((h) => h.label)).toEqual(['1号楼1单元102', '1号楼1单元301', '1号楼2单元201'])
    const li = households.find((h) => h.id === 'h2-1-201')!
    expect(li).toMatchObject({ label: '2号楼1单元201', specialNeeds: ['独居老人', '没有智能手机'], membersJoined: 0 })
    expect(households.find((h) => h.id === 'h1-1-301')?.membersJoined).toBe(1)
    const wire = JSON.stringify(households)
    expect(wire).not.toMatch(/1[38]\d{9}/)
    expect(wire).not.toContain('李秀英')
  })

  it('residents may not list the community', async () => {
    const app = await makeApp()
    expect((await app.as(DEMO_PEOPLE.zhao).refused('squad.households', {})).code).toBe('AUTH.FORBIDDEN')
  })
})

describe('a proxy order', () => {
  it('records the squad member who placed it and shows to the household’s members', async () => {
    const app = await makeApp()
    const order = await app
      .as(DEMO_PEOPLE.wangnan)
      .call('order.place', { requestId: rid(), householdId: 'h1-1-301', kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
    expect(order.placedBy).toEqual({ id: DEMO_PEOPLE.wangnan, name: '王楠', role: 'squad' })
    expect(order.timeline[0]).toMatchObject({ event: 'place', note: '社工代下单' })
    const mine = await app.as(DEMO_PEOPLE.zhao).call('order.mine', {})
    expect(mine.orders.map((o) => o.id)).toEqual([order.id])
    expect((await app.as(DEMO_PEOPLE.zhao).call('order.get', { id: order.id })).placedBy.name).toBe('王楠')
  })

  it('another community’s household is refused and nothing is written', async () => {
    const app = await makeApp()
    await app.store.households.put({ ...(await app.store.households.get('h1-1-101'))!, id: 'x-1', communityId: 'other', code: '111111' })
    const r = await app
      .as(DEMO_PEOPLE.wangnan)
      .refused('order.place', { requestId: rid(), householdId: 'x-1', kind: 'garbage' })
    expect(r.code).toBe('HOUSEHOLD.NOT_MEMBER')
    expect((await app.store.orders.list({})).items).toHaveLength(0)
  })
})
