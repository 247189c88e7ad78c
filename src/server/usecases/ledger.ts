/**
 * 台账 (coord.ledger) and its XLSX export (coord.exportLedger), for the caller's own community.
 *
 * Reads: the community's orders placed in the range, newest first, through the store's index on
 * (community, createdAt) — or (community, status, createdAt) when the filter names a status —
 * 100 at a time. A page scans at most SCAN_PER_PAGE orders: a narrow filter over a long range
 * answers with fewer rows and a cursor rather than reading the whole range in one call.
 */
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import { keepsOrder, LEDGER_COLUMNS, ledgerRange, ledgerRow, type LedgerFilters, type LedgerRange, type LedgerRow } from '../../core/ledger'
import type { Order } from '../../core/order/types'
import { formatBeijing } from '../../core/time'
import type { LedgerExport, LedgerPage } from '../../core/views'
import type { Deps } from '../deps'
import { MAX_PAGE, type OrderQuery } from '../ports'

export const LEDGER_PAGE_ROWS = 50
const SCAN_PER_PAGE = 1_000
/** An export larger than this is refused (narrow the range): the file must build within the function's time. */
export const EXPORT_MAX_ROWS = 20_000
const LINK_SECONDS = 600

function rangeOf(f: LedgerFilters, now: number): LedgerRange {
  const r = ledgerRange(f, now)
  if (!r) throw new AppError('LEDGER.BAD_RANGE', { fields: { from: '开始日期不能晚于结束日期，一次最多查92天' } })
  return r
}

function storeQuery(communityId: string, r: LedgerRange, f: LedgerFilters): OrderQuery {
  return {
    communityId,
    createdFrom: r.start,
    createdBefore: r.end,
    ...(f.status !== undefined ? { statuses: [f.status] } : {}),
    // The worker is filtered here, not in the store: (holder or partner) and a time range has no
    // index of its own on CloudBase, and a worker's orders are a small share of a community's.
  }
}

async function scan(
  deps: Deps,
  q: OrderQuery,
  f: LedgerFilters,
  opts: { cursor: string | null; rows: number; scan: number },
): Promise<{ orders: Order[]; next: string | null }> {
  const orders: Order[] = []
  let cursor = opts.cursor
  let scanned = 0
  for (;;) {
    const page = await deps.store.orders.list({ ...q, limit: MAX_PAGE, cursor })
    for (const o of page.items) if (keepsOrder(o, f)) orders.push(o)
    scanned += page.items.length
    cursor = page.next
    if (!cursor || orders.length >= opts.rows || scanned >= opts.scan) return { orders, next: cursor }
  }
}

export async function coordLedger(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.ledger'>): Promise<LedgerPage> {
  const { cursor, ...f } = input
  const r = rangeOf(f, deps.now())
  // A page is a whole number of store pages, so the next one starts where this one stopped.
  const { orders, next } = await scan(deps, storeQuery(actor.coordinatorOf!, r, f), f, {
    cursor: cursor ?? null,
    rows: LEDGER_PAGE_ROWS,
    scan: SCAN_PER_PAGE,
  })
  return { from: r.from, to: r.to, rows: orders.map(ledgerRow), next }
}

export async function exportLedger(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.exportLedger'>): Promise<LedgerExport> {
  if (!deps.exports) throw new AppError('EXPORT.UNAVAILABLE')
  const now = deps.now()
  const r = rangeOf(input, now)
  const { orders, next } = await scan(deps, storeQuery(actor.coordinatorOf!, r, input), input, {
    cursor: null,
    rows: EXPORT_MAX_ROWS + 1,
    scan: Number.POSITIVE_INFINITY,
  })
  if (orders.length > EXPORT_MAX_ROWS || next) throw new AppError('LEDGER.TOO_LARGE')
  const rows = orders.map(ledgerRow)
  const bytes = await ledgerWorkbook(rows, `${r.from} 至 ${r.to}`, now)
  const fileName = `台账_${r.from}_${r.to}.xlsx`
  const url = await deps.exports.save(fileName, bytes, LINK_SECONDS)
  deps.log.info('ledger.exported', { community: actor.coordinatorOf!, rows: rows.length })
  return { url, fileName, rows: rows.length }
}

/**
 * exceljs is loaded on the first export, not when the module loads: it is most of the cloud function's
 * code (~1.2 MB), and every cold start would pay for parsing it. scripts/build-cloud.mjs bundles it into
 * its own file next to index.js, which this import then reads.
 */
async function loadExcel() {
  return (await import('exceljs')).default
}

/** The workbook: one sheet, a title row, the header, one row per order (Beijing times). */
export async function ledgerWorkbook(rows: readonly LedgerRow[], range: string, now: number): Promise<Uint8Array> {
  const ExcelJS = await loadExcel()
  const wb = new ExcelJS.Workbook()
  wb.creator = '宅家送'
  wb.created = new Date(now)
  const ws = wb.addWorksheet('台账', { views: [{ state: 'frozen', ySplit: 2 }] })
  ws.columns = LEDGER_COLUMNS.map((c) => ({ key: c.key, width: c.width }))
  ws.addRow([`订单台账 ${range}（导出于 ${formatBeijing(now, 'YYYY-MM-DD HH:mm')}，北京时间）`])
  ws.mergeCells(1, 1, 1, LEDGER_COLUMNS.length)
  ws.getRow(1).font = { bold: true, size: 13 }
  const header = ws.addRow(LEDGER_COLUMNS.map((c) => c.header))
  header.font = { bold: true }
  for (const row of rows) ws.addRow(LEDGER_COLUMNS.map((c) => row[c.key]))
  ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: LEDGER_COLUMNS.length } }
  return new Uint8Array(await wb.xlsx.writeBuffer())
}
