/**
 * Household ids spell the door ('h1-2-502' is 1号楼2单元502). A squad member who does not hold an
 * order must not get one: not on the board, not from order.get, not on the live stream, not in the
 * inbox. The household's resident, the holder/partner and the coordinator still get what they need.
 * Over HTTP on the real local host, with its notification loop.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { OrderList, OrderView } from '../../src/core/views'
import type { InboxPage } from '../../src/core/notify/views'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, rid } from '../support/app'
import { startHost, type RunningHost } from '../support/host'

const { zhang, yuhong, wangnan, chaolu, coordinator } = DEMO_PEOPLE
const HOUSEHOLD = 'h1-2-502'

let host: RunningHost | null = null
afterEach(async () => {
  await host?.stop()
  host = null
})

async function ok<T>(p: Promise<{ ok: true; data: T } | { ok: false; message: string }>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(r.message)
  return r.data
}

/** Order events of one person's GET /api/live stream, collected until close(). */
async function stream(h: RunningHost, token: string) {
  const ctrl = new AbortController()
  const res = await fetch(`${h.url}/api/live`, { headers: { authorization: `Bearer ${token}` }, signal: ctrl.signal })
  expect(res.status).toBe(200)
  const events: Record<string, unknown>[] = []
  let raw = ''
  const reader = res.body!.getReader()
  const dec = new TextDecoder()
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        raw += dec.decode(value, { stream: true })
        const blocks = raw.split('\n\n')
        raw = blocks.pop() ?? ''
        for (const b of blocks) {
          const data = /^data: (.*)$/m.exec(b)?.[1]
          if (/^event: order$/m.test(b) && data) events.push(JSON.parse(data) as Record<string, unknown>)
        }
      }
    } catch {
      // aborted
    }
  })()
  return {
    events,
    async until(pred: (e: Record<string, unknown>) => boolean, ms = 3000) {
      const end = Date.now() + ms
      while (!events.some(pred)) {
        if (Date.now() > end) throw new Error('no such event: ' + JSON.stringify(events))
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    close: () => ctrl.abort(),
  }
}

/** Nothing that names the household: no raw id anywhere, no householdId field. */
function expectNoHousehold(v: unknown): void {
  const json = JSON.stringify(v)
  expect(json).not.toContain(HOUSEHOLD)
  expect(json).not.toContain('"householdId"')
}

/** An order as a non-holder sees it: no household, and the door blanked. */
function expectNoDoor(v: OrderView): void {
  expectNoHousehold(v)
  expect(v.address).toMatchObject({ floor: 0, room: '' })
}

/** Inbox texts: no household and no room (the door is 502). */
function expectNoDoorInInbox(items: InboxPage['items']): void {
  expectNoHousehold(items)
  for (const i of items) expect(`${i.title} ${i.body}`).not.toMatch(/502|5层|5楼/)
}

describe('household ids and doors reach only those who may know them', () => {
  it('board, order.get, live stream and inbox: the rest of the squad never gets the id; resident, holder and coordinator do', async () => {
    host = await startHost({ notify: true })
    const h = host
    const t = {
      zhang: await h.signIn(zhang),
      yuhong: await h.signIn(yuhong),
      wangnan: await h.signIn(wangnan),
      chaolu: await h.signIn(chaolu),
      coordinator: await h.signIn(coordinator),
    }
    const live = { chaolu: await stream(h, t.chaolu), zhang: await stream(h, t.zhang), coordinator: await stream(h, t.coordinator) }

    const placed = await ok(
      h.api<OrderView>(t.zhang, 'order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] }),
    )
    // The resident's own view: the household and its door.
    expect(placed.householdId).toBe(HOUSEHOLD)
    expect(placed.address.room).toBe('502')

    // The board: every squad member sees the order, without the id or the door.
    const board = await ok(h.api<OrderList>(t.chaolu, 'squad.board', {}))
    const onBoard = board.orders.find((o) => o.id === placed.id)
    expect(onBoard).toBeDefined()
    expect(onBoard).not.toHaveProperty('householdId')
    expect(onBoard!.address).toMatchObject({ building: placed.address.building, unit: placed.address.unit, floor: 0, room: '' })
    for (const o of board.orders) expect(o).not.toHaveProperty('householdId')

    await ok(h.api(t.yuhong, 'order.claim', { id: placed.id }))

    // order.get: the non-holder does not get it; the holder, the resident and the coordinator do.
    expectNoDoor(await ok(h.api<OrderView>(t.chaolu, 'order.get', { id: placed.id })))
    for (const who of [t.yuhong, t.zhang, t.coordinator]) {
      const v = await ok(h.api<OrderView>(who, 'order.get', { id: placed.id }))
      expect(v.householdId).toBe(HOUSEHOLD)
      expect(v.address).toEqual(placed.address)
    }

    // Live: the squad's stream says which order changed, not whose; the resident's and the coordinator's name the household.
    await live.chaolu.until((e) => e.orderId === placed.id && e.status === 'claimed')
    await live.zhang.until((e) => e.orderId === placed.id && e.status === 'claimed')
    await live.coordinator.until((e) => e.orderId === placed.id && e.status === 'claimed')
    expect(live.chaolu.events.filter((e) => e.orderId === placed.id)).toHaveLength(2)
    expectNoHousehold(live.chaolu.events)
    for (const s of [live.zhang, live.coordinator]) {
      for (const e of s.events.filter((x) => x.orderId === placed.id)) expect(e.householdId).toBe(HOUSEHOLD)
    }

    // The coordinator hands the order to 王楠: the new holder gets it, the old one no longer does.
    await ok(h.api(t.coordinator, 'order.reassign', { id: placed.id, toId: wangnan }))
    expect((await ok(h.api<OrderView>(t.wangnan, 'order.get', { id: placed.id }))).householdId).toBe(HOUSEHOLD)
    expectNoDoor(await ok(h.api<OrderView>(t.yuhong, 'order.get', { id: placed.id })))

    // Inbox: the new holder's message arrives (the notification loop) and names the building and unit only;
    // the rest of the squad's inboxes say nothing of the household.
    const end = Date.now() + 5000
    let handed: InboxPage['items'][number] | undefined
    while (!handed) {
      if (Date.now() > end) throw new Error('handed_to_you never arrived')
      handed = (await ok(h.api<InboxPage>(t.wangnan, 'inbox.list', {}))).items.find((i) => i.orderId === placed.id)
      if (!handed) await new Promise((r) => setTimeout(r, 100))
    }
    expect(handed.kind).toBe('handed_to_you')
    expectNoDoorInInbox([handed])
    for (const who of [t.chaolu, t.yuhong]) expectNoDoorInInbox((await ok(h.api<InboxPage>(who, 'inbox.list', {}))).items)

    for (const s of Object.values(live)) s.close()
  })
})

describe('代下单: the squad member who placed the order', () => {
  it('keeps the household they chose; the rest of the squad still does not get it', async () => {
    const app = await makeApp()
    const o = await app.as(yuhong).call('order.place', { requestId: rid(), householdId: 'h2-1-201', kind: 'garbage' })
    expect(o.householdId).toBe('h2-1-201')
    expect((await app.as(yuhong).call('order.get', { id: o.id })).householdId).toBe('h2-1-201')
    const seen = await app.as(chaolu).call('order.get', { id: o.id })
    expect(seen).not.toHaveProperty('householdId')
    expect(JSON.stringify(seen)).not.toContain('h2-1-201')
    const onBoard = (await app.as(wangnan).call('squad.board', {})).orders.find((x) => x.id === o.id)
    expect(onBoard).toBeDefined()
    expect(onBoard).not.toHaveProperty('householdId')
  })
})
