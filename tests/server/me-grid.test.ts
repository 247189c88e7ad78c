/** me.get tells a squad member their grid (网格) and its buildings; others get none. */
import { describe, expect, it } from 'vitest'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp } from '../support/app'

describe('me.get: the squad member’s grid', () => {
  it('于红 looks after grid g1 = 1号楼; 王楠 g2 = 2号楼', async () => {
    const app = await makeApp()
    const yuhong = await app.as(DEMO_PEOPLE.yuhong).call('me.get', {})
    expect(yuhong.squad?.grid).toEqual({ id: 'g1', label: '1号楼', buildingIds: ['b1'] })
    const wangnan = await app.as(DEMO_PEOPLE.wangnan).call('me.get', {})
    expect(wangnan.squad?.grid).toEqual({ id: 'g2', label: '2号楼', buildingIds: ['b2'] })
  })

  it('a member without a grid, or a grid no building has, gets null; a resident has no squad at all', async () => {
    const app = await makeApp()
    expect((await app.as(DEMO_PEOPLE.chaolu).call('me.get', {})).squad?.grid).toBeNull()
    const p = (await app.store.people.get(DEMO_PEOPLE.chaolu))!
    await app.store.people.put({ ...p, squadGridId: 'g9' })
    expect((await app.as(DEMO_PEOPLE.chaolu).call('me.get', {})).squad?.grid).toBeNull()
    expect((await app.as(DEMO_PEOPLE.zhao).call('me.get', {})).squad).toBeNull()
  })
})
