/**
 * HTML and script typed by people shows as text, in the H5 build on the real local host: a
 * resident's order note carrying <img onerror>, <script> and <b>, a squad member whose name is an
 * <svg onload>, a catalog item named <b>粗</b>, and a group notice with the same note. On the squad
 * board, the task page, the resident's order, the coordinator's 小分队 and 物资清单 pages and
 * /dev/groups, the raw markup is in the page's text, no element was made from it, and no script ran.
 * (The mini program: tests/client/no-raw-html.test.ts; Taro renders text nodes there too.)
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { Result } from '../../src/core/contract'
import type { OrderView } from '../../src/core/views'
import { DEMO_PEOPLE, DEMO_SQUAD_INVITE } from '../../src/server/seed/demo'
import { rid } from '../support/app'
import { browserSuite, shot } from '../support/browser'

const NOTE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>粗</b>'
/** 18 characters: names are at most 20. */
const NAME = '<svg onload=__p=4>'
const ITEM = '<b>粗</b>'

const suite = browserSuite({ notify: true }, 15_000)

async function ok<T>(p: Promise<Result<T>>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`)
  return r.data
}

const openAs = suite.openWithToken

/** What the page made of the markup: its text, and any element or script effect that came from it. */
async function inspect(page: Page) {
  return page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>
    return {
      text: document.body.innerText,
      imgX: document.querySelectorAll('img[src="x"]').length,
      svgOnload: document.querySelectorAll('svg[onload]').length,
      boldCu: Array.from(document.querySelectorAll('b')).filter((b) => b.textContent === '粗').length,
      scripts: Array.from(document.querySelectorAll('script')).filter((s) => s.textContent?.includes('__pwned')).length,
      pwned: w.__pwned,
      p: w.__p,
    }
  })
}

async function expectLiteral(page: Page, ...raw: string[]) {
  for (const r of raw) await page.getByText(r, { exact: false }).first().waitFor()
  // Give an onerror / onload the time to fire, had an element been made.
  await page.waitForTimeout(300)
  const got = await inspect(page)
  for (const r of raw) expect(got.text).toContain(r)
  expect(got).toMatchObject({ imgX: 0, svgOnload: 0, boldCu: 0, scripts: 0 })
  expect(got.pwned).toBeUndefined()
  expect(got.p).toBeUndefined()
}

describe('markup typed by people renders as text (H5)', () => {
  it('board, task page, order detail, coordinator pages and /dev/groups', async () => {
    const resident = await suite.host.signIn(DEMO_PEOPLE.zhang)
    const coordinator = await suite.host.signIn(DEMO_PEOPLE.coordinator)
    // A new worker calls themself <svg onload=…> and joins the squad.
    const signIn = (await (
      await fetch(`${suite.host.url}/api/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: NAME }) })
    ).json()) as Result<{ token: string }>
    if (!signIn.ok) throw new Error(signIn.message)
    const worker = signIn.data.token
    await ok(suite.host.api(worker, 'squad.join', { code: DEMO_SQUAD_INVITE }))

    const own = await ok(suite.host.api<OrderView>(resident, 'order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }], notes: NOTE }))
    expect(own.notes).toBe(NOTE)
    // The worker places one for 赵先生's household (代下单) and takes it: the task page names them.
    const proxy = await ok(
      suite.host.api<OrderView>(worker, 'order.place', { requestId: rid(), householdId: 'h1-1-301', kind: 'garbage', notes: NOTE }),
    )
    await ok(suite.host.api(worker, 'order.claim', { id: proxy.id }))
    await ok(suite.host.api(coordinator, 'coord.addItem', { categoryId: 'grain', name: ITEM, unit: '袋' }))
    await ok(suite.host.api(coordinator, 'robot.notice', { scope: 'community', text: NOTE }))

    // The squad board: the resident's note.
    const board = await openAs(await suite.host.signIn(DEMO_PEOPLE.yuhong), '/squad/pages/board/index')
    await expectLiteral(board, NOTE)
    await shot(board, 'html-as-text-board')

    // The task page of the proxy order: the note and the worker's name (…代下单).
    const task = await openAs(worker, `/squad/pages/task/index?id=${proxy.id}`)
    await expectLiteral(task, NOTE, `${NAME}代下单`)
    await shot(task, 'html-as-text-task')

    // The resident's own order.
    const detail = await openAs(resident, `/resident/pages/detail/index?id=${own.id}`)
    await expectLiteral(detail, NOTE)

    // The coordinator: the squad list names the worker; the catalog lists the item.
    const squad = await openAs(coordinator, '/coordinator/pages/squad/index')
    await expectLiteral(squad, NAME)
    await shot(squad, 'html-as-text-coord-squad')
    const catalog = await openAs(coordinator, '/coordinator/pages/catalog/index')
    await expectLiteral(catalog, ITEM)

    // /dev/groups: the community group's notice, as sent (the notification loop delivers it).
    const groups = await suite.newPage()
    const end = Date.now() + 10_000
    for (;;) {
      await groups.goto(`${suite.host.url}/dev/groups`)
      if ((await groups.locator('body').innerText()).includes(NOTE)) break
      if (Date.now() > end) throw new Error('the notice never reached /dev/groups')
      await groups.waitForTimeout(500)
    }
    await expectLiteral(groups, NOTE)
    await groups.context().close()
  }, 120_000)
})
