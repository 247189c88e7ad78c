/**
 * The resident order form's state → order.place input (src/resident/pages/order/form.ts), placed
 * through the real dispatcher: what the taps build is what the server accepts and stores.
 */
import { describe, expect, it } from 'vitest'
import { emptyForm, toPlaceInput } from '../../src/resident/pages/order/form'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, T0 } from '../support/app'

describe('meal at an exact time (指定时间)', () => {
  it('tomorrow 12:30 becomes slot exact with the time, stored as that Beijing instant', async () => {
    const app = await makeApp()
    const form = emptyForm('meal')
    form.meal = { dish: '粥', day: 'tomorrow', slot: 'exact', time: '12:30', dietary: ['清淡'] }
    const input = toPlaceInput(form, 'req-exact-1', T0)
    expect(input.meal).toEqual({ dish: '粥', day: 'tomorrow', slot: 'exact', time: '12:30', dietary: ['清淡'] })
    const order = await app.as(DEMO_PEOPLE.zhang).call('order.place', input)
    const stored = await app.store.orders.get(order.id)
    // T0 is 2026-11-22 09:00 Beijing; tomorrow 12:30 Beijing = 04:30 UTC on the 23rd.
    expect(stored?.meal).toMatchObject({ slot: 'exact', date: '2026-11-23', at: Date.UTC(2026, 10, 23, 4, 30) })
  })

  it('less than 2 hours ahead is refused next to the time and writes nothing', async () => {
    const app = await makeApp()
    const form = emptyForm('meal')
    form.meal = { dish: '粥', day: 'today', slot: 'exact', time: '10:30', dietary: [] }
    const r = await app.as(DEMO_PEOPLE.zhang).refused('order.place', toPlaceInput(form, 'req-exact-2', T0))
    expect(r.code).toBe('REQUEST.INVALID_INPUT')
    expect(r.fields?.['meal.slot']).toBe('请至少提前2小时预订')
    expect((await app.store.orders.list({})).items).toHaveLength(0)
  })

  it('exact without a time chosen asks for the time', async () => {
    const app = await makeApp()
    const form = emptyForm('meal')
    form.meal = { dish: '粥', day: 'tomorrow', slot: 'exact', time: null, dietary: [] }
    const r = await app.as(DEMO_PEOPLE.zhang).refused('order.place', toPlaceInput(form, 'req-exact-3', T0))
    expect(r.fields?.['meal.time']).toBe('请选择具体送餐时间')
  })
})

describe('notesCount (the 备注 counter)', () => {
  it('counts as the server does (cleaned), and names what runs over', async () => {
    const { notesCount } = await import('../../src/resident/pages/order/form')
    const { PlaceOrderInput } = await import('../../src/core/schemas')
    const v = await import('valibot')
    expect(notesCount('  放门口就行\u200b  ')).toEqual({ count: 5, over: 0, overflow: '', message: '' })
    const exactly = '米'.repeat(200)
    expect(notesCount(exactly).over).toBe(0)
    const pasted = `${'米'.repeat(200)}多出来的话`
    const c = notesCount(pasted)
    expect(c).toMatchObject({ count: 205, over: 5, overflow: '多出来的话' })
    expect(c.message).toBe('备注最多200个字，现在205个字，请删掉5个字再提交')
    // The server's limit agrees at the boundary.
    const input = (notes: string) => ({ requestId: 'req-notes-01', kind: 'garbage', notes })
    expect(v.safeParse(PlaceOrderInput, input(exactly)).success).toBe(true)
    expect(v.safeParse(PlaceOrderInput, input(pasted)).success).toBe(false)
  })
})
