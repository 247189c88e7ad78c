/**
 * The delivery squad's use cases on SQLite: the doorstep protocol, pairs, reassignment and parcels,
 * and every refusal, each with its code and the stored order unchanged.
 */
import { describe, expect, it } from 'vitest'
import type { ActionName, InputOf } from '../../src/core/contract'
import type { ErrorCode } from '../../src/core/errors'
import { PROTOCOL_STEPS, type ProtocolStep } from '../../src/core/order/protocol'
import { formatBeijing } from '../../src/core/time'
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, rid } from '../support/app'

const { zhao, zhang, yuhong, wangnan, chaolu, coordinator } = DEMO_PEOPLE
const MIN = 60_000

type App = Awaited<ReturnType<typeof makeApp>>

/** Zhao orders rice, water and eggs; yuhong claims it. */
async function claimedOrder(app: App, by: string = yuhong) {
  const o = await app.as(zhao).call('order.place', {
    requestId: rid(),
    kind: 'supplies',
    lines: [
      { itemId: 'rice', qty: 1 },
      { itemId: 'water20', qty: 1 },
      { itemId: 'other', name: '鸡蛋', qty: 1 },
    ],
  })
  await app.as(by).call('order.claim', { id: o.id })
  return o.id
}

/** Claimed by yuhong, departed, and these steps tapped one minute apart. */
async function atStep(app: App, steps: readonly ProtocolStep[], by: string = yuhong) {
  const id = await claimedOrder(app, by)
  await app.as(by).call('order.advance', { id, event: 'depart' })
  for (const step of steps) {
    app.advance(MIN)
    await app.as(by).call('order.step', { id, step })
  }
  return id
}

const upTo = (step: ProtocolStep) => PROTOCOL_STEPS.slice(0, PROTOCOL_STEPS.indexOf(step))

/** Expects `who` to be refused with `code`, and the stored order to be exactly as before. */
async function refusedUnchanged<A extends ActionName>(
  app: App,
  who: string,
  action: A,
  input: InputOf<A> & { id: string },
  code: ErrorCode,
) {
  const before = await app.store.orders.get(input.id)
  expect(before).not.toBeNull()
  const r = await app.as(who).refused(action, input)
  expect(r.code).toBe(code)
  expect(await app.store.orders.get(input.id)).toEqual(before)
  return r
}

describe('the doorstep protocol', () => {
  it('six timestamped taps in order take the order from delivering to delivered (handed)', async () => {
    const app = await makeApp()
    const id = await claimedOrder(app)
    await app.as(yuhong).call('order.advance', { id, event: 'depart' })
    const seen: [string, number][] = []
    for (const step of PROTOCOL_STEPS) {
      app.advance(2 * MIN)
      const v = await app.as(yuhong).call('order.step', { id, step })
      seen.push([v.status, v.protocol!.at(-1)!.at])
      if (step === 'call_resident') {
        // The resident now sees 请取物.
        expect((await app.as(zhao).call('order.get', { id })).status).toBe('at_door')
      }
    }
    const start = app.clock.now - 12 * MIN
    expect(seen).toEqual([
      ['delivering', start + 2 * MIN],
      ['delivering', start + 4 * MIN],
      ['at_door', start + 6 * MIN],
      ['at_door', start + 8 * MIN],
      ['at_door', start + 10 * MIN],
      ['delivered', start + 12 * MIN],
    ])
    const stored = await app.store.orders.get(id)
    expect(stored).toMatchObject({ status: 'delivered', outcome: 'handed', missing: [] })
    expect(stored!.protocol!.map((r) => [r.step, r.by.id, r.skipReason])).toEqual(PROTOCOL_STEPS.map((s) => [s, yuhong, undefined]))
    expect(stored!.timeline.map((t) => t.event)).toEqual(['place', 'claim', 'depart', ...PROTOCOL_STEPS])
    expect((await app.as(zhao).call('order.confirm', { id })).status).toBe('confirmed')
  })

  it('a step out of order is refused with the step that is due', async () => {
    const app = await makeApp()
    const id = await atStep(app, [])
    const r = await refusedUnchanged(app, yuhong, 'order.step', { id, step: 'remove_seal' }, 'ORDER.STEP_OUT_OF_ORDER')
    expect(r.message).toBe('请先完成「消杀楼道」，确实无法完成请填写原因跳过')
    // A step of the other phase, too.
    await refusedUnchanged(app, yuhong, 'order.step', { id, step: 'restore_seal' }, 'ORDER.STEP_OUT_OF_ORDER')
    await app.as(yuhong).call('order.step', { id, step: 'disinfect_corridor' })
    // Once started, order.advance's call_resident is that step and waits its turn.
    await refusedUnchanged(app, yuhong, 'order.advance', { id, event: 'call_resident' }, 'ORDER.STEP_OUT_OF_ORDER')
    // A repeated tap says it is done.
    const again = await refusedUnchanged(app, yuhong, 'order.step', { id, step: 'disinfect_corridor' }, 'ORDER.STEP_OUT_OF_ORDER')
    expect(again.message).toBe('「消杀楼道」已登记，现在应进行「拆除封条」')
  })

  it('steps are refused before depart and after delivery', async () => {
    const app = await makeApp()
    const id = await claimedOrder(app)
    await refusedUnchanged(app, yuhong, 'order.step', { id, step: 'disinfect_corridor' }, 'ORDER.INVALID_TRANSITION')
    const done = await atStep(app, PROTOCOL_STEPS)
    await refusedUnchanged(app, yuhong, 'order.step', { id: done, step: 'disinfect_again' }, 'ORDER.INVALID_TRANSITION')
  })

  it('both partners tapping the same step at once: one records it, the other hears it is done', async () => {
    const app = await makeApp()
    const id = await atStep(app, [])
    await app.as(yuhong).call('order.addPartner', { id, partnerId: wangnan })
    const [a, b] = await Promise.all([
      app.raw(yuhong, 'order.step', { id, step: 'disinfect_corridor' }),
      app.raw(wangnan, 'order.step', { id, step: 'disinfect_corridor' }),
    ])
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1)
    expect([a, b].find((r) => !r.ok)).toMatchObject({ code: 'ORDER.STEP_OUT_OF_ORDER' })
    expect((await app.store.orders.get(id))!.protocol).toHaveLength(1)
  })

  it('skipping needs a reason; the skipped step is recorded with it', async () => {
    const app = await makeApp()
    const id = await atStep(app, ['disinfect_corridor'])
    const empty = await refusedUnchanged(app, yuhong, 'order.step', { id, step: 'remove_seal', skipReason: '  ' }, 'REQUEST.INVALID_INPUT')
    expect(empty.fields).toEqual({ skipReason: '请填写跳过原因' })
    // Jumping ahead is skipping without a reason.
    await refusedUnchanged(app, yuhong, 'order.step', { id, step: 'call_resident' }, 'ORDER.STEP_OUT_OF_ORDER')
    app.advance(MIN)
    const v = await app.as(yuhong).call('order.step', { id, step: 'remove_seal', skipReason: '门上没有封条' })
    expect(v.protocol!.at(-1)).toEqual({
      step: 'remove_seal',
      at: app.clock.now,
      by: { id: yuhong, name: '于红', role: 'squad' },
      skipReason: '门上没有封条',
    })
    expect(v.timeline.at(-1)).toMatchObject({ event: 'remove_seal', note: '跳过：门上没有封条' })
    expect((await app.as(yuhong).call('order.step', { id, step: 'call_resident' })).status).toBe('at_door')
  })

  it('bad step input is refused with Chinese field messages', async () => {
    const app = await makeApp()
    const id = await atStep(app, [])
    const r = await refusedUnchanged(app, yuhong, 'order.step', { id, step: 'knock' as ProtocolStep }, 'REQUEST.INVALID_INPUT')
    expect(r.fields).toEqual({ step: '请选择要完成的上门步骤' })
  })

  it('无人应答: back to claimed, the next attempt starts again at 消杀楼道', async () => {
    const app = await makeApp()
    const id = await atStep(app, upTo('picked_up'))
    const back = await app.as(yuhong).call('order.advance', { id, event: 'no_answer' })
    expect(back).toMatchObject({ status: 'claimed', protocol: [] })
    await app.as(yuhong).call('order.advance', { id, event: 'depart' })
    await refusedUnchanged(app, yuhong, 'order.step', { id, step: 'call_resident' }, 'ORDER.STEP_OUT_OF_ORDER')
    expect((await app.as(yuhong).call('order.step', { id, step: 'disinfect_corridor' })).protocol).toHaveLength(1)
  })

  it('at the door the last step with an outcome waits for the steps before it', async () => {
    const app = await makeApp()
    const id = await atStep(app, upTo('restore_seal'))
    const r = await refusedUnchanged(app, yuhong, 'order.deliver', { id, outcome: 'handed' }, 'ORDER.STEP_OUT_OF_ORDER')
    expect(r.message).toBe('请先完成「恢复封条」，确实无法完成请填写原因跳过')
  })

  it('放门口: 居民已取 skipped with the reason, then the last step with outcome left_at_door', async () => {
    const app = await makeApp()
    const id = await atStep(app, upTo('picked_up'))
    await app.as(yuhong).call('order.step', { id, step: 'picked_up', skipReason: '放门口，居民稍后自取' })
    await app.as(yuhong).call('order.step', { id, step: 'restore_seal' })
    const v = await app.as(yuhong).call('order.deliver', { id, outcome: 'left_at_door' })
    expect(v).toMatchObject({ status: 'delivered', outcome: 'left_at_door', missing: [] })
    expect(v.protocol!.map((r) => r.step)).toEqual([...PROTOCOL_STEPS])
    expect(v.timeline.at(-1)).toMatchObject({ event: 'deliver', note: '放门口' })
  })

  it('部分缺货: the missing names must be lines of the order', async () => {
    const app = await makeApp()
    const id = await atStep(app, upTo('disinfect_again'))
    const unknown = await refusedUnchanged(
      app,
      yuhong,
      'order.deliver',
      { id, outcome: 'partial', missing: ['鸡蛋', '牛奶'] },
      'ORDER.UNKNOWN_LINE',
    )
    expect(unknown.message).toBe('「牛奶」不是这个订单里的物品')
    const none = await refusedUnchanged(app, yuhong, 'order.deliver', { id, outcome: 'partial' }, 'REQUEST.INVALID_INPUT')
    expect(none.fields).toEqual({ missing: '部分缺货时请选择缺了哪些物品' })
    const v = await app.as(yuhong).call('order.deliver', { id, outcome: 'partial', missing: ['鸡蛋'] })
    expect(v).toMatchObject({ status: 'delivered', outcome: 'partial', missing: ['鸡蛋'] })
    expect(v.timeline.at(-1)?.note).toBe('部分缺货：鸡蛋')
  })

  it('no shortcut: delivering before the steps is refused and changes nothing', async () => {
    const app = await makeApp()
    const id = await atStep(app, [])
    await refusedUnchanged(app, yuhong, 'order.advance', { id, event: 'call_resident' }, 'ORDER.STEP_OUT_OF_ORDER')
  })
})

describe('claiming', () => {
  it('a cancelled order cannot be claimed', async () => {
    const app = await makeApp()
    const o = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    await app.as(zhao).call('order.cancel', { id: o.id, reason: '不需要了' })
    await refusedUnchanged(app, yuhong, 'order.claim', { id: o.id }, 'ORDER.INVALID_TRANSITION')
  })

  it('an order already claimed names who has it', async () => {
    const app = await makeApp()
    const id = await claimedOrder(app)
    const r = await refusedUnchanged(app, wangnan, 'order.claim', { id }, 'ORDER.ALREADY_CLAIMED')
    expect(r.message).toBe('这个订单已由于红接单')
  })
})

describe('someone else’s order', () => {
  it('a squad member who neither holds nor partners it can do nothing to it', async () => {
    const app = await makeApp()
    const id = await atStep(app, ['disinfect_corridor'])
    await refusedUnchanged(app, wangnan, 'order.step', { id, step: 'remove_seal' }, 'ORDER.NOT_HOLDER')
    await refusedUnchanged(app, wangnan, 'order.addPartner', { id, partnerId: wangnan }, 'ORDER.NOT_HOLDER')
    await refusedUnchanged(app, wangnan, 'order.advance', { id, event: 'call_resident' }, 'ORDER.NOT_HOLDER')
    const parcel = await handoverClaimed(app)
    await refusedUnchanged(app, wangnan, 'order.disinfectParcel', { id: parcel }, 'ORDER.NOT_HOLDER')
    await refusedUnchanged(app, wangnan, 'order.release', { id: parcel, reason: '我来送' }, 'ORDER.NOT_HOLDER')
  })

  it('people without squad standing are refused before anything is read', async () => {
    const app = await makeApp()
    const id = await atStep(app, [])
    for (const who of [zhao, zhang, coordinator]) {
      const r = await refusedUnchanged(app, who, 'order.step', { id, step: 'disinfect_corridor' }, 'AUTH.FORBIDDEN')
      expect(r.message).toBe('只有送货小分队成员才能进行这个操作')
      await refusedUnchanged(app, who, 'order.addPartner', { id, partnerId: wangnan }, 'AUTH.FORBIDDEN')
      await refusedUnchanged(app, who, 'order.disinfectParcel', { id }, 'AUTH.FORBIDDEN')
    }
  })

  it('a squad member of another community does not even see the order', async () => {
    const app = await makeApp()
    await app.store.people.put({
      id: 'squad-other',
      name: '外社区队员',
      phone: '13900000099',
      households: [],
      squadOf: 'elsewhere',
      coordinatorOf: null,
      createdAt: app.clock.now,
    })
    const id = await atStep(app, [])
    await refusedUnchanged(app, 'squad-other', 'order.step', { id, step: 'disinfect_corridor' }, 'ORDER.NOT_FOUND')
    await refusedUnchanged(app, 'squad-other', 'order.claim', { id }, 'ORDER.NOT_FOUND')
  })
})

describe('pairs (搭档)', () => {
  it('the claimer adds a partner, who works the order, sees it in their tasks and can call the resident', async () => {
    const app = await makeApp()
    const id = await claimedOrder(app)
    const v = await app.as(yuhong).call('order.addPartner', { id, partnerId: wangnan })
    expect(v).toMatchObject({ status: 'claimed', partner: { id: wangnan, name: '王楠', role: 'squad' } })
    expect(v.timeline.at(-1)).toMatchObject({ event: 'add_partner', note: '搭档：王楠', by: { id: yuhong } })
    const tasks = await app.as(wangnan).call('squad.tasks', {})
    expect(tasks.orders.map((o) => o.id)).toEqual([id])
    expect(tasks.orders[0]).toMatchObject({ address: { room: '301' }, residentPhone: '13800000301' })
    // One disinfects, one carries.
    await app.as(wangnan).call('order.advance', { id, event: 'depart' })
    const stepped = await app.as(wangnan).call('order.step', { id, step: 'disinfect_corridor' })
    expect(stepped.protocol![0]!.by).toEqual({ id: wangnan, name: '王楠', role: 'squad' })
    await app.as(yuhong).call('order.step', { id, step: 'remove_seal' })
  })

  it('the claimer can change the partner while delivering and at the door', async () => {
    const app = await makeApp()
    const id = await atStep(app, [])
    expect((await app.as(yuhong).call('order.addPartner', { id, partnerId: wangnan })).status).toBe('delivering')
    for (const step of upTo('picked_up')) await app.as(yuhong).call('order.step', { id, step })
    const v = await app.as(yuhong).call('order.addPartner', { id, partnerId: chaolu })
    expect(v).toMatchObject({ status: 'at_door', partner: { id: chaolu, name: '朝鲁门' } })
    // 王楠 is off the order now.
    await refusedUnchanged(app, wangnan, 'order.step', { id, step: 'picked_up' }, 'ORDER.NOT_HOLDER')
  })

  it('only the claimer chooses the partner', async () => {
    const app = await makeApp()
    const id = await claimedOrder(app)
    await app.as(yuhong).call('order.addPartner', { id, partnerId: wangnan })
    const r = await refusedUnchanged(app, wangnan, 'order.addPartner', { id, partnerId: chaolu }, 'ORDER.NOT_CLAIMER')
    expect(r.message).toBe('只有接单人才能添加或更换搭档')
  })

  it('the partner must be on this community’s squad, and is not the claimer', async () => {
    const app = await makeApp()
    await app.store.people.put({
      id: 'squad-other',
      name: '外社区队员',
      phone: '13900000099',
      households: [],
      squadOf: 'elsewhere',
      coordinatorOf: null,
      createdAt: app.clock.now,
    })
    const id = await claimedOrder(app)
    const r = await refusedUnchanged(app, yuhong, 'order.addPartner', { id, partnerId: zhang }, 'ORDER.NOT_SQUAD_MEMBER')
    expect(r.message).toBe('对方不是本社区送货小分队成员')
    await refusedUnchanged(app, yuhong, 'order.addPartner', { id, partnerId: coordinator }, 'ORDER.NOT_SQUAD_MEMBER')
    await refusedUnchanged(app, yuhong, 'order.addPartner', { id, partnerId: 'squad-other' }, 'ORDER.NOT_SQUAD_MEMBER')
    const nobody = await refusedUnchanged(app, yuhong, 'order.addPartner', { id, partnerId: 'nobody' }, 'ORDER.NOT_SQUAD_MEMBER')
    expect(nobody.message).toBe('对方不是本社区送货小分队成员')
    await refusedUnchanged(app, yuhong, 'order.addPartner', { id, partnerId: yuhong }, 'ORDER.PARTNER_IS_HOLDER')
    const bad = await refusedUnchanged(app, yuhong, 'order.addPartner', { id, partnerId: '王楠' }, 'REQUEST.INVALID_INPUT')
    expect(bad.fields).toEqual({ partnerId: '搭档的编号格式不正确' })
  })

  it('no partner on a pending or delivered order', async () => {
    const app = await makeApp()
    const o = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    await refusedUnchanged(app, yuhong, 'order.addPartner', { id: o.id, partnerId: wangnan }, 'ORDER.INVALID_TRANSITION')
    const done = await atStep(app, PROTOCOL_STEPS)
    await refusedUnchanged(app, yuhong, 'order.addPartner', { id: done, partnerId: wangnan }, 'ORDER.INVALID_TRANSITION')
  })

  it('release puts the order back on the board without holder, partner or steps', async () => {
    const app = await makeApp()
    const id = await claimedOrder(app)
    await app.as(yuhong).call('order.addPartner', { id, partnerId: wangnan })
    const v = await app.as(yuhong).call('order.release', { id, reason: '电动车没电了' })
    expect(v).toMatchObject({ status: 'pending', holder: null, partner: null, protocol: [] })
    expect((await app.as(chaolu).call('squad.board', {})).orders.map((o) => o.id)).toEqual([id])
  })
})

describe('reassign (改派)', () => {
  it('the coordinator hands a claimed order to another squad member; the old pair is off it', async () => {
    const app = await makeApp()
    const id = await claimedOrder(app)
    await app.as(yuhong).call('order.addPartner', { id, partnerId: wangnan })
    const v = await app.as(coordinator).call('order.reassign', { id, toId: chaolu, reason: '于红身体不适' })
    expect(v).toMatchObject({ status: 'claimed', holder: { id: chaolu, name: '朝鲁门', role: 'squad' }, partner: null })
    expect(v.timeline.at(-1)).toMatchObject({ event: 'reassign', note: '改派给朝鲁门：于红身体不适', by: { id: coordinator, role: 'coordinator' } })
    await refusedUnchanged(app, yuhong, 'order.advance', { id, event: 'depart' }, 'ORDER.NOT_HOLDER')
    await refusedUnchanged(app, wangnan, 'order.advance', { id, event: 'depart' }, 'ORDER.NOT_HOLDER')
    expect((await app.as(chaolu).call('squad.tasks', {})).orders.map((o) => o.id)).toEqual([id])
    expect((await app.as(chaolu).call('order.advance', { id, event: 'depart' })).status).toBe('delivering')
  })

  it('while delivering: the steps already done stay done for the new holder', async () => {
    const app = await makeApp()
    const id = await atStep(app, ['disinfect_corridor'])
    const v = await app.as(coordinator).call('order.reassign', { id, toId: wangnan })
    expect(v).toMatchObject({ status: 'delivering', holder: { id: wangnan } })
    expect(v.timeline.at(-1)?.note).toBe('改派给王楠')
    expect((await app.as(wangnan).call('order.step', { id, step: 'remove_seal' })).protocol).toHaveLength(2)
  })

  it('指派: a waiting order nobody took goes straight to the named member, off the board', async () => {
    const app = await makeApp()
    const pending = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    const v = await app.as(coordinator).call('order.reassign', { id: pending.id, toId: chaolu, reason: '超时没人接' })
    expect(v).toMatchObject({ status: 'claimed', holder: { id: chaolu, name: '朝鲁门', role: 'squad' } })
    expect(v.timeline.at(-1)).toMatchObject({ event: 'assign', note: '指派给朝鲁门：超时没人接', by: { id: coordinator, role: 'coordinator' } })
    expect((await app.as(chaolu).call('squad.tasks', {})).orders.map((o) => o.id)).toEqual([pending.id])
    expect((await app.as(yuhong).call('squad.board', {})).orders.map((o) => o.id)).not.toContain(pending.id)
    // Nobody can claim it any more: the board's claim loses to the assignment and says who has it.
    const lost = await refusedUnchanged(app, yuhong, 'order.claim', { id: pending.id }, 'ORDER.ALREADY_CLAIMED')
    expect(lost.message).toBe('这个订单已由朝鲁门接单')
  })

  it('only to a squad member of the community, not to the current holder, only before the door', async () => {
    const app = await makeApp()
    const id = await claimedOrder(app)
    const r = await refusedUnchanged(app, coordinator, 'order.reassign', { id, toId: zhao }, 'ORDER.NOT_SQUAD_MEMBER')
    expect(r.message).toBe('对方不是本社区送货小分队成员')
    await refusedUnchanged(app, coordinator, 'order.reassign', { id, toId: coordinator }, 'ORDER.NOT_SQUAD_MEMBER')
    await refusedUnchanged(app, coordinator, 'order.reassign', { id, toId: 'nobody' }, 'ORDER.NOT_SQUAD_MEMBER')
    const same = await refusedUnchanged(app, coordinator, 'order.reassign', { id, toId: yuhong }, 'ORDER.ALREADY_HOLDER')
    expect(same.message).toBe('这个订单已经由于红负责了')
    const bad = await refusedUnchanged(app, coordinator, 'order.reassign', { id, toId: '' }, 'REQUEST.INVALID_INPUT')
    expect(bad.fields).toEqual({ toId: '改派对象的编号格式不正确' })
    const cancelled = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    await app.as(zhao).call('order.cancel', { id: cancelled.id })
    await refusedUnchanged(app, coordinator, 'order.reassign', { id: cancelled.id, toId: chaolu }, 'ORDER.INVALID_TRANSITION')
    const atDoor = await atStep(app, upTo('picked_up'))
    await refusedUnchanged(app, coordinator, 'order.reassign', { id: atDoor, toId: chaolu }, 'ORDER.INVALID_TRANSITION')
  })

  it('is for coordinators of the community only', async () => {
    const app = await makeApp()
    await app.store.people.put({
      id: 'coord-other',
      name: '外社区主任',
      phone: '13900000098',
      households: [],
      squadOf: null,
      coordinatorOf: 'elsewhere',
      createdAt: app.clock.now,
    })
    const id = await claimedOrder(app)
    for (const who of [yuhong, wangnan, zhao]) {
      const r = await refusedUnchanged(app, who, 'order.reassign', { id, toId: chaolu }, 'AUTH.FORBIDDEN')
      expect(r.message).toBe('只有社区工作人员才能进行这个操作')
    }
    await refusedUnchanged(app, 'coord-other', 'order.reassign', { id, toId: chaolu }, 'ORDER.NOT_FOUND')
  })
})

/** Zhao's parents bring medicine and fruit to the gate in 30 minutes; yuhong claims it. */
async function handoverClaimed(app: App) {
  const o = await app.as(zhao).call('order.place', {
    requestId: rid(),
    kind: 'handover',
    handover: { bringer: '父母', items: '药和水果', expectedAt: app.clock.now + 30 * MIN },
  })
  await app.as(yuhong).call('order.claim', { id: o.id })
  return o.id
}

/** The same parcel, at the gate: 已到门岗 recorded (what 已消杀 needs first). */
async function handoverAtGate(app: App) {
  const id = await handoverClaimed(app)
  await app.as(yuhong).call('order.parcelArrived', { id })
  return id
}

describe('parcels from outside (家属送物)', () => {
  it('cannot leave before 已消杀, then waits the community’s hold (2h): refused before, allowed from then', async () => {
    const app = await makeApp()
    const id = await handoverClaimed(app)
    const r0 = await refusedUnchanged(app, yuhong, 'order.advance', { id, event: 'depart' }, 'ORDER.PARCEL_NOT_DISINFECTED')
    expect(r0.message).toBe('家属送来的物品要先消杀登记，静置后才能配送')
    // Not at the gate yet: the hold cannot start.
    const early = await refusedUnchanged(app, yuhong, 'order.disinfectParcel', { id }, 'ORDER.PARCEL_NOT_ARRIVED')
    expect(early.message).toBe('包裹还没到门岗，到了再消杀')

    app.advance(30 * MIN)
    const arrived = await app.as(yuhong).call('order.parcelArrived', { id })
    expect(arrived).toMatchObject({ status: 'claimed', parcelArrivedAt: app.clock.now })
    expect(arrived.disinfectedAt).toBeUndefined()
    app.advance(5 * MIN)
    const T = app.clock.now
    const v = await app.as(yuhong).call('order.disinfectParcel', { id })
    expect(v).toMatchObject({ status: 'claimed', disinfectedAt: T, deliverableAt: T + 120 * MIN })
    expect(v.timeline.at(-1)).toMatchObject({ event: 'disinfect_parcel', by: { id: yuhong } })
    // The squad's task list carries the countdown's end.
    expect((await app.as(yuhong).call('squad.tasks', {})).orders[0]?.deliverableAt).toBe(T + 120 * MIN)

    app.advance(120 * MIN - 1)
    const r = await refusedUnchanged(app, yuhong, 'order.advance', { id, event: 'depart' }, 'ORDER.PARCEL_HOLD')
    expect(r.message).toBe(`消杀后需静置2小时，${formatBeijing(T + 120 * MIN, 'HH:mm')}后可配送`)
    expect(r.message).toBe('消杀后需静置2小时，11:35后可配送')

    app.advance(1)
    expect((await app.as(yuhong).call('order.advance', { id, event: 'depart' })).status).toBe('delivering')
    for (const step of PROTOCOL_STEPS) await app.as(yuhong).call('order.step', { id, step })
    expect(await app.store.orders.get(id)).toMatchObject({ status: 'delivered', outcome: 'handed' })
  })

  it('the hold is the community’s setting', async () => {
    const app = await makeApp()
    const community = (await app.store.communities.get(DEMO_COMMUNITY_ID))!
    await app.store.communities.put({ ...community, parcelHoldMinutes: 90 })
    const id = await handoverAtGate(app)
    const T = app.clock.now
    expect((await app.as(yuhong).call('order.disinfectParcel', { id })).deliverableAt).toBe(T + 90 * MIN)
    app.advance(89 * MIN)
    const r = await refusedUnchanged(app, yuhong, 'order.advance', { id, event: 'depart' }, 'ORDER.PARCEL_HOLD')
    expect(r.message).toBe('消杀后需静置1小时30分钟，10:30后可配送')
  })

  it('the coordinator sets the hold by a choice; the squad sees it; bad values and other roles change nothing', async () => {
    const app = await makeApp()
    const me = await app.as(coordinator).call('coord.setParcelHold', { minutes: 60 })
    expect(me.coordinator?.parcelHoldMinutes).toBe(60)
    expect((await app.as(yuhong).call('me.get', {})).squad?.parcelHoldMinutes).toBe(60)
    const id = await handoverAtGate(app)
    const T = app.clock.now
    expect((await app.as(yuhong).call('order.disinfectParcel', { id })).deliverableAt).toBe(T + 60 * MIN)

    const bad = await app.as(coordinator).refused('coord.setParcelHold', { minutes: 5 } as never)
    expect(bad.code).toBe('REQUEST.INVALID_INPUT')
    expect(bad.fields).toEqual({ minutes: '静置时间只能选 30分钟、1小时、2小时、3小时、4小时' })
    for (const who of [yuhong, zhao]) {
      expect((await app.as(who).refused('coord.setParcelHold', { minutes: 30 })).code).toBe('AUTH.FORBIDDEN')
    }
    expect((await app.store.communities.get(DEMO_COMMUNITY_ID))?.parcelHoldMinutes).toBe(60)
    // A parcel already waiting keeps the time it was given.
    await app.as(coordinator).call('coord.setParcelHold', { minutes: 240 })
    expect((await app.store.orders.get(id))?.deliverableAt).toBe(T + 60 * MIN)
  })

  it('the partner may record 已消杀; released and re-claimed, the parcel keeps its disinfection time', async () => {
    const app = await makeApp()
    const id = await handoverAtGate(app)
    await app.as(yuhong).call('order.addPartner', { id, partnerId: wangnan })
    const T = app.clock.now
    await app.as(wangnan).call('order.disinfectParcel', { id })
    await app.as(yuhong).call('order.release', { id, reason: '要去送急药' })
    const board = await app.as(chaolu).call('squad.board', {})
    expect(board.orders.find((o) => o.id === id)).toMatchObject({ disinfectedAt: T, deliverableAt: T + 120 * MIN })
    await app.as(chaolu).call('order.claim', { id })
    await refusedUnchanged(app, chaolu, 'order.advance', { id, event: 'depart' }, 'ORDER.PARCEL_HOLD')
  })

  it('only once, only on parcels, only once claimed', async () => {
    const app = await makeApp()
    const id = await handoverAtGate(app)
    await app.as(yuhong).call('order.disinfectParcel', { id })
    app.advance(MIN)
    await refusedUnchanged(app, yuhong, 'order.disinfectParcel', { id }, 'ORDER.PARCEL_ALREADY_DISINFECTED')
    const supplies = await claimedOrder(app)
    await refusedUnchanged(app, yuhong, 'order.disinfectParcel', { id: supplies }, 'ORDER.NOT_A_PARCEL')
    const pending = await app.as(zhao).call('order.place', {
      requestId: rid(),
      kind: 'handover',
      handover: { bringer: '女儿', items: '奶粉', expectedAt: app.clock.now + 60 * MIN },
    })
    await refusedUnchanged(app, yuhong, 'order.disinfectParcel', { id: pending.id }, 'ORDER.INVALID_TRANSITION')
  })
})
