/**
 * The coordinator's 14 days and 台账 in the browser on the real local host: the chart is drawn
 * (a canvas with pixels on it) beside a table of the same numbers, the rate tiles say what they
 * count, the ledger filters by taps, and 导出 Excel downloads an XLSX holding every listed order.
 */
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { PROTOCOL_STEPS } from '../../src/core/order/protocol'
import { beijingDate } from '../../src/core/time'
import type { OrderView } from '../../src/core/views'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { browserSuite, shot } from '../support/browser'

const suite = browserSuite({}, 15_000)

const openAs = suite.openAs

async function ok<T>(token: string, action: string, input: unknown): Promise<T> {
  const r = await suite.host.api<T>(token, action, input)
  if (!r.ok) throw new Error(`${action}: ${r.code}`)
  return r.data
}

describe('coordinator figures and ledger (H5)', () => {
  it('14-day chart and tiles; the ledger filters by taps and exports an XLSX of what it lists', async () => {
    const zhao = await suite.host.signIn(DEMO_PEOPLE.zhao)
    const zhang = await suite.host.signIn(DEMO_PEOPLE.zhang)
    const yuhong = await suite.host.signIn(DEMO_PEOPLE.yuhong)
    const rice = await ok<OrderView>(zhao, 'order.place', { requestId: 'fig-rice-0001', kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
    await ok(yuhong, 'order.claim', { id: rice.id })
    await ok(yuhong, 'order.advance', { id: rice.id, event: 'depart' })
    for (const step of PROTOCOL_STEPS) await ok(yuhong, 'order.step', { id: rice.id, step })
    await ok(zhao, 'order.confirm', { id: rice.id })
    await ok(zhao, 'order.rate', { id: rice.id, stars: 5, comment: '' })
    const garbage = await ok<OrderView>(zhang, 'order.place', { requestId: 'fig-garb-0001', kind: 'garbage' })

    const page = await openAs(DEMO_PEOPLE.coordinator, '/coordinator/pages/dashboard/index')
    const dash = page.locator('.coordinator-dashboard').last()
    await dash.locator('[data-testid="days-chart"]').waitFor()
    // Today's row of the table: 2 placed, 1 delivered; the answered-in-time rate 100% (the rice, claimed at once).
    const today = dash.locator(`[data-testid="day-row"][data-date="${beijingDate(Date.now())}"]`)
    await expect.poll(async () => (await today.innerText()).replace(/\s+/g, ' ')).toContain('2 1 100% 100%')
    await expect.poll(() => dash.locator('[data-testid="fig-response"]').getAttribute('data-value')).toBe('100%')
    expect(await dash.locator('[data-testid="fig-happy"] .figure__label').innerText()).toContain('满意率')
    // The chart drew something: its canvas has non-blank pixels.
    const inked = await dash.locator('[data-testid="days-chart"] canvas').first().evaluate((c) => {
      const canvas = c as HTMLCanvasElement
      const ctx = canvas.getContext('2d')
      if (!ctx || canvas.width === 0) return 0
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data
      let n = 0
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++
      return n
    })
    expect(inked).toBeGreaterThan(500)
    await dash.locator('[data-testid="days-chart"]').scrollIntoViewIfNeeded()
    await shot(page, 'coordinator-figures')

    await dash.locator('[data-testid="to-ledger"]').click()
    const ledger = page.locator('.ledger').last()
    await ledger.locator('[data-testid="ledger-row"]').first().waitFor()
    expect(await ledger.locator('[data-testid="ledger-row"]').count()).toBe(2)
    await ledger.locator('[data-testid="ledger-kind"] [data-value="garbage"]').click()
    await expect.poll(() => ledger.locator('[data-testid="ledger-row"]').count()).toBe(1)
    expect(await ledger.locator('[data-testid="ledger-row"]').getAttribute('data-order-id')).toBe(garbage.id)
    await shot(page, 'coordinator-ledger')
    await ledger.locator('[data-testid="ledger-status"] [data-value="cancelled"]').click()
    await ledger.locator('[data-testid="ledger-empty"]').waitFor()
    await ledger.locator('[data-testid="ledger-status"] [data-value="all"]').click()
    await ledger.locator('[data-testid="ledger-kind"] [data-value="all"]').click()
    await expect.poll(() => ledger.locator('[data-testid="ledger-row"]').count()).toBe(2)

    const download = page.waitForEvent('download')
    await ledger.locator('[data-testid="ledger-export"]').click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^台账_.*\.xlsx$/)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile((await file.path())!)
    const ids: string[] = []
    wb.getWorksheet('台账')!.eachRow((r, n) => {
      if (n > 2) ids.push(String(r.getCell(2).value))
    })
    expect(ids.sort()).toEqual([rice.id, garbage.id].sort())
    await ledger.locator('[data-testid="ledger-exported"]').waitFor()
  })
})
