/**
 * Notifications in the `api` cloud function: the order and its outbox are one document write,
 * a call delivers what it queued before returning (subscribe messages via cloud.openapi), the
 * timer trigger is the safety net and only runs without an OPENID, and config.json declares
 * the openapi permission and the trigger.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Result } from '../../src/core/contract'
import type { OrderView } from '../../src/core/views'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import { createCloudMain } from '../../src/server/cloud/main'
import { memoryLogger } from '../../src/server/log'
import { fetchRobotPoster, type SubscribeRequest } from '../../src/server/notify/senders'
import { DEMO_PEOPLE, seedDemo } from '../../src/server/seed/demo'
import { T0 } from '../support/app'
import { makeOrder } from '../support/fixtures'
import { TEMPLATES } from '../support/notify'
import { makeNotification } from '../store.notify-contract'
import { startRobotServer, type RobotServer } from '../support/robot-server'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'

const { zhao, yuhong, coordinator } = DEMO_PEOPLE
const ROOT = join(__dirname, '..', '..')

let robots: RobotServer
const clock = { now: T0 }
beforeEach(async () => {
  clock.now = T0
  robots = await startRobotServer(() => clock.now)
})
afterEach(async () => {
  await robots.close()
})

async function cloudApp(opts: { subscribeFails?: number[] } = {}) {
  const engine = new SdkDbEngine()
  const db = await openSdkDatabase(engine)
  let openid: string | undefined
  const log = memoryLogger()
  const sent: SubscribeRequest[] = []
  const fails = [...(opts.subscribeFails ?? [])]
  const openapi = {
    subscribeMessage: {
      async send(req: SubscribeRequest) {
        const code = fails.shift() ?? 0
        // wx-server-sdk rejects with errCode on failure.
        if (code !== 0) throw Object.assign(new Error('openapi.subscribeMessage.send:fail'), { errCode: code })
        sent.push(req)
        return { errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' }
      },
    },
  }
  // The cloud only accepts real WeCom webhooks; here they are routed to the test server by key.
  const post = fetchRobotPoster()
  const main = createCloudMain(
    { getWXContext: () => ({ OPENID: openid }), database: () => db, openapi },
    {
      now: () => clock.now,
      log,
      env: { ZJ_SUBSCRIBE_TEMPLATES: JSON.stringify(TEMPLATES), ZJ_MINIPROGRAM_STATE: 'trial' },
      postRobot: (url, body) => post(robots.url(`key-${new URL(url).searchParams.get('key')}`), body),
    },
  )
  const store = openCloudbase(db)
  await seedDemo(store, T0)
  const call = async <T>(who: string | undefined, event: unknown): Promise<Result<T>> => {
    openid = who
    return (await main(event)) as Result<T>
  }
  const as = (who: string) => async <T>(action: string, input: unknown = {}): Promise<T> => {
    const res = await call<T>(who, { action, input })
    if (!res.ok) throw new Error(`${action}: ${res.code}`)
    return res.data
  }
  return { engine, store, log, sent, call, as }
}

describe('outbox in the cloud database', () => {
  it('an order and its notifications are one document write; relay moves them to the queue', async () => {
    const engine = new SdkDbEngine()
    const store = openCloudbase(await openSdkDatabase(engine))
    const v1 = makeOrder()
    await store.orders.insert(v1)
    const n = makeNotification({ orderId: v1.id })
    engine.requests.length = 0
    expect(await store.orders.update({ ...v1, status: 'claimed', version: 2 }, { status: 'pending', version: 1 }, [n])).toBe(true)
    expect(engine.requests.map((r) => `${r.collection}.${r.op}`)).toEqual(['orders.update'])
    const [doc] = engine.dump('orders')
    expect(doc).toMatchObject({ outboxPending: true, outbox: { [n.id]: { key: n.key, status: 'pending' } } })
    expect(engine.dump('notifications')).toEqual([])

    expect(await store.notifications.relay(T0)).toBe(1)
    expect(engine.dump('notifications').map((d) => d._id)).toEqual([n.id])
    expect(engine.dump('orders')[0]).toMatchObject({ outboxPending: false })
    expect('outbox' in engine.dump('orders')[0]!).toBe(false)
    expect(await store.notifications.relay(T0)).toBe(0)
  })

  it('a relay interrupted after copying loses nothing and copies nothing twice', async () => {
    const engine = new SdkDbEngine()
    const store = openCloudbase(await openSdkDatabase(engine))
    const v1 = makeOrder()
    const n = makeNotification({ orderId: v1.id })
    await store.orders.insert(v1, [n])
    // Copied, but the order changed before the outbox was cleared: the clear does not apply.
    await store.notifications.enqueue([n])
    const n2 = makeNotification({ orderId: v1.id })
    await store.orders.update({ ...v1, status: 'claimed', version: 2 }, { status: 'pending', version: 1 }, [n2])
    expect(await store.notifications.relay(T0)).toBe(1)
    expect(engine.dump('notifications').map((d) => d._id).sort()).toEqual([n.id, n2.id].sort())
  })
})

describe('api cloud function', () => {
  it('a call delivers what it queued before it returns: subscribe message, inbox, group', async () => {
    const app = await cloudApp()
    const key = 'a1b2c3d4-e5f6-4711-8899-aabbccddeeff'
    await app.as(coordinator)('robot.set', { scope: 'community', url: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${key}` })
    await app.as(zhao)('notify.consent', { results: { [TEMPLATES.claimed.id]: 'accept', errMsg: 'requestSubscribeMessage:ok' } })
    const o = await app.as(zhao)<OrderView>('order.place', { requestId: 'cloud-req-1', kind: 'supplies', urgency: 'urgent', urgentReason: '奶粉没了', lines: [{ itemId: 'rice', qty: 1 }] })
    clock.now += 60_000
    await app.as(yuhong)('order.claim', { id: o.id })

    expect(app.sent).toEqual([
      {
        touser: zhao,
        templateId: TEMPLATES.claimed.id,
        page: `resident/pages/detail/index?id=${o.id}`,
        miniprogramState: 'trial',
        lang: 'zh_CN',
        data: {
          phrase1: { value: '已接单' },
          thing2: { value: '大米1袋' },
          name3: { value: '于红' },
          time4: { value: '2026年11月22日 09:01' },
          character_string5: { value: o.id },
        },
      },
    ])
    const inbox = await app.as(zhao)<{ items: { title: string }[]; unread: number }>('inbox.list', {})
    expect(inbox).toMatchObject({ items: [{ title: '已接单' }], unread: 1 })
    // The urgent alert had no staff robot: the community group is for residents, so it was skipped.
    expect(robots.posts).toEqual([])
    const log = await app.as(coordinator)<{ entries: { kind: string; status: string; lastError?: string }[] }>('robot.log', {})
    expect(log.entries).toEqual([expect.objectContaining({ kind: 'urgent', status: 'skipped', lastError: 'no_robot' })])
    // Nothing is left embedded in the order document.
    expect(app.engine.dump('orders').every((d) => !('outbox' in d))).toBe(true)
    expect(JSON.stringify(app.log.lines)).not.toContain(key)
  })

  it('the timer trigger delivers what failed earlier and runs the jobs; only without an OPENID', async () => {
    const app = await cloudApp({ subscribeFails: [-1] })
    await app.as(coordinator)('robot.set', { scope: 'coordinators', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=staff-0001' })
    await app.as(zhao)('notify.consent', { results: { [TEMPLATES.claimed.id]: 'accept' } })
    const o = await app.as(zhao)<OrderView>('order.place', { requestId: 'cloud-req-2', kind: 'garbage' })
    await app.as(yuhong)('order.claim', { id: o.id })
    expect(app.sent).toEqual([]) // the first try failed; retried later

    const timer = { Type: 'Timer', TriggerName: 'dispatch', Time: '2026-11-22T01:05:00Z' }
    // From the mini program (an OPENID) the same event is just an unknown action.
    expect(await app.call(zhao, timer)).toMatchObject({ ok: false, code: 'REQUEST.UNKNOWN_ACTION' })
    expect(await app.call(zhao, { action: '__dispatch' })).toMatchObject({ ok: false, code: 'REQUEST.UNKNOWN_ACTION' })

    clock.now = o.dueAt + 10 * 60_000
    const res = await app.call<{ sent: number }>(undefined, timer)
    expect(res).toMatchObject({ ok: true })
    expect(app.sent.map((s) => s.templateId)).toEqual([TEMPLATES.claimed.id])
    expect(robots.accepted('key-staff-0001').map((p) => p.content)).toEqual([expect.stringContaining('超时提醒')])

    expect(await app.call(undefined, { action: '__dispatch' })).toMatchObject({ ok: true, data: { claimed: 0 } })
    expect(await app.call(undefined, { action: 'me.get', input: {} })).toMatchObject({ ok: false, code: 'AUTH.NOT_SIGNED_IN' })
  })

  it('config.json declares subscribeMessage.send and the every-minute timer trigger', () => {
    const config = JSON.parse(readFileSync(join(ROOT, 'cloudfunctions', 'api', 'config.json'), 'utf8')) as {
      permissions: { openapi: string[] }
      triggers: { name: string; type: string; config: string }[]
    }
    expect(config.permissions.openapi).toContain('subscribeMessage.send')
    expect(config.triggers).toEqual([{ name: 'dispatch', type: 'timer', config: '0 * * * * * *' }])
  })
})
