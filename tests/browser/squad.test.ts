/**
 * The delivery squad in a real browser against the real local host: a resident orders rice, a squad
 * member already on the board sees it appear without reloading, claims it, sets off, works the six
 * doorstep steps and completes it; the resident's detail page (opened before) shows 已送达 by itself.
 * Also: a claim that loses the race shows who has the order. Screenshots of every squad page.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { PROTOCOL_STEPS } from '../../src/core/order/protocol'
import type { OrderView } from '../../src/core/views'
import { browserSuite, shot } from '../support/browser'

const suite = browserSuite({}, 15_000)

const openAs = suite.openAs

/** A flag in the page's window: still there later means the page was never reloaded. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true))
}
async function notReloaded(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded === true)
}

/**
 * A screenshot once the page has settled: Taro's H5 router slides a new page in with a CSS
 * transition, so wait until no transition is running (else the shot catches it half-way).
 */
async function snap(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running'),
  )
  await shot(page, name)
}

/** A real 1×1 PNG for the seal photo. */
const SEAL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

const stepState = (page: Page, step: string) => page.getByTestId(`step-${step}`).getAttribute('data-state')

describe('squad in the browser', () => {
  it('sees a new order live, claims it, works the doorstep protocol, and the resident sees 已送达', async () => {
    const squad = await openAs('squad-yuhong', '/squad/pages/board/index')
    await squad.getByText('暂时没有待接的单子').waitFor()
    await snap(squad, 'squad-board-empty')
    await markPage(squad)

    // The resident orders one bag of rice through the order form.
    const resident = await openAs('res-zhao', '/resident/pages/home/index')
    await resident.getByText('买物资').click()
    const rice = resident.getByTestId('item-rice')
    await rice.waitFor()
    await rice.locator('.nut-inputnumber-add').click()
    await resident.locator('.nut-button', { hasText: '提交订单（1样）' }).click()
    await resident.waitForURL(/resident\/pages\/detail/)
    await resident.getByTestId('steps').waitFor()
    const placedAt = Date.now()
    await markPage(resident)

    // The squad member's board shows it without a reload (live updates: within 2 s of placing).
    const card = squad.getByTestId('board-card').first()
    await card.waitFor({ timeout: 2500 })
    expect(Date.now() - placedAt).toBeLessThan(2500)
    expect(await notReloaded(squad)).toBe(true)
    const cardText = await card.innerText()
    expect(cardText).toContain('大米')
    expect(cardText).toContain('1号楼1单元')
    expect(cardText).not.toContain('301') // the door is hidden until claimed
    await squad.getByText('1号楼').first().waitFor()
    await snap(squad, 'squad-board')

    // Type filter: 订餐 hides it, 全部 brings it back.
    await squad.getByTestId('kind-filter').getByText('订餐').click()
    await squad.getByTestId('filter-empty').waitFor()
    await squad.getByTestId('kind-filter').getByText('全部').click()
    await card.waitFor()

    // 接单 → the task page with the full door and the call button.
    await card.getByTestId('claim').click()
    await squad.waitForURL(/squad\/pages\/task\/index/)
    await squad.getByTestId('task-door').getByText('1号楼1单元301').waitFor()
    await squad.getByTestId('call').waitFor()
    await squad.getByTestId('depart').waitFor()
    await snap(squad, 'squad-task-claimed')

    // 我的任务 lists it by building.
    await squad.goBack()
    await squad.getByText('暂时没有待接的单子').waitFor()
    await squad.getByTestId('nav-tasks').click()
    await squad.getByTestId('task-group-title').getByText('1号楼 · 1单').waitFor()
    await snap(squad, 'squad-tasks')
    await squad.getByTestId('task-card').first().click()
    await squad.getByTestId('depart').waitFor()

    // 出发, then the six steps in order, each one tap.
    const orderId = new URL(squad.url().replace('/#/', '/')).searchParams.get('id')!
    await squad.getByTestId('depart').click()
    await squad.locator('[data-testid="step-disinfect_corridor"][data-state="next"]').waitFor()
    await snap(squad, 'squad-task-steps')
    for (const step of PROTOCOL_STEPS) {
      await squad.locator(`[data-testid="step-${step}"][data-state="next"] .pstep__main`).click()
      await squad.locator(`[data-testid="step-${step}"][data-state="done"]`).waitFor()
      if (step === 'call_resident') {
        await squad.getByTestId('no-answer').waitFor()
        await snap(squad, 'squad-task-at-door')
      }
      if (step === 'restore_seal') {
        await squad.getByTestId('left-at-door').waitFor()
        // The optional photo of the restored seal: a file picked in the browser, stored by the suite.host.
        const chooser = squad.waitForEvent('filechooser')
        await squad.getByTestId('take-seal-photo').click()
        await (await chooser).setFiles({ name: 'seal.png', mimeType: 'image/png', buffer: SEAL_PNG })
        await squad.getByTestId('seal-photo-img').waitFor()
        await expect.poll(async () => (await suite.host.deps.store.orders.get(orderId))?.sealPhoto?.fileId ?? '').toMatch(/^local:[0-9a-f]{64}\.png$/)
        await snap(squad, 'squad-task-last-step')
      }
    }
    await squad.getByTestId('done').getByText(/已送达/).waitFor()
    expect(await stepState(squad, 'disinfect_again')).toBe('done')
    await snap(squad, 'squad-task-done')

    // The resident's detail page, open all along, shows 已送达 without a reload.
    await resident.locator('.status-tag', { hasText: '已送达' }).waitFor({ timeout: 10_000 })
    expect(await notReloaded(resident)).toBe(true)
  }, 90_000)

  it('a claim that loses the race says who has the order, and the board drops it', async () => {
    const zhang = await suite.host.signIn('res-zhang')
    const placed = await suite.host.api<OrderView>(zhang, 'order.place', {
      requestId: 'race-test-0001',
      kind: 'supplies',
      urgency: 'urgent',
      urgentReason: '低血糖',
      lines: [{ itemId: 'water20', qty: 1 }],
    })
    if (!placed.ok) throw new Error(placed.message)

    const squad = await openAs('squad-yuhong', '/squad/pages/board/index')
    const card = squad.locator(`[data-testid="board-card"][data-order-id="${placed.data.id}"]`)
    await card.waitFor()
    expect(await card.innerText()).toContain('加急原因：低血糖')

    // Freeze the board's refreshes so the card is still there when 王楠 takes it.
    await squad.route('**/api', async (route) => {
      const body = route.request().postDataJSON() as { action?: string } | null
      if (body?.action === 'squad.board') return route.abort()
      return route.continue()
    })
    const wangnan = await suite.host.signIn('squad-wangnan')
    const claimed = await suite.host.api(wangnan, 'order.claim', { id: placed.data.id })
    expect(claimed.ok).toBe(true)

    await card.getByTestId('claim').click()
    await squad.getByTestId('action-error').getByText('这个订单已由王楠接单').waitFor()
    await snap(squad, 'squad-board-already-claimed')
    await squad.unroute('**/api')
    await squad.getByTestId('action-error').locator('.squad-error__close').click()
    await card.waitFor({ state: 'detached' })
    expect(squad.url()).toContain('/squad/pages/board/index')
  }, 30_000)

  it('groups by building with overdue first, counts down a parcel hold, and skips a step with a reason', async () => {
    const zhao = await suite.host.signIn('res-zhao')
    const zhang = await suite.host.signIn('res-zhang')
    const yuhong = await suite.host.signIn('squad-yuhong')
    const place = async (token: string, input: Record<string, unknown>): Promise<OrderView> => {
      const r = await suite.host.api<OrderView>(token, 'order.place', input)
      if (!r.ok) throw new Error(r.message)
      return r.data
    }
    const eggs = await place(zhao, { requestId: 'late-order-0001', kind: 'supplies', lines: [{ itemId: 'egg', qty: 2 }] })
    // Backdate the deadline: this one is 1 h 5 min overdue.
    const stored = (await suite.host.deps.store.orders.get(eggs.id))!
    const late = { ...stored, dueAt: Date.now() - 65 * 60_000, version: stored.version + 1 }
    expect(await suite.host.deps.store.orders.update(late, { status: stored.status, version: stored.version })).toBe(true)
    const parcel = await place(zhang, {
      requestId: 'parcel-order-0001',
      kind: 'handover',
      handover: { bringer: '女儿', items: '水果、牛奶', expectedAt: Date.now() + 30 * 60_000 },
    })
    // 代下单 for the elderly resident of 2号楼 who has no smartphone.
    const garbage = await place(yuhong, { requestId: 'proxy-garbage-01', householdId: 'h2-1-201', kind: 'garbage', notes: '老人独居，垃圾在门口' })

    const squad = await openAs('squad-yuhong', '/squad/pages/board/index')
    await squad.locator(`[data-order-id="${garbage.id}"]`).waitFor()
    const groups = squad.getByTestId('building-group')
    expect(await groups.evaluateAll((els) => els.map((e) => e.getAttribute('data-building')))).toEqual(['1号楼', '2号楼'])
    const first = groups.first().getByTestId('board-card').first()
    expect(await first.getAttribute('data-order-id')).toBe(eggs.id)
    expect(await first.getByTestId('overdue').innerText()).toContain('已超时 1小时5分钟')
    await snap(squad, 'squad-board-groups')

    // 于红's grid is 1号楼: 我的网格 hides 2号楼, 全社区 brings it back; the choice is remembered.
    await squad.getByTestId('scope-filter').locator('[data-value="grid"]').click()
    await expect.poll(() => groups.evaluateAll((els) => els.map((e) => e.getAttribute('data-building')))).toEqual(['1号楼'])
    await snap(squad, 'squad-board-my-grid')
    await squad.reload()
    await squad.locator(`[data-order-id="${eggs.id}"]`).waitFor()
    expect(await squad.locator(`[data-order-id="${garbage.id}"]`).count()).toBe(0)
    await squad.getByTestId('scope-filter').locator('[data-value="all"]').click()
    await squad.locator(`[data-order-id="${garbage.id}"]`).waitFor()

    // The parcel: claim, 已到门岗 (only then 已消杀), then the countdown holds 出发 back.
    await squad.locator(`[data-order-id="${parcel.id}"]`).getByTestId('claim').click()
    expect(await squad.getByTestId('disinfect-parcel').count()).toBe(0)
    await squad.getByTestId('parcel-arrived').click()
    await squad.getByTestId('parcel-arrived-at').waitFor()
    await squad.getByTestId('disinfect-parcel').click()
    await squad.getByTestId('parcel-countdown').getByText(/还需静置 1:5\d:\d\d/).waitFor()
    expect(await squad.getByTestId('depart').getAttribute('class')).toContain('disabled')
    await snap(squad, 'squad-task-parcel')

    // Skipping needs a reason, and the step shows it.
    expect((await suite.host.api(yuhong, 'order.claim', { id: garbage.id })).ok).toBe(true)
    const task = await openAs('squad-yuhong', `/squad/pages/task/index?id=${garbage.id}`)
    await task.getByTestId('depart').click()
    await task.locator('[data-testid="step-disinfect_corridor"][data-state="next"]').getByTestId('skip').click()
    await task.getByTestId('skip-reasons').getByText('其他').click()
    await task.locator('.sheet__input input').fill('消毒液用完了，已报备')
    await snap(task, 'squad-task-skip')
    await task.locator('.nut-button', { hasText: '确认跳过' }).click()
    await task.locator('[data-testid="step-disinfect_corridor"][data-state="skipped"]').getByText('已跳过：消毒液用完了，已报备').waitFor()
    await task.locator('[data-testid="step-remove_seal"][data-state="next"]').waitFor()

    // A refusal shows the server's Chinese message: the step was just recorded from another phone
    // (the page's refreshes are held back so it still offers 拆除封条).
    await task.route('**/api', async (route) => {
      const body = route.request().postDataJSON() as { action?: string } | null
      if (body?.action === 'order.get') return route.abort()
      return route.continue()
    })
    expect((await suite.host.api(yuhong, 'order.step', { id: garbage.id, step: 'remove_seal' })).ok).toBe(true)
    await task.locator('[data-testid="step-remove_seal"][data-state="next"] .pstep__main').click()
    await task.getByTestId('action-error').getByText('「拆除封条」已登记，现在应进行「电话通知取物」').waitFor()
    await snap(task, 'squad-task-refused')
    await task.unroute('**/api')
    // Closing the message brings the order as it is now.
    await task.getByTestId('action-error').locator('.squad-error__close').click()
    await task.locator('[data-testid="step-call_resident"][data-state="next"]').waitFor()
  }, 60_000)
})
