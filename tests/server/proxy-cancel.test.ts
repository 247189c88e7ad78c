/**
 * order.cancelProxy over the api on both stores (SQLite and CloudBase through the real
 * wx-server-sdk): the squad member who placed a 代下单 withdraws it while nobody has claimed it; a
 * 重复下单 is cancelled by the placer, the holder or a coordinator, keeping the household's open twin.
 * The household hears which order is kept (inbox only); the board and the figures follow.
 * Also 已到门岗 (order.parcelArrived) tells the household.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ErrorCode } from '../../src/core/errors'
import { orderNo } from '../../src/core/order/duplicate'
import { beijingDate } from '../../src/core/time'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import { openSqlite } from '../../src/server/adapters/sqlite'
import type { Store } from '../../src/server/ports'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { rid, T0 } from '../support/app'
import { makeNotifyApp } from '../support/notify'
import { startRobotServer, type RobotServer } from '../support/robot-server'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'

const { zhao, yuhong, wangnan, chaolu, coordinator } = DEMO_PEOPLE
const HOUSEHOLD = 'h1-1-301' // 赵先生's
const MIN = 60_000

let robots: RobotServer
beforeEach(async () => {
  robots = await startRobotServer(() => T0)
})
afterEach(async () => {
  await robots.close()
})

const adapters: [string, () => Promise<Store>][] = [
  ['sqlite', async () => openSqlite({ file: ':memory:' })],
  ['cloudbase (real wx-server-sdk)', async () => openCloudbase(await openSdkDatabase(new SdkDbEngine()))],
]

describe.each(adapters)('the squad cancels a 代下单 (%s)', (_name, makeStore) => {
  async function setup() {
    const app = await makeNotifyApp({ store: await makeStore(), robots, now: T0 })
    /** 赵先生 ordered rice himself; 王楠 then placed the same for him (he had phoned the community). */
    const own = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
    app.advance(5 * MIN)
    const proxy = await app
      .as(wangnan)
      .call('order.place', { requestId: rid(), householdId: HOUSEHOLD, kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
    await app.fresh()
    return { app, own, proxy }
  }
  type App = Awaited<ReturnType<typeof setup>>['app']

  async function refusedUnchanged(app: App, who: string, input: Record<string, unknown> & { id: string }, code: ErrorCode) {
    const before = await app.store.orders.get(input.id)
    const r = await app.as(who).refused('order.cancelProxy', input)
    expect(r.code).toBe(code)
    expect(await app.store.orders.get(input.id)).toEqual(before)
    expect(await app.fresh()).toEqual([])
    return r
  }

  it('unclaimed: its placer withdraws it; it leaves the board and the household hears it is cancelled', async () => {
    const { app, proxy } = await setup()
    await refusedUnchanged(app, yuhong, { id: proxy.id, reason: 'withdrawn' }, 'ORDER.NOT_PLACER')
    const v = await app.as(wangnan).call('order.cancelProxy', { id: proxy.id, reason: 'withdrawn' })
    expect(v).toMatchObject({ status: 'cancelled' })
    expect(v.timeline.at(-1)).toMatchObject({ event: 'cancel', by: { id: wangnan, role: 'squad' }, note: '社工撤回代下单' })
    expect(await app.fresh()).toEqual([`inbox:cancelled:${zhao}`])
    const board = await app.as(chaolu).call('squad.board', {})
    expect(board.orders.map((o) => o.id)).not.toContain(proxy.id)
  })

  it('claimed by someone else: withdrawing is refused (ALREADY_CLAIMED, names the holder); 重复下单 by the placer keeps the twin and tells the household which', async () => {
    const { app, own, proxy } = await setup()
    await app.as(yuhong).call('order.claim', { id: proxy.id })
    await app.fresh()
    const r = await refusedUnchanged(app, wangnan, { id: proxy.id, reason: 'withdrawn' }, 'ORDER.ALREADY_CLAIMED')
    expect(r.message).toContain('于红')
    // Someone who neither placed nor holds it.
    await refusedUnchanged(app, chaolu, { id: proxy.id, reason: 'duplicate' }, 'ORDER.NOT_PLACER')
    // Residents have no squad standing for this action.
    await refusedUnchanged(app, zhao, { id: proxy.id, reason: 'duplicate' }, 'AUTH.FORBIDDEN')

    const v = await app.as(wangnan).call('order.cancelProxy', { id: proxy.id, reason: 'duplicate' })
    expect(v).toMatchObject({ status: 'cancelled', duplicateOf: own.id })
    expect(v.timeline.at(-1)).toMatchObject({ event: 'cancel_duplicate', note: `重复下单，保留订单${orderNo(own.id)}` })
    expect(await app.fresh()).toEqual([`inbox:duplicate_cancelled:${zhao}`])
    await app.dispatcher.drain()
    const item = (await app.as(zhao).call('inbox.list', {})).items.find((i) => i.kind === 'duplicate_cancelled')
    expect(item?.body).toContain(`您的重复订单已取消，保留订单${orderNo(own.id)}`)
    // The robot groups heard nothing of it.
    expect(robots.posts.filter((p) => p.content.includes('重复'))).toEqual([])

    // Off 于红's tasks, the twin untouched; the resident's list shows both, one cancelled.
    expect((await app.as(yuhong).call('squad.tasks', {})).orders.map((o) => o.id)).not.toContain(proxy.id)
    expect((await app.store.orders.get(own.id))?.status).toBe('pending')
    const stats = await app.as(coordinator).call('coord.stats', {})
    const today = stats.days.find((d) => d.date === beijingDate(app.clock.now))
    expect(today).toMatchObject({ placed: 2, cancelled: 1 })
  })

  it('the holder or a coordinator may cancel a 重复下单 too; a named twin must be an open order of the same household', async () => {
    const { app, own, proxy } = await setup()
    await app.as(yuhong).call('order.claim', { id: proxy.id })
    await app.fresh()
    const other = await app.as(DEMO_PEOPLE.zhang).call('order.place', { requestId: rid(), kind: 'garbage' })
    await app.fresh()
    const r1 = await refusedUnchanged(app, yuhong, { id: proxy.id, reason: 'duplicate', duplicateOf: other.id }, 'ORDER.NOT_DUPLICATE')
    expect(r1.message).toBe('要保留的订单不是同一户的，不是重复下单')
    await refusedUnchanged(app, yuhong, { id: proxy.id, reason: 'duplicate', duplicateOf: proxy.id }, 'ORDER.NOT_DUPLICATE')
    await refusedUnchanged(app, yuhong, { id: proxy.id, reason: 'duplicate', duplicateOf: 'o-does-not-exist' }, 'ORDER.NOT_DUPLICATE')

    const v = await app.as(yuhong).call('order.cancelProxy', { id: proxy.id, reason: 'duplicate', duplicateOf: own.id })
    expect(v).toMatchObject({ status: 'cancelled', duplicateOf: own.id })
    expect(await app.fresh()).toEqual([`inbox:duplicate_cancelled:${zhao}`])

    // Now the household has one open order: cancelling it as a duplicate has no twin left.
    const r2 = await refusedUnchanged(app, coordinator, { id: own.id, reason: 'duplicate' }, 'ORDER.NOT_DUPLICATE')
    expect(r2.message).toBe('这一户没有别的未完成订单，不是重复下单')
  })

  it('已到门岗 tells the household by inbox; 已消杀 before it is refused and writes nothing', async () => {
    const { app } = await setup()
    const parcel = await app.as(zhao).call('order.place', {
      requestId: rid(),
      kind: 'handover',
      handover: { bringer: '父母', items: '药和水果', expectedAt: app.clock.now + 20 * 60 * MIN },
    })
    await app.as(yuhong).call('order.claim', { id: parcel.id })
    await app.fresh()
    const before = await app.store.orders.get(parcel.id)
    expect((await app.as(yuhong).refused('order.disinfectParcel', { id: parcel.id })).code).toBe('ORDER.PARCEL_NOT_ARRIVED')
    expect(await app.store.orders.get(parcel.id)).toEqual(before)
    app.advance(20 * 60 * MIN)
    await app.as(yuhong).call('order.parcelArrived', { id: parcel.id })
    expect(await app.fresh()).toEqual([`inbox:parcel_arrived:${zhao}`])
    expect((await app.as(yuhong).refused('order.parcelArrived', { id: parcel.id })).code).toBe('ORDER.PARCEL_ALREADY_ARRIVED')
    const seen = await app.as(zhao).call('order.get', { id: parcel.id })
    expect(seen.parcelArrivedAt).toBe(app.clock.now)
  })
})
