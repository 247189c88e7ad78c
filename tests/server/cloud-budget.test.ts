/**
 * The cloud runtime freezes whatever is left running once the handler's promise resolves. A call's
 * dispatch round therefore runs inside the returned promise, stops starting sends at its budget and
 * hands what it leased back to the queue; the timer sends the rest. Nothing is sent after the
 * handler resolves, and nothing is lost or sent twice.
 */
import { describe, expect, it } from 'vitest'
import type { Result } from '../../src/core/contract'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import { createCloudMain } from '../../src/server/cloud/main'
import { memoryLogger } from '../../src/server/log'
import type { SubscribeRequest } from '../../src/server/notify/senders'
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE, seedDemo } from '../../src/server/seed/demo'
import { T0 } from '../support/app'
import { TEMPLATES } from '../support/notify'
import { makeNotification } from '../store.notify-contract'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const SEND_MS = 150

async function slowCloud(budgetMs: number) {
  const engine = new SdkDbEngine()
  const db = await openSdkDatabase(engine)
  const store = openCloudbase(db)
  await seedDemo(store, T0)
  const sends: { to: string; start: number; end: number }[] = []
  const openapi = {
    subscribeMessage: {
      async send(req: SubscribeRequest) {
        const start = performance.now()
        await sleep(SEND_MS)
        sends.push({ to: req.touser, start, end: performance.now() })
        return { errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' }
      },
    },
  }
  let openid: string | undefined
  const main = createCloudMain(
    { getWXContext: () => ({ OPENID: openid }), database: () => db, openapi },
    {
      now: () => T0,
      log: memoryLogger(),
      env: { ZJ_SUBSCRIBE_TEMPLATES: JSON.stringify(TEMPLATES) },
      kickBudgetMs: budgetMs,
      postRobot: async () => ({ ok: true }),
    },
  )
  const call = async (who: string | undefined, event: unknown) => {
    openid = who
    return (await main(event)) as Result<unknown>
  }
  return { engine, store, sends, call }
}

describe('cloud function: the dispatch round ends before the handler resolves', () => {
  it('stops at its budget, sends nothing afterwards, and the timer sends the rest exactly once', async () => {
    const app = await slowCloud(400)
    // Ten residents each gave one consent and have a 已接单 message waiting.
    const queued = Array.from({ length: 10 }, (_, i) =>
      makeNotification({
        channel: 'subscribe',
        communityId: DEMO_COMMUNITY_ID,
        to: `resident-${i}`,
        fields: { status: '已接单', summary: '大米等1件', tip: '', by: '于红', time: T0, orderNo: `o-${i}` },
      }),
    )
    for (const n of queued) await app.store.consents.grant(n.to, TEMPLATES.claimed.id, 1, T0)
    await app.store.notifications.enqueue(queued)

    // A coordinator's notice queues one more message, so this call runs a dispatch round.
    const res = await app.call(DEMO_PEOPLE.coordinator, { action: 'robot.notice', input: { scope: 'community', text: '今晚八点发放蔬菜' } })
    const resolvedAt = performance.now()
    expect(res.ok).toBe(true)
    const duringCall = app.sends.length
    expect(duringCall).toBeGreaterThan(0)
    expect(duringCall).toBeLessThan(10)
    // Every send of the round finished before the handler resolved …
    expect(app.sends.every((s) => s.end <= resolvedAt)).toBe(true)
    // … and nothing starts afterwards: the rest went back to the queue, not into a frozen promise.
    await sleep(SEND_MS * 4)
    expect(app.sends.length).toBe(duringCall)
    const left = (await Promise.all(queued.map((n) => app.store.notifications.get(n.id)))).filter((n) => n?.status === 'pending')
    expect(left.length).toBe(10 - duringCall)
    for (const n of left) expect(n).toMatchObject({ attempts: 0, leaseId: null })

    // The timer (no OPENID) sends what is left; each resident gets exactly one message.
    const timer = await app.call(undefined, { Type: 'Timer', TriggerName: 'dispatch' })
    expect(timer.ok).toBe(true)
    expect(app.sends.map((s) => s.to).sort()).toEqual(queued.map((n) => n.to).sort())
  })
})

describe('cloud function: what an idle timer minute costs', () => {
  it('reads a handful of records when nothing is happening, after the daily summary too', async () => {
    // 21:00 Beijing, after the daily summary hour (20); the community group has a robot.
    const evening = Date.UTC(2026, 10, 22, 13, 0)
    const engine = new SdkDbEngine()
    const db = await openSdkDatabase(engine)
    const store = openCloudbase(db)
    await seedDemo(store, T0)
    const fresh = () => {
      // Every minute may land on a new instance that remembers nothing.
      let openid: string | undefined
      const main = createCloudMain(
        { getWXContext: () => ({ OPENID: openid }), database: () => db },
        { now: () => evening, log: memoryLogger(), env: {}, postRobot: async () => ({ ok: true }) },
      )
      return async (who: string | undefined, event: unknown) => {
        openid = who
        return (await main(event)) as Result<unknown>
      }
    }
    const url = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=idle-0001'
    expect((await fresh()(DEMO_PEOPLE.coordinator, { action: 'robot.set', input: { scope: 'community', url } })).ok).toBe(true)
    // The first evening minute reads the day and posts the summary.
    await fresh()(undefined, { Type: 'Timer', TriggerName: 'dispatch' })
    expect(engine.dump('notifications').filter((n) => n.kind === 'daily' && n.status === 'sent')).toHaveLength(1)

    engine.requests.length = 0
    await fresh()(undefined, { Type: 'Timer', TriggerName: 'dispatch' })
    const isRead = (op: string) => op === 'get' || op === 'count'
    const reads = engine.requests.filter((r) => isRead(r.op))
    const writes = engine.requests.filter((r) => !isRead(r.op))
    // robots.list, the daily summary's one check by id, the open orders for overdue alerts,
    // the relay's look for embedded outboxes, the claim of due notifications, and campaign counter
    // moves owed and campaigns still being created (usecases/campaigns.ts resumeCampaigns).
    expect(reads.map((r) => r.collection).sort()).toEqual(['campaign_tasks', 'campaigns', 'notifications', 'notifications', 'orders', 'orders', 'robots'])
    expect(writes).toEqual([])
    console.log(`idle timer minute: ${reads.length} reads, ${writes.length} writes`)
  })
})
