/**
 * Squad membership: invite codes issued by a coordinator, joining with one, the guessing limit,
 * and the member list. On SQLite through the real dispatcher.
 */
import { describe, expect, it } from 'vitest'
import { DEMO_PEOPLE, DEMO_SQUAD_INVITE } from '../../src/server/seed/demo'
import { makeApp, T0 } from '../support/app'

const DAY = 86_400_000

describe('squad.invite / squad.invites', () => {
  it('a coordinator issues single-use codes for their community, listed newest first', async () => {
    const app = await makeApp()
    const liu = app.as(DEMO_PEOPLE.coordinator)
    app.advance(1000)
    const a = await liu.call('squad.invite', {})
    app.advance(1000)
    const b = await liu.call('squad.invite', {})
    expect(a.code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/)
    expect(b.code).not.toBe(a.code)
    expect(a).toMatchObject({ state: 'open', expiresAt: T0 + 1000 + 7 * DAY, usedBy: null })
    const { invites } = await liu.call('squad.invites', {})
    expect(invites.map((i) => i.code)).toEqual([b.code, a.code, DEMO_SQUAD_INVITE])
    expect((await app.store.invites.get(a.code))?.communityId).toBe('demo')
  })

  it('nobody else may issue or list codes, and a refusal writes nothing', async () => {
    const app = await makeApp()
    for (const who of [DEMO_PEOPLE.yuhong, DEMO_PEOPLE.zhao, DEMO_PEOPLE.newWorker]) {
      expect((await app.as(who).refused('squad.invite', {})).code).toBe('AUTH.FORBIDDEN')
      expect((await app.as(who).refused('squad.invites', {})).message).toBe('只有社区工作人员才能进行这个操作')
    }
    expect(await app.store.invites.listByCommunity('demo')).toHaveLength(1)
  })
})

describe('squad.join', () => {
  it('a social worker joins with a code typed loosely; the squad view opens and the board answers', async () => {
    const app = await makeApp()
    const chen = app.as(DEMO_PEOPLE.newWorker)
    expect((await chen.refused('squad.board', {})).code).toBe('AUTH.FORBIDDEN')
    const me = await chen.call('squad.join', { code: ' zj7 k2m ' })
    expect(me.squad).toMatchObject({ communityId: 'demo', communityName: '风水山社区' })
    expect(me.views).toContain('squad')
    expect(me.prefs.view).toBe('squad')
    expect((await chen.call('squad.board', {})).orders).toEqual([])
    const { invites } = await app.as(DEMO_PEOPLE.coordinator).call('squad.invites', {})
    expect(invites.find((i) => i.code === DEMO_SQUAD_INVITE)).toMatchObject({ state: 'used', usedBy: '陈晨', usedAt: T0 })
  })

  it('a used code, an expired code, a member joining again: each its own message, nothing changes', async () => {
    const app = await makeApp()
    await app.as(DEMO_PEOPLE.newWorker).call('squad.join', { code: DEMO_SQUAD_INVITE })
    const used = await app.as(DEMO_PEOPLE.zhao).refused('squad.join', { code: DEMO_SQUAD_INVITE })
    expect(used).toMatchObject({ code: 'SQUAD.INVITE_USED', message: '这个邀请码已经用过了，请向社区要一个新的' })

    const fresh = await app.as(DEMO_PEOPLE.coordinator).call('squad.invite', {})
    expect((await app.as(DEMO_PEOPLE.yuhong).refused('squad.join', { code: fresh.code })).code).toBe('SQUAD.ALREADY_MEMBER')
    app.advance(7 * DAY)
    expect((await app.as(DEMO_PEOPLE.zhao).refused('squad.join', { code: fresh.code })).code).toBe('SQUAD.INVITE_EXPIRED')
    expect((await app.store.people.get(DEMO_PEOPLE.zhao))?.squadOf).toBeNull()
    expect((await app.store.invites.get(fresh.code))?.usedBy).toBeNull()
  })

  it("another community's coordinator is refused with SQUAD.COORDINATOR_ELSEWHERE and stays as they were; the code stays open", async () => {
    const app = await makeApp()
    await app.store.people.put({ id: 'coord-north', name: '北区刘', phone: '', households: [], squadOf: null, coordinatorOf: 'north', createdAt: T0 })
    const r = await app.as('coord-north').refused('squad.join', { code: DEMO_SQUAD_INVITE })
    expect(r.code).toBe('SQUAD.COORDINATOR_ELSEWHERE')
    expect(r.message).toBe('您是其他社区的工作人员，不能加入这个社区的小分队')
    expect((await app.store.people.get('coord-north'))?.squadOf).toBeNull()
    expect((await app.store.invites.get(DEMO_SQUAD_INVITE))?.usedBy).toBeFalsy()
    // The community's own coordinator may join its squad.
    const own = await app.as(DEMO_PEOPLE.coordinator).call('squad.join', { code: DEMO_SQUAD_INVITE })
    expect(own.squad?.communityId).toBe('demo')
  })

  it('malformed codes are refused by the schema with a field message', async () => {
    const app = await makeApp()
    const r = await app.as(DEMO_PEOPLE.zhao).refused('squad.join', { code: 'O0I1L' })
    expect(r.code).toBe('REQUEST.INVALID_INPUT')
    expect(r.fields?.code).toBe('邀请码是6位字母和数字，请核对')
    expect((await app.as(DEMO_PEOPLE.zhao).refused('squad.join', { code: '' })).fields?.code).toBe('请输入邀请码')
  })

  it('five wrong codes in ten minutes lock squad.join for ten minutes, even for the right code', async () => {
    const app = await makeApp()
    const zhao = app.as(DEMO_PEOPLE.zhao)
    for (let i = 0; i < 4; i++) {
      const r = await zhao.refused('squad.join', { code: `ABCDE${i + 2}` })
      expect(r).toMatchObject({ code: 'SQUAD.INVITE_WRONG', details: { attemptsLeft: 4 - i } })
    }
    expect((await zhao.refused('squad.join', { code: 'ABCDE9' })).details).toMatchObject({ attemptsLeft: 0 })
    const locked = await zhao.refused('squad.join', { code: DEMO_SQUAD_INVITE })
    expect(locked).toMatchObject({ code: 'SQUAD.JOIN_LOCKED', message: '输错次数太多，请10分钟后再试' })
    expect((await app.store.invites.get(DEMO_SQUAD_INVITE))?.usedBy).toBeNull()
    // The household code limit is separate: 赵先生 can still bind a household.
    expect((await zhao.call('household.join', { code: '483920', phone: '13800000301' })).household.id).toBe('h1-1-301')
    app.advance(10 * 60_000)
    expect((await zhao.call('squad.join', { code: DEMO_SQUAD_INVITE })).squad?.communityId).toBe('demo')
  })

  it('ten people racing for one code: exactly one joins, the others hear it was used', async () => {
    const app = await makeApp()
    const people = Array.from({ length: 10 }, (_, i) => `racer-${i}`)
    const results = await Promise.all(people.map((p) => app.raw(p, 'squad.join', { code: DEMO_SQUAD_INVITE })))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.code))).toEqual(Array(9).fill('SQUAD.INVITE_USED'))
    const winner = people[results.findIndex((r) => r.ok)]!
    expect((await app.store.invites.get(DEMO_SQUAD_INVITE))?.usedBy).toBe(winner)
    const members = await Promise.all(people.map((p) => app.store.people.get(p)))
    expect(members.filter((m) => m?.squadOf === 'demo').map((m) => m!.id)).toEqual([winner])
  })
})

describe('squad.members', () => {
  it('names and grids of my squad, no phones; coordinators see it too; residents may not', async () => {
    const app = await makeApp()
    const { members } = await app.as(DEMO_PEOPLE.yuhong).call('squad.members', {})
    expect(members).toEqual([
      { id: DEMO_PEOPLE.chaolu, name: '朝鲁门', me: false, gridLabel: null },
      { id: DEMO_PEOPLE.wangnan, name: '王楠', me: false, gridLabel: '2号楼' },
      { id: DEMO_PEOPLE.yuhong, name: '于红', me: true, gridLabel: '1号楼' },
    ])
    expect(JSON.stringify(members)).not.toMatch(/139\d{8}/)
    expect((await app.as(DEMO_PEOPLE.coordinator).call('squad.members', {})).members).toHaveLength(3)
    expect((await app.as(DEMO_PEOPLE.zhao).refused('squad.members', {})).code).toBe('AUTH.FORBIDDEN')
  })
})

describe('the invite message', () => {
  it('carries the code, where to type it and the Beijing expiry', async () => {
    const { inviteMessage } = await import('../../src/core/invite')
    // 2026-11-29 09:00 Beijing = 01:00 UTC.
    expect(inviteMessage('ZJ7K2M', Date.UTC(2026, 10, 29, 1, 0))).toBe(
      '送货小分队邀请码：ZJ7K2M\n打开「宅家送」→ 我的 →「我是社工，用邀请码加入送货小分队」。11月29日 09:00前有效，只能用一次。',
    )
  })
})
