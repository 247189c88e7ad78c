import { describe, expect, it } from 'vitest'
import { IMPORT_HEADER } from '../../src/core/household/import'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp } from '../support/app'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'

const file = (...rows: string[]) => [IMPORT_HEADER, ...rows].join('\r\n') + '\r\n'
const b64 = (s: string | Uint8Array) => Buffer.from(typeof s === 'string' ? new TextEncoder().encode(s) : s).toString('base64')

/** 40 households: 3号楼 (new) 4 units × 5 floors × 2 rooms (39 of them), four statuses in turn; one row for an existing demo door. */
function forty(): string {
  const statuses = ['集中隔离', '居家隔离', '居家健康监测', '无']
  const rows: string[] = []
  let i = 0
  for (const unit of [1, 2, 3, 4])
    for (let floor = 1; floor <= 5; floor++)
      for (const r of [1, 2]) {
        rows.push(`3号楼,${unit},${floor}0${r},${statuses[i % 4]},2022-04-10,,${i % 5 === 0 ? '独居老人;慢性病' : ''},住户${i},138${String(i).padStart(8, '0')}`)
        i++
      }
  return file(...rows.slice(0, 39), '1号楼,1,301,集中隔离,2022-04-12,2022-04-19,低血糖,赵建国,13800000301')
}

async function countHouseholds(app: Awaited<ReturnType<typeof makeApp>>): Promise<number> {
  let n = 0
  let cursor: string | null = null
  do {
    const page = await app.store.households.listByCommunity('demo', { limit: 100, cursor })
    n += page.items.length
    cursor = page.next
  } while (cursor)
  return n
}

describe('coord.importHouseholds', () => {
  it('dry run previews and writes nothing; the import creates the building and households, updates the existing door', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    const preview = await coord.call('coord.importHouseholds', { csv: forty(), dryRun: true })
    expect(preview).toMatchObject({ dryRun: true, rows: 40, created: 39, updated: 1, buildingsCreated: ['3号楼'] })
    expect(preview.preview[0]).toMatchObject({ line: 2, label: '3号楼1单元101', isolation: 'central_isolation', colour: 'red', action: 'new' })
    expect(await countHouseholds(app)).toBe(72)
    expect((await app.store.communities.get('demo'))!.buildings.map((b) => b.id)).toEqual(['b1', 'b2'])

    const done = await coord.call('coord.importHouseholds', { csvBase64: b64(forty()) })
    expect(done).toMatchObject({ dryRun: false, rows: 40, created: 39, updated: 1 })
    expect(await countHouseholds(app)).toBe(72 + 39)
    expect((await app.store.communities.get('demo'))!.buildings).toContainEqual({ id: 'b3', name: '3号楼', gridId: 'g3' })
    const b3 = await app.store.register.listByBuilding('demo', 'b3', 1000)
    expect(b3).toHaveLength(39)
    expect(new Set(b3.map((h) => h.code)).size).toBe(39)
    expect(b3.every((h) => /^\d{6}$/.test(h.code))).toBe(true)
    const first = b3.find((h) => h.unit === 1 && h.room === '101')!
    expect(first).toMatchObject({ floor: 1, isolation: 'central_isolation', startDate: '2022-04-10', specialNeeds: ['独居老人', '慢性病'], headcount: 1, doorSealed: false })
    // The existing door keeps its id and code; its register entry follows the file.
    expect(await app.store.households.get('h1-1-301')).toMatchObject({
      code: '483920',
      isolation: 'central_isolation',
      startDate: '2022-04-12',
      endDate: '2022-04-19',
      specialNeeds: ['低血糖'],
    })
    // A joined household code still works for the new door.
    expect(await app.store.households.findByCode(first.code)).toMatchObject({ id: first.id })
    // Nothing of doors, names or needs in the log.
    expect(JSON.stringify(app.log.lines)).not.toMatch(/3号楼|住户|独居/)
  })

  it('re-import updates the same households (same ids and codes), creates nothing twice', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    await coord.call('coord.importHouseholds', { csv: forty() })
    const before = await app.store.register.listByBuilding('demo', 'b3', 1000)
    const again = await coord.call('coord.importHouseholds', { csv: forty().replace('3号楼,1,101,集中隔离', '3号楼,1,101,已解除') })
    expect(again).toMatchObject({ created: 0, updated: 40, buildingsCreated: [] })
    const after = await app.store.register.listByBuilding('demo', 'b3', 1000)
    expect(after.map((h) => [h.id, h.code])).toEqual(before.map((h) => [h.id, h.code]))
    expect(after.find((h) => h.unit === 1 && h.room === '101')!.isolation).toBe('none')
    expect((await app.store.communities.get('demo'))!.buildings).toHaveLength(3)
  })

  it('one bad row imports nothing; every bad line is listed by number with its reason', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    const bad = forty()
      .replace('3号楼,1,102,居家隔离', '3号楼,1,102,隔离') // line 3
      .replace('3号楼,2,502,', '3号楼,2,5o2,') // line 21? computed below
    const lines = bad.split('\r\n')
    const badLines = lines.map((l, i) => [l, i + 1] as const).filter(([l]) => l.includes(',隔离,') || l.includes('5o2')).map(([, n]) => n)
    expect(badLines).toHaveLength(2)
    const r = await coord.refused('coord.importHouseholds', { csv: bad })
    expect(r.code).toBe('IMPORT.INVALID')
    expect(Object.keys(r.fields!)).toEqual(badLines.map((n) => `line.${n}`))
    expect(r.fields![`line.${badLines[0]}`]).toContain('隔离状态「隔离」不认识')
    expect(r.fields![`line.${badLines[1]}`]).toContain('房号「5o2」')
    expect(r.details).toEqual({ badLines: 2, firstBadLine: badLines[0] })
    expect(await countHouseholds(app)).toBe(72)
    expect((await app.store.communities.get('demo'))!.buildings).toHaveLength(2)
    expect((await app.store.households.get('h1-1-301'))!.isolation).toBe('home_isolation')
  })

  it('whole-file refusals: bad header, empty, unreadable base64, neither or both inputs', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    expect((await coord.refused('coord.importHouseholds', { csv: '楼,单元\n1,2' })).code).toBe('IMPORT.BAD_HEADER')
    expect((await coord.refused('coord.importHouseholds', { csv: IMPORT_HEADER })).code).toBe('IMPORT.EMPTY')
    expect((await coord.refused('coord.importHouseholds', {})).code).toBe('REQUEST.INVALID_INPUT')
    expect((await coord.refused('coord.importHouseholds', { csv: 'a', csvBase64: 'YQ==' })).code).toBe('REQUEST.INVALID_INPUT')
    expect((await coord.refused('coord.importHouseholds', { csvBase64: '!!!' })).code).toBe('REQUEST.INVALID_INPUT')
    expect(await countHouseholds(app)).toBe(72)
  })

  it('GBK bytes import the same as UTF-8', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    // 1号楼,1,302,居家隔离 in GBK (bytes of the header and row, built from the decoder's table).
    const text = file('1号楼,1,302,居家健康监测,2022-04-10,,婴儿,钱芳,010-62345678')
    const dec = new TextDecoder('gbk')
    const table = new Map<string, number[]>()
    for (let hi = 0x81; hi <= 0xfe; hi++)
      for (let lo = 0x40; lo <= 0xfe; lo++) {
        const ch = dec.decode(new Uint8Array([hi, lo]))
        if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo])
      }
    const bytes = new Uint8Array([...text].flatMap((ch) => (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : table.get(ch)!)))
    const r = await coord.call('coord.importHouseholds', { csvBase64: b64(bytes) })
    expect(r).toMatchObject({ created: 0, updated: 1 })
    expect(await app.store.households.get('h1-1-302')).toMatchObject({ isolation: 'health_monitoring', specialNeeds: ['婴儿'], residentName: '钱芳', phone: '010-62345678' })
  })

  it('non-coordinators are refused; a coordinator of another community cannot touch this one', async () => {
    const app = await makeApp()
    for (const who of [DEMO_PEOPLE.zhao, DEMO_PEOPLE.yuhong]) {
      expect((await app.as(who).refused('coord.importHouseholds', { csv: forty() })).code).toBe('AUTH.FORBIDDEN')
      expect((await app.as(who).refused('coord.buildingMap', { buildingId: 'b1' })).code).toBe('AUTH.FORBIDDEN')
    }
    await app.store.communities.put({ id: 'other', name: '别的社区', buildings: [{ id: 'b1', name: '1号楼', gridId: 'g1' }], parcelHoldMinutes: 60, createdAt: 0 })
    await app.store.people.put({ id: 'coord-other', name: '王主任', phone: '', households: [], squadOf: null, coordinatorOf: 'other', createdAt: 0 })
    const other = app.as('coord-other')
    const r = await other.call('coord.importHouseholds', { csv: file('1号楼,1,301,集中隔离,,,,,') })
    // Same door name, but their community's: a new household there, demo's untouched.
    expect(r).toMatchObject({ created: 1, updated: 0 })
    expect((await app.store.households.get('h1-1-301'))!.isolation).toBe('home_isolation')
    expect(await countHouseholds(app)).toBe(72)
    const theirs = await app.store.register.listByBuilding('other', 'b1', 100)
    expect(theirs).toHaveLength(1)
    expect(theirs[0]!.communityId).toBe('other')
    // Their map shows their one door (floors below it grey), never demo's 36.
    const map = await other.call('coord.buildingMap', { buildingId: 'b1' })
    expect(map.counts).toEqual({ red: 1, orange: 0, yellow: 0, green: 0, grey: 2 })
    expect((await other.refused('coord.buildingMap', { buildingId: 'b2' })).code).toBe('BUILDING.NOT_FOUND')
  })

  it('on the CloudBase adapter too: import, codes checked in batches of ≤ 100, reads ≤ 100', async () => {
    const db = new SdkDbEngine()
    const app = await makeApp({ store: openCloudbase(await openSdkDatabase(db)) })
    db.requests.length = 0
    const r = await app.as(DEMO_PEOPLE.coordinator).call('coord.importHouseholds', { csv: forty() })
    expect(r).toMatchObject({ created: 39, updated: 1 })
    expect((await app.store.register.listByBuilding('demo', 'b3', 1000)).length).toBe(39)
    expect(db.requests.filter((q) => q.op === 'get').every((q) => q.limit !== undefined && q.limit <= 100)).toBe(true)
  })
})

describe('coord.buildingMap', () => {
  it('colours, grey where no household, needs and open orders of the building only', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    await app.as(DEMO_PEOPLE.zhao).call('order.place', { requestId: 'map-order-0001', kind: 'garbage' })
    await app.as(DEMO_PEOPLE.zhao).call('order.place', { requestId: 'map-order-0002', kind: 'garbage', urgency: 'urgent', urgentReason: '药快吃完了' })
    await coord.call('coord.setHousehold', { id: 'h1-1-302', isolation: 'central_isolation', specialNeeds: ['独居老人'] })
    await coord.call('coord.setHousehold', { id: 'h1-1-202', isolation: 'health_monitoring', specialNeeds: [] })
    // A grey door: the register lacks 1号楼1单元401.
    const gone = (await app.store.households.get('h1-1-401'))!
    await app.store.households.put({ ...gone, buildingId: 'b9' })

    const map = await coord.call('coord.buildingMap', {})
    expect(map.building).toEqual({ id: 'b1', name: '1号楼' })
    expect(map.buildings.map((b) => b.id)).toEqual(['b1', 'b2'])
    expect(map.units.map((u) => u.unit)).toEqual([1, 2, 3])
    const u1 = map.units[0]!
    expect(u1.floors.map((f) => f.floor)).toEqual([6, 5, 4, 3, 2, 1])
    const cell = (floor: number, room: string) => u1.floors.find((f) => f.floor === floor)!.rooms.find((r) => r.room === room)!
    expect(cell(3, '301')).toMatchObject({ householdId: 'h1-1-301', colour: 'orange', orders: { open: 2, urgent: true, status: 'pending' } })
    expect(cell(3, '302')).toMatchObject({ colour: 'red', needs: ['老'], orders: null })
    expect(cell(2, '202').colour).toBe('yellow')
    expect(cell(4, '401')).toEqual({ room: '401', householdId: null, colour: 'grey', needs: [], orders: null })
    expect(map.counts).toEqual({ red: 1, orange: 5, yellow: 1, green: 28, grey: 1 })
    expect(map.openOrders).toBe(2)

    const b2 = await coord.call('coord.buildingMap', { buildingId: 'b2' })
    expect(b2.openOrders).toBe(0)
    expect((await coord.refused('coord.buildingMap', { buildingId: 'b7' })).code).toBe('BUILDING.NOT_FOUND')
  })
})

describe('coord.setHousehold: dates, headcount, sealed door', () => {
  it('sets and clears them; end before start changes nothing; old callers keep them', async () => {
    const app = await makeApp()
    const coord = app.as(DEMO_PEOPLE.coordinator)
    const row = await coord.call('coord.setHousehold', {
      id: 'h1-2-502',
      isolation: 'central_isolation',
      specialNeeds: ['低血糖'],
      startDate: '2022-04-10',
      endDate: '2022-04-24',
      headcount: 3,
      doorSealed: true,
    })
    expect(row).toMatchObject({ colour: 'red', startDate: '2022-04-10', endDate: '2022-04-24', headcount: 3, doorSealed: true })
    const r = await coord.refused('coord.setHousehold', { id: 'h1-2-502', isolation: 'none', specialNeeds: [], endDate: '2022-04-01' })
    expect(r.code).toBe('REQUEST.INVALID_INPUT')
    expect(r.fields).toEqual({ endDate: '结束日期不能早于开始日期' })
    expect((await coord.refused('coord.setHousehold', { id: 'h1-2-502', isolation: 'none', specialNeeds: [], headcount: 21 })).fields).toHaveProperty('headcount')
    expect((await coord.refused('coord.setHousehold', { id: 'h1-2-502', isolation: 'none', specialNeeds: [], startDate: '2022-02-30' })).fields).toHaveProperty('startDate')
    expect(await app.store.households.get('h1-2-502')).toMatchObject({ isolation: 'central_isolation', endDate: '2022-04-24' })
    const kept = await coord.call('coord.setHousehold', { id: 'h1-2-502', isolation: 'home_isolation', specialNeeds: [] })
    expect(kept).toMatchObject({ headcount: 3, doorSealed: true, startDate: '2022-04-10', endDate: '2022-04-24' })
    const cleared = await coord.call('coord.setHousehold', { id: 'h1-2-502', isolation: 'none', specialNeeds: [], startDate: null, endDate: null })
    expect(cleared).toMatchObject({ startDate: null, endDate: null, colour: 'green' })
    expect(await app.store.households.get('h1-2-502')).not.toHaveProperty('startDate')
  })
})
