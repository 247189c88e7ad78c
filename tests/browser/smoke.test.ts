/**
 * Smoke test of the H5 build on the real local host, at phone size: dev sign-in lands each role on
 * its home, a bad or expired session goes back to sign-in, a new resident binds a household.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { signSession, SESSION_TTL_MS } from '../../src/server/host/session'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { browserSuite, shot, textsSmallerThan } from '../support/browser'

const suite = browserSuite({}, 8000)

/** A fresh phone with no session at `path` (the sign-in screen by default). */
async function open(path = '/'): Promise<Page> {
  const page = await suite.newPage({ timeout: 8000 })
  await page.goto(suite.host.url + path)
  return page
}

/**
 * Each page's root class scopes its selectors: Taro's hidden H5 nav bar repeats the page title, and a
 * leaving page stays in the DOM while the next one slides in.
 */
const signInScreen = (page: Page): Locator => page.locator('.sign-in')

/** Taro H5 keeps storage as JSON `{ data }`. */
const storedSession = (page: Page) =>
  page.evaluate(() => {
    const raw = localStorage.getItem('zj.session')
    return raw ? (JSON.parse(raw) as { data: unknown }).data : null
  })

async function signInAs(page: Page, name: string): Promise<void> {
  const card = signInScreen(page).getByTestId('demo-person').filter({ hasText: name })
  await card.click()
}

describe('H5 smoke', () => {
  it('signs a resident in and lands on their home', async () => {
    const page = await open()
    const signIn = signInScreen(page)
    await signIn.getByText('本地演示：选择一位演示用户登录').waitFor()
    for (const group of ['居家隔离居民', '送货小分队', '社区服务中心']) {
      await signIn.getByText(group, { exact: true }).waitFor()
    }
    await shot(page, 'signin')

    await signInAs(page, '赵先生')
    const home = page.locator('.resident-home')
    await home.getByTestId('household-label').filter({ hasText: '1号楼1单元301' }).waitFor()
    await home.getByText('买物资').waitFor()
    expect(page.url()).toContain('/resident/pages/home/index')
    expect(typeof (await storedSession(page))).toBe('string')
    await shot(page, 'resident-home')

    // 我的: name and household; large text applies at once and is saved to the account.
    await page.goto(`${suite.host.url}/#/pages/me/index`)
    const me = page.locator('.me')
    await me.getByTestId('me-name').filter({ hasText: '赵先生' }).waitFor()
    await me.getByText('1号楼1单元301').waitFor()
    await shot(page, 'me-resident')
    await me.getByTestId('large-text-switch').click()
    await page.locator('.me.page--large').waitFor()
    await shot(page, 'me-resident-large')
    await expect
      .poll(async () => {
        const res = await suite.host.api<{ prefs: { largeText: boolean } }>(await suite.host.signIn(DEMO_PEOPLE.zhao), 'me.get')
        return res.ok && res.data.prefs.largeText
      })
      .toBe(true)

    // Back on the home page the setting holds: the page's body text (tiles, hints, household) is ≥ 18 px.
    await page.goto(`${suite.host.url}/#/resident/pages/home/index`)
    const large = page.locator('.resident-home.page--large').last()
    await large.getByTestId('household-label').waitFor()
    expect(await textsSmallerThan(large, 18)).toEqual([])
    // …and on the order form, the page with the most to read.
    await large.getByTestId('tile-supplies').click()
    const form = page.locator('.order-form.page--large').last()
    await form.getByTestId('item-rice').waitFor()
    expect(await textsSmallerThan(form, 18)).toEqual([])
    await shot(page, 'resident-order-form-large')
  })

  it('signs a squad member in and lands on the squad board; 我的 offers the views they have', async () => {
    const page = await open()
    await signInScreen(page).getByTestId('demo-person').first().waitFor()
    await signInAs(page, '于红')
    // The squad board (任务大厅): a fresh community has nothing open yet.
    const board = page.locator('.board')
    await board.getByTestId('tab-me').waitFor()
    await board.getByText('暂时没有待接的单子').waitFor()
    expect(page.url()).toContain('/squad/pages/board/index')
    await shot(page, 'smoke-squad-board')

    await board.getByTestId('tab-me').click()
    const me = page.locator('.me')
    await me.getByTestId('view-squad').and(me.locator('[data-current="true"]')).waitFor()
    await me.getByTestId('view-resident').waitFor()
    await shot(page, 'me-squad')

    // Switch to the resident view: saved on the account; with no household yet that is 绑定住户.
    await me.getByTestId('view-resident').click()
    const join = page.locator('.join')
    await join.getByTestId('tab-me').click()
    const meAgain = page.locator('.me')
    await meAgain.getByTestId('view-resident').and(meAgain.locator('[data-current="true"]')).waitFor()
    await meAgain.getByTestId('view-squad').click()
    await page.locator('.board').getByTestId('tab-me').click()
    await page.locator('.me').getByTestId('view-squad').and(page.locator('[data-current="true"]')).waitFor()
    const meNow = page.locator('.me')

    // Sign out: back to the sign-in screen, session gone.
    await meNow.locator('.me__signout').click()
    await page.locator('.sign-in').getByTestId('sign-in-notice').filter({ hasText: '已退出登录' }).waitFor()
    expect(await storedSession(page)).toBeNull()
  })

  it('signs a coordinator in and lands on the dashboard', async () => {
    const page = await open()
    await signInAs(page, '刘主任')
    await page.locator('.coordinator-dashboard').getByTestId('tab-me').waitFor()
    expect(page.url()).toContain('/coordinator/pages/dashboard/index')
  })

  it('sends a forged or expired session back to sign-in', async () => {
    const page = await open()
    await signInScreen(page).getByTestId('demo-person').first().waitFor()

    // Forged token, opened at the launch page.
    await page.evaluate(() => localStorage.setItem('zj.session', JSON.stringify({ data: 'forged.token' })))
    await page.reload()
    await page.locator('.sign-in').getByTestId('sign-in-notice').waitFor()
    await signInScreen(page).getByTestId('demo-person').first().waitFor()
    expect(await storedSession(page)).toBeNull()

    // Correctly signed but expired, opened deep in the app: the global handler sends it to sign-in.
    const secret = Buffer.from(readFileSync(join(suite.host.dataDir, 'session.secret'), 'utf8').trim(), 'hex')
    const expired = signSession(secret, DEMO_PEOPLE.zhao, Date.now() - SESSION_TTL_MS - 60_000).token
    await page.evaluate((t) => localStorage.setItem('zj.session', JSON.stringify({ data: t })), expired)
    await page.goto(`${suite.host.url}/#/resident/pages/home/index`)
    await page.reload()
    await page.locator('.sign-in').getByTestId('sign-in-notice').filter({ hasText: '登录已过期' }).waitFor()
    expect(await storedSession(page)).toBeNull()
    await shot(page, 'signin-expired')
  })

  it('lets a resident without a household bind one with the code from the notice', async () => {
    const page = await open()
    await signInAs(page, '孙女士')
    const join = page.locator('.join')
    await join.getByTestId('join-submit').waitFor()
    expect(page.url()).toContain('/resident/pages/join/index')
    await shot(page, 'join')

    // Nothing filled: each field says what is missing, before any request.
    await join.getByTestId('join-submit').click()
    await join.getByTestId('error-code').filter({ hasText: '请填写住户码' }).waitFor()
    await join.getByTestId('error-phone').filter({ hasText: '请填写手机号码' }).waitFor()
    await shot(page, 'join-empty')

    // A wrong code: the server's message under the code boxes.
    const code = join.locator('[data-testid="join-code"] input')
    await code.fill('111111')
    await join.locator('.join__input input').first().fill('13800000302')
    await join.getByTestId('join-submit').click()
    await join.getByTestId('error-code').filter({ hasText: '住户码不对' }).waitFor()
    await shot(page, 'join-wrong-code')

    await code.fill('735291')
    await join.getByTestId('join-submit').click()
    const home = page.locator('.resident-home')
    await home.getByTestId('household-label').filter({ hasText: '2号楼2单元302' }).waitFor()
  })

  it('says so when the network fails, and 再试一次 brings the page back', async () => {
    const token = await suite.host.signIn(DEMO_PEOPLE.zhao)
    const page = await suite.newPage({ token, timeout: 8000 })
    // The phone loses its connection: every call to the api fails before reaching the suite.host.
    await page.route('**/api', (route) => route.abort('internetdisconnected'))
    await page.goto(`${suite.host.url}/#/resident/pages/orders/index`)
    const orders = page.locator('.my-orders').last()
    const error = orders.getByTestId('error')
    await error.getByText('网络不太好，请检查网络后再试').waitFor()
    await shot(page, 'resident-orders-offline')

    await page.unroute('**/api')
    await error.locator('.nut-button', { hasText: '再试一次' }).click()
    await orders.getByTestId('empty').or(orders.locator('[data-order-id]').first()).first().waitFor()
    expect(await orders.getByTestId('error').count()).toBe(0)
  })
})
