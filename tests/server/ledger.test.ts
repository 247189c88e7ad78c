/**
 * 台账: coord.ledger lists the community's orders by date, building, type, status and worker, page
 * by page; coord.exportLedger makes an XLSX (reopened here with exceljs) holding every order of the
 * filter, behind a signed short-lived link on the local host and a temporary link on the cloud.
 */
import ExcelJS from 'exceljs'
import { afterEach, describe, expect, it } from 'vitest'
import type { Result } from '../../src/core/contract'
import { LEDGER_COLUMNS } from '../../src/core/ledger'
import { fromBeijing } from '../../src/core/time'
import type { LedgerExport } from '../../src/core/views'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import { createCloudMain } from '../../src/server/cloud/main'
import { memoryLogger } from '../../src/server/log'
import { DEMO_PEOPLE, seedDemo } from '../../src/server/seed/demo'
import { makeApp, rid } from '../support/app'
import { startHost, type RunningHost } from '../support/host'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'

const HOUR = 3600_000
const { zhao, zhang, yuhong, wangnan, coordinator } = DEMO_PEOPLE

type App = Awaited<ReturnType<typeof makeApp>>

/** 11-18 … 11-20 (Beijing): garbage by 赵 (1号楼), supplies by 张 (1号楼), a proxy order for 2号楼. */
async function history(app: App) {
  const ids: Record<string, string[]> = { zhao: [], zhang: [], b2: [] }
  for (let day = 0; day < 3; day++) {
    ids.zhao!.push((await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })).id)
    const s = await app.as(zhang).call('order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: 'rice', qty: 2 }] })
    ids.zhang!.push(s.id)
    await app.as(yuhong).call('order.claim', { id: s.id })
    const p = await app.as(wangnan).call('order.place', { requestId: rid(), householdId: 'h2-1-201', kind: 'garbage' })
    ids.b2!.push(p.id)
    app.advance(24 * HOUR)
  }
  return ids
}

describe('coord.ledger', () => {
  it('lists every order of the range, newest first, and filters by building, type, status and worker', async () => {
    const app = await makeApp({ now: fromBeijing('2026-11-18', 9) })
    const ids = await history(app)
    const liu = app.as(coordinator)
    const all = await liu.call('coord.ledger', { from: '2026-11-18', to: '2026-11-20' })
    expect(all.rows).toHaveLength(9)
    expect(all.next).toBeNull()
    expect(all.rows[0]).toMatchObject({ date: '2026-11-20', building: '2号楼', kind: '清运垃圾' })
    const row = all.rows.find((r) => r.id === ids.zhang![0])!
    expect(row).toMatchObject({ date: '2026-11-18', building: '1号楼', unit: 2, room: '502', status: '已接单', worker: '于红' })
    expect(row.placedAt).toBe('2026-11-18 09:00')
    expect(row.timeline).toContain('接单（于红）')
    // Never the resident's name or phone.
    expect(JSON.stringify(all)).not.toMatch(/张女士|赵先生|138\d{8}/)

    expect((await liu.call('coord.ledger', { from: '2026-11-19', to: '2026-11-19' })).rows).toHaveLength(3)
    expect((await liu.call('coord.ledger', { from: '2026-11-18', to: '2026-11-20', buildingId: 'b2' })).rows.map((r) => r.id).sort()).toEqual(
      [...ids.b2!].sort(),
    )
    expect((await liu.call('coord.ledger', { from: '2026-11-18', to: '2026-11-20', kind: 'supplies' })).rows).toHaveLength(3)
    expect((await liu.call('coord.ledger', { from: '2026-11-18', to: '2026-11-20', status: 'claimed' })).rows).toHaveLength(3)
    expect((await liu.call('coord.ledger', { from: '2026-11-18', to: '2026-11-20', workerId: yuhong })).rows).toHaveLength(3)
    expect((await liu.call('coord.ledger', { from: '2026-11-18', to: '2026-11-20', workerId: wangnan })).rows).toHaveLength(0)
    // Default: the last 7 days up to today (now 11-21 09:00).
    expect((await liu.call('coord.ledger', {})).rows).toHaveLength(9)
  })

  it('pages with a cursor and never repeats or skips an order', async () => {
    const app = await makeApp({ now: fromBeijing('2026-11-18', 9) })
    for (let i = 0; i < 130; i++) {
      await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage' })
      app.advance(60_000)
    }
    const liu = app.as(coordinator)
    const seen: string[] = []
    let cursor: string | undefined
    for (let i = 0; i < 10; i++) {
      const page = await liu.call('coord.ledger', { from: '2026-11-18', to: '2026-11-18', ...(cursor ? { cursor } : {}) })
      seen.push(...page.rows.map((r) => r.id))
      if (!page.next) break
      cursor = page.next
    }
    expect(seen).toHaveLength(130)
    expect(new Set(seen).size).toBe(130)
  })

  it('refuses a bad range, other standings, and never shows another community', async () => {
    const app = await makeApp({ now: fromBeijing('2026-11-18', 9) })
    await history(app)
    const liu = app.as(coordinator)
    expect(await liu.refused('coord.ledger', { from: '2026-11-20', to: '2026-11-18' })).toMatchObject({ code: 'LEDGER.BAD_RANGE' })
    expect(await liu.refused('coord.ledger', { from: '2026-01-01', to: '2026-11-18' })).toMatchObject({ code: 'LEDGER.BAD_RANGE' })
    expect(await liu.refused('coord.ledger', { from: '2026/11/18' })).toMatchObject({ code: 'REQUEST.INVALID_INPUT', fields: { from: expect.stringContaining('2026-11-20') } })
    for (const who of [yuhong, zhao]) expect(await app.as(who).refused('coord.ledger', {})).toMatchObject({ code: 'AUTH.FORBIDDEN' })
    expect(await app.as(yuhong).refused('coord.exportLedger', {})).toMatchObject({ code: 'AUTH.FORBIDDEN' })
    // A coordinator of another community sees none of these.
    const other = await app.store.people.get(coordinator)
    await app.store.people.put({ ...other!, id: 'coord-other', coordinatorOf: 'elsewhere', name: '别的主任' })
    expect((await app.as('coord-other').call('coord.ledger', { from: '2026-11-18', to: '2026-11-20' })).rows).toEqual([])
  })
})

async function readXlsx(bytes: ArrayBuffer) {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes)
  const ws = wb.getWorksheet('台账')!
  const header = (ws.getRow(2).values as unknown[]).slice(1)
  const rows: Record<string, unknown>[] = []
  ws.eachRow((r, n) => {
    if (n <= 2) return
    const v = (r.values as unknown[]).slice(1)
    rows.push(Object.fromEntries(LEDGER_COLUMNS.map((c, i) => [c.key, v[i]])))
  })
  return { title: String(ws.getRow(1).getCell(1).value), header, rows }
}

describe('coord.exportLedger on the local host', () => {
  let host: RunningHost | null = null
  afterEach(async () => {
    await host?.stop()
    host = null
  })

  it('an XLSX with every order of the filter, behind a signed link that cannot be altered', async () => {
    host = await startHost()
    const squad = await host.signIn(yuhong)
    const res = await host.signIn(zhang)
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const o = await host.api<{ id: string }>(res, 'order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
      if (!o.ok) throw new Error(o.code)
      ids.push(o.data.id)
    }
    await host.api(squad, 'order.claim', { id: ids[0] })
    const liu = await host.signIn(coordinator)
    const exp = (await host.api<LedgerExport>(liu, 'coord.exportLedger', {})) as Result<LedgerExport>
    if (!exp.ok) throw new Error(exp.code)
    expect(exp.data).toMatchObject({ rows: 5, fileName: expect.stringMatching(/^台账_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/) })

    const got = await fetch(host.url + exp.data.url)
    expect(got.status).toBe(200)
    expect(got.headers.get('content-type')).toContain('spreadsheetml')
    expect(got.headers.get('content-disposition')).toContain(encodeURIComponent('台账_'))
    const x = await readXlsx(await got.arrayBuffer())
    expect(x.title).toContain('北京时间')
    expect(x.header).toEqual(LEDGER_COLUMNS.map((c) => c.header))
    expect(x.rows.map((r) => r.id).sort()).toEqual([...ids].sort())
    expect(x.rows.find((r) => r.id === ids[0])).toMatchObject({ status: '已接单', worker: '于红', building: '1号楼', room: '502' })

    // An altered link (another file name, a later expiry) is refused.
    const tampered = exp.data.url.replace(/e=(\d+)/, (_, e: string) => `e=${Number(e) + 3600}`)
    expect((await fetch(host.url + tampered)).status).toBe(403)
    expect((await fetch(host.url + exp.data.url.replace(/s=[0-9a-f]+/, 's=' + '0'.repeat(64)))).status).toBe(403)
  })
})

describe('coord.exportLedger on the cloud', () => {
  it('uploads to private cloud storage and answers a temporary link to that file', async () => {
    const db = await openSdkDatabase(new SdkDbEngine())
    await seedDemo(openCloudbase(db), fromBeijing('2026-11-18', 9))
    // Cloud storage as the function sees it: files by fileID, links that name the file.
    const files = new Map<string, Buffer>()
    let openid: string | undefined
    const main = createCloudMain(
      {
        getWXContext: () => ({ OPENID: openid }),
        database: () => db,
        async uploadFile({ cloudPath, fileContent }) {
          const fileID = `cloud://env-1.bucket/${cloudPath}`
          files.set(fileID, fileContent)
          return { fileID }
        },
        async getTempFileURL({ fileList }) {
          return { fileList: fileList.map((f) => ({ fileID: f.fileID, tempFileURL: `https://tmp.example/${encodeURIComponent(f.fileID)}?t=${f.maxAge}`, status: 0 })) }
        },
      },
      { now: () => fromBeijing('2026-11-18', 10), log: memoryLogger(), env: {} },
    )
    const call = async <T>(who: string, action: string, input: unknown) => {
      openid = who
      return (await main({ action, input })) as Result<T>
    }
    const placed = await call<{ id: string }>(zhao, 'order.place', { requestId: rid(), kind: 'garbage' })
    expect(placed.ok).toBe(true)
    const exp = await call<LedgerExport>(coordinator, 'coord.exportLedger', { from: '2026-11-18', to: '2026-11-18' })
    if (!exp.ok) throw new Error(exp.code)
    const [fileID] = [...files.keys()]
    expect(fileID).toMatch(/^cloud:\/\/env-1\.bucket\/exports\/[0-9a-f-]{36}\/台账_2026-11-18_2026-11-18\.xlsx$/)
    expect(exp.data.url).toBe(`https://tmp.example/${encodeURIComponent(fileID!)}?t=600`)
    const x = await readXlsx(files.get(fileID!)!.buffer.slice(0) as ArrayBuffer)
    expect(x.rows.map((r) => r.id)).toEqual([(placed as { data: { id: string } }).data.id])
  })
})
