/**
 * Wording and navigation (issue 14), in a real browser against the real local host:
 * - a social worker with no role sees 我是居民 / 我是社工 on the first screen and joins the squad;
 * - the 5th wrong household code says it is locked, for how long, and the service centre's phone;
 * - a permission error offers 回到首页, not 再试一次;
 * - the 备注 box counts, keeps a long paste, marks the overflow and refuses to submit until shortened;
 * - every subpackage page opened directly has a 返回 control (≥ 44 px) back to its role's home.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DEMO_PEOPLE, DEMO_SQUAD_INVITE } from '../../src/server/seed/demo'
import { browserSuite, on, shot } from '../support/browser'

const suite = browserSuite({}, 20_000)

const openAs = suite.openAs

const routeOf = (page: Page) => new URL(page.url()).hash.replace(/^#/, '').split('?')[0]

describe('wording and navigation (H5)', () => {
  it('a social worker with no role: 我是社工 on the first screen leads to 加入小分队 and the board', async () => {
    const page = await openAs(DEMO_PEOPLE.newWorker, '/pages/index/index')
    const join = on(page, 'join')
    await join.getByTestId('who-are-you').waitFor()
    expect(await join.getByTestId('choose-resident').innerText()).toContain('我是居民')
    expect(await join.getByTestId('choose-squad').innerText()).toContain('加入小分队')
    await shot(page, 'join-who-are-you')
    await join.getByTestId('choose-squad').click()
    const squadJoin = on(page, 'squad-join')
    await squadJoin.locator('[data-testid="invite-code"] input').fill(DEMO_SQUAD_INVITE)
    await squadJoin.locator('.nut-button', { hasText: '加入' }).click()
    await on(page, 'board').getByTestId('to-badge').waitFor()
    expect((await suite.host.deps.store.people.get(DEMO_PEOPLE.newWorker))?.squadOf).toBe('demo')
  }, 90_000)

  it('the fifth wrong household code says locked, for how long, and the service centre phone', async () => {
    const page = await openAs(DEMO_PEOPLE.newcomer, '/resident/pages/join/index')
    const join = on(page, 'join')
    await join.getByTestId('join-submit').waitFor()
    await join.locator('.join__input input').first().fill('13800009999')
    for (let i = 1; i <= 5; i++) {
      await join.locator('[data-testid="join-code"] input').fill(String(900000 + i))
      await join.getByTestId('join-submit').click()
      if (i < 5) await join.getByTestId('error-code').getByText('住户码不对').waitFor()
    }
    const locked = join.getByTestId('error-locked')
    await locked.waitFor()
    expect(await locked.innerText()).toBe('住户码输错太多次，已锁定10分钟，请10分钟后再试。急需帮助请打社区服务中心电话：0471-6281234')
    expect(await join.getByTestId('error-code').count()).toBe(0)
    await shot(page, 'join-locked')
  }, 90_000)

  it('a permission error offers 回到首页 (no 再试一次), which opens the person’s home', async () => {
    const page = await openAs(DEMO_PEOPLE.zhao, '/coordinator/pages/codes/index')
    const error = page.getByTestId('error').last()
    await error.waitFor()
    expect(await error.getAttribute('data-code')).toBe('AUTH.FORBIDDEN')
    expect(await error.getByTestId('retry').count()).toBe(0)
    expect(await error.innerText()).not.toContain('再试一次')
    await shot(page, 'page-error-forbidden')
    await error.getByTestId('go-home').click()
    await expect.poll(() => routeOf(page)).toBe('/resident/pages/home/index')
  }, 90_000)

  it('the 备注 counter keeps a long paste, marks the overflow and refuses to submit until shortened', async () => {
    const page = await openAs(DEMO_PEOPLE.zhao, '/resident/pages/order/index?kind=garbage')
    const form = on(page, 'order-form')
    const notes = form.locator('.form__textarea textarea')
    await notes.waitFor()
    await notes.fill('放门口')
    await form.getByTestId('notes-counter').getByText('3/200').waitFor()
    const pasted = `${'请'.repeat(195)}放门口就行谢谢`
    await notes.fill(pasted)
    await form.getByTestId('notes-counter').getByText('202/200').waitFor()
    expect(await notes.inputValue()).toBe(pasted)
    expect(await form.getByTestId('notes-overflow').innerText()).toContain('谢谢')
    await form.locator('.order-form__submit .nut-button').click()
    await form.getByTestId('notes-refused').getByText('没有提交：备注最多200个字，现在202个字，请删掉2个字再提交').waitFor()
    await shot(page, 'order-notes-over')
    expect((await suite.host.deps.store.orders.list({ householdIds: ['h1-1-301'] })).items).toHaveLength(0)

    await notes.fill(pasted.slice(0, 200))
    await form.getByTestId('notes-counter').getByText('200/200').waitFor()
    expect(await form.getByTestId('notes-refused').count()).toBe(0)
    await form.locator('.order-form__submit .nut-button').click()
    await expect.poll(async () => (await suite.host.deps.store.orders.list({ householdIds: ['h1-1-301'] })).items.length).toBe(1)
    const [order] = (await suite.host.deps.store.orders.list({ householdIds: ['h1-1-301'] })).items
    expect(order!.notes).toBe(pasted.slice(0, 200))
  }, 90_000)

  it('every subpackage page opened directly has a 返回 control (≥ 44 px) to its role’s home; root pages have none', async () => {
    const cases: [string, string[], string][] = [
      [DEMO_PEOPLE.zhao, ['/resident/pages/order/index?kind=supplies', '/resident/pages/orders/index', '/resident/pages/detail/index?id=none'], '/resident/pages/home/index'],
      [
        DEMO_PEOPLE.yuhong,
        ['/squad/pages/tasks/index', '/squad/pages/task/index?id=none', '/squad/pages/proxy/index', '/squad/pages/campaign/index'],
        '/squad/pages/board/index',
      ],
      [
        DEMO_PEOPLE.coordinator,
        [
          '/coordinator/pages/households/index',
          '/coordinator/pages/squad/index',
          '/coordinator/pages/robots/index',
          '/coordinator/pages/catalog/index',
          '/coordinator/pages/codes/index',
          '/coordinator/pages/badges/index',
          '/coordinator/pages/ledger/index',
          '/coordinator/pages/import/index',
          '/coordinator/pages/map/index',
          '/coordinator/pages/grids/index',
          '/coordinator/pages/campaigns/index',
          '/coordinator/pages/campaign/index?id=none',
        ],
        '/coordinator/pages/dashboard/index',
      ],
    ]
    for (const [person, routes, home] of cases) {
      const page = await openAs(person, home)
      await page.locator('.page').first().waitFor()
      await page.waitForTimeout(500)
      expect(await page.getByTestId('h5-back').count(), home).toBe(0)
      for (const route of routes) {
        await page.goto(`${suite.host.url}/#${route}`)
        await page.reload()
        const back = page.getByTestId('h5-back').last()
        await back.waitFor()
        const box = (await back.boundingBox())!
        expect(box.height, route).toBeGreaterThanOrEqual(44)
        expect(box.width, route).toBeGreaterThanOrEqual(44)
        if (route === '/squad/pages/proxy/index') await shot(page, 'h5-back-proxy')
        await back.click()
        await expect.poll(() => routeOf(page), { message: route }).toBe(home)
      }
    }
    // Opened from a page, 返回 goes back to it.
    const board = await openAs(DEMO_PEOPLE.yuhong, '/squad/pages/board/index')
    await on(board, 'board').getByTestId('to-proxy').click()
    await on(board, 'proxy').getByTestId('h5-back').click()
    await expect.poll(() => routeOf(board)).toBe('/squad/pages/board/index')
  }, 240_000)
})
