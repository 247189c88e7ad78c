/**
 * The squad takes back a 代下单 in the browser against the real local host: the placer cancels an
 * unclaimed one from the proxy-order confirmation (取消代下单); the holder cancels a claimed 重复下单
 * and the resident's inbox names the order kept. Confirmation sheets first; buttons at least 44 px
 * (56 px in 大字模式). Hand-overs: 已到门岗 comes before 已消杀 on the task page and shows on the
 * resident's order page.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { orderNo } from '../../src/core/order/duplicate'
import type { InboxPage } from '../../src/core/notify/views'
import type { OrderView } from '../../src/core/views'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { browserSuite, on, shot } from '../support/browser'

const suite = browserSuite({ notify: true }, 15_000)
let seq = 0

async function api<T = OrderView>(personId: string, action: string, input: unknown): Promise<T> {
  const r = await suite.host.api<T>(await suite.host.signIn(personId), action, input)
  if (!r.ok) throw new Error(`${action}: ${r.code} ${r.message}`)
  return r.data
}

const openAs = (personId: string, route: string, large = false) => suite.openAs(personId, route, { largeText: large })

const taskUrl = (id: string, placed = false) => `/squad/pages/task/index?id=${id}${placed ? '&placed=1' : ''}`

async function heightOf(page: Page, testid: string): Promise<number> {
  const box = await on(page, 'task').getByTestId(testid).boundingBox()
  if (!box) throw new Error(`${testid} not on screen`)
  return box.height
}

describe('the squad takes back a 代下单 (H5)', () => {
  it('the placer cancels an unclaimed one from the confirmation: a sheet first, then it leaves the board', async () => {
    const proxy = await api(DEMO_PEOPLE.wangnan, 'order.place', { requestId: `proxy-cancel-${++seq}`, householdId: 'h2-1-201', kind: 'garbage' })
    const page = await openAs(DEMO_PEOPLE.wangnan, taskUrl(proxy.id, true))
    const task = on(page, 'task')
    await task.getByTestId('proxy-placed').waitFor()
    expect(await heightOf(page, 'cancel-proxy')).toBeGreaterThanOrEqual(44)
    expect(await heightOf(page, 'cancel-duplicate')).toBeGreaterThanOrEqual(44)
    await shot(page, 'squad-proxy-placed')

    await task.getByTestId('cancel-proxy').click()
    await task.getByTestId('sheet').getByText('取消这个代下单？').waitFor()
    // Nothing happens before the confirmation.
    expect((await suite.host.deps.store.orders.get(proxy.id))?.status).toBe('pending')
    await shot(page, 'squad-proxy-cancel-sheet')
    await task.getByTestId('confirm-cancel-proxy').click()
    await task.getByTestId('cancelled').getByText('这个订单已取消。').waitFor()
    expect(await task.getByTestId('cancel-proxy').count()).toBe(0)
    expect((await suite.host.deps.store.orders.get(proxy.id))?.status).toBe('cancelled')
    const board = await api<{ orders: OrderView[] }>(DEMO_PEOPLE.chaolu, 'squad.board', {})
    expect(board.orders.map((o) => o.id)).not.toContain(proxy.id)
  }, 60_000)

  it('the holder cancels a claimed 重复下单 (56 px buttons in 大字模式); the resident hears which order is kept', async () => {
    const own = await api(DEMO_PEOPLE.zhao, 'order.place', { requestId: `proxy-cancel-${++seq}`, kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
    const proxy = await api(DEMO_PEOPLE.wangnan, 'order.place', {
      requestId: `proxy-cancel-${++seq}`,
      householdId: 'h1-1-301',
      kind: 'supplies',
      lines: [{ itemId: 'rice', qty: 1 }],
    })
    await api(DEMO_PEOPLE.yuhong, 'order.claim', { id: proxy.id })
    const page = await openAs(DEMO_PEOPLE.yuhong, taskUrl(proxy.id), true)
    const task = on(page, 'task')
    await task.getByTestId('cancel-duplicate').waitFor()
    // Claimed: no withdrawing, only 重复下单.
    expect(await task.getByTestId('cancel-proxy').count()).toBe(0)
    await page.locator('.page--large').first().waitFor()
    expect(await heightOf(page, 'cancel-duplicate')).toBeGreaterThanOrEqual(56)

    await task.getByTestId('cancel-duplicate').click()
    await task.getByTestId('sheet').getByText('重复下单，取消这一单？').waitFor()
    await shot(page, 'squad-duplicate-sheet')
    await task.getByTestId('confirm-cancel-duplicate').click()
    await task.getByTestId('cancelled').getByText(`已按重复下单取消，保留订单${orderNo(own.id)}。`).waitFor()
    await shot(page, 'squad-duplicate-cancelled')
    expect(await suite.host.deps.store.orders.get(proxy.id)).toMatchObject({ status: 'cancelled', duplicateOf: own.id })
    expect((await suite.host.deps.store.orders.get(own.id))?.status).toBe('pending')
    await expect
      .poll(async () => (await api<InboxPage>(DEMO_PEOPLE.zhao, 'inbox.list', {})).items.map((i) => i.body).join('\n'), { timeout: 10_000 })
      .toContain(`您的重复订单已取消，保留订单${orderNo(own.id)}`)
  }, 60_000)

  it('a parcel: 已到门岗 before 已消杀 on the task page; the resident sees 已到门岗', async () => {
    const parcel = await api(DEMO_PEOPLE.zhang, 'order.place', {
      requestId: `proxy-cancel-${++seq}`,
      kind: 'handover',
      handover: { bringer: '女儿', items: '奶粉', expectedAt: Date.now() + 20 * 3_600_000 },
    })
    await api(DEMO_PEOPLE.wangnan, 'order.claim', { id: parcel.id })
    const page = await openAs(DEMO_PEOPLE.wangnan, taskUrl(parcel.id))
    const task = on(page, 'task')
    await task.getByTestId('parcel-arrived').waitFor()
    expect(await task.getByTestId('disinfect-parcel').count()).toBe(0)
    await task.getByTestId('parcel-arrived').click()
    await task.getByTestId('parcel-arrived-at').getByText(/\d\d:\d\d 已到门岗/).waitFor()
    await task.getByTestId('disinfect-parcel').click()
    await task.getByTestId('parcel-countdown').waitFor()
    const parcelCard = task.getByTestId('parcel')
    const texts = await parcelCard.innerText()
    expect(texts.indexOf('已到门岗')).toBeLessThan(texts.indexOf('已消杀'))
    await shot(page, 'squad-parcel-arrived-disinfected')

    const resident = await openAs(DEMO_PEOPLE.zhang, `/resident/pages/detail/index?id=${parcel.id}`)
    await resident.getByTestId('arrival-arrived').getByText(/今天 \d\d:\d\d 已到门岗/).waitFor()
    await shot(resident, 'resident-parcel-arrived')
  }, 60_000)
})
