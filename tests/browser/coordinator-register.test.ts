/**
 * The coordinator's register in the browser on the real local host: a bad CSV first (nothing
 * written, every bad line listed), then 40 households from a GBK file (preview, then import), then
 * the new building's map in four colours; a tap on a door opens it in the register editor.
 * Screenshots of the import page (error and preview) and the map.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { IMPORT_HEADER } from '../../src/core/household/import'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { browserSuite, on, shot } from '../support/browser'

const suite = browserSuite({}, 15_000)

const openAs = suite.openAs

/** 40 households of a new 5号楼: 4 units × 5 floors × 2 rooms, the four statuses in turn. */
function fortyRows(): string[] {
  const statuses = ['集中隔离', '居家隔离', '居家健康监测', '无']
  const rows: string[] = []
  let i = 0
  for (const unit of [1, 2, 3, 4])
    for (let floor = 1; floor <= 5; floor++)
      for (const r of [1, 2]) {
        rows.push(`5号楼,${unit},${floor}0${r},${statuses[(unit + floor + r) % 4]},2022-04-10,,${i % 7 === 0 ? '独居老人;低血糖' : ''},住户${i},139${String(i).padStart(8, '0')}`)
        i++
      }
  return rows
}

function gbk(text: string): Buffer {
  const dec = new TextDecoder('gbk')
  const table = new Map<string, number[]>()
  for (let hi = 0x81; hi <= 0xfe; hi++)
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      const ch = dec.decode(new Uint8Array([hi, lo]))
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo])
    }
  return Buffer.from([...text].flatMap((ch) => (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : table.get(ch)!)))
}

async function pickFile(page: Page, root: ReturnType<typeof on>, name: string, buffer: Buffer) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), root.getByTestId('pick-file').click()])
  await chooser.setFiles({ name, mimeType: 'text/csv', buffer })
}

async function householdCount(): Promise<number> {
  let n = 0
  let cursor: string | null = null
  do {
    const p = await suite.host.deps.store.households.listByCommunity('demo', { limit: 100, cursor })
    n += p.items.length
    cursor = p.next
  } while (cursor)
  return n
}

describe('coordinator register (H5)', () => {
  it('a bad file writes nothing and lists its bad lines; 40 households import after a preview; the map in four colours', async () => {
    const page = await openAs(DEMO_PEOPLE.coordinator, '/coordinator/pages/dashboard/index')
    await on(page, 'coordinator-dashboard').getByTestId('to-import').click()
    const imp = on(page, 'coord-import')
    await imp.getByTestId('template').waitFor()

    // A bad file (UTF-8 with BOM): an unknown status on line 4, a bad phone on line 9, a duplicate on line 12.
    const rows = fortyRows()
    rows[2] = rows[2]!.replace(/,(集中隔离|居家隔离|居家健康监测|无),/, ',隔离中,')
    rows[7] = rows[7]!.replace(/139\d{8}$/, '12345')
    rows[10] = rows[0]!
    const bad = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([IMPORT_HEADER, ...rows].join('\r\n'), 'utf-8')])
    await pickFile(page, imp, '住户-有错.csv', bad)
    const error = imp.getByTestId('import-error')
    await error.waitFor()
    await error.getByText('有3行填得不对').waitFor()
    expect(await error.getByTestId('bad-line').evaluateAll((els) => els.map((e) => e.getAttribute('data-line')))).toEqual(['4', '9', '12'])
    await error.locator('[data-line="4"]').getByText('隔离状态「隔离中」不认识', { exact: false }).waitFor()
    await error.locator('[data-line="12"]').getByText('和第2行重复了', { exact: false }).waitFor()
    expect(await householdCount()).toBe(72)
    await shot(page, 'coordinator-import-error')

    // The good file, as Excel on Chinese Windows saves it (GBK): preview first, nothing written yet.
    await pickFile(page, imp, '住户.csv', gbk([IMPORT_HEADER, ...fortyRows()].join('\r\n') + '\r\n'))
    const preview = imp.getByTestId('import-preview')
    await preview.waitFor()
    await preview.locator('[data-testid="count-new"][data-value="40"]').waitFor()
    await preview.locator('[data-testid="count-buildings"][data-value="1"]').waitFor()
    await preview.getByText('将新建：5号楼').waitFor()
    expect(await householdCount()).toBe(72)
    await shot(page, 'coordinator-import-preview')

    await preview.getByTestId('confirm-import').click()
    const done = imp.getByTestId('import-done')
    await done.getByText('已导入 40 户：新增 40 户，更新 0 户，新建5号楼').waitFor()
    expect(await householdCount()).toBe(112)

    // The map of the new building: four colours, ten of each, legend with counts.
    await done.getByTestId('to-map').click()
    const map = on(page, 'bmap')
    await map.getByTestId('map-building').waitFor()
    await map.getByTestId('map-building').locator('[data-value="b5"]').click()
    await map.locator('[data-testid="legend-red"][data-value="10"]').waitFor()
    for (const c of ['orange', 'yellow', 'green']) await map.locator(`[data-testid="legend-${c}"][data-value="10"]`).waitFor()
    expect(await map.getByTestId('map-cell').count()).toBe(40)
    const colours = await map.getByTestId('map-cell').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-colour')))].sort())
    expect(colours).toEqual(['green', 'orange', 'red', 'yellow'])
    // Top floor first, units side by side, cells big enough to tap.
    const first = map.getByTestId('map-cell').first()
    expect(await first.getAttribute('data-room')).toBe('501')
    const box = (await first.boundingBox())!
    expect(box.width).toBeGreaterThanOrEqual(44)
    expect(box.height).toBeGreaterThanOrEqual(44)
    const unit2 = await map.locator('[data-room="501"]').nth(1).boundingBox()
    expect(Math.abs(unit2!.y - box.y)).toBeLessThan(2)
    expect(unit2!.x).toBeGreaterThan(box.x)
    await shot(page, 'coordinator-map')

    // A tap on a door opens it in the register editor.
    const cell = map.locator('[data-room="101"]').first()
    const id = (await cell.getAttribute('data-household'))!
    await cell.click()
    const reg = on(page, 'households')
    const editor = reg.locator(`[data-household="${id}"]`).getByTestId('household-editor')
    await editor.waitFor()
    await expect.poll(async () => { const b = await editor.boundingBox(); return b !== null && b.y < 812 && b.y + b.height > 0 }).toBe(true)
    await shot(page, 'coordinator-map-household')
  }, 240_000)
})
