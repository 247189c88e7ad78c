/**
 * The squad cancels a 代下单 (transitions.ts rows cancel / cancel_duplicate, duplicate.ts): the placer
 * withdraws it while nobody has claimed it; a 重复下单 is cancelled by the placer, the holder or a
 * coordinator, keeping another open order of the same household. Given/when/then, pure.
 */
import { describe, expect, it } from 'vitest'
import type { Actor } from '../../src/core/actor'
import { decide, evolve, type OrderCommand } from '../../src/core/order/decide'
import { pickKept, orderNo, type KeptOrder } from '../../src/core/order/duplicate'
import { dayFigures } from '../../src/core/figures'
import { watchAt } from '../../src/core/order/deadlines'
import { isClaimLate } from '../../src/core/order/board'
import { AppError } from '../../src/core/errors'
import { beijingDate } from '../../src/core/time'
import type { Order, PersonRef } from '../../src/core/order/types'
import { rulesFor } from '../../src/core/notify/events'
import { residentMessage } from '../../src/core/notify/texts'
import { makeOrder } from '../support/fixtures'

const NOW = Date.UTC(2026, 10, 22, 2, 0)
const PLACER: PersonRef = { id: 'squad-p', name: '朝鲁门', role: 'squad' }
const HOLDER: PersonRef = { id: 'squad-a', name: '于红', role: 'squad' }
const actor = (id: string, name: string, extra: Partial<Actor> = {}): Actor => ({ id, name, households: [], squadOf: 'c1', coordinatorOf: null, ...extra })
const placer = actor(PLACER.id, PLACER.name)
const holder = actor(HOLDER.id, HOLDER.name)
const otherSquad = actor('squad-b', '王楠')
const coordinator = actor('coord-1', '刘主任', { squadOf: null, coordinatorOf: 'c1' })
const resident = actor('res-1', '赵先生', { squadOf: null, households: ['h1'] })

const proxy = (over: Partial<Order> = {}): Order =>
  makeOrder({ id: 'o-proxy-0000a1', communityId: 'c1', householdId: 'h1', placedBy: PLACER, createdAt: NOW - 600_000, claimDueAt: NOW + 3600_000, ...over })
const twin: KeptOrder = { id: 'o-own-00000b7', householdId: 'h1', status: 'pending', kind: 'supplies', createdAt: NOW - 3600_000 }

const run = (o: Order, cmd: OrderCommand, a: Actor, at = NOW) => evolve(o, decide(o, cmd, a, at))
const refusal = (fn: () => unknown): AppError => {
  try {
    fn()
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('not refused')
}

describe('given a 代下单 nobody has claimed', () => {
  it('when its placer withdraws it, then it is cancelled, off the board and watched by no deadline', () => {
    const o = run(proxy(), { type: 'cancel', reason: '社工撤回代下单' }, placer)
    expect(o).toMatchObject({ status: 'cancelled', version: 2 })
    expect(o.timeline.at(-1)).toMatchObject({ event: 'cancel', by: { id: PLACER.id, role: 'squad' }, note: '社工撤回代下单' })
    expect(watchAt(o)).toBeUndefined()
    expect(isClaimLate(o, NOW + 10 * 3600_000)).toBe(false)
  })

  it('when another squad member tries to withdraw it, then NOT_PLACER and nothing changes', () => {
    const o = proxy()
    const before = structuredClone(o)
    expect(refusal(() => decide(o, { type: 'cancel' }, otherSquad, NOW)).code).toBe('ORDER.NOT_PLACER')
    expect(o).toEqual(before)
  })

  it("when a squad member tries to withdraw a resident's own order, then NOT_PLACER", () => {
    const own = proxy({ placedBy: { id: 'res-1', name: '赵先生', role: 'resident' } })
    expect(refusal(() => decide(own, { type: 'cancel' }, placer, NOW)).code).toBe('ORDER.NOT_PLACER')
  })
})

describe('given a 代下单 someone has claimed', () => {
  const claimed = () => proxy({ status: 'claimed', holder: HOLDER, timeline: [{ at: NOW - 600_000, event: 'place', by: PLACER }, { at: NOW - 300_000, event: 'claim', by: HOLDER }] })

  it('when its placer tries to withdraw it, then ALREADY_CLAIMED names the holder and points to 重复下单', () => {
    const e = refusal(() => decide(claimed(), { type: 'cancel' }, placer, NOW))
    expect(e.code).toBe('ORDER.ALREADY_CLAIMED')
    expect(e.message).toContain('于红')
    expect(e.message).toContain('重复下单')
  })

  it.each([
    ['the holder', holder],
    ['the placer', placer],
    ['a coordinator', coordinator],
  ])('when %s cancels it as 重复下单 keeping the twin, then it is cancelled and names the twin', (_, who) => {
    const o = run(claimed(), { type: 'cancel_duplicate', keep: twin }, who)
    expect(o).toMatchObject({ status: 'cancelled', duplicateOf: twin.id })
    expect(o.timeline.at(-1)).toMatchObject({ event: 'cancel_duplicate', note: `重复下单，保留订单${orderNo(twin.id)}` })
  })

  it('when a squad member who neither placed nor holds it says 重复下单, then NOT_PLACER', () => {
    expect(refusal(() => decide(claimed(), { type: 'cancel_duplicate', keep: twin }, otherSquad, NOW)).code).toBe('ORDER.NOT_PLACER')
  })

  it('when the resident says 重复下单, then AUTH.FORBIDDEN (they cancel their own as usual)', () => {
    expect(refusal(() => decide(claimed(), { type: 'cancel_duplicate', keep: twin }, resident, NOW)).code).toBe('AUTH.FORBIDDEN')
  })

  it('when it is already on the way (delivering), then 重复下单 is refused as a transition', () => {
    const o = { ...claimed(), status: 'delivering' as const }
    expect(refusal(() => decide(o, { type: 'cancel_duplicate', keep: twin }, holder, NOW)).code).toBe('ORDER.INVALID_TRANSITION')
  })
})

describe('重复下单 needs a real twin', () => {
  it.each([
    ['no other open order', null, '这一户没有别的未完成订单'],
    ['the order itself', { ...twin, id: 'o-proxy-0000a1' }, '不能是这一单自己'],
    ['another household', { ...twin, householdId: 'h2' }, '不是同一户'],
    ['a finished order', { ...twin, status: 'delivered' as const }, '已经结束了'],
    ['a cancelled order', { ...twin, status: 'cancelled' as const }, '已经结束了'],
  ])('keeping %s is refused with NOT_DUPLICATE', (_, keep, words) => {
    const o = proxy()
    const e = refusal(() => decide(o, { type: 'cancel_duplicate', keep }, placer, NOW))
    expect(e.code).toBe('ORDER.NOT_DUPLICATE')
    expect(e.message).toContain(words)
  })

  it('pickKept prefers the same kind, then the earliest placed; never the order itself or a closed one', () => {
    const o = proxy()
    const meal: KeptOrder = { ...twin, id: 'o-meal', kind: 'meal', createdAt: NOW - 7200_000 }
    const later: KeptOrder = { ...twin, id: 'o-later', createdAt: NOW - 60_000 }
    const closed: KeptOrder = { ...twin, id: 'o-old', status: 'confirmed', createdAt: NOW - 9000_000 }
    const self: KeptOrder = { id: o.id, householdId: 'h1', status: 'pending', kind: 'supplies', createdAt: o.createdAt }
    expect(pickKept(o, [meal, later, closed, self, twin])?.id).toBe(twin.id)
    expect(pickKept(o, [meal, closed, self])?.id).toBe('o-meal')
    expect(pickKept(o, [closed, self])).toBeNull()
  })
})

describe('what a 重复下单 cancel tells and counts', () => {
  it('the household hears which order is kept, by inbox only, with no name or door', () => {
    const o = run(proxy(), { type: 'cancel_duplicate', keep: twin }, placer)
    expect(rulesFor('cancel_duplicate', o)).toEqual([{ kind: 'duplicate_cancelled', audience: 'household', channels: ['inbox'] }])
    const msg = residentMessage('duplicate_cancelled', o, NOW)
    expect(msg.body).toContain(`您的重复订单已取消，保留订单${orderNo(twin.id)}`)
    expect(msg.body).not.toMatch(/朝鲁门|602|3号楼/)
  })

  it('figures count it as cancelled, and not against the response rate even when cancelled after the claim deadline', () => {
    const late = NOW + 5 * 3600_000 // past claimDueAt, never claimed
    const dup = run(proxy(), { type: 'cancel_duplicate', keep: twin }, coordinator, late)
    const f = dayFigures(beijingDate(NOW), [dup], late)
    expect(f).toMatchObject({ placed: 1, cancelled: 1, open: 0, responseRate: null })
    // The same order left unclaimed past its deadline would count against the squad.
    const unclaimed = dayFigures(beijingDate(NOW), [proxy()], late)
    expect(unclaimed.responseRate).toBe(0)
  })
})
