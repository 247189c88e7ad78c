/**
 * 操作记录 in the browser on the real local host: empty at first; the coordinator edits a household
 * in 居家户, opens 操作记录 from the dashboard and sees who changed which door, newest first, and
 * filters by kind. No resident's name or phone on the page. Screenshot of the page.
 */
import { describe, expect, it } from 'vitest'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { browserSuite, on, shot } from '../support/browser'

const suite = browserSuite({}, 15_000)

const openAs = suite.openAs


describe('操作记录 (H5)', () => {
  it('a household edit shows up with who and which door; filters by kind', async () => {
    const page = await openAs(DEMO_PEOPLE.coordinator, '/coordinator/pages/audit/index')
    await on(page, 'audit').getByTestId('audit-empty').waitFor()

    // Edit 李秀英's door in 居家户.
    await page.goto(`${suite.host.url}/#/coordinator/pages/dashboard/index`)
    const dash = on(page, 'coordinator-dashboard')
    await dash.getByTestId('to-households').click()
    const reg = on(page, 'households')
    const li = reg.locator('[data-household="h2-1-201"]')
    await li.locator('.households__head').click()
    const editor = li.getByTestId('household-editor')
    await editor.getByTestId('edit-isolation').locator('[data-value="health_monitoring"]').click()
    await editor.getByTestId('household-save').click()
    await li.getByText('健康监测').waitFor()
    // And a setting, so the filter has something to leave out.
    const token = await suite.host.signIn(DEMO_PEOPLE.coordinator)
    const set = await suite.host.api(token, 'coord.setParcelHold', { minutes: 30 })
    expect(set.ok).toBe(true)

    await page.goto(`${suite.host.url}/#/coordinator/pages/dashboard/index`)
    await on(page, 'coordinator-dashboard').getByTestId('to-audit').click()
    const audit = on(page, 'audit')
    await expect.poll(() => audit.getByTestId('audit-row').count()).toBe(2)
    const rows = audit.getByTestId('audit-row')
    expect(await rows.nth(0).getByTestId('audit-summary').textContent()).toBe('把家属送物的静置时间设为 30 分钟')
    const edit = rows.nth(1)
    expect(await edit.getByTestId('audit-summary').textContent()).toBe('修改了 2号楼1单元201 的登记信息（隔离状态：居家健康监测）')
    await edit.getByText('刘主任 · 住户登记').waitFor()
    await edit.getByText('修改住户登记').waitFor()
    await shot(page, 'coordinator-audit')

    const h = (await suite.host.deps.store.households.get('h2-1-201'))!
    const text = (await audit.textContent()) ?? ''
    expect(text).not.toContain(h.residentName)
    if (h.phone) expect(text).not.toContain(h.phone)

    await audit.getByTestId('audit-kind').locator('[data-value="register"]').click()
    await expect.poll(() => audit.getByTestId('audit-row').count()).toBe(1)
    expect(await audit.getByTestId('audit-row').getAttribute('data-kind')).toBe('register')
    await audit.getByTestId('audit-kind').locator('[data-value="robot"]').click()
    await audit.getByTestId('audit-empty').getByText('还没有「群机器人」的记录。').waitFor()
  }, 120_000)

  it('信息保留天数 on 小分队: one tap sets the days, the page shows it and 操作记录 records it', async () => {
    const page = await openAs(DEMO_PEOPLE.coordinator, '/coordinator/pages/squad/index')
    const squad = on(page, 'coord-squad')
    const choices = squad.getByTestId('retention-choices')
    await choices.locator('[data-value="30"].chip--on').waitFor()
    const box = await choices.locator('[data-value="90"]').boundingBox()
    expect(box!.height).toBeGreaterThanOrEqual(44)
    await choices.locator('[data-value="90"]').click()
    await choices.locator('[data-value="90"].chip--on').waitFor()
    await expect.poll(async () => (await suite.host.deps.store.communities.get('demo'))?.retentionDays).toBe(90)
    await shot(page, 'coordinator-retention')
    await page.goto(`${suite.host.url}/#/coordinator/pages/audit/index`)
    await on(page, 'audit').getByText('把解除隔离住户信息的保留天数设为 90 天').waitFor()
  }, 120_000)
})
