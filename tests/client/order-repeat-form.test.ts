/**
 * 再来一单 goes through the form: formFromOrder fills it from a placed order (普通, no reason,
 * quantities kept, items now gone or 暂缺 left out), and what the resident then submits is a new
 * order with a new request id.
 */
import { describe, expect, it } from 'vitest'
import { formFromOrder, toPlaceInput } from '../../src/resident/pages/order/form'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, T0 } from '../support/app'

describe('formFromOrder (再来一单)', () => {
  it('an urgent supplies order comes back as 普通 with its lines, and submits as a new order', async () => {
    const app = await makeApp()
    const zhao = app.as(DEMO_PEOPLE.zhao)
    const first = await zhao.call('order.place', {
      requestId: 'req-first',
      kind: 'supplies',
      urgency: 'urgent',
      urgentReason: '药快吃完了',
      window: 'afternoon',
      notes: '放门口',
      lines: [
        { itemId: 'rice', qty: 2 },
        { itemId: 'medicine', name: '硝苯地平', qty: 1, prescription: true },
      ],
    })
    const catalog = await zhao.call('catalog.get', {})
    const { form, dropped } = formFromOrder(first, catalog)
    expect(dropped).toEqual([])
    expect(form.urgency).toBe('normal')
    expect(form.urgentReason).toBe('')
    expect(form.qty).toEqual({ rice: 2 })
    expect(form.medicines).toEqual([{ name: '硝苯地平', qty: 1, prescription: true }])
    expect(form.window).toBe('afternoon')
    expect(form.notes).toBe('放门口')

    form.qty.rice = 3
    const again = await zhao.call('order.place', toPlaceInput(form, 'req-again', T0))
    expect(again.id).not.toBe(first.id)
    expect(again.urgency).toBe('normal')
    expect(again.urgentReason).toBeUndefined()
    expect(again.lines.find((l) => l.itemId === 'rice')?.qty).toBe(3)
  })

  it('leaves out catalog items that are gone or 暂缺 and names them', () => {
    const order = {
      kind: 'supplies' as const,
      lines: [
        { itemId: 'rice', name: '大米', unit: '袋', qty: 1 },
        { itemId: 'gone', name: '旧物品', unit: '个', qty: 1 },
        { itemId: 'flour', name: '面粉', unit: '袋', qty: 1 },
      ],
      window: 'asap' as const,
      notes: '',
    }
    const catalog = { categories: [{ items: [{ id: 'rice', name: '大米' }, { id: 'flour', name: '面粉', soldOut: true }] }] }
    const { form, dropped } = formFromOrder(order, catalog)
    expect(form.qty).toEqual({ rice: 1 })
    expect(dropped).toEqual(['旧物品', '面粉'])
  })

  it('a hand-over keeps who and what, the time is chosen again', () => {
    const { form } = formFromOrder(
      { kind: 'handover', lines: [], window: 'asap', notes: '', handover: { bringer: '子女', items: '衣物、水果、一箱牛奶', expectedAt: T0 } },
      null,
    )
    expect(form.handover).toEqual({ bringer: '子女', items: ['衣物', '水果'], itemsNote: '一箱牛奶', day: 'today', hour: null })
  })
})
