/**
 * The first coordinator on a host started without demo data (ZJ_DEMO=0) in the browser: a new person
 * signs in by name, opens 创建社区 from the join page, types the setup code and the community's name,
 * adjusts the buildings by taps, lands on 调度总览 as coordinator, and opens 住户码 with 1号楼's codes.
 * A second person with the same code is refused in Chinese next to the code field.
 * Screenshots: the sign-in screen without demo data, the setup page (and a field error), the codes page.
 */
import type Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { browserSuite, on, shot, textsSmallerThan } from '../support/browser'

const CODE = 'K7M2P9QX'

const suite = browserSuite({ demo: false, setupCode: CODE }, 15_000)

const db = () => (suite.host.deps.store as unknown as { db: Database.Database }).db
const count = (table: string) => (db().prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n

/** A fresh phone with no session, on the sign-in screen. */
async function newPage(): Promise<Page> {
  const page = await suite.newPage({ timeout: 15_000 })
  await page.goto(suite.host.url + '/')
  return page
}

/** Signs in by name on the sign-in screen and opens 创建社区 from the join page. */
async function signInAndOpenSetup(page: Page, name: string) {
  const signIn = on(page, 'sign-in')
  await signIn.getByTestId('new-user').waitFor()
  await signIn.locator('[data-testid="new-name"] input').fill(name)
  await signIn.getByTestId('new-sign-in').click()
  const join = on(page, 'join')
  await join.getByTestId('setup-entry').waitFor()
  if (name === '王主任') await shot(page, 'join-with-setup-entry')
  await join.getByTestId('to-setup').click()
  const setup = on(page, 'setup')
  await setup.getByTestId('setup-submit').waitFor()
  return setup
}

async function height(page: Page, selector: string): Promise<number> {
  const box = await page.locator(selector).first().boundingBox()
  return box?.height ?? 0
}

describe('first coordinator (H5, no demo data)', () => {
  it('signs in by name, creates the community with the setup code, prints 1号楼 codes; the code then refuses a second person', async () => {
    const page = await newPage()
    const signIn = on(page, 'sign-in')
    await signIn.getByTestId('new-user').waitFor()
    // No demo data: no demo people, the name field is the screen.
    expect(await signIn.getByTestId('demo-person').count()).toBe(0)
    await signIn.getByText('新用户登录').waitFor()
    expect(await height(page, '.sign-in [data-testid="new-sign-in"] .nut-button')).toBeGreaterThanOrEqual(44)
    expect(await height(page, '.sign-in [data-testid="new-name"]')).toBeGreaterThanOrEqual(44)
    // An empty name: the Chinese message under the field, nobody created.
    await signIn.getByTestId('new-sign-in').click()
    await signIn.getByTestId('error-name').filter({ hasText: '请填写称呼' }).waitFor()
    expect(count('people')).toBe(0)
    await shot(page, 'first-sign-in-no-demo')

    const setup = await signInAndOpenSetup(page, '王主任')
    const wang = (db().prepare(`SELECT id FROM people WHERE json_extract(doc, '$.name') = '王主任'`).get() as { id: string }).id
    // The default: 1号楼, 2 units × 6 floors × 2 rooms = 24.
    await setup.locator('[data-testid="setup-total"][data-value="24"]').waitFor()
    expect(await setup.getByTestId('building-row').count()).toBe(1)
    expect(await height(page, '.setup [data-testid="stepper-units"] .nut-inputnumber-add')).toBeGreaterThanOrEqual(44)
    expect(await textsSmallerThan(setup, 14)).toEqual([])
    await shot(page, 'setup-page')

    // The code but no name: the message next to the name, nothing created.
    await setup.locator('[data-testid="setup-code"] input').fill('k7m2 p9qx')
    await setup.getByTestId('setup-submit').click()
    await setup.getByTestId('error-name').filter({ hasText: '请填写社区名称' }).waitFor()
    expect(count('communities')).toBe(0)
    await shot(page, 'setup-page-error')

    await setup.locator('[data-testid="setup-name"] input').fill('幸福里社区')
    // 添加楼栋: 2号楼 copies the last row; one more unit there → 3 × 6 × 2 = 36.
    await setup.getByTestId('add-building').click()
    const second = setup.locator('[data-testid="building-row"][data-index="1"]')
    expect(await second.locator('[data-testid="building-name"] input').inputValue()).toBe('2号楼')
    await second.locator('[data-testid="stepper-units"] .nut-inputnumber-add').click()
    await second.getByTestId('building-total').filter({ hasText: '= 36户' }).waitFor()
    await setup.locator('[data-testid="setup-total"][data-value="60"]').waitFor()
    await setup.getByTestId('setup-submit').click()

    // Lands as coordinator on 调度总览.
    const dash = on(page, 'coordinator-dashboard')
    await dash.getByTestId('to-codes').waitFor()
    const person = JSON.parse((db().prepare('SELECT doc FROM people WHERE id = ?').get(wang) as { doc: string }).doc)
    expect(person).toMatchObject({ name: '王主任', coordinatorOf: expect.stringMatching(/^c-/) })
    expect(count('communities')).toBe(1)
    expect(count('households')).toBe(60)

    await dash.getByTestId('to-codes').click()
    const codes = on(page, 'codes')
    const b1 = codes.locator('[data-testid="codes-building"][data-building="b1"]')
    await b1.getByTestId('code-row').first().waitFor()
    expect(await b1.getByTestId('code-row').count()).toBe(24)
    await codes.locator('[data-testid="codes-building"][data-building="b2"] [data-testid="code-row"]').first().waitFor()
    expect(await codes.locator('[data-testid="codes-building"][data-building="b2"] [data-testid="code-row"]').count()).toBe(36)
    // What the page shows is what the store holds.
    const cell = b1.locator('[data-testid="code-row"][data-unit="2"][data-room="502"]')
    const shown = await cell.getAttribute('data-code')
    const stored = db()
      .prepare(`SELECT code FROM households WHERE community_id = ? AND json_extract(doc, '$.buildingId') = 'b1' AND json_extract(doc, '$.unit') = 2 AND json_extract(doc, '$.room') = '502'`)
      .get(person.coordinatorOf) as { code: string }
    expect(shown).toBe(stored.code)
    expect(await cell.innerText()).toContain(stored.code)
    await codes.getByTestId('print').waitFor()
    await shot(page, 'household-codes')
    // On paper: the codes only (no intro, no button), one building per sheet.
    await page.emulateMedia({ media: 'print' })
    expect(await codes.getByTestId('print').isVisible()).toBe(false)
    expect(await b1.isVisible()).toBe(true)
    await shot(page, 'household-codes-print')
    await page.emulateMedia({ media: 'screen' })

    // A second person with the same code: refused in Chinese next to the code, nothing more created.
    const other = await newPage()
    const setup2 = await signInAndOpenSetup(other, '李四')
    await setup2.locator('[data-testid="setup-code"] input').fill(CODE)
    await setup2.locator('[data-testid="setup-name"] input').fill('另一个社区')
    await setup2.getByTestId('setup-submit').click()
    await setup2.getByTestId('error-code').filter({ hasText: '这个设置码已经用过了，社区已经建好，不能再用' }).waitFor()
    expect(count('communities')).toBe(1)
    expect(count('households')).toBe(60)
  }, 120_000)
})
