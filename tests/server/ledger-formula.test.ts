/**
 * Formula injection: what residents and workers type (a medicine's name, who brings a parcel, a
 * worker's name) can begin with `=`, `+`, `-` or `@`. In the exported ledger (coord.exportLedger,
 * exceljs) each must be a plain string cell showing exactly what was typed, never a formula:
 * checked by reopening the file with exceljs and in the sheet's XML (no <f> element at all).
 * Over HTTP on the real local host, the file fetched through its signed link.
 */
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { afterEach, expect, it } from 'vitest'
import type { Result } from '../../src/core/contract'
import type { LedgerExport } from '../../src/core/views'
import { DEMO_PEOPLE, DEMO_SQUAD_INVITE } from '../../src/server/seed/demo'
import { rid } from '../support/app'
import { startHost, type RunningHost } from '../support/host'

const { zhang, coordinator } = DEMO_PEOPLE

let host: RunningHost | null = null
afterEach(async () => {
  await host?.stop()
  host = null
})

async function ok<T>(p: Promise<Result<T>>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`)
  return r.data
}

it('text beginning with = + - @ is exported as string cells, never formulas', async () => {
  host = await startHost()
  const h = host
  const resident = await h.signIn(zhang)
  // A worker who calls themself by a formula: new person, joins the squad with the demo invite.
  const signIn = (await (
    await fetch(`${h.url}/api/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '@SUM(1+1)' }) })
  ).json()) as Result<{ token: string }>
  if (!signIn.ok) throw new Error(signIn.message)
  const worker = signIn.data.token
  await ok(h.api(worker, 'squad.join', { code: DEMO_SQUAD_INVITE }))

  const medicine = await ok(
    h.api<{ id: string }>(resident, 'order.place', {
      requestId: rid(),
      kind: 'supplies',
      lines: [{ itemId: 'medicine', qty: 1, name: '=1+2', note: '+cmd|calc' }],
    }),
  )
  const parcel = await ok(
    h.api<{ id: string }>(resident, 'order.place', {
      requestId: rid(),
      kind: 'handover',
      handover: { bringer: '=HYPERLINK("x","点")', items: '-2+3', expectedAt: Date.now() + 3600_000 },
    }),
  )
  await ok(h.api(worker, 'order.claim', { id: medicine.id }))

  const liu = await h.signIn(coordinator)
  const exp = await ok(h.api<LedgerExport>(liu, 'coord.exportLedger', {}))
  const bytes = await (await fetch(h.url + exp.url)).arrayBuffer()

  // The sheet's XML: no formula anywhere.
  const zip = await JSZip.loadAsync(bytes)
  const sheets = Object.keys(zip.files).filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f))
  expect(sheets.length).toBeGreaterThan(0)
  for (const f of sheets) expect(await zip.file(f)!.async('string')).not.toMatch(/<f[ >]/)

  // Reopened: every cell is a value; the typed texts are there as strings, exactly.
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes)
  const ws = wb.getWorksheet('台账')!
  const strings: string[] = []
  ws.eachRow((row) =>
    row.eachCell((cell) => {
      expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)
      expect(cell.formula).toBeUndefined()
      if (cell.type === ExcelJS.ValueType.String) strings.push(cell.value as string)
    }),
  )
  const cellStarting = (prefix: string) => strings.find((s) => s.startsWith(prefix))
  expect(cellStarting('=1+2')).toBeDefined() // the medicine line leads its order's 内容
  expect(cellStarting('=HYPERLINK("x","点")送来：-2+3')).toBeDefined()
  expect(cellStarting('@SUM(1+1)')).toBe('@SUM(1+1)') // 经办人
  expect(strings.some((s) => s.includes('（@SUM(1+1)）'))).toBe(true) // 过程
  expect(parcel.id).toBeTruthy()
})
