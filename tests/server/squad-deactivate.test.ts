/** squad.deactivate and coord.setDeadlines on SQLite through the real dispatcher. */
import { describe, expect, it } from 'vitest'
import { PROTOCOL_STEPS } from '../../src/core/order/protocol'
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, rid } from '../support/app'
import { noticesOf } from '../support/notices'

const { zhao, zhang, yuhong, wangnan, chaolu, coordinator, newWorker } = DEMO_PEOPLE
const MIN = 60_000

describe('squad.deactivate', () => {
  it('held orders go back to the board with a note, the partner is dropped, residents told, the member refused after', async () => {
    const app = await makeApp()
    const place = (who: string) => app.as(who).call('order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
    const a = await place(zhao) // 于红 claims
    const b = await place(zhang) // 于红 claims, goes to the door
    const c = await app.as(wangnan).call('order.place', { requestId: rid(), householdId: 'h2-1-201', kind: 'garbage' }) // 王楠 holds, 于红 partner
    const untouched = await place(zhao) // stays on the board
    const yu = app.as(yuhong)
    await yu.call('order.claim', { id: a.id })
    await yu.call('order.claim', { id: b.id })
    await yu.call('order.advance', { id: b.id, event: 'depart' })
    for (const step of PROTOCOL_STEPS.slice(0, 3)) await yu.call('order.step', { id: b.id, step })
    await app.as(wangnan).call('order.claim', { id: c.id })
    await app.as(wangnan).call('order.addPartner', { id: c.id, partnerId: yuhong })
    app.advance(5 * MIN)

    const res = await app.as(coordinator).call('squad.deactivate', { personId: yuhong })
    expect(res).toMatchObject({ personId: yuhong, name: '于红', returned: 2, partnerDropped: 1, alreadyInactive: false, deactivatedAt: app.clock.now })

    for (const id of [a.id, b.id]) {
      const o = (await app.store.orders.get(id))!
      expect(o).toMatchObject({ status: 'pending', holder: null, partner: null, protocol: [] })
      expect(o.timeline.at(-1)).toMatchObject({ event: 'return_to_board', note: '队员已停用，订单退回任务大厅', by: { id: coordinator, role: 'coordinator' } })
    }
    const paired = (await app.store.orders.get(c.id))!
    expect(paired).toMatchObject({ status: 'claimed', holder: { id: wangnan }, partner: null })
    expect((await app.store.orders.get(untouched.id))!.version).toBe(untouched.version)

    // The residents of the returned orders hear it (inbox), in their own words.
    const notices = (await noticesOf(app.store, DEMO_COMMUNITY_ID, [zhang, zhao], app.clock.now)).filter((n) => n.kind === 'returned')
    const returned = notices.filter((n) => n.to === zhang)
    expect(returned).toHaveLength(1)
    expect(returned[0]).toMatchObject({ channel: 'inbox', orderId: b.id, title: '正在重新安排' })
    expect(notices.filter((n) => n.to === zhao)).toHaveLength(1)

    // The rest of the squad sees them on the board again.
    const board = await app.as(chaolu).call('squad.board', {})
    expect(board.orders.map((o) => o.id)).toEqual(expect.arrayContaining([a.id, b.id, untouched.id]))

    // 于红 can no longer act as squad.
    expect((await app.as(yuhong).refused('order.claim', { id: untouched.id })).code).toBe('AUTH.FORBIDDEN')
    expect((await app.as(yuhong).refused('squad.board', {})).code).toBe('AUTH.FORBIDDEN')
    expect((await app.store.people.get(yuhong))).toMatchObject({ squadOf: null, squadFormerOf: DEMO_COMMUNITY_ID, squadDeactivatedAt: app.clock.now })

    // The coordinator still sees her, as 已停用; the squad does not.
    const members = await app.as(coordinator).call('squad.members', {})
    expect(members.members.find((m) => m.id === yuhong)).toMatchObject({ active: false, deactivatedAt: app.clock.now })
    expect(members.members.find((m) => m.id === wangnan)).toMatchObject({ active: true })
    expect((await app.as(wangnan).call('squad.members', {})).members.map((m) => m.id)).not.toContain(yuhong)

    // Twice is fine: nothing more to return, nothing rewritten.
    const versionBefore = (await app.store.orders.get(a.id))!.version
    app.advance(MIN)
    const again = await app.as(coordinator).call('squad.deactivate', { personId: yuhong })
    expect(again).toMatchObject({ returned: 0, partnerDropped: 0, alreadyInactive: true, deactivatedAt: res.deactivatedAt })
    expect((await app.store.orders.get(a.id))!.version).toBe(versionBefore)
  })

  it('a new invite brings a deactivated member back', async () => {
    const app = await makeApp()
    await app.as(coordinator).call('squad.deactivate', { personId: wangnan })
    const invite = await app.as(coordinator).call('squad.invite', {})
    const me = await app.as(wangnan).call('squad.join', { code: invite.code })
    expect(me.squad?.communityId).toBe(DEMO_COMMUNITY_ID)
    const p = (await app.store.people.get(wangnan))!
    expect(p.squadDeactivatedAt).toBeUndefined()
    expect(p.squadFormerOf).toBeUndefined()
    expect((await app.as(coordinator).call('squad.members', {})).members.find((m) => m.id === wangnan)).toMatchObject({ active: true })
  })

  it('refuses another community’s member, a non-member, the coordinator themself, and non-coordinators; nothing changes', async () => {
    const app = await makeApp()
    await app.store.people.put({ id: 'squad-far', name: '外社区队员', phone: '', households: [], squadOf: 'c-far', coordinatorOf: null, createdAt: app.clock.now })
    const liu = app.as(coordinator)
    expect(await liu.refused('squad.deactivate', { personId: 'squad-far' })).toMatchObject({ code: 'SQUAD.NOT_YOUR_COMMUNITY' })
    expect(await liu.refused('squad.deactivate', { personId: newWorker })).toMatchObject({ code: 'SQUAD.NOT_MEMBER', message: '这个人不是本社区小分队的队员' })
    expect(await liu.refused('squad.deactivate', { personId: 'nobody-here' })).toMatchObject({ code: 'SQUAD.NOT_MEMBER' })
    expect(await liu.refused('squad.deactivate', { personId: coordinator })).toMatchObject({ code: 'SQUAD.CANNOT_DEACTIVATE_SELF' })
    expect(await app.as(wangnan).refused('squad.deactivate', { personId: yuhong })).toMatchObject({ code: 'AUTH.FORBIDDEN' })
    expect(await liu.refused('squad.deactivate', { personId: '' })).toMatchObject({ code: 'REQUEST.INVALID_INPUT' })
    expect((await app.store.people.get('squad-far'))!.squadOf).toBe('c-far')
    expect((await app.store.people.get(yuhong))!.squadOf).toBe(DEMO_COMMUNITY_ID)
  })
})

describe('coord.setDeadlines', () => {
  it('stores the settings on the community; new orders get them; old ones keep theirs', async () => {
    const app = await makeApp()
    const before = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    const liu = app.as(coordinator)
    expect((await liu.call('me.get', {})).coordinator?.deadlines).toEqual({ urgentClaimMinutes: 30, urgentDeliverMinutes: 120, normalClaimMinutes: 120, normalDeliverMinutes: 1440 })
    const set = { urgentClaimMinutes: 15, urgentDeliverMinutes: 60, normalClaimMinutes: 60, normalDeliverMinutes: 480 }
    expect(await liu.call('coord.setDeadlines', set)).toEqual(set)
    expect((await app.store.communities.get(DEMO_COMMUNITY_ID))!.deadlines).toEqual(set)
    expect((await liu.call('me.get', {})).coordinator?.deadlines).toEqual(set)
    const now = app.clock.now
    const urgent = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage', urgency: 'urgent', urgentReason: '垃圾太多' })
    expect(urgent).toMatchObject({ claimDueAt: now + 15 * MIN, dueAt: now + 60 * MIN })
    const normal = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    expect(normal).toMatchObject({ claimDueAt: now + 60 * MIN, dueAt: now + 480 * MIN })
    expect((await app.store.orders.get(before.id))!.dueAt).toBe(before.dueAt)
  })

  it('refuses zero, negative, non-integer and claim ≥ deliver with Chinese field messages; nothing stored', async () => {
    const app = await makeApp()
    const liu = app.as(coordinator)
    const ok = { urgentClaimMinutes: 30, urgentDeliverMinutes: 120, normalClaimMinutes: 120, normalDeliverMinutes: 1440 }
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...ok, urgentClaimMinutes: 0 }, 'urgentClaimMinutes', '加急接单时限必须大于0分钟'],
      [{ ...ok, normalDeliverMinutes: -60 }, 'normalDeliverMinutes', '普通送达时限必须大于0分钟'],
      [{ ...ok, normalClaimMinutes: 90.5 }, 'normalClaimMinutes', '普通接单时限必须是整数分钟'],
      [{ ...ok, urgentClaimMinutes: 120 }, 'urgentClaimMinutes', '加急接单时限必须短于加急送达时限'],
      [{ ...ok, urgentDeliverMinutes: '两小时' }, 'urgentDeliverMinutes', '加急送达时限必须是数字（分钟）'],
    ]
    for (const [input, field, message] of cases) {
      const r = await liu.refused('coord.setDeadlines', input)
      expect(r.code).toBe('REQUEST.INVALID_INPUT')
      expect(r.fields?.[field]).toBe(message)
    }
    expect((await app.store.communities.get(DEMO_COMMUNITY_ID))!.deadlines).toBeUndefined()
    expect((await app.as(yuhong).refused('coord.setDeadlines', ok)).code).toBe('AUTH.FORBIDDEN')
  })
})
