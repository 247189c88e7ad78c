/**
 * makeApp plus notifications: the host's notification config pointed at a test robot server,
 * subscribe templates configured, a fake cloud.openapi.subscribeMessage.send that records what it
 * was asked to send, a dispatcher on the test's clock, and helpers to walk an order.
 */
import type { OrderCommand } from '../../src/core/order/decide'
import type { Notification } from '../../src/core/notify/types'
import type { OrderView } from '../../src/core/views'
import { loadActor } from '../../src/server/actor'
import { hostNotifyConfig, type NotifyConfig } from '../../src/server/notify/config'
import { createDispatcher, type DispatcherOptions } from '../../src/server/notify/dispatcher'
import type { SubscribeApi, SubscribeRequest } from '../../src/server/notify/senders'
import type { Store } from '../../src/server/ports'
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE } from '../../src/server/seed/demo'
import { runCommand } from '../../src/server/usecases/order-commands'
import { makeApp } from './app'
import { noticesOf, recordsOf } from './notices'
import type { RobotServer } from './robot-server'

export const TEMPLATES = {
  claimed: { id: 'TMPL-claimed-0001', fields: { status: 'phrase1', summary: 'thing2', by: 'name3', time: 'time4', orderNo: 'character_string5' } },
  at_door: { id: 'TMPL-atdoor-0002', fields: { status: 'phrase1', tip: 'thing2', time: 'time3' } },
  delivered: { id: 'TMPL-delivered-03', fields: { status: 'phrase1', summary: 'thing2', tip: 'thing3', time: 'time4' } },
  no_answer: { id: 'TMPL-noanswer-004', fields: { status: 'phrase1', tip: 'thing2', time: 'time3' } },
}

export async function makeNotifyApp(opts: { store?: Store; robots?: RobotServer; now?: number } = {}) {
  const app = await makeApp({ ...(opts.store ? { store: opts.store } : {}), ...(opts.now ? { now: opts.now } : {}) })
  const sent: SubscribeRequest[] = []
  const faults: number[] = []
  const subscribe: SubscribeApi = async (req) => {
    const errCode = faults.shift() ?? 0
    if (errCode === 0) sent.push(req)
    return { errCode, errMsg: errCode === 0 ? 'openapi.subscribeMessage.send:ok' : 'fail' }
  }
  // The host's robots (its sink) with the cloud's subscribe messages (the sender above), so one app
  // exercises every channel.
  const config: NotifyConfig = {
    ...hostNotifyConfig({
      sinkBase: () => opts.robots?.base ?? 'http://127.0.0.1:9',
      communities: [DEMO_COMMUNITY_ID],
      env: { ZJ_SUBSCRIBE_TEMPLATES: JSON.stringify(TEMPLATES) },
    }),
    subscribe: true,
  }
  let kicks = 0
  app.deps.notify = { config, kick: () => void kicks++ }
  const newDispatcher = (o: Partial<DispatcherOptions> = {}) => createDispatcher({ deps: app.deps, config, subscribe, ...o })

  /** The community's notification records (SQLite keeps none for inbox notices delivered with their order). */
  const all = (communityId = DEMO_COMMUNITY_ID): Promise<Notification[]> => recordsOf(app.store, communityId, app.clock.now)

  /** Whose inbox `fresh` reads: the demo people, and whoever a test adds with `watchInbox`. */
  const inboxOwners: string[] = Object.values(DEMO_PEOPLE)
  const seen = new Set<string>()
  /** Notices produced since the last call (records and inbox items), as 'channel:kind:to', sorted. */
  async function fresh(): Promise<string[]> {
    const ns = (await noticesOf(app.store, DEMO_COMMUNITY_ID, inboxOwners, app.clock.now)).filter((n) => !seen.has(n.id))
    for (const n of ns) seen.add(n.id)
    return ns.map((n) => `${n.channel}:${n.kind}:${n.to}`).sort()
  }

  const run = async (who: string, orderId: string, cmd: OrderCommand): Promise<OrderView> =>
    runCommand(app.deps, await loadActor(app.store, who), orderId, cmd)

  /** claim → depart → the protocol up to 电话通知取物 (at_door). */
  async function toDoor(holder: string, orderId: string) {
    await run(holder, orderId, { type: 'claim' })
    await run(holder, orderId, { type: 'depart' })
    for (const step of ['disinfect_corridor', 'remove_seal', 'call_resident'] as const) await run(holder, orderId, { type: 'step', step })
  }
  /** From at_door: 居民已取 → 恢复封条 → 再次消杀 (delivered). */
  async function finish(holder: string, orderId: string) {
    for (const step of ['picked_up', 'restore_seal', 'disinfect_again'] as const) await run(holder, orderId, { type: 'step', step })
  }

  return {
    ...app,
    config,
    subscribeSent: sent,
    /** The next sends answer these errCodes (0 = success). */
    failSubscribe: (...codes: number[]) => faults.push(...codes),
    dispatcher: newDispatcher(),
    newDispatcher,
    kicks: () => kicks,
    all,
    fresh,
    watchInbox: (...ids: string[]) => void inboxOwners.push(...ids),
    run,
    toDoor,
    finish,
  }
}
