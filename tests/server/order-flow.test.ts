/** Use cases end to end on SQLite: place → claim → deliver → confirm → rate, and the guards. */
import { describe, expect, it } from 'vitest'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, rid } from '../support/app'

const { zhao, zhang, yuhong, wangnan, coordinator } = DEMO_PEOPLE

describe('an order from a resident to their door', () => {
  it('walks every status and shows each party what they need', async () => {
    const app = await makeApp()
    const placed = await app.as(zhao).call('order.place', {
      requestId: rid(),
      kind: 'supplies',
      urgency: 'urgent',
      urgentReason: '降压药快吃完了',
      lines: [
        { itemId: 'rice', qty: 1 },
        { itemId: 'water20', qty: 1 },
      ],
    })
    expect(placed).toMatchObject({
      status: 'pending',
      householdId: 'h1-1-301',
      address: { building: '1号楼', unit: 1, room: '301' },
      lines: [
        { itemId: 'rice', name: '大米', unit: '袋', qty: 1 },
        { itemId: 'water20', name: '20L桶装水', unit: '桶', qty: 1 },
      ],
      placedBy: { id: zhao, role: 'resident' },
    })
    // Urgent, default deadlines: claimed within 30 minutes, at the door within 2 hours.
    expect(placed.claimDueAt).toBe(app.clock.now + 30 * 60 * 1000)
    expect(placed.dueAt).toBe(app.clock.now + 120 * 60 * 1000)

    // The board shows it to the squad without the door number.
    const board = await app.as(yuhong).call('squad.board', {})
    expect(board.orders.map((o) => o.id)).toEqual([placed.id])
    expect(board.orders[0]!.address.room).toBe('')
    expect(board.orders[0]!.residentPhone).toBeUndefined()
    // Nor who placed it: no resident's name or id anywhere in what a non-holder receives.
    expect(board.orders[0]!.placedBy).toEqual({ id: '', name: '居民', role: 'resident' })
    expect(JSON.stringify(board.orders[0])).not.toContain('赵')
    expect(JSON.stringify(board.orders[0])).not.toContain(zhao)

    app.advance(60_000)
    const claimed = await app.as(yuhong).call('order.claim', { id: placed.id })
    expect(claimed).toMatchObject({
      status: 'claimed',
      holder: { id: yuhong, name: '于红' },
      residentPhone: '13800000301',
      placedBy: { id: zhao, name: '赵先生' },
    })
    expect((await app.as(wangnan).call('squad.board', {})).orders).toEqual([])

    // The resident sees who has it and can call them while it is active.
    const seen = await app.as(zhao).call('order.get', { id: placed.id })
    expect(seen).toMatchObject({ status: 'claimed', holder: { name: '于红' }, holderPhone: '13900000001' })
    expect(seen.residentPhone).toBeUndefined()

    await app.as(yuhong).call('order.advance', { id: placed.id, event: 'depart' })
    for (const step of ['disinfect_corridor', 'remove_seal', 'call_resident', 'picked_up', 'restore_seal'] as const) {
      await app.as(yuhong).call('order.step', { id: placed.id, step })
    }
    expect((await app.as(zhao).call('order.get', { id: placed.id })).status).toBe('at_door')
    const delivered = await app.as(yuhong).call('order.step', { id: placed.id, step: 'disinfect_again' })
    expect(delivered).toMatchObject({ status: 'delivered', outcome: 'handed' })
    // Once delivered the phone numbers are gone on both sides.
    expect(delivered.residentPhone).toBeUndefined()
    expect((await app.as(zhao).call('order.get', { id: placed.id })).holderPhone).toBeUndefined()

    await app.as(zhao).call('order.confirm', { id: placed.id })
    const rated = await app.as(zhao).call('order.rate', { id: placed.id, stars: 5, comment: '太及时了' })
    expect(rated).toMatchObject({ status: 'confirmed', rating: { stars: 5, comment: '太及时了' }, followUp: false })
    expect(rated.timeline.map((t) => t.event)).toEqual([
      'place',
      'claim',
      'depart',
      'disinfect_corridor',
      'remove_seal',
      'call_resident',
      'picked_up',
      'restore_seal',
      'disinfect_again',
      'confirm',
      'rate',
    ])
  })

  it('a retried submission returns the first order and creates no second one', async () => {
    const app = await makeApp()
    const requestId = rid()
    const input = { requestId, kind: 'supplies' as const, lines: [{ itemId: 'rice', qty: 2 }] }
    const [a, b, c] = await Promise.all([
      app.as(zhao).call('order.place', input),
      app.as(zhao).call('order.place', input),
      app.as(zhao).call('order.place', { ...input, lines: [{ itemId: 'flour', qty: 9 }] }),
    ])
    expect(b.id).toBe(a.id)
    expect(c).toEqual(a)
    expect((await app.as(zhao).call('order.mine', {})).orders).toHaveLength(1)
  })

  it('the same request id from two people makes two orders', async () => {
    const app = await makeApp()
    const requestId = rid()
    const a = await app.as(zhao).call('order.place', { requestId, kind: 'garbage' })
    const b = await app.as(zhang).call('order.place', { requestId, kind: 'garbage' })
    expect(a.id).not.toBe(b.id)
  })

  it('cancel works while nobody has claimed it, and not after', async () => {
    const app = await makeApp()
    const one = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    expect((await app.as(zhao).call('order.cancel', { id: one.id })).status).toBe('cancelled')
    const two = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    await app.as(wangnan).call('order.claim', { id: two.id })
    const refusal = await app.as(zhao).refused('order.cancel', { id: two.id })
    expect(refusal.code).toBe('ORDER.INVALID_TRANSITION')
    expect((await app.store.orders.get(two.id))?.status).toBe('claimed')
  })

  it('other households cannot see or touch an order', async () => {
    const app = await makeApp()
    const o = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    expect((await app.as(zhang).refused('order.get', { id: o.id })).code).toBe('ORDER.NOT_FOUND')
    expect((await app.as(zhang).refused('order.cancel', { id: o.id })).code).toBe('ORDER.NOT_FOUND')
    expect((await app.store.orders.get(o.id))?.status).toBe('pending')
  })

  it('only the holder works the order; the coordinator sees everything', async () => {
    const app = await makeApp()
    const o = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    await app.as(yuhong).call('order.claim', { id: o.id })
    const r = await app.as(wangnan).refused('order.advance', { id: o.id, event: 'depart' })
    expect(r).toMatchObject({ code: 'ORDER.NOT_HOLDER', message: '这个订单不是您负责的' })
    const c = await app.as(coordinator).call('order.get', { id: o.id })
    expect(c).toMatchObject({ address: { room: '301' }, residentPhone: '13800000301' })
  })

  it('a squad member orders for a household without a smartphone (代下单)', async () => {
    const app = await makeApp()
    const o = await app.as(yuhong).call('order.place', {
      requestId: rid(),
      householdId: 'h2-1-201',
      kind: 'supplies',
      lines: [{ itemId: 'medicine', name: '硝苯地平', qty: 2, prescription: true }],
    })
    expect(o).toMatchObject({
      householdId: 'h2-1-201',
      placedBy: { id: yuhong, role: 'squad' },
      lines: [{ name: '硝苯地平', prescription: true }],
    })
    expect(o.timeline[0]?.note).toBe('社工代下单')
  })

  it('unknown catalog items and duplicate lines are refused with the line that caused it', async () => {
    const app = await makeApp()
    const r = await app.as(zhao).refused('order.place', {
      requestId: rid(),
      kind: 'supplies',
      lines: [
        { itemId: 'rice', qty: 1 },
        { itemId: 'caviar', qty: 1 },
        { itemId: 'medicine', qty: 1 },
      ],
    })
    expect(r.code).toBe('REQUEST.INVALID_INPUT')
    expect(r.fields).toEqual({ 'lines.1.itemId': '没有这种物品，请从清单里选', 'lines.2.name': '请写明药品名称' })
    expect((await app.store.orders.list({})).items).toHaveLength(0)
  })

  it('many squad members claiming at once: exactly one wins (its own resends are answered ok), the rest hear who', async () => {
    const app = await makeApp()
    const o = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
    const squad = [DEMO_PEOPLE.yuhong, DEMO_PEOPLE.wangnan, DEMO_PEOPLE.chaolu]
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => app.raw(squad[i % 3]!, 'order.claim', { id: o.id })),
    )
    const wins = results.filter((r) => r.ok)
    const winner = (wins[0] as { data: { holder: { id: string; name: string } } }).data.holder
    // Every ok is the winner's: its first claim and its resends (core/order/resend.ts), one answer each.
    expect(wins).toHaveLength(10)
    for (const w of wins) expect(w).toMatchObject({ data: { holder: winner, version: 2 } })
    for (const r of results.filter((r) => !r.ok)) {
      expect(r).toMatchObject({ code: 'ORDER.ALREADY_CLAIMED' })
      if (!r.ok) expect(r.message).toContain(winner.name)
    }
    const stored = await app.store.orders.get(o.id)
    expect(stored?.holder?.id).toBe(winner.id)
    expect(stored?.timeline.map((e) => e.event)).toEqual(['place', 'claim'])
  })
})
