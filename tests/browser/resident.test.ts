/**
 * The resident's whole journey in the H5 build at phone size, on the real local host: join with the
 * household code, order 1 袋大米 + 1 桶水 as 加急, see it under 我的订单 as 待接单, cancel a second
 * order, and — once the squad has delivered it (through the api) — confirm receipt and rate it.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { OrderView } from '../../src/core/views'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { browserSuite, on, shot } from '../support/browser'

/** A real 1×1 PNG standing in for the photo of a medicine box. */
const BOX_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

const suite = browserSuite({}, 10_000)

/** A new page, signed in from the sign-in screen as the demo person whose card shows `name`. */
async function signedInPage(name: string): Promise<Page> {
  const page = await suite.newPage()
  page.setDefaultTimeout(10_000)
  await page.goto(suite.host.url + '/')
  await page.evaluate(() => localStorage.clear())
  await page.goto(suite.host.url + '/')
  await page.locator('.sign-in').getByTestId('demo-person').filter({ hasText: name }).first().click()
  return page
}

async function squadDelivers(id: string): Promise<void> {
  const token = await suite.host.signIn(DEMO_PEOPLE.yuhong)
  const ok = async (action: string, input: unknown) => {
    const r = await suite.host.api<OrderView>(token, action, input)
    if (!r.ok) throw new Error(`${action}: ${r.code}`)
  }
  await ok('order.claim', { id })
  await ok('order.advance', { id, event: 'depart' })
  for (const step of ['disinfect_corridor', 'remove_seal', 'call_resident', 'picked_up', 'restore_seal', 'disinfect_again']) {
    await ok('order.step', { id, step })
  }
}

describe('resident journey (H5)', () => {
  it('joins, orders, follows, cancels, confirms and rates', async () => {
    const page = await suite.newPage()
    page.setDefaultTimeout(10_000)
    await page.goto(suite.host.url + '/')

    // Sign in as 孙女士, who has no household yet: the join page.
    await page.locator('.sign-in').getByTestId('demo-person').filter({ hasText: '孙女士' }).click()
    const join = on(page, 'join')
    await join.getByTestId('join-submit').waitFor()
    await join.locator('[data-testid="join-code"] input').fill('735291')
    await join.locator('.join__input input').first().fill('13800000302')
    await join.getByTestId('join-submit').click()
    const home = on(page, 'resident-home')
    await home.getByTestId('household-label').filter({ hasText: '2号楼2单元302' }).waitFor()
    await home.getByTestId('no-active').waitFor()
    await shot(page, 'resident-home-empty')

    // Order 1 袋大米 and 1 桶水, urgent because the medicine is running out.
    await home.getByTestId('tile-supplies').click()
    const form = on(page, 'order-form')
    await form.getByTestId('item-rice').waitFor()
    await form.getByTestId('deliver-to').filter({ hasText: '2号楼2单元302' }).waitFor()
    await form.getByTestId('item-rice').locator('.nut-inputnumber-add').click()
    await form.getByTestId('item-water20').locator('.nut-inputnumber-add').click()
    await form.getByTestId('urgency').locator('[data-value="urgent"]').click()
    // Urgent without a reason: the server's message appears next to the reason, nothing is placed.
    await form.locator('.order-form__submit .nut-button', { hasText: '提交订单（2样）' }).click()
    await form.getByText('加急需要说明原因，比如药快吃完了').first().waitFor()
    expect((await suite.host.deps.store.orders.list({})).items).toHaveLength(0)
    await form.getByTestId('urgent-reason').locator('[data-value="药快吃完了"]').click()
    await shot(page, 'resident-order-form')
    await form.locator('.order-form__submit .nut-button', { hasText: '提交订单（2样）' }).click()

    const detail = on(page, 'order-detail')
    await detail.locator('[data-status="pending"]').waitFor()
    await detail.getByText('大米×1袋、20L桶装水×1桶').waitFor()
    await shot(page, 'resident-order-detail-pending')
    const [first] = (await suite.host.deps.store.orders.list({})).items
    expect(first).toMatchObject({ urgency: 'urgent', urgentReason: '药快吃完了', householdId: 'h2-2-302' })
    expect(first!.lines.map((l) => [l.itemId, l.qty])).toEqual([
      ['rice', 1],
      ['water20', 1],
    ])

    // 我的订单 lists it as 待接单.
    await page.goto(`${suite.host.url}/#/resident/pages/orders/index`)
    const list = on(page, 'my-orders')
    await list.locator(`[data-order-id="${first!.id}"]`).getByText('待接单').waitFor()
    await shot(page, 'resident-orders')

    // A second order (garbage pickup), then cancelled while nobody has claimed it.
    await page.goto(`${suite.host.url}/#/resident/pages/order/index?kind=garbage`)
    const garbage = on(page, 'order-form')
    await garbage.locator('.order-form__submit .nut-button', { hasText: '提交' }).click()
    const second = on(page, 'order-detail')
    await second.getByText('清运生活垃圾').waitFor()
    await second.locator('.nut-button', { hasText: '取消订单' }).click()
    await page.locator('.taro-modal__content .taro-model__confirm').click()
    await on(page, 'order-detail').getByTestId('cancelled').waitFor()
    const all = (await suite.host.deps.store.orders.list({})).items
    expect(all.map((o) => [o.kind, o.status]).sort()).toEqual([
      ['garbage', 'cancelled'],
      ['supplies', 'pending'],
    ])

    // Open the first order and keep it open while the squad delivers it: it turns 已送达 by itself.
    await page.goto(`${suite.host.url}/#/resident/pages/detail/index?id=${first!.id}`)
    const live = on(page, 'order-detail')
    await live.locator('[data-status="pending"]').waitFor()
    await squadDelivers(first!.id)
    await live.locator('[data-status="delivered"]').waitFor({ timeout: 20_000 })
    await live.getByText('已接单 · 社工 于红').waitFor()

    // 收到啦, then 5 stars.
    await live.locator('.nut-button', { hasText: '收到啦' }).click()
    await live.locator('[data-status="confirmed"]').waitFor()
    await live.getByTestId('rate').locator('.nut-rate-item').nth(4).click()
    await live.locator('.nut-button', { hasText: '提交评价' }).click()
    await live.getByTestId('rated').waitFor()
    await shot(page, 'resident-order-detail-rated')
    const done = await suite.host.deps.store.orders.get(first!.id)
    expect(done).toMatchObject({ status: 'confirmed', rating: { stars: 5 }, followUp: false })
  }, 120_000)

  it('orders a meal for tomorrow lunch and registers a family hand-over, by taps only', async () => {
    const page = await signedInPage('张女士')
    const home = on(page, 'resident-home')
    await home.getByTestId('household-label').waitFor()
    await shot(page, 'resident-home-zhang')

    // 明天中午一份盖饭, 低糖 + 软烂.
    await home.getByTestId('tile-meal').click()
    const meal = on(page, 'order-form')
    await meal.getByTestId('dish').locator('[data-value="盖饭"]').click()
    await meal.getByTestId('meal-day').locator('[data-value="tomorrow"]').click()
    await meal.getByTestId('meal-slot').locator('[data-value="lunch"]').click()
    await meal.getByTestId('dietary').locator('[data-value="低糖"]').click()
    await meal.getByTestId('dietary').locator('[data-value="软烂"]').click()
    await shot(page, 'resident-order-meal')
    await meal.locator('.order-form__submit .nut-button').click()
    const mealDetail = on(page, 'order-detail')
    await mealDetail.locator('[data-status="pending"]').waitFor()
    await mealDetail.getByText('盖饭').first().waitFor()

    // 家属送物: 子女 bring 衣物 and 水果 tomorrow at 14:00.
    await page.goto(`${suite.host.url}/#/resident/pages/order/index?kind=handover`)
    const handover = on(page, 'order-form')
    await handover.getByTestId('bringer').locator('[data-value="子女"]').click()
    await handover.getByTestId('handover-items').locator('[data-value="衣物"]').click()
    await handover.getByTestId('handover-items').locator('[data-value="水果"]').click()
    await handover.getByTestId('handover-day').locator('[data-value="tomorrow"]').click()
    await handover.getByTestId('handover-hour').locator('[data-value="14"]').click()
    await shot(page, 'resident-order-handover')
    await handover.locator('.order-form__submit .nut-button').click()
    await on(page, 'order-detail').locator('[data-status="pending"]').waitFor()

    const mine = (await suite.host.deps.store.orders.list({ householdIds: ['h1-2-502'] })).items
    const placedMeal = mine.find((o) => o.kind === 'meal')
    const placedHandover = mine.find((o) => o.kind === 'handover')
    expect(placedMeal?.meal).toMatchObject({ dish: '盖饭', slot: 'lunch', dietary: ['低糖', '软烂'] })
    expect(placedHandover?.handover).toMatchObject({ bringer: '子女' })
    expect(placedHandover?.placedBy.id).toBe(DEMO_PEOPLE.zhang)

    await page.goto(`${suite.host.url}/#/resident/pages/orders/index`)
    await on(page, 'my-orders').locator('[data-order-id]').nth(1).waitFor()
    await shot(page, 'resident-orders-two')
  }, 120_000)

  it('orders medicine with a photo of the box; the squad member holding it sees that photo', async () => {
    const page = await signedInPage('赵')
    await on(page, 'resident-home').getByTestId('household-label').waitFor()
    await page.goto(`${suite.host.url}/#/resident/pages/order/index?kind=supplies`)
    const form = on(page, 'order-form')
    await form.getByTestId('free-medicines').getByText('添加药品').click()
    await form.locator('.free-line__name input').first().fill('硝苯地平')
    const chooser = page.waitForEvent('filechooser')
    await form.getByTestId('med-photo-take-0').click()
    await (await chooser).setFiles({ name: 'box.png', mimeType: 'image/png', buffer: BOX_PNG })
    await form.getByTestId('med-photo-0').waitFor()
    await shot(page, 'resident-order-medicine-photo')
    await form.locator('.order-form__submit .nut-button').click()
    await on(page, 'order-detail').locator('[data-status="pending"]').waitFor()

    const placed = (await suite.host.deps.store.orders.list({ householdIds: ['h1-1-301'] })).items.find((o) => o.lines.some((l) => l.name === '硝苯地平'))
    expect(placed?.lines[0]?.photo).toMatch(/^local:[0-9a-f]{64}\.png$/)

    // 于红 claims it and opens the task: the box photo is there, loaded from the suite.host.
    const yuhong = await suite.host.signIn(DEMO_PEOPLE.yuhong)
    const claimed = await suite.host.api(yuhong, 'order.claim', { id: placed!.id })
    expect(claimed.ok).toBe(true)
    const squad = await suite.openWithToken(yuhong, `/squad/pages/task/index?id=${encodeURIComponent(placed!.id)}`)
    const photo = squad.getByTestId('line-photo-0')
    await photo.waitFor()
    await expect
      .poll(() => photo.evaluate((el) => ((el.tagName === 'IMG' ? el : el.querySelector('img')) as HTMLImageElement | null)?.naturalWidth ?? 0))
      .toBeGreaterThan(0)
    await shot(squad, 'squad-task-medicine-photo')
  }, 120_000)

  it('an answer lost on the way back: 提交 again returns the same order, never a second one', async () => {
    const page = await signedInPage('张女士')
    await on(page, 'resident-home').getByTestId('household-label').waitFor()
    const before = (await suite.host.deps.store.orders.list({ householdIds: ['h1-2-502'] })).items.length

    await page.goto(`${suite.host.url}/#/resident/pages/order/index?kind=garbage`)
    const form = on(page, 'order-form')
    await form.locator('.order-form__submit .nut-button').waitFor()
    // The host takes the order, but the phone never hears the answer (the connection drops).
    let dropped = 0
    await page.route('**/api', async (route) => {
      if (route.request().postDataJSON()?.action !== 'order.place' || dropped > 0) return route.continue()
      dropped++
      await route.fetch()
      await route.abort('connectionreset')
    })
    await form.locator('.order-form__submit .nut-button').click()
    await form.getByTestId('submit-error').getByText('网络不太好，请再点一次「提交」，不会重复下单').waitFor()
    await shot(page, 'resident-order-lost-answer')
    expect((await suite.host.deps.store.orders.list({ householdIds: ['h1-2-502'] })).items.length).toBe(before + 1)

    // Tapping 提交 again carries the same request id: the first order comes back.
    await form.locator('.order-form__submit .nut-button').click()
    await on(page, 'order-detail').locator('[data-status="pending"]').waitFor()
    const after = (await suite.host.deps.store.orders.list({ householdIds: ['h1-2-502'] })).items
    expect(after.length).toBe(before + 1)
    expect(page.url()).toContain(encodeURIComponent(after[0]!.id))
  }, 120_000)
})
