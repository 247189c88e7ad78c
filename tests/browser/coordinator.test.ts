/**
 * The coordinator in the browser on the real local host: the figures reflect orders placed through
 * the api (one overdue shows red), a 1-star rating sits in the 回访 queue and is resolved with one
 * tap, the register lists the isolated households. Screenshots of each coordinator page.
 */
import { describe, expect, it } from 'vitest'
import { PROTOCOL_STEPS } from '../../src/core/order/protocol'
import type { OrderView } from '../../src/core/views'
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE } from '../../src/server/seed/demo'
import { browserSuite, on, shot } from '../support/browser'

const suite = browserSuite({ notify: true }, 15_000)

const openAs = suite.openAs

async function ok<T>(token: string, action: string, input: unknown): Promise<T> {
  const r = await suite.host.api<T>(token, action, input)
  if (!r.ok) throw new Error(`${action}: ${r.code}`)
  return r.data
}

describe('coordinator (H5)', () => {
  it('figures, an overdue order in red and 指派, a 1-star rating resolved from the 回访 queue', async () => {
    const zhao = await suite.host.signIn(DEMO_PEOPLE.zhao)
    const zhang = await suite.host.signIn(DEMO_PEOPLE.zhang)
    const yuhong = await suite.host.signIn(DEMO_PEOPLE.yuhong)
    // One waiting order, made overdue by moving its deadline back.
    const late = await ok<OrderView>(zhang, 'order.place', { requestId: 'coord-late-0001', kind: 'garbage' })
    const stored = (await suite.host.deps.store.orders.get(late.id))!
    await suite.host.deps.store.orders.update({ ...stored, dueAt: Date.now() - 30 * 60_000, version: stored.version + 1 }, stored)
    // One delivered, confirmed and rated 1 star.
    const rice = await ok<OrderView>(zhao, 'order.place', { requestId: 'coord-rice-0001', kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
    await ok(yuhong, 'order.claim', { id: rice.id })
    await ok(yuhong, 'order.advance', { id: rice.id, event: 'depart' })
    for (const step of PROTOCOL_STEPS) await ok(yuhong, 'order.step', { id: rice.id, step })
    await ok(zhao, 'order.confirm', { id: rice.id })
    await ok(zhao, 'order.rate', { id: rice.id, stars: 1, comment: '等了太久' })

    const page = await openAs(DEMO_PEOPLE.coordinator, '/coordinator/pages/dashboard/index')
    const dash = on(page, 'coordinator-dashboard')
    await dash.locator('[data-testid="fig-overdue"][data-value="1"]').waitFor()
    expect(await dash.getByTestId('fig-overdue').getAttribute('class')).toContain('figure--alert')
    expect(await dash.getByTestId('fig-waiting').getAttribute('data-value')).toBe('1')
    expect(await dash.getByTestId('fig-delivered').getAttribute('data-value')).toBe('1')
    expect(await dash.getByTestId('fig-rating').getAttribute('data-value')).toBe('1')
    const rated = dash.locator(`[data-testid="followup"][data-order-id="${rice.id}"][data-reason="low_rating"]`)
    await rated.getByText('“等了太久”').waitFor()
    await dash.locator(`[data-testid="followup"][data-order-id="${late.id}"][data-reason="overdue"]`).waitFor()
    await shot(page, 'coordinator-dashboard')

    await rated.getByTestId('followup-notes').locator('[data-value="已致歉并补送"]').click()
    await rated.getByTestId('followup-done').click()
    await dash.locator(`[data-testid="followup"][data-order-id="${rice.id}"]`).waitFor({ state: 'detached' })
    expect((await suite.host.deps.store.orders.get(rice.id))?.followUpDone?.note).toBe('已致歉并补送')

    // Nobody took the overdue one: 指派 it to 王楠 by two taps and a confirm.
    const overdue = dash.locator(`[data-testid="followup"][data-order-id="${late.id}"]`)
    await overdue.getByTestId('reassign-open').click()
    await overdue.getByTestId('reassign-to').locator(`[data-value="${DEMO_PEOPLE.wangnan}"]`).click()
    await overdue.getByTestId('reassign-reason').locator('[data-value="超时没人接"]').click()
    await shot(page, 'coordinator-assign')
    await overdue.getByTestId('reassign-confirm').click()
    await overdue.getByText('王楠负责').waitFor()
    expect(await suite.host.deps.store.orders.get(late.id)).toMatchObject({ status: 'claimed', holder: { id: DEMO_PEOPLE.wangnan } })
    await dash.locator('[data-testid="fig-waiting"][data-value="0"]').waitFor()

    // 王楠 sees 新任务 on the board, reads it in 消息 and lands on the task with the door.
    const wang = await openAs(DEMO_PEOPLE.wangnan, '/squad/pages/board/index')
    const board = on(wang, 'board')
    await board.getByTestId('unread').getByText('1条新消息').waitFor()
    await board.getByTestId('to-inbox').click()
    const msg = on(wang, 'inbox').getByText('社区把1号楼2单元的一单清运垃圾交给您了。请尽快处理。')
    await msg.waitFor()
    await msg.click()
    await on(wang, 'task').getByText('1号楼2单元502').waitFor()

    // A new order appears in the figures without reloading.
    await ok(zhao, 'order.place', { requestId: 'coord-new-0001', kind: 'garbage' })
    await dash.locator('[data-testid="fig-waiting"][data-value="1"]').waitFor()

    // The register: isolated households first, with their special needs.
    await dash.getByTestId('to-households').click()
    const reg = on(page, 'households')
    await reg.locator('[data-household="h2-1-201"]').getByText('独居老人、没有智能手机').waitFor()
    expect(await reg.getByTestId('household-row').count()).toBe(10)
    await reg.getByTestId('show').locator('[data-value="all"]').click()
    await expect.poll(() => reg.getByTestId('household-row').count()).toBe(72)
    await reg.getByTestId('show').locator('[data-value="isolated"]').click()
    await shot(page, 'coordinator-households')

    // 李秀英's door: tap it, choose 健康监测 and add 行动不便, save.
    const li = reg.locator('[data-household="h2-1-201"]')
    await li.locator('.households__head').click()
    const editor = li.getByTestId('household-editor')
    await editor.getByTestId('edit-isolation').locator('[data-value="health_monitoring"]').click()
    await editor.getByTestId('edit-needs').locator('[data-value="行动不便"]').click()
    await shot(page, 'coordinator-household-edit')
    await editor.getByTestId('household-save').click()
    await li.getByText('健康监测').waitFor()
    await li.getByText('独居老人、没有智能手机、行动不便').waitFor()
    expect(await li.getByTestId('household-editor').count()).toBe(0)
    expect(await suite.host.deps.store.households.get('h2-1-201')).toMatchObject({
      isolation: 'health_monitoring',
      specialNeeds: ['独居老人', '没有智能手机', '行动不便'],
    })
  }, 90_000)

  it('while orders keep changing the figures reload at most every 5 s, and show the last change 1 s after they stop', async () => {
    const wang = await suite.host.signIn(DEMO_PEOPLE.wangnan)
    const page = await openAs(DEMO_PEOPLE.coordinator, '/coordinator/pages/dashboard/index')
    const dash = on(page, 'coordinator-dashboard')
    const before = Number(await dash.getByTestId('fig-waiting').getAttribute('data-value'))
    const statsAt: number[] = []
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api' && (r.postDataJSON() as { action?: string } | null)?.action === 'coord.stats') statsAt.push(Date.now())
    })
    // A rush in small: 王楠 orders for 16 households, one every ~250 ms, for about 4 s.
    const households = (await suite.host.deps.store.households.listByCommunity(DEMO_COMMUNITY_ID, { limit: 16 })).items
    const start = Date.now()
    for (const [i, h] of households.entries()) {
      await ok(wang, 'order.place', { requestId: `coord-burst-${String(i).padStart(4, '0')}`, householdId: h.id, kind: 'garbage' })
      await new Promise((r) => setTimeout(r, 200))
    }
    const end = Date.now()
    // The page heard every change (live), yet asked for the figures at most once while they went on
    // (every other page reloads at least once a second: four times or more here).
    expect(end - start).toBeGreaterThan(3_000)
    expect(statsAt.filter((t) => t >= start && t <= end).length).toBeLessThanOrEqual(1)
    await dash.locator(`[data-testid="fig-waiting"][data-value="${before + households.length}"]`).waitFor({ timeout: 7_000 })
  })

  it('物资清单: one tap marks 大米 暂缺; the resident’s order form shows it greyed, without a stepper', async () => {
    const page = await openAs(DEMO_PEOPLE.coordinator, '/coordinator/pages/dashboard/index')
    await on(page, 'coordinator-dashboard').getByTestId('to-catalog').click()
    const catalog = on(page, 'coord-catalog')
    const rice = catalog.getByTestId('catalog-rice')
    await rice.locator('[data-testid="toggle"]', { hasText: '有货' }).click()
    await catalog.locator('[data-testid="catalog-rice"][data-sold-out="1"]').waitFor()
    await catalog.getByText('暂缺 1 样：大米').waitFor()
    expect((await suite.host.deps.store.communities.get('demo'))?.soldOut).toEqual(['rice'])
    await shot(page, 'coordinator-catalog')

    const resident = await openAs(DEMO_PEOPLE.zhao, '/resident/pages/order/index?kind=supplies')
    const form = on(resident, 'order-form')
    await form.getByTestId('item-rice').getByTestId('sold-out').waitFor()
    expect(await form.getByTestId('item-rice').locator('.nut-inputnumber').count()).toBe(0)
    expect(await form.getByTestId('item-flour').locator('.nut-inputnumber').count()).toBe(1)

    // 有货 again.
    await rice.locator('[data-testid="toggle"]', { hasText: '暂缺' }).click()
    await catalog.locator('[data-testid="catalog-rice"][data-sold-out="0"]').waitFor()
    expect((await suite.host.deps.store.communities.get('demo'))?.soldOut).toEqual([])

    // Something the default lacks: 胡萝卜 (斤) under 蔬菜水果; the resident can order it at once.
    await catalog.getByTestId('add-produce').click()
    const add = catalog.getByTestId('add-item')
    await add.locator('input').fill('胡萝卜')
    await add.getByTestId('add-unit').locator('[data-value="斤"]').click()
    await add.getByTestId('add-confirm').click()
    await catalog.getByText('胡萝卜').waitFor()
    const carrot = (await suite.host.deps.store.communities.get('demo'))?.extraItems?.[0]
    expect(carrot).toMatchObject({ categoryId: 'produce', name: '胡萝卜', unit: '斤' })
    await shot(page, 'coordinator-catalog-added')
    await resident.reload()
    await on(resident, 'order-form').getByTestId(`item-${carrot!.id}`).locator('.nut-inputnumber').waitFor()
    await shot(resident, 'resident-order-form-catalog')

    // Removed again (after a confirm).
    await catalog.getByTestId(`catalog-${carrot!.id}`).getByTestId('remove').click()
    await page.locator('.taro-modal__content .taro-model__confirm').click()
    await catalog.getByTestId(`catalog-${carrot!.id}`).waitFor({ state: 'detached' })
    expect((await suite.host.deps.store.communities.get('demo'))?.extraItems).toEqual([])
  }, 90_000)
})
