/** The api dispatcher: identity, validation, authorization, unknown actions, internal faults. */
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/server/api/dispatch'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, rid } from '../support/app'

const supplies = (requestId = rid()) => ({
  requestId,
  kind: 'supplies' as const,
  lines: [{ itemId: 'rice', qty: 1 }],
})

describe('api dispatcher', () => {
  it('answers ok with data for a valid call', async () => {
    const app = await makeApp()
    const res = await app.raw(DEMO_PEOPLE.zhao, 'me.get', {})
    expect(res).toMatchObject({ ok: true, data: { id: 'res-zhao', name: '赵先生', squad: null } })
    if (res.ok) expect((res.data as { households: { label: string }[] }).households[0]?.label).toBe('1号楼1单元301')
  })

  it('refuses an unknown action with its own code', async () => {
    const app = await makeApp()
    expect(await app.raw(DEMO_PEOPLE.zhao, 'order.delete', {})).toMatchObject({ ok: false, code: 'REQUEST.UNKNOWN_ACTION' })
    expect(await app.raw(DEMO_PEOPLE.zhao, '__proto__', {})).toMatchObject({ ok: false, code: 'REQUEST.UNKNOWN_ACTION' })
    expect(await app.raw(DEMO_PEOPLE.zhao, 'toString', {})).toMatchObject({ ok: false, code: 'REQUEST.UNKNOWN_ACTION' })
  })

  it('refuses a request that is not an object', async () => {
    const app = await makeApp()
    for (const bad of [null, 'order.place', 42, ['me.get']]) {
      expect(await dispatch(app.deps, { id: DEMO_PEOPLE.zhao }, bad)).toMatchObject({ ok: false, code: 'REQUEST.MALFORMED' })
    }
  })

  it('refuses an input that is not an object (valibot’s object schemas took an array) and writes nothing', async () => {
    const app = await makeApp()
    const before = (await app.store.invites.listByCommunity('demo')).length
    for (const input of [[], [{}], 'x', 7, true]) {
      expect(await app.raw(DEMO_PEOPLE.coordinator, 'squad.invite', input)).toMatchObject({
        ok: false,
        code: 'REQUEST.INVALID_INPUT',
        message: '请求内容格式不正确',
      })
    }
    expect((await app.store.invites.listByCommunity('demo')).length).toBe(before)
    // Absent input still means "no parameters".
    expect(await app.raw(DEMO_PEOPLE.coordinator, 'squad.invite', undefined)).toMatchObject({ ok: true })
  })

  it('refuses callers without a session, and says when it expired', async () => {
    const app = await makeApp()
    expect(await app.raw(null, 'me.get', {})).toMatchObject({ ok: false, code: 'AUTH.NOT_SIGNED_IN', message: '请先登录' })
    expect(await dispatch(app.deps, { error: 'AUTH.SESSION_EXPIRED' }, { action: 'me.get', input: {} })).toMatchObject({
      ok: false,
      code: 'AUTH.SESSION_EXPIRED',
    })
  })

  it('takes identity from the platform, never from the input', async () => {
    const app = await makeApp()
    // Zhang tries to order for Zhao's household by naming it and smuggling an openid.
    const res = await app.raw(DEMO_PEOPLE.zhang, 'order.place', { ...supplies(), householdId: 'h1-1-301', openid: 'res-zhao' })
    expect(res).toMatchObject({ ok: false, code: 'REQUEST.INVALID_INPUT' })
    const res2 = await app.raw(DEMO_PEOPLE.zhang, 'order.place', { ...supplies(), householdId: 'h1-1-301' })
    expect(res2).toMatchObject({ ok: false, code: 'HOUSEHOLD.NOT_MEMBER', message: '只能为自己家下单' })
    expect((await app.store.orders.list({})).items).toEqual([])
  })

  it('validates input with field-level Chinese messages and writes nothing', async () => {
    const app = await makeApp()
    const res = await app.raw(DEMO_PEOPLE.zhao, 'order.place', { ...supplies(), lines: [{ itemId: 'rice', qty: 0 }] })
    expect(res).toMatchObject({ ok: false, code: 'REQUEST.INVALID_INPUT', fields: { 'lines.0.qty': '数量至少为1' } })
    const urgent = await app.raw(DEMO_PEOPLE.zhao, 'order.place', { ...supplies(), urgency: 'urgent' })
    expect(urgent).toMatchObject({ ok: false, fields: { urgentReason: '加急需要说明原因，比如药快吃完了' } })
    expect((await app.store.orders.list({})).items).toEqual([])
  })

  it('authorizes by standing: residents cannot use squad actions, strangers cannot order', async () => {
    const app = await makeApp()
    expect(await app.raw(DEMO_PEOPLE.zhao, 'squad.board', {})).toMatchObject({
      ok: false,
      code: 'AUTH.FORBIDDEN',
      message: '只有送货小分队成员才能进行这个操作',
    })
    expect(await app.raw('openid-never-seen', 'order.place', supplies())).toMatchObject({
      ok: false,
      code: 'HOUSEHOLD.NONE_BOUND',
    })
    // Someone new may still ask who they are.
    expect(await app.raw('openid-never-seen', 'me.get', {})).toMatchObject({ ok: true, data: { households: [] } })
  })

  it('turns an internal fault into INTERNAL without leaking the stack, and logs it', async () => {
    const app = await makeApp()
    app.store.orders.list = async () => {
      throw new Error('disk on fire at /srv/secret/path.db')
    }
    const res = await app.raw(DEMO_PEOPLE.zhao, 'order.mine', {})
    expect(res).toEqual({ ok: false, code: 'INTERNAL', message: '系统繁忙，请稍后再试' })
    expect(JSON.stringify(res)).not.toContain('disk on fire')
    expect(app.log.lines.some((l) => l.includes('api.internal') && l.includes('disk on fire'))).toBe(true)
  })

  it('never logs inputs: no names, rooms or phones in log lines', async () => {
    const app = await makeApp()
    await app.as(DEMO_PEOPLE.zhao).call('order.place', { ...supplies(), notes: '请打13800000301找赵建国，301室' })
    await app.as(DEMO_PEOPLE.zhao).call('order.mine', {})
    const all = app.log.lines.join('\n')
    for (const secret of ['13800000301', '赵建国', '赵先生', '301室']) expect(all).not.toContain(secret)
    expect(app.log.lines.length).toBeGreaterThan(0)
  })
})
