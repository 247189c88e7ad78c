/**
 * Late doorstep steps through the real dispatcher on SQLite: a step tapped offline arrives with
 * tappedAt and is recorded at that time; a resend is the same step (no write, no second
 * notification); out-of-bounds times and orders that moved on are refused plainly, nothing applied.
 */
import { describe, expect, it } from 'vitest'
import type { ErrorCode } from '../../src/core/errors'
import type { ProtocolStep } from '../../src/core/order/protocol'
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, rid } from '../support/app'

const { zhao, yuhong, wangnan, coordinator } = DEMO_PEOPLE
const MIN = 60_000
type App = Awaited<ReturnType<typeof makeApp>>

/** Zhao orders rice; yuhong claims it, departs, and taps these steps one minute apart (online). */
async function departed(app: App, steps: readonly ProtocolStep[] = []) {
  const o = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
  await app.as(yuhong).call('order.claim', { id: o.id })
  app.advance(MIN)
  await app.as(yuhong).call('order.advance', { id: o.id, event: 'depart' })
  for (const step of steps) {
    app.advance(MIN)
    await app.as(yuhong).call('order.step', { id: o.id, step })
  }
  return o.id
}

const notificationCount = async (app: App) =>
  (await app.store.notifications.list({ communityId: DEMO_COMMUNITY_ID, limit: 100, cursor: null })).items.length

/** Refused with `code`, and the stored order exactly as before. */
async function refusedUnchanged(app: App, who: string, input: { id: string; step: ProtocolStep; tappedAt?: number }, code: ErrorCode) {
  const before = await app.store.orders.get(input.id)
  const r = await app.as(who).refused('order.step', input)
  expect(r.code).toBe(code)
  expect(await app.store.orders.get(input.id)).toEqual(before)
  return r
}

describe('a step tapped offline, sent later', () => {
  it('is recorded at the time it was tapped, on the step and on the timeline', async () => {
    const app = await makeApp()
    const id = await departed(app, ['disinfect_corridor'])
    const tappedAt = app.clock.now + 30_000
    app.advance(5 * MIN)
    const v = await app.as(yuhong).call('order.step', { id, step: 'remove_seal', tappedAt })
    expect(v.protocol!.at(-1)).toMatchObject({ step: 'remove_seal', at: tappedAt, by: { id: yuhong } })
    expect(v.timeline.at(-1)).toMatchObject({ event: 'remove_seal', at: tappedAt })
    expect((await app.store.orders.get(id))!.updatedAt).toBe(app.clock.now)
  })

  it('two queued steps in tap order keep their own times; the second moves the order to at_door', async () => {
    const app = await makeApp()
    const id = await departed(app, ['disinfect_corridor'])
    const t1 = app.clock.now + 20_000
    const t2 = app.clock.now + 50_000
    app.advance(4 * MIN)
    await app.as(yuhong).call('order.step', { id, step: 'remove_seal', tappedAt: t1 })
    const v = await app.as(yuhong).call('order.step', { id, step: 'call_resident', tappedAt: t2 })
    expect(v.status).toBe('at_door')
    expect(v.protocol!.map((r) => r.at).slice(1)).toEqual([t1, t2])
  })

  it('a resend of a step that landed is answered ok as it is: nothing written, no second notification', async () => {
    const app = await makeApp()
    const id = await departed(app, ['disinfect_corridor', 'remove_seal'])
    const tappedAt = app.clock.now + 10_000
    app.advance(MIN)
    const first = await app.as(yuhong).call('order.step', { id, step: 'call_resident', tappedAt })
    const stored = await app.store.orders.get(id)
    const sent = await notificationCount(app)
    app.advance(MIN)
    const again = await app.as(yuhong).call('order.step', { id, step: 'call_resident', tappedAt })
    expect(again.version).toBe(first.version)
    expect(again.protocol).toEqual(first.protocol)
    expect(await app.store.orders.get(id)).toEqual(stored)
    expect(await notificationCount(app)).toBe(sent)
  })

  it('a resend after an online tap that timed out (recorded without tappedAt) is the same step', async () => {
    const app = await makeApp()
    const id = await departed(app, ['disinfect_corridor'])
    const before = await app.store.orders.get(id)
    expect(before!.protocol).toHaveLength(1)
    const r = await app.as(yuhong).call('order.step', { id, step: 'disinfect_corridor', tappedAt: app.clock.now - 10_000 })
    expect(r.version).toBe(before!.version)
    expect(await app.store.orders.get(id)).toEqual(before)
  })

  it('without tappedAt a repeated tap is still refused as 已登记', async () => {
    const app = await makeApp()
    const id = await departed(app, ['disinfect_corridor'])
    const r = await refusedUnchanged(app, yuhong, { id, step: 'disinfect_corridor' }, 'ORDER.STEP_OUT_OF_ORDER')
    expect(r.message).toBe('「消杀楼道」已登记，现在应进行「拆除封条」')
  })
})

describe('bounds', () => {
  it('more than 2 minutes in the future is refused; less is recorded now', async () => {
    const app = await makeApp()
    const id = await departed(app)
    const r = await refusedUnchanged(app, yuhong, { id, step: 'disinfect_corridor', tappedAt: app.clock.now + 3 * MIN }, 'ORDER.STEP_TIME_INVALID')
    expect(r.message).toContain('手机时间比实际时间快了很多')
    const v = await app.as(yuhong).call('order.step', { id, step: 'disinfect_corridor', tappedAt: app.clock.now + MIN })
    expect(v.protocol![0]!.at).toBe(app.clock.now)
  })

  it('a tap from before this attempt (before 无人应答 and the new depart) is refused, nothing applied', async () => {
    const app = await makeApp()
    const id = await departed(app, ['disinfect_corridor', 'remove_seal', 'call_resident'])
    const oldTap = app.clock.now
    app.advance(MIN)
    await app.as(yuhong).call('order.advance', { id, event: 'no_answer' })
    app.advance(30 * MIN)
    await app.as(yuhong).call('order.advance', { id, event: 'depart' })
    app.advance(MIN)
    const r = await refusedUnchanged(app, yuhong, { id, step: 'disinfect_corridor', tappedAt: oldTap }, 'ORDER.STEP_TIME_INVALID')
    expect(r.details).toMatchObject({ reason: 'before_attempt' })
  })

  it('a tap earlier than the previous step (slow phone clock) is recorded at the previous step', async () => {
    const app = await makeApp()
    const id = await departed(app, ['disinfect_corridor'])
    const prev = (await app.store.orders.get(id))!.protocol![0]!.at
    app.advance(MIN)
    const v = await app.as(yuhong).call('order.step', { id, step: 'remove_seal', tappedAt: prev - 30_000 })
    expect(v.protocol![1]!.at).toBe(prev)
  })
})

describe('the order changed while the phone was offline', () => {
  it('reassigned to someone else: ORDER.NOT_HOLDER, said plainly', async () => {
    const app = await makeApp()
    const id = await departed(app, ['disinfect_corridor'])
    const tappedAt = app.clock.now + 10_000
    app.advance(MIN)
    await app.as(coordinator).call('order.reassign', { id, toId: wangnan })
    const r = await refusedUnchanged(app, yuhong, { id, step: 'remove_seal', tappedAt }, 'ORDER.NOT_HOLDER')
    expect(r.message).toBe('这个订单已经改派给别人了，刚才离线时点的「拆除封条」没有记上')
  })

  it('returned to the board: ORDER.INVALID_TRANSITION, said plainly', async () => {
    const app = await makeApp()
    const id = await departed(app, ['disinfect_corridor', 'remove_seal', 'call_resident'])
    const tappedAt = app.clock.now + 10_000
    // On the other phone: 无人应答, then 退回.
    await app.as(yuhong).call('order.advance', { id, event: 'no_answer' })
    await app.as(yuhong).call('order.release', { id, reason: '临时有急事' })
    app.advance(MIN)
    const r = await refusedUnchanged(app, yuhong, { id, step: 'picked_up', tappedAt }, 'ORDER.INVALID_TRANSITION')
    expect(r.message).toBe('这个订单已经退回任务大厅，刚才离线时点的「居民已取」没有记上')
  })

  it('cancelled: ORDER.INVALID_TRANSITION, said plainly', async () => {
    const app = await makeApp()
    const id = await departed(app, ['disinfect_corridor', 'remove_seal', 'call_resident'])
    const tappedAt = app.clock.now + 10_000
    await app.as(yuhong).call('order.advance', { id, event: 'no_answer' })
    await app.as(yuhong).call('order.release', { id, reason: '临时有急事' })
    await app.as(zhao).call('order.cancel', { id })
    app.advance(MIN)
    const r = await refusedUnchanged(app, yuhong, { id, step: 'picked_up', tappedAt }, 'ORDER.INVALID_TRANSITION')
    expect(r.message).toBe('这个订单已经取消了，刚才离线时点的「居民已取」没有记上')
  })
})
