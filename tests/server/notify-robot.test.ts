/**
 * Group robots against a real HTTP server: the WeCom body format, 20 posts a minute with merging,
 * retries and backoff, a crash between send and mark, fallbacks, the privacy guard, timed jobs,
 * and the coordinator's robot actions (URLs never leave the server whole).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { utf8Bytes } from '../../src/core/notify/fields'
import { MERGED_HEADER } from '../../src/core/notify/texts'
import type { Notification } from '../../src/core/notify/types'
import { cloudNotifyConfig } from '../../src/server/notify/config'
import { createDispatcher } from '../../src/server/notify/dispatcher'
import { newNotification } from '../../src/server/notify/plan'
import { fetchRobotPoster } from '../../src/server/notify/senders'
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE } from '../../src/server/seed/demo'
import { rid, T0 } from '../support/app'
import { makeNotifyApp, TEMPLATES } from '../support/notify'
import { startRobotServer, type RobotServer } from '../support/robot-server'

const { zhao, yuhong, coordinator } = DEMO_PEOPLE

let robots: RobotServer
let clock = { now: T0 }
beforeEach(async () => {
  clock = { now: T0 }
  robots = await startRobotServer(() => clock.now)
})
afterEach(async () => {
  await robots.close()
})

async function app() {
  const a = await makeNotifyApp({ robots, now: T0 })
  clock = a.clock
  return a
}

let seq = 0
const event = (at: number, over: Partial<Parameters<typeof newNotification>[0]> = {}): Notification =>
  newNotification({
    key: `test-event:${++seq}`,
    channel: 'robot',
    communityId: DEMO_COMMUNITY_ID,
    to: 'coordinators',
    kind: 'notice',
    body: `**社区通知**\n事件E${String(seq).padStart(4, '0')}：请各楼栋志愿者到岗`,
    at,
    ...over,
  })

const eventTag = (n: Notification) => /事件E\d{4}/.exec(n.body)![0]

/** Most accepted posts to one robot within any 60 s window. */
function maxPerMinute(times: number[]): number {
  return Math.max(0, ...times.map((t) => times.filter((u) => u > t - 60_000 && u <= t).length))
}

describe('WeCom robot posts over real HTTP', () => {
  it('every post has the robot format: markdown, content ≤ 4096 bytes, answered { errcode: 0, errmsg: "ok" }', async () => {
    const a = await app()
    await a.store.notifications.enqueue([event(T0), event(T0, { to: 'b2', kind: 'arriving' })])
    await a.dispatcher.drain()
    expect(robots.posts.map((p) => [p.robot, p.errcode, p.problems])).toEqual(
      expect.arrayContaining([
        ['demo-coordinators', 0, []],
        ['demo-b2', 0, []],
      ]),
    )
    for (const p of robots.posts) {
      expect(p.contentType).toMatch(/^application\/json/)
      expect(Object.keys(p.body as object).sort()).toEqual(['markdown', 'msgtype'])
      expect((p.body as { msgtype: string }).msgtype).toBe('markdown')
    }
    expect((await a.all()).map((n) => n.status)).toEqual(['sent', 'sent'])
  })

  it('100 events for one robot at once: at most 20 posts, merged ≤ 4096 bytes, every event in exactly one', async () => {
    const a = await app()
    const events = Array.from({ length: 100 }, () => event(T0))
    await a.store.notifications.enqueue(events)
    // The dispatcher runs every 2 s for the minute.
    for (let t = 0; t < 60_000; t += 2_000) {
      a.clock.now = T0 + t
      await a.dispatcher.tick()
    }
    const posts = robots.accepted('demo-coordinators')
    expect(posts.length).toBeGreaterThan(0)
    expect(posts.length).toBeLessThanOrEqual(20)
    expect(robots.posts.every((p) => p.problems.length === 0 && p.errcode === 0)).toBe(true)
    for (const p of posts) expect(utf8Bytes(p.content)).toBeLessThanOrEqual(4096)
    expect(posts.some((p) => p.content.startsWith(MERGED_HEADER))).toBe(true)
    for (const e of events) expect(posts.filter((p) => p.content.includes(eventTag(e)))).toHaveLength(1)
    const stored = await a.all()
    expect(stored.every((n) => n.status === 'sent')).toBe(true)
    expect(stored.reduce((n, r) => n + (r.merged ?? 0), 0)).toBeGreaterThan(100)
  })

  it('100 events trickling in over a minute: never more than 20 posts in any minute, none lost, none twice', async () => {
    const a = await app()
    const events: Notification[] = []
    // One event every 0.6 s for a minute; the dispatcher runs every 2 s, then until all is sent.
    for (let t = 0; t < 60_000 + 5 * 60_000; t += 200) {
      a.clock.now = T0 + t
      if (t < 60_000 && t % 600 === 0) {
        const e = event(a.clock.now)
        events.push(e)
        await a.store.notifications.enqueue([e])
      }
      if (t % 2_000 === 0) await a.dispatcher.tick()
    }
    expect(events).toHaveLength(100)
    const posts = robots.accepted('demo-coordinators')
    expect(robots.posts.filter((p) => p.errcode !== 0)).toEqual([])
    expect(maxPerMinute(posts.map((p) => p.at))).toBeLessThanOrEqual(20)
    expect(posts.filter((p) => p.at < T0 + 60_000).length).toBeLessThanOrEqual(20)
    for (const e of events) expect(posts.filter((p) => p.content.includes(eventTag(e))), eventTag(e)).toHaveLength(1)
    expect((await a.all()).every((n) => n.status === 'sent')).toBe(true)
  })

  it('robots share their budget across dispatchers (two processes, one robot)', async () => {
    const a = await app()
    const other = a.newDispatcher()
    await a.store.notifications.enqueue(Array.from({ length: 15 }, () => event(T0)))
    await a.dispatcher.tick()
    await a.store.notifications.enqueue(Array.from({ length: 15 }, () => event(T0)))
    await other.tick()
    expect(robots.accepted('demo-coordinators').length).toBeLessThanOrEqual(20)
    expect(robots.posts.filter((p) => p.errcode === 45009)).toEqual([])
  })
})

describe('failures: retry with backoff, give up on what cannot work', () => {
  it('HTTP 500, then errcode 45009, then success: retried with growing delays, posted once', async () => {
    const a = await app()
    const e = event(T0)
    await a.store.notifications.enqueue([e])
    robots.fail('demo-coordinators', { status: 500 })
    await a.dispatcher.tick()
    let rec = (await a.store.notifications.get(e.id))!
    expect(rec).toMatchObject({ status: 'pending', attempts: 1, lastError: 'http_500' })
    const firstDelay = rec.nextAt - a.clock.now
    expect(firstDelay).toBeGreaterThanOrEqual(4_500)
    expect(firstDelay).toBeLessThanOrEqual(5_500)
    await a.dispatcher.tick()
    expect(robots.posts).toHaveLength(1) // not due yet

    a.clock.now = rec.nextAt
    robots.fail('demo-coordinators', { errcode: 45009, errmsg: 'api freq out of limit' })
    await a.dispatcher.tick()
    rec = (await a.store.notifications.get(e.id))!
    expect(rec).toMatchObject({ attempts: 2, lastError: 'errcode_45009' })
    expect(rec.nextAt - a.clock.now).toBe(60_000)

    a.clock.now = rec.nextAt
    await a.dispatcher.tick()
    expect((await a.store.notifications.get(e.id))!.status).toBe('sent')
    expect(robots.accepted()).toHaveLength(1)
  })

  it('backoff doubles up to a limit, then the record fails (kept, visible in robot.log)', async () => {
    const a = await app()
    const d = a.newDispatcher({ maxAttempts: 4 })
    const e = event(T0)
    await a.store.notifications.enqueue([e])
    robots.fail('demo-coordinators', { status: 502 }, 10)
    const delays: number[] = []
    for (let i = 0; i < 4; i++) {
      await d.tick()
      const rec = (await a.store.notifications.get(e.id))!
      if (rec.status !== 'pending') break
      delays.push(rec.nextAt - a.clock.now)
      a.clock.now = rec.nextAt
    }
    expect(delays).toHaveLength(3)
    expect(delays[1]! / delays[0]!).toBeCloseTo(2, 2)
    expect(delays[2]! / delays[1]!).toBeCloseTo(2, 2)
    expect(await a.store.notifications.get(e.id)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'http_502' })
    const log = await a.as(coordinator).call('robot.log', {})
    expect(log.entries[0]).toMatchObject({ status: 'failed', lastError: 'http_502', attempts: 3 })
  })

  it('an invalid webhook (errcode 93000) fails at once; a robot that never answers times out and retries', async () => {
    const a = await app()
    const bad = event(T0)
    await a.store.notifications.enqueue([bad])
    robots.fail('demo-coordinators', { errcode: 93000, errmsg: 'invalid webhook url' })
    await a.dispatcher.tick()
    expect(await a.store.notifications.get(bad.id)).toMatchObject({ status: 'failed', lastError: 'errcode_93000' })

    const slow = a.newDispatcher({ postRobot: fetchRobotPoster(150) })
    const e = event(T0, { to: 'b1', kind: 'arriving' })
    await a.store.notifications.enqueue([e])
    robots.fail('demo-b1', 'hang')
    await slow.tick()
    expect(await a.store.notifications.get(e.id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'timeout' })
  })
})

describe('a crash between send and mark', () => {
  it('robot: posted again after the restart (at least once), then marked', async () => {
    const a = await app()
    const e = event(T0)
    await a.store.notifications.enqueue([e])
    const dying = a.newDispatcher({
      afterSend: () => {
        throw new Error('killed')
      },
    })
    await expect(dying.tick()).rejects.toThrow('between send and mark')
    expect(robots.accepted()).toHaveLength(1)
    expect(await a.store.notifications.get(e.id)).toMatchObject({ status: 'pending', leaseUntil: T0 + 60_000 })

    const restarted = a.newDispatcher()
    expect(await restarted.tick()).toMatchObject({ claimed: 0 }) // still leased by the dead one
    a.clock.now = T0 + 60_000
    expect(await restarted.tick()).toMatchObject({ claimed: 1, sent: 1, posts: 1 })
    expect(robots.accepted()).toHaveLength(2)
    expect(robots.accepted()[1]!.content).toBe(robots.accepted()[0]!.content)
    expect((await a.store.notifications.get(e.id))!.status).toBe('sent')
  })

  it('inbox: delivered again after the restart, still one item; subscribe: sent again, one consent taken', async () => {
    const a = await app()
    await a.as(zhao).call('notify.consent', { results: { [TEMPLATES.claimed.id]: 'accept' } })
    await a.as(zhao).call('notify.consent', { results: { [TEMPLATES.claimed.id]: 'accept' } })
    const o = await a.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    await a.run(yuhong, o.id, { type: 'claim' })
    // The claim's inbox notice went into the inbox with the claim (SQLite); an inbox notice written
    // outside an order goes through the queue, due before the subscribe message, so it is the send
    // each dying tick makes.
    const notice = newNotification({ key: 'test-inbox:crash', channel: 'inbox', communityId: DEMO_COMMUNITY_ID, to: zhao, kind: 'notice', title: '社区通知', body: '明早八点统一核酸', at: a.clock.now - 1_000 })
    await a.store.notifications.enqueue([notice])
    const dying = a.newDispatcher({
      afterSend: () => {
        throw new Error('killed')
      },
    })
    // Each tick dies after its first successful send; the records it held stay leased.
    await expect(dying.tick()).rejects.toThrow()
    a.clock.now += 60_000
    await expect(dying.tick()).rejects.toThrow()
    a.clock.now += 60_000
    const restarted = a.newDispatcher()
    await restarted.drain()
    // The queued records all end sent; the claim's inbox notice never had one (it is its inbox item).
    const recs = await a.all()
    expect(recs.map((n) => [n.channel, n.status, n.kind]).sort()).toEqual([
      ['inbox', 'sent', 'notice'],
      ['subscribe', 'sent', 'claimed'],
    ])
    // Sent up to three times, in the inbox once: the claim's notice and this one.
    expect((await a.as(zhao).call('inbox.list', {})).items.map((i) => i.title).sort()).toEqual(['已接单', '社区通知'].sort())
    expect(a.subscribeSent.length).toBeGreaterThanOrEqual(1)
    expect(a.subscribeSent.length).toBeLessThanOrEqual(2)
    // The retry reused the consent taken for this record: one of the two is left.
    expect(await a.store.consents.counts(zhao)).toEqual({ [TEMPLATES.claimed.id]: 1 })
  })
})

describe('where group messages go', () => {
  it('a building without a robot posts to the community robot; staff alerts never do; tests never fall back', async () => {
    const a = await app()
    await a.as(coordinator).call('robot.set', { scope: 'community', url: robots.url('community-group') })
    await a.store.notifications.enqueue([event(T0, { to: 'b1', kind: 'arriving' }), event(T0), event(T0, { to: 'b2', kind: 'test' })])
    await a.dispatcher.drain()
    expect(robots.accepted().map((p) => p.robot).sort()).toEqual(['community-group', 'demo-b2', 'demo-coordinators'])
  })

  it('in the cloud (no default robot) a scope without one is skipped, not lost silently', async () => {
    const a = await app()
    const d = createDispatcher({ deps: a.deps, config: cloudNotifyConfig({}) })
    const e = event(T0)
    await a.store.notifications.enqueue([e])
    await d.tick()
    expect(await a.store.notifications.get(e.id)).toMatchObject({ status: 'skipped', lastError: 'no_robot' })
  })

  it('the privacy guard keeps a text naming a resident out of every group', async () => {
    const a = await app()
    const named = event(T0, { body: '**通知**\n赵建国家的物资已到' })
    const room = event(T0, { body: '**通知**\n请1单元301开门' })
    const phone = event(T0, { body: '**通知**\n有事打13800000301' })
    await a.store.notifications.enqueue([named, room, phone])
    await a.dispatcher.drain()
    expect(robots.posts).toEqual([])
    expect((await a.store.notifications.get(named.id))!.lastError).toBe('privacy_name')
    expect((await a.store.notifications.get(room.id))!.lastError).toBe('privacy_room')
    expect((await a.store.notifications.get(phone.id))!.lastError).toBe('privacy_phone')
  })

  it('the dispatcher reads other spellings too: full-width, Chinese numerals, traditional, spaced, English rooms', async () => {
    const a = await app()
    const bodies = {
      name: '**通知**\n趙 建 國家的物资已到',
      room: '**通知**\nＲｏｏｍ 五〇二请开门',
      phone: '**通知**\n有事打 +86 幺三八 ０００零 0301',
      health: '**通知**\n1號樓有人發 燒',
    }
    const queued = Object.entries(bodies).map(([kind, body]) => [kind, event(T0, { body })] as const)
    await a.store.notifications.enqueue(queued.map(([, n]) => n))
    await a.dispatcher.drain()
    expect(robots.posts).toEqual([])
    for (const [kind, n] of queued) expect((await a.store.notifications.get(n.id))!.lastError, kind).toBe(`privacy_${kind}`)
  })
})

describe('timed jobs: overdue alerts and the daily summary', () => {
  it('an overdue order alerts the coordinators’ group once; the daily summary goes out once after 20:00', async () => {
    const a = await app()
    const o = await a.as(zhao).call('order.place', { requestId: rid(), kind: 'supplies', urgency: 'urgent', urgentReason: '低血糖', lines: [{ itemId: 'rice', qty: 1 }] })
    await a.dispatcher.drain({ jobs: true })
    expect(robots.accepted('demo-coordinators').map((p) => p.content)).toEqual([expect.stringContaining('加急需求')])
    // Nobody claimed it: 30 minutes past its claim deadline, one alert; not again a minute later.
    a.clock.now = o.claimDueAt! + 30 * 60_000
    await a.dispatcher.drain({ jobs: true })
    a.clock.now += 2 * 60_000
    await a.dispatcher.drain({ jobs: true })
    const overdue = robots.accepted('demo-coordinators').filter((p) => p.content.includes('超时提醒'))
    expect(overdue).toHaveLength(1)
    expect(overdue[0]!.content).toContain('1号楼1单元一单生活物资（待接单）已超时30分钟，还没有人接单')
    expect(overdue[0]!.content).not.toContain('低血糖')

    // 20:00 Beijing is 12:00 UTC.
    a.clock.now = Date.UTC(2026, 10, 22, 12, 5)
    await a.dispatcher.drain({ jobs: true })
    a.clock.now += 5 * 60_000
    await a.dispatcher.drain({ jobs: true })
    const daily = robots.accepted('demo-community')
    expect(daily).toHaveLength(1)
    expect(daily[0]!.content).toContain('风水山社区配送日报（11月22日）')
    expect(daily[0]!.content).toContain('今日新需求：1单（加急：1单）')
    expect(daily[0]!.content).toContain('1号楼：1单；2号楼：0单')
  })
})

describe('coordinator robot actions', () => {
  const SECRET = 'f3c9a1d2-77ab-4e10-9c3d-5b6a2e8f1d40'

  it('set, list, test, notice and log; URLs come back masked only; residents cannot touch robots', async () => {
    const a = await app()
    const url = robots.url(SECRET)
    const set = await a.as(coordinator).call('robot.set', { scope: 'b1', url })
    expect(set).toMatchObject({ scope: 'b1', label: '1号楼群', configured: true, fallback: null })
    expect(set.url).toBe(`${robots.base}/dev/robot/f3c9…1d40`)

    const list = await a.as(coordinator).call('robot.list', {})
    expect(list.robots.map((r) => [r.scope, r.label, r.configured, r.fallback])).toEqual([
      ['community', '社区群', false, 'local_sink'],
      ['coordinators', '工作人员群', false, 'local_sink'],
      ['b1', '1号楼群', true, null],
      ['b2', '2号楼群', false, 'local_sink'],
    ])

    const queued = await a.as(coordinator).call('robot.test', { scope: 'b1' })
    expect(queued.queued).toBe(true)
    expect(a.kicks()).toBeGreaterThan(0)
    await a.as(coordinator).call('robot.notice', { scope: 'b1', text: '今天下午3点在楼下发放蔬菜包，请按单元错峰下楼' })
    await a.dispatcher.drain()
    expect(robots.accepted(SECRET).map((p) => p.content)).toEqual([
      expect.stringContaining('宅家送已连接1号楼群机器人'),
      expect.stringContaining('今天下午3点在楼下发放蔬菜包'),
    ])

    const log = await a.as(coordinator).call('robot.log', { scope: 'b1' })
    expect(log.entries.map((e) => [e.kind, e.status, e.label, e.via])).toEqual([
      ['notice', 'sent', '1号楼群', `${robots.base}/dev/robot/f3c9…1d40`],
      ['test', 'sent', '1号楼群', `${robots.base}/dev/robot/f3c9…1d40`],
    ])

    // Removing it: messages for 1号楼 go to the default again.
    expect(await a.as(coordinator).call('robot.set', { scope: 'b1', url: '' })).toMatchObject({ configured: false, url: '', fallback: 'local_sink' })

    const everything = JSON.stringify([set, list, log, a.log.lines])
    expect(everything).not.toContain(SECRET)
    expect(everything).not.toContain(SECRET.slice(4, -4))

    expect((await a.as(zhao).refused('robot.set', { scope: 'b1', url })).code).toBe('AUTH.FORBIDDEN')
    expect((await a.as(yuhong).refused('robot.log', {})).code).toBe('AUTH.FORBIDDEN')
    expect((await a.as(coordinator).refused('robot.set', { scope: 'b9', url })).code).toBe('ROBOT.UNKNOWN_SCOPE')
    expect((await a.as(coordinator).refused('robot.set', { scope: 'b1', url: 'https://evil.example/hook' })).code).toBe('ROBOT.URL_NOT_ALLOWED')
    expect((await a.as(coordinator).refused('robot.set', { scope: 'b1', url: 'http://10.0.0.8/dev/robot/x' })).code).toBe('ROBOT.URL_NOT_ALLOWED')
  })

  it('a WeCom webhook URL is accepted and stored, never shown or logged whole', async () => {
    const a = await app()
    const key = '693a91f6-7c2b-4bc4-97a0-0ec2b1fa5aaa'
    const res = await a.as(coordinator).call('robot.set', { scope: 'community', url: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${key}` })
    expect(res.url).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…5aaa')
    expect((await a.store.robots.get(DEMO_COMMUNITY_ID, 'community'))!.url).toContain(key)
    expect(JSON.stringify([res, await a.as(coordinator).call('robot.list', {}), a.log.lines])).not.toContain(key)
  })

  it('a notice naming a resident, a room or a phone is refused before it is queued', async () => {
    const a = await app()
    for (const text of ['请李秀英家注意查收', '2单元502的居民请下楼', '联系13800000201', '1号楼有人发烧']) {
      const r = await a.as(coordinator).refused('robot.notice', { scope: 'community', text })
      expect(r.code).toBe('NOTIFY.PRIVATE_DATA')
      expect(r.fields).toHaveProperty('text')
    }
    expect(await a.all()).toEqual([])
  })

  it('robot.test in the cloud needs a configured robot', async () => {
    const a = await app()
    a.deps.notify = { config: cloudNotifyConfig({}), kick: () => undefined }
    expect((await a.as(coordinator).refused('robot.test', { scope: 'b2' })).code).toBe('ROBOT.NOT_CONFIGURED')
    expect((await a.as(coordinator).refused('robot.set', { scope: 'b2', url: robots.url('x') })).code).toBe('ROBOT.URL_NOT_ALLOWED')
  })
})
