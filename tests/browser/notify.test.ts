/**
 * Notifications in the browser on the real local host (with its dispatcher and webhook sink):
 * a resident's 消息 shows 已接单 after the squad claims; the coordinator points 1号楼's robot at the
 * host's sink, sends a test, sees it in the log and on /dev/groups; 复制群公告 copies paste-ready
 * text without personal data. Screenshots of each page.
 */
import { describe, expect, it } from 'vitest'
import type { OrderView } from '../../src/core/views'
import { DEMO_ISOLATED, DEMO_PEOPLE, demoPeople } from '../../src/server/seed/demo'
import { browserSuite, on, shot } from '../support/browser'

const suite = browserSuite({ notify: true }, 15_000)

/** A phone signed in as `personId` at `route`, allowed to use the clipboard (复制群公告). */
const openAs = (personId: string, route: string) =>
  suite.openAs(personId, route, { permissions: ['clipboard-read', 'clipboard-write'] })

/** Every name, phone and door of the demo register, for scanning group texts. */
const PRIVATE = [
  ...DEMO_ISOLATED.flatMap((h) => [h.residentName, h.phone]),
  ...demoPeople(0).filter((p) => p.households.length > 0).flatMap((p) => [p.name, p.phone]),
  ...DEMO_ISOLATED.map((h) => h.id.replace(/^h(\d)-(\d)-(\d+)$/, '$1号楼$2单元$3')),
]

describe('notifications (H5)', () => {
  it('the resident’s 消息 shows 已接单 once the squad claims, and the home counts it as new', async () => {
    const zhao = await suite.host.signIn(DEMO_PEOPLE.zhao)
    const placed = await suite.host.api<OrderView>(zhao, 'order.place', { requestId: 'inbox-order-0001', kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
    if (!placed.ok) throw new Error(placed.message)
    const home = await openAs(DEMO_PEOPLE.zhao, '/resident/pages/home/index')
    await on(home, 'resident-home').getByTestId('to-inbox').waitFor()
    expect((await suite.host.api(await suite.host.signIn(DEMO_PEOPLE.yuhong), 'order.claim', { id: placed.data.id })).ok).toBe(true)
    // Live: the count appears without reloading.
    await on(home, 'resident-home').getByTestId('unread').getByText('1条新消息').waitFor()
    await shot(home, 'resident-home-unread')
    await on(home, 'resident-home').getByTestId('to-inbox').click()
    const inbox = on(home, 'inbox')
    const item = inbox.locator('[data-testid="inbox-item"][data-kind="claimed"]')
    await item.waitFor()
    expect(await item.innerText()).toContain('于红')
    await shot(home, 'inbox')
    // Opening it marked it read.
    await expect.poll(async () => {
      const r = await suite.host.api<{ unread: number }>(zhao, 'inbox.list', {})
      return r.ok ? r.data.unread : -1
    }).toBe(0)
    await item.click()
    await on(home, 'order-detail').locator('[data-status="claimed"]').waitFor()
  }, 60_000)

  it('the coordinator sets 1号楼’s robot, tests it, sees the log; /dev/groups shows what the group got', async () => {
    const coord = await openAs(DEMO_PEOPLE.coordinator, '/coordinator/pages/robots/index')
    const page = on(coord, 'robots')
    const b1 = page.locator('[data-testid="robot"][data-scope="b1"]')
    await b1.waitFor()
    await shot(coord, 'coordinator-robots')

    // A URL that is not a WeCom robot is refused next to the field; nothing is stored.
    await b1.getByTestId('robot-edit').click()
    await b1.locator('[data-testid="robot-url"] input').fill('https://example.com/hook')
    await b1.getByTestId('robot-save').click()
    await b1.locator('.field-error').waitFor()
    expect(await b1.getAttribute('data-configured')).toBe('false')

    const sink = `${suite.host.url}/dev/robot/demo-b1-test`
    await b1.locator('[data-testid="robot-url"] input').fill(sink)
    await b1.getByTestId('robot-save').click()
    await page.locator('[data-testid="robot"][data-scope="b1"][data-configured="true"]').waitFor()
    // Masked: the secret part never comes back to the page.
    expect(await page.locator('[data-scope="b1"] .robots__url').innerText()).not.toContain('demo-b1-test')

    await page.locator('[data-scope="b1"]').getByTestId('robot-test').click()
    await page.getByTestId('notice-done').getByText('测试消息已发出').waitFor()
    await page.locator('[data-testid="log-entry"][data-scope="b1"][data-status="sent"]').waitFor({ timeout: 20_000 })
    await shot(coord, 'coordinator-robots-log')

    const groups = await coord.context().newPage()
    await groups.goto(`${suite.host.url}/dev/groups`)
    await groups.getByText('测试消息').first().waitFor()
    await shot(groups, 'dev-groups')
    const body = await groups.locator('body').innerText()
    for (const p of PRIVATE) expect(body).not.toContain(p)
  }, 90_000)

  it('复制群公告: a notice is checked and copied as plain text; personal data is refused', async () => {
    const coord = await openAs(DEMO_PEOPLE.coordinator, '/coordinator/pages/robots/index')
    const page = on(coord, 'robots')
    await page.getByTestId('notice-text').locator('textarea').fill('请张丽明天上午在家等候')
    await page.getByTestId('notice-copy').click()
    await page.getByTestId('notice-error').waitFor()
    await page.getByTestId('notice-text').locator('textarea').fill('明天上午9点统一发放白菜，每户60斤')
    await page.getByTestId('notice-copy').click()
    await page.getByTestId('notice-done').getByText('已复制').waitFor()
    const copied = await coord.evaluate(() => navigator.clipboard.readText())
    expect(copied).toBe('【宅家送】社区通知\n明天上午9点统一发放白菜，每户60斤')
    await shot(coord, 'coordinator-robots-copied')

    // The squad's 我的任务: 复制群公告 for a building carries the building and units only.
    const zhang = await suite.host.signIn(DEMO_PEOPLE.zhang)
    const placed = await suite.host.api<OrderView>(zhang, 'order.place', { requestId: 'copy-order-0001', kind: 'garbage' })
    if (!placed.ok) throw new Error(placed.message)
    expect((await suite.host.api(await suite.host.signIn(DEMO_PEOPLE.wangnan), 'order.claim', { id: placed.data.id })).ok).toBe(true)
    const tasks = await openAs(DEMO_PEOPLE.wangnan, '/squad/pages/tasks/index')
    await on(tasks, 'tasks').getByTestId('copy-arriving').first().click()
    await expect.poll(() => tasks.evaluate(() => navigator.clipboard.readText())).toContain('社工已到1号楼')
    const text = await tasks.evaluate(() => navigator.clipboard.readText())
    expect(text).toBe('【宅家送】社工已到1号楼，请2单元居民准备取物\n请戴好口罩，接到电话后再开门。')
    for (const p of PRIVATE) expect(text).not.toContain(p)
  }, 90_000)
})
