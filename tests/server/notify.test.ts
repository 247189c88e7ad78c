/**
 * Notifications end to end on SQLite and on the in-memory cloud database: each state change
 * produces exactly the expected records on each channel, written atomically with the order, and
 * the dispatcher delivers them (inbox items, subscribe messages, robot posts to a real HTTP server).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import { openSqlite } from '../../src/server/adapters/sqlite'
import type { Store } from '../../src/server/ports'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { rid, T0 } from '../support/app'
import { makeNotifyApp, TEMPLATES } from '../support/notify'
import { startRobotServer, type RobotServer } from '../support/robot-server'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'

const { zhao, yuhong, wangnan, coordinator } = DEMO_PEOPLE
const SON = 'res-zhao-son'

let robots: RobotServer
let clock = { now: T0 }
beforeEach(async () => {
  clock = { now: T0 }
  robots = await startRobotServer(() => clock.now)
})
afterEach(async () => {
  await robots.close()
})

/** Name, store, and whether it delivers an order's inbox notices with the order (ports.ts, OrderRepo.update). */
const adapters: [string, () => Promise<Store>, boolean][] = [
  ['sqlite', async () => openSqlite({ file: ':memory:' }), true],
  ['cloudbase (real wx-server-sdk)', async () => openCloudbase(await openSdkDatabase(new SdkDbEngine())), false],
]

async function app(makeStore: () => Promise<Store>) {
  const a = await makeNotifyApp({ store: await makeStore(), robots, now: T0 })
  clock = a.clock
  // A second member of 赵's household: notifications fan out to every member but the actor.
  await a.store.people.put({
    id: SON,
    name: '赵小军',
    phone: '13800009999',
    households: ['h1-1-301'],
    squadOf: null,
    coordinatorOf: null,
    createdAt: T0,
  })
  a.watchInbox(SON)
  return a
}

const household = (kind: string, channels: string[], people = [zhao, SON]) =>
  people.flatMap((p) => channels.map((c) => `${c}:${kind}:${p}`)).sort()

describe.each(adapters)('each state change produces exactly the expected notifications (%s)', (_name, makeStore, inboxWithOrder) => {
  it('a delivery from order to door to 已送达', async () => {
    const a = await app(makeStore)
    const o = await a.as(zhao).call('order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
    expect(await a.fresh()).toEqual([])

    a.advance(60_000)
    await a.run(yuhong, o.id, { type: 'claim' })
    expect(await a.fresh()).toEqual(household('claimed', ['inbox', 'subscribe']))
    await a.run(yuhong, o.id, { type: 'depart' })
    expect(await a.fresh()).toEqual([])
    await a.run(yuhong, o.id, { type: 'step', step: 'disinfect_corridor' })
    expect(await a.fresh()).toEqual(['robot:arriving:b1'])
    await a.run(yuhong, o.id, { type: 'step', step: 'remove_seal' })
    expect(await a.fresh()).toEqual([])
    await a.run(yuhong, o.id, { type: 'step', step: 'call_resident' })
    expect(await a.fresh()).toEqual(household('at_door', ['inbox', 'subscribe']))
    await a.run(yuhong, o.id, { type: 'step', step: 'picked_up' })
    await a.run(yuhong, o.id, { type: 'step', step: 'restore_seal' })
    expect(await a.fresh()).toEqual([])
    await a.run(yuhong, o.id, { type: 'step', step: 'disinfect_again' })
    expect(await a.fresh()).toEqual(household('delivered', ['inbox', 'subscribe']))
    await a.as(zhao).call('order.confirm', { id: o.id })
    await a.as(zhao).call('order.rate', { id: o.id, stars: 5, comment: '' })
    expect(await a.fresh()).toEqual([])
  })

  it('无人应答, a second door in the same unit, release, reassign, cancel, urgent', async () => {
    const a = await app(makeStore)
    const one = await a.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    // Another household in the same building and unit (1号楼1单元), ordered by a squad member.
    const two = await a.as(wangnan).call('order.place', { requestId: rid(), kind: 'garbage', householdId: 'h1-1-102' })
    await a.fresh()
    await a.toDoor(yuhong, one.id)
    expect(await a.fresh()).toEqual(
      [...household('claimed', ['inbox', 'subscribe']), 'robot:arriving:b1', ...household('at_door', ['inbox', 'subscribe'])].sort(),
    )
    await a.run(yuhong, one.id, { type: 'no_answer' })
    expect(await a.fresh()).toEqual(household('no_answer', ['inbox', 'subscribe']))

    // Same unit within the quarter hour: the group already knows; h1-1-102 has no app users.
    a.advance(5 * 60_000)
    await a.toDoor(wangnan, two.id)
    expect(await a.fresh()).toEqual([])

    await a.run(yuhong, one.id, { type: 'release', reason: '临时有事' })
    expect(await a.fresh()).toEqual(household('released', ['inbox']))
    await a.run(wangnan, one.id, { type: 'claim' })
    await a.fresh()
    await a.as(coordinator).call('order.reassign', { id: one.id, toId: yuhong })
    expect(await a.fresh()).toEqual([...household('reassigned', ['inbox']), `inbox:handed_to_you:${yuhong}`].sort())

    // 指派 a waiting order: for the household it is the same news as a claim.
    const four = await a.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    await a.fresh()
    await a.as(coordinator).call('order.reassign', { id: four.id, toId: wangnan })
    expect(await a.fresh()).toEqual([...household('claimed', ['inbox', 'subscribe']), `inbox:handed_to_you:${wangnan}`].sort())
    // The new holder's message names the building and unit, never the door or the resident.
    await a.dispatcher.drain()
    const handed = (await a.as(wangnan).call('inbox.list', {})).items.find((i) => i.kind === 'handed_to_you')
    expect(handed).toMatchObject({ title: '新任务', orderId: four.id, body: '社区把1号楼1单元的一单清运垃圾交给您了。请尽快处理。' })

    // The resident cancels: the other member hears, the one who cancelled does not.
    const three = await a.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    await a.as(zhao).call('order.cancel', { id: three.id })
    expect(await a.fresh()).toEqual(household('cancelled', ['inbox'], [SON]))

    await a.as(zhao).call('order.place', { requestId: rid(), kind: 'supplies', urgency: 'urgent', urgentReason: '降压药快吃完了', lines: [{ itemId: 'rice', qty: 1 }] })
    expect(await a.fresh()).toEqual(['robot:urgent:coordinators'])
  })

  it('a lost race writes no notifications: 20 claims at once, one set of records', async () => {
    const a = await app(makeStore)
    const o = await a.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    const squad = [yuhong, wangnan, DEMO_PEOPLE.chaolu]
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => a.run(squad[i % 3]!, o.id, { type: 'claim' })))
    // One person wins; their other claims are resends, answered as they are (core/order/resend.ts).
    const holders = new Set(results.map((r) => (r.status === 'fulfilled' ? r.value.holder?.id : null)).filter(Boolean))
    expect(holders.size).toBe(1)
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeLessThanOrEqual(7)
    expect(await a.fresh()).toEqual(household('claimed', ['inbox', 'subscribe']))
  })

  it('the dispatcher delivers each record once per channel: inbox, subscribe, robot', async () => {
    const a = await app(makeStore)
    await a.as(zhao).call('notify.consent', { results: { errMsg: 'requestSubscribeMessage:ok', [TEMPLATES.claimed.id]: 'accept', [TEMPLATES.at_door.id]: 'accept' } })
    const o = await a.as(zhao).call('order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }, { itemId: 'egg', qty: 2 }] })
    a.advance(60_000)
    await a.toDoor(yuhong, o.id)
    expect(a.kicks()).toBeGreaterThan(0)
    const report = await a.dispatcher.drain()
    // Four inbox notices (赵 and his son, 已接单 and 请取物), two subscribe messages, one robot post; on
    // SQLite the inbox notices were delivered with the order changes, so the dispatcher sends three.
    expect(report).toMatchObject({ sent: inboxWithOrder ? 3 : 7, failed: 0, posts: 1 })
    // 赵's son never consented: his subscribe records are skipped; his inbox has everything.
    expect(report.skipped).toBe(2)
    const titles = async (who: string) => (await a.as(who).call('inbox.list', {})).items.map((i) => i.title).sort()
    expect(await titles(zhao)).toEqual(['已接单', '请取物'].sort())
    expect(await titles(SON)).toEqual(['已接单', '请取物'].sort())

    a.subscribeSent.sort((x, y) => (x.templateId === TEMPLATES.claimed.id ? -1 : y.templateId === TEMPLATES.claimed.id ? 1 : 0))
    expect(a.subscribeSent.map((s) => [s.touser, s.templateId])).toEqual([
      [zhao, TEMPLATES.claimed.id],
      [zhao, TEMPLATES.at_door.id],
    ])
    expect(a.subscribeSent[0]).toMatchObject({
      page: `resident/pages/detail/index?id=${o.id}`,
      lang: 'zh_CN',
      data: {
        phrase1: { value: '已接单' },
        thing2: { value: '大米等2样' },
        name3: { value: '于红' },
        time4: { value: '2026年11月22日 09:01' },
        character_string5: { value: o.id },
      },
    })
    expect(a.subscribeSent[1]!.data).toEqual({
      phrase1: { value: '请取物' },
      thing2: { value: '社工已到门口，请戴好口罩开门取物' },
      time3: { value: '2026年11月22日 09:01' },
    })
    // One consent per message: none left now.
    const info = await a.as(zhao).call('notify.templates', {})
    expect(info.templates.map((t) => [t.kind, t.left])).toEqual([
      ['claimed', 0],
      ['at_door', 0],
      ['delivered', 0],
      ['no_answer', 0],
    ])

    expect(robots.posts).toHaveLength(1)
    expect(robots.posts[0]).toMatchObject({ robot: 'demo-b1', errcode: 0, problems: [] })
    expect(robots.posts[0]!.body).toEqual({ msgtype: 'markdown', markdown: { content: expect.stringContaining('社工已到1号楼，请1单元居民准备取物') } })

    // Nothing is due any more: a second round sends nothing again.
    expect(await a.dispatcher.drain()).toMatchObject({ claimed: 0, sent: 0, posts: 0 })
    expect((await a.all()).every((n) => n.status === 'sent' || n.status === 'skipped')).toBe(true)
  })
})

describe('subscribe messages: consent and failures', () => {
  it('each accept allows one message; no consent → skipped (the inbox still has it)', async () => {
    const a = await app(adapters[0]![1])
    const accept = (id: string) => ({ results: { [id]: 'accept', [TEMPLATES.at_door.id]: 'reject', 'TMPL-unknown-999': 'accept' } })
    expect((await a.as(zhao).call('notify.consent', accept(TEMPLATES.claimed.id))).templates[0]).toMatchObject({ kind: 'claimed', left: 1 })
    await a.as(zhao).call('notify.consent', accept(TEMPLATES.claimed.id))
    const info = await a.as(zhao).call('notify.templates', {})
    expect(info.templates.find((t) => t.kind === 'claimed')!.left).toBe(2)
    expect(info.templates.find((t) => t.kind === 'at_door')!.left).toBe(0)
    expect(info.askOnOrder).toEqual([TEMPLATES.at_door.id, TEMPLATES.delivered.id, TEMPLATES.no_answer.id])

    for (let i = 0; i < 3; i++) {
      const o = await a.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
      await a.run(yuhong, o.id, { type: 'claim' })
    }
    await a.dispatcher.drain()
    expect(a.subscribeSent.filter((s) => s.touser === zhao)).toHaveLength(2)
    const mine = (await a.all()).filter((n) => n.to === zhao && n.channel === 'subscribe')
    expect(mine.map((n) => n.status).sort()).toEqual(['sent', 'sent', 'skipped'])
    expect(mine.find((n) => n.status === 'skipped')!.lastError).toBe('no_consent')
    expect((await a.as(zhao).call('inbox.list', {})).items).toHaveLength(3)
  })

  it('a transient failure retries without spending a second consent; 43101 skips; 47003 fails and gives the consent back', async () => {
    const a = await app(adapters[0]![1])
    await a.as(zhao).call('notify.consent', { results: { [TEMPLATES.claimed.id]: 'accept' } })
    await a.as(zhao).call('notify.consent', { results: { [TEMPLATES.claimed.id]: 'accept' } })
    const o = await a.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    await a.run(yuhong, o.id, { type: 'claim' })
    a.failSubscribe(-1, -1)
    await a.dispatcher.tick()
    await a.dispatcher.tick()
    let rec = (await a.all()).find((n) => n.to === zhao && n.channel === 'subscribe')!
    expect(rec).toMatchObject({ status: 'pending', attempts: 1, lastError: 'errcode_-1', consumed: true })
    a.advance(6_000)
    await a.dispatcher.tick()
    rec = (await a.store.notifications.get(rec.id))!
    expect(rec.attempts).toBe(2)
    a.advance(11_000)
    await a.dispatcher.tick()
    expect((await a.store.notifications.get(rec.id))!.status).toBe('sent')
    expect(await a.store.consents.counts(zhao)).toEqual({ [TEMPLATES.claimed.id]: 1 })

    // WeChat says no consent is left (our count was out of step): skipped.
    const o2 = await a.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    await a.run(yuhong, o2.id, { type: 'claim' })
    a.failSubscribe(43101)
    await a.dispatcher.drain()
    const skipped = (await a.all()).find((n) => n.orderId === o2.id && n.to === zhao && n.channel === 'subscribe')!
    expect(skipped).toMatchObject({ status: 'skipped', lastError: 'errcode_43101' })

    // Invalid data (never sent): failed at once, consent given back.
    await a.as(zhao).call('notify.consent', { results: { [TEMPLATES.claimed.id]: 'accept' } })
    const o3 = await a.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    await a.run(yuhong, o3.id, { type: 'claim' })
    a.failSubscribe(47003)
    await a.dispatcher.drain()
    const failed = (await a.all()).find((n) => n.orderId === o3.id && n.to === zhao && n.channel === 'subscribe')!
    expect(failed).toMatchObject({ status: 'failed', lastError: 'errcode_47003' })
    expect(await a.store.consents.counts(zhao)).toEqual({ [TEMPLATES.claimed.id]: 1 })
  })
})

describe('inbox actions', () => {
  it('lists newest first with an unread count; marks read by id or all, only one’s own', async () => {
    const a = await app(adapters[0]![1])
    for (let i = 0; i < 3; i++) {
      const o = await a.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
      a.advance(1000)
      await a.run(yuhong, o.id, { type: 'claim' })
    }
    await a.dispatcher.drain()
    const page = await a.as(zhao).call('inbox.list', { limit: 2 })
    expect(page.items).toHaveLength(2)
    expect(page.unread).toBe(3)
    expect(page.next).not.toBeNull()
    expect(page.items[0]).toMatchObject({ kind: 'claimed', title: '已接单', read: false })
    expect(page.items[0]!.createdAt).toBeGreaterThan(page.items[1]!.createdAt)
    const rest = await a.as(zhao).call('inbox.list', { cursor: page.next })
    expect(rest.items).toHaveLength(1)

    expect(await a.as(SON).call('inbox.markRead', { ids: [page.items[0]!.id] })).toEqual({ unread: 3 })
    expect((await a.as(zhao).call('inbox.list', {})).unread).toBe(3)
    expect(await a.as(zhao).call('inbox.markRead', { ids: [page.items[0]!.id] })).toEqual({ unread: 2 })
    expect(await a.as(zhao).call('inbox.markRead', { all: true })).toEqual({ unread: 0 })
    expect((await a.as(zhao).refused('inbox.markRead', {})).code).toBe('REQUEST.INVALID_INPUT')
    // Someone with no records yet has an empty inbox.
    expect(await a.as('stranger-1').call('inbox.list', {})).toEqual({ items: [], next: null, unread: 0 })
  })
})
