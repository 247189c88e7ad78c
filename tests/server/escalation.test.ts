/**
 * The timer job's overdue escalation with a controlled clock, on SQLite through the real
 * dispatcher: claim and delivery deadlines flagged separately, coordinators told once per order and
 * deadline (inbox of each coordinator + the staff group), every community covered, robot or not.
 */
import { describe, expect, it } from 'vitest'
import { cloudNotifyConfig } from '../../src/server/notify/config'
import { runJobs } from '../../src/server/notify/jobs'
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, rid } from '../support/app'
import { noticesOf, type Notice } from '../support/notices'

const MIN = 60_000
const { zhao, zhang, yuhong, coordinator } = DEMO_PEOPLE

async function setup() {
  const app = await makeApp()
  // A second coordinator of the same community: both must hear.
  await app.store.people.put({ id: 'coord-wu', name: '吴干事', phone: '13900000010', households: [], squadOf: null, coordinatorOf: DEMO_COMMUNITY_ID, createdAt: app.clock.now })
  const state = { lastRun: 0, queued: new Set<string>() }
  const config = cloudNotifyConfig({})
  const tick = () => runJobs(app.deps, config, app.clock.now, state)
  /** The overdue notices: robot records, and each coordinator's inbox item (on SQLite it has no record). */
  const queue = async (): Promise<Notice[]> =>
    (await noticesOf(app.store, DEMO_COMMUNITY_ID, [coordinator, 'coord-wu'], app.clock.now)).filter((n) => n.kind === 'overdue')
  return { app, tick, queue }
}

describe('overdue escalation (timer job)', () => {
  it('an unclaimed urgent order is flagged at 30 minutes, not at 29; each coordinator and the staff group told once', async () => {
    const { app, tick, queue } = await setup()
    // No robot is configured for the demo community, and the config lists no communities.
    expect(await app.store.robots.list()).toEqual([])
    const placedAt = app.clock.now
    const o = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'supplies', urgency: 'urgent', urgentReason: '低血糖', lines: [{ itemId: 'rice', qty: 1 }] })
    expect(o.claimDueAt).toBe(placedAt + 30 * MIN)

    app.clock.now = placedAt + 29 * MIN
    expect(await tick()).toBe(0)
    expect((await app.store.orders.get(o.id))!.claimOverdueAt).toBeUndefined()

    app.clock.now = placedAt + 30 * MIN
    expect(await tick()).toBe(3)
    const flagged = (await app.store.orders.get(o.id))!
    expect(flagged).toMatchObject({ status: 'pending', claimOverdueAt: placedAt + 30 * MIN, version: o.version + 1, watchAt: o.dueAt })
    expect(flagged.deliverOverdueAt).toBeUndefined()
    const sent = await queue()
    expect(sent.map((n) => `${n.channel}:${n.to}`).sort()).toEqual(['inbox:coord-liu', 'inbox:coord-wu', 'robot:coordinators'])
    const staff = sent.find((n) => n.channel === 'robot')!
    expect(staff.body).toContain('1号楼1单元一单生活物资（待接单）已超时1分钟，还没有人接单')
    // Building, unit and kind only: no room, no name, no health detail.
    for (const n of sent) {
      expect(n.body).not.toMatch(/301|赵|低血糖/)
      expect(n.orderId).toBe(o.id)
    }
    expect(sent.find((n) => n.to === coordinator)).toMatchObject({ title: '超时未接单' })

    // The next minutes queue nothing new: the flag is on the order, the watch moved to the delivery deadline.
    for (let i = 1; i <= 3; i++) {
      app.clock.now = placedAt + (30 + i) * MIN
      expect(await tick()).toBe(0)
    }
    expect(await queue()).toHaveLength(3)
    expect((await app.store.orders.get(o.id))!.version).toBe(o.version + 1)
  })

  it('a claimed order past its delivery deadline is flagged for delivery (not for claim)', async () => {
    const { app, tick, queue } = await setup()
    const placedAt = app.clock.now
    const o = await app.as(zhang).call('order.place', { requestId: rid(), kind: 'supplies', urgency: 'urgent', urgentReason: '药吃完了', lines: [{ itemId: 'rice', qty: 1 }] })
    app.clock.now = placedAt + 10 * MIN
    await app.as(yuhong).call('order.claim', { id: o.id })
    app.clock.now = placedAt + 45 * MIN // past the claim deadline, but it was claimed in time
    expect(await tick()).toBe(0)
    app.clock.now = placedAt + 119 * MIN
    expect(await tick()).toBe(0)
    app.clock.now = placedAt + 120 * MIN
    expect(await tick()).toBe(3)
    const stored = (await app.store.orders.get(o.id))!
    expect(stored).toMatchObject({ status: 'claimed', deliverOverdueAt: placedAt + 120 * MIN })
    expect(stored.claimOverdueAt).toBeUndefined()
    expect(stored.watchAt).toBeUndefined()
    const sent = await queue()
    expect(sent.find((n) => n.channel === 'robot')!.body).toContain('（已接单）已超时1分钟，还没有送达')
    expect(sent.find((n) => n.to === 'coord-wu')).toMatchObject({ channel: 'inbox', title: '超时未送达' })
    app.clock.now += 10 * MIN
    expect(await tick()).toBe(0)
    expect(await queue()).toHaveLength(3)
  })

  it('covers every community with open orders, robot or not, and leaves closed orders alone', async () => {
    const { app, tick } = await setup()
    // Another community nobody configured anything for.
    await app.store.communities.put({ id: 'c-far', name: '远方社区', buildings: [{ id: 'fb1', name: '8号楼', gridId: 'fg1' }], parcelHoldMinutes: 60, createdAt: app.clock.now })
    await app.store.households.put({ id: 'f-1', communityId: 'c-far', buildingId: 'fb1', building: '8号楼', unit: 1, floor: 1, room: '101', code: '111222', isolation: 'home_isolation', specialNeeds: [], residentName: '钱一', phone: '13700000001' })
    await app.store.people.put({ id: 'res-far', name: '钱先生', phone: '13700000001', households: ['f-1'], squadOf: null, coordinatorOf: null, createdAt: app.clock.now })
    const placedAt = app.clock.now
    const far = await app.as('res-far').call('order.place', { requestId: rid(), kind: 'garbage' })
    const cancelled = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    await app.as(zhao).call('order.cancel', { id: cancelled.id })
    app.clock.now = placedAt + 120 * MIN
    await tick()
    expect((await app.store.orders.get(far.id))!.claimOverdueAt).toBe(placedAt + 120 * MIN)
    const c = (await app.store.orders.get(cancelled.id))!
    expect(c.claimOverdueAt).toBeUndefined()
    expect(c.watchAt).toBeUndefined()
  })

  it('a claim racing the flag: the job re-reads and decides again (claimed in time → nothing to flag)', async () => {
    const { app, queue } = await setup()
    const placedAt = app.clock.now
    const o = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    const stale = (await app.store.orders.get(o.id))!
    await app.as(yuhong).call('order.claim', { id: o.id })
    // The store still lists the stale copy for this run (as if read just before the claim).
    const real = app.store.orders.listDue.bind(app.store.orders)
    app.store.orders.listDue = async () => [stale]
    app.clock.now = placedAt + 121 * MIN
    const { escalateOverdue } = await import('../../src/server/notify/escalation')
    expect(await escalateOverdue(app.deps, app.clock.now)).toBe(0)
    app.store.orders.listDue = real
    const stored = (await app.store.orders.get(o.id))!
    expect(stored).toMatchObject({ status: 'claimed', holder: { id: yuhong } })
    expect(stored.claimOverdueAt).toBeUndefined()
    expect(await queue()).toEqual([])
  })
})
