/**
 * "In the stairwell and at the door" (resident side), in the H5 build at phone size:
 * - every tappable control on the order form, the order detail and the rating screen is at least
 *   44 × 44 CSS px, and 56 × 56 in 大字模式 (switched on by tapping the words 大字模式 on 我的);
 *   status tags are readable (≥ 14 px, ≥ 18 px in 大字模式);
 * - the detail page says when the order will arrive (due time, window, 加急 reason) and, for a
 *   hand-over, the gate time and the parcel hold countdown;
 * - 再来一单 from 我的订单 opens the form filled from that order with 普通 selected; a changed
 *   quantity is what the new order carries.
 */
import type { Locator } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { OrderView } from '../../src/core/views'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { browserSuite, on, shot } from '../support/browser'

const suite = browserSuite({}, 10_000)

/** Everything a finger taps on the resident's screens. */
const TARGETS = [
  '.nut-button',
  '.chip',
  '.nut-inputnumber-minus',
  '.nut-inputnumber-add',
  '.nut-rate-item',
  '.nut-checkbox',
  '.add-line',
  '.free-line__remove',
  '.free-line__photo-btn',
  '.order-card__repeat',
  '.form__input',
  '.text-input',
].join(', ')

interface Measured {
  what: string
  width: number
  height: number
}

/** The bounding box of every visible tap target under `root` (read-only stars excluded). */
async function measure(root: Locator): Promise<Measured[]> {
  const out: Measured[] = []
  for (const el of await root.locator(TARGETS).all()) {
    if (!(await el.isVisible())) continue
    if (await el.evaluate((n) => !!n.closest('[data-testid="rated"]'))) continue
    const box = await el.boundingBox()
    if (!box) continue
    const what = await el.evaluate((n) => `${n.className.split(' ')[0]} "${(n.textContent ?? '').trim().slice(0, 12)}"`)
    out.push({ what, width: Math.round(box.width * 10) / 10, height: Math.round(box.height * 10) / 10 })
  }
  return out
}

/** Asserts the minimum on every target and returns the smallest side seen (for the report). */
function expectAtLeast(targets: Measured[], min: number, kinds: string[]): number {
  for (const k of kinds) expect(targets.some((t) => t.what.startsWith(k)), `${k} measured`).toBe(true)
  const small = targets.filter((t) => t.width < min || t.height < min).map((t) => `${t.what}: ${t.width}×${t.height}`)
  expect(small).toEqual([])
  return Math.min(...targets.flatMap((t) => [t.width, t.height]))
}

async function fontSize(el: Locator): Promise<number> {
  return el.evaluate((n) => parseFloat(getComputedStyle(n).fontSize))
}

let token = ''
const api = async (action: string, input: unknown, who = token): Promise<OrderView> => {
  const r = await suite.host.api<OrderView>(who, action, input)
  if (!r.ok) throw new Error(`${action}: ${r.code} ${JSON.stringify(r.fields ?? {})}`)
  return r.data
}

async function squadDelivers(id: string): Promise<void> {
  const squad = await suite.host.signIn(DEMO_PEOPLE.yuhong)
  await api('order.claim', { id }, squad)
  await api('order.advance', { id, event: 'depart' }, squad)
  for (const step of ['disinfect_corridor', 'remove_seal', 'call_resident', 'picked_up', 'restore_seal', 'disinfect_again']) {
    await api('order.step', { id, step }, squad)
  }
}

describe('resident: large targets, arrival, 再来一单 (H5)', () => {
  it('measures every target in both modes, shows when it arrives and repeats through the form', async () => {
    token = await suite.host.signIn(DEMO_PEOPLE.zhao)
    const urgent = await api('order.place', {
      requestId: 'stair-urgent',
      kind: 'supplies',
      urgency: 'urgent',
      urgentReason: '药快吃完了',
      window: 'asap',
      notes: '',
      lines: [
        { itemId: 'rice', qty: 1 },
        { itemId: 'water20', qty: 2 },
      ],
    })
    const done = await api('order.place', {
      requestId: 'stair-done',
      kind: 'supplies',
      urgency: 'normal',
      window: 'afternoon',
      notes: '',
      lines: [{ itemId: 'rice', qty: 1 }],
    })
    await squadDelivers(done.id)
    const expectedAt = Date.now() + 3 * 3_600_000
    const parcel = await api('order.place', {
      requestId: 'stair-parcel',
      kind: 'handover',
      urgency: 'normal',
      window: 'asap',
      notes: '',
      handover: { bringer: '子女', items: '衣物', expectedAt },
    })
    const squad = await suite.host.signIn(DEMO_PEOPLE.yuhong)
    await api('order.claim', { id: parcel.id }, squad)
    await api('order.parcelArrived', { id: parcel.id }, squad)
    await api('order.disinfectParcel', { id: parcel.id }, squad)

    const page = await suite.newPage()
    page.setDefaultTimeout(10_000)
    await page.goto(suite.host.url + '/')
    await page.evaluate(() => localStorage.clear())
    await page.goto(suite.host.url + '/')
    await page.locator('.sign-in').getByTestId('demo-person').filter({ hasText: '赵先生' }).first().click()
    await on(page, 'resident-home').getByTestId('household-label').waitFor()

    const sizes: Record<string, number> = {}
    for (const mode of ['normal', 'large'] as const) {
      const min = mode === 'large' ? 56 : 44

      // The order form, with a medicine line and 加急 open so every kind of control is on screen.
      await page.goto(`${suite.host.url}/#/resident/pages/order/index?kind=supplies`)
      const form = on(page, 'order-form')
      await form.getByTestId('item-rice').locator('.nut-inputnumber-add').waitFor()
      if (mode === 'large') await form.and(page.locator('.page--large')).waitFor()
      await shot(page, `stairwell-order-${mode}`)
      await form.getByTestId('free-medicines').locator('.add-line').click()
      await form.getByTestId('urgency').locator('.chip[data-value="urgent"]').click()
      await form.getByTestId('free-medicines').scrollIntoViewIfNeeded()
      await shot(page, `stairwell-order-medicine-${mode}`)
      sizes[`order-${mode}`] = expectAtLeast(await measure(form), min, ['nut-inputnumber-minus', 'nut-inputnumber-add', 'chip', 'nut-button', 'add-line', 'free-line__remove'])
      // The − is drawn as a thick bar, not NutUI's faint 10 px dash.
      const bar = await form
        .getByTestId('item-rice')
        .locator('.nut-inputnumber-minus .nut-icon')
        .evaluate((n) => {
          const s = getComputedStyle(n, '::before')
          return { w: parseFloat(s.width), h: parseFloat(s.height) }
        })
      expect(bar.w).toBeGreaterThanOrEqual(mode === 'large' ? 22 : 18)
      expect(bar.h).toBeGreaterThanOrEqual(3)

      // The detail of the urgent order: when it arrives, the status tag, cancel.
      await page.goto(`${suite.host.url}/#/resident/pages/detail/index?id=${urgent.id}`)
      const detail = on(page, 'order-detail')
      await detail.getByTestId('arrival').waitFor()
      expect(await detail.getByTestId('arrival-due').textContent()).toMatch(/^预计(今天|明天) \d\d:\d\d前送达$/)
      expect(await detail.getByTestId('arrival-window').textContent()).toBe('您选的时段：加急，尽快送')
      expect(await detail.getByTestId('arrival-urgent').textContent()).toBe('加急原因：药快吃完了')
      const tag = detail.locator('.status-tag .nut-tag')
      expect(await fontSize(tag)).toBeGreaterThanOrEqual(mode === 'large' ? 18 : 14)
      expect(await fontSize(detail.locator('.step__label').first())).toBeGreaterThanOrEqual(mode === 'large' ? 22 : 17)
      await shot(page, `stairwell-detail-${mode}`)
      sizes[`detail-${mode}`] = expectAtLeast(await measure(detail), min, ['nut-button'])

      // The rating screen: 1 star opens the reasons (a 回访), every star a big target.
      await page.goto(`${suite.host.url}/#/resident/pages/detail/index?id=${done.id}`)
      const rating = on(page, 'order-detail')
      await rating.getByTestId('rate').waitFor()
      await rating.getByTestId('rate').locator('.nut-rate-item').nth(0).click()
      await rating.locator('.chip').first().waitFor()
      expect(await fontSize(rating.locator('.status-tag .nut-tag'))).toBeGreaterThanOrEqual(mode === 'large' ? 18 : 14)
      await shot(page, `stairwell-rating-${mode}`)
      sizes[`rating-${mode}`] = expectAtLeast(await measure(rating), min, ['nut-rate-item', 'chip', 'nut-button'])
      // Star 1 and star 2 are told apart: they do not overlap.
      const [s1, s2] = [await rating.locator('.nut-rate-item').nth(0).boundingBox(), await rating.locator('.nut-rate-item').nth(1).boundingBox()]
      expect(s2!.x).toBeGreaterThanOrEqual(s1!.x + s1!.width)

      // 我的订单: 再来一单 on every card.
      await page.goto(`${suite.host.url}/#/resident/pages/orders/index`)
      const list = on(page, 'my-orders')
      await list.getByTestId('order-card').first().waitFor()
      await shot(page, `stairwell-orders-${mode}`)
      sizes[`orders-${mode}`] = expectAtLeast(await measure(list), min, ['order-card__repeat'])
      expect(await list.getByTestId('repeat').count()).toBe(await list.getByTestId('order-card').count())
      for (const t of await list.locator('.status-tag .nut-tag').all()) {
        expect(await fontSize(t)).toBeGreaterThanOrEqual(mode === 'large' ? 18 : 14)
      }

      if (mode === 'normal') {
        // 大字模式 on by tapping its words, not the switch.
        await page.goto(`${suite.host.url}/#/pages/me/index`)
        const me = on(page, 'me')
        await me.getByTestId('large-text-label').click()
        await page.locator('.me.page--large').last().waitFor()
        const label = await me.getByTestId('large-text-label').boundingBox()
        expect(label!.height).toBeGreaterThanOrEqual(56)
      }
    }
    console.log('smallest target side (CSS px):', JSON.stringify(sizes))

    // A hand-over: the gate time and, disinfected, the hold countdown ticking.
    await page.goto(`${suite.host.url}/#/resident/pages/detail/index?id=${parcel.id}`)
    const hand = on(page, 'order-detail')
    await hand.getByTestId('arrival-gate').waitFor()
    expect(await hand.getByTestId('arrival-gate').textContent()).toMatch(/^家属预计 (今天|明天) \d\d:\d\d 送到小区门口$/)
    const hold1 = await hand.getByTestId('arrival-hold').textContent()
    expect(hold1).toMatch(/^东西已消杀，静置中，还需 \d:\d\d:\d\d 才能送上门$/)
    await page.waitForTimeout(1500)
    expect(await hand.getByTestId('arrival-hold').textContent()).not.toBe(hold1)
    await shot(page, 'stairwell-detail-handover-large')

    // 再来一单 from 我的订单 (the urgent one): the filled form, 普通 selected, no reason, 2 bags of rice.
    await page.goto(`${suite.host.url}/#/resident/pages/orders/index`)
    const list = on(page, 'my-orders')
    await list.locator(`[data-order-id="${urgent.id}"]`).getByTestId('repeat').click()
    const again = on(page, 'order-form')
    await again.getByTestId('repeat-note').waitFor()
    expect(await again.getByTestId('urgency').locator('.chip--on').getAttribute('data-value')).toBe('normal')
    expect(await again.getByTestId('urgent-reason').count()).toBe(0)
    const rice = again.getByTestId('item-rice')
    expect(await rice.locator('input').inputValue()).toBe('1')
    expect(await again.getByTestId('item-water20').locator('input').inputValue()).toBe('2')
    await rice.locator('.nut-inputnumber-add').click()
    expect(await rice.locator('input').inputValue()).toBe('2')
    await shot(page, 'stairwell-repeat-form-large')
    await again.locator('.order-form__submit .nut-button', { hasText: '提交订单（2样）' }).click()
    await on(page, 'order-detail').getByTestId('arrival').waitFor()

    const mine = await suite.host.api<{ orders: OrderView[] }>(token, 'order.mine', {})
    if (!mine.ok) throw new Error(mine.code)
    const fresh = mine.data.orders.filter((o) => ![urgent.id, done.id, parcel.id].includes(o.id))
    expect(fresh).toHaveLength(1)
    expect(fresh[0]!.urgency).toBe('normal')
    expect(fresh[0]!.urgentReason).toBeUndefined()
    expect(fresh[0]!.lines.map((l) => [l.itemId, l.qty])).toEqual([
      ['rice', 2],
      ['water20', 2],
    ])
  }, 180_000)
})
