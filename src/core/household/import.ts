/**
 * The register's CSV import, pure: the header, each row's rules with a Chinese reason per problem,
 * and the plan (which rooms are new, which are updated, which buildings must be created). The use
 * case (server/usecases/register-import.ts) reads the store, calls these, and writes only when
 * every row is good: one bad row imports nothing, and the answer lists every bad row.
 */
import { csvLine, parseCsv } from './csv'
import { isIsoDate, isolationFromLabel, isSpecialNeed, SPECIAL_NEEDS, type IsolationStatusName, type SpecialNeed } from './register'

export const IMPORT_COLUMNS = ['楼栋', '单元', '房号', '隔离状态', '开始日期', '结束日期', '特殊情况', '联系人', '电话'] as const
export type ImportColumn = (typeof IMPORT_COLUMNS)[number]
export const IMPORT_HEADER = IMPORT_COLUMNS.join(',')
/** Data rows in one file (the header not counted). */
export const MAX_IMPORT_ROWS = 5000

/** The template a coordinator downloads: the header and two example rows. */
export const IMPORT_TEMPLATE =
  [
    IMPORT_HEADER,
    csvLine(['1号楼', '1', '301', '居家隔离', '2022-04-10', '2022-04-17', '独居老人;没有智能手机', '赵建国', '13800000301']),
    csvLine(['3号楼', '2', '1201', '居家健康监测', '2022-04-12', '', '', '钱芳', '010-62345678']),
  ].join('\r\n') + '\r\n'

export interface ImportRow {
  /** The row as Excel numbers it (1 = the header). */
  line: number
  building: string
  unit: number
  room: string
  floor: number
  isolation: IsolationStatusName
  startDate: string | null
  endDate: string | null
  specialNeeds: SpecialNeed[]
  residentName: string
  phone: string
}

export interface BadLine {
  line: number
  reason: string
}

export type ParsedImport =
  | { ok: true; rows: ImportRow[] }
  | { ok: false; problem: 'empty' }
  | { ok: false; problem: 'header'; reason: string }
  | { ok: false; problem: 'too_many'; rows: number }
  | { ok: false; problem: 'rows'; bad: BadLine[] }

/** Full-width digits and letters to ASCII (Excel users type both). */
const halfWidth = (s: string) => s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ')

/** '3' and '3号楼' are the same building; other names ('A座') stay as written. */
export function normalizeBuilding(s: string): string {
  const t = halfWidth(s).replace(/\s+/g, '')
  return /^\d{1,3}$/.test(t) ? `${Number(t)}号楼` : /^\d{1,3}号楼$/.test(t) ? `${Number(t.slice(0, -2))}号楼` : t
}

/** '2' or '2单元' → 2 (1–99); null when it is neither. */
export function parseUnit(s: string): number | null {
  const m = /^(\d{1,2})(单元)?$/.exec(halfWidth(s).replace(/\s+/g, ''))
  const n = m ? Number(m[1]) : NaN
  return n >= 1 && n <= 99 ? n : null
}

/** A room number is floor then two digits: 301 → floor 3, 1201 → floor 12. Null when it is not one. */
export function floorOfRoom(room: string): number | null {
  const m = /^(\d{1,2})(\d{2})$/.exec(room)
  if (!m || m[2] === '00') return null
  const floor = Number(m[1])
  return floor >= 1 ? floor : null
}

/** 'YYYY-MM-DD', also 'YYYY/M/D' (how Excel shows dates on Chinese Windows) → 'YYYY-MM-DD'; null when not a date. */
export function parseDate(s: string): string | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(halfWidth(s).trim())
  if (!m) return null
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`
  return isIsoDate(iso) ? iso : null
}

/** A mainland mobile (1[3-9] and 9 digits, +86 dropped) or a landline (0 + area code, 7–8 digits; or 7–8 digits). */
export function parsePhone(s: string): string | null {
  const t = halfWidth(s).replace(/[\s()（）]/g, '')
  const mobile = t.replace(/-/g, '').replace(/^\+?86(?=1\d{10}$)/, '')
  if (/^1[3-9]\d{9}$/.test(mobile)) return mobile
  const land = /^(0\d{2,3})-?(\d{7,8})$/.exec(t)
  if (land) return `${land[1]}-${land[2]}`
  if (/^\d{7,8}$/.test(t)) return t
  return null
}

/** Needs separated by ; ； 、 (and spaces around them). */
export function splitNeeds(s: string): string[] {
  return s
    .split(/[;；、]/)
    .map((x) => x.trim())
    .filter((x) => x.length > 0)
}

const doorKey = (building: string, unit: number, room: string) => `${building}|${unit}|${room}`

/** Header → column index per name; extra columns are ignored, a missing one is the reason. */
function readHeader(fields: readonly string[]): { ok: true; at: Record<ImportColumn, number> } | { ok: false; reason: string } {
  const names = fields.map((f) => f.trim())
  const missing = IMPORT_COLUMNS.filter((c) => !names.includes(c))
  if (missing.length > 0) {
    return { ok: false, reason: `第1行应是表头「${IMPORT_HEADER}」，缺少：${missing.join('、')}。请下载模板对照` }
  }
  const at = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<ImportColumn, number>
  return { ok: true, at }
}

/** Every problem of one row, in column order. */
function readRow(fields: readonly string[], at: Record<ImportColumn, number>, line: number): { row: ImportRow | null; problems: string[] } {
  const cell = (c: ImportColumn) => (fields[at[c]] ?? '').trim()
  const problems: string[] = []

  const building = normalizeBuilding(cell('楼栋'))
  if (!building) problems.push('楼栋没有填')
  else if (building.length > 20) problems.push('楼栋名称不能超过20个字')

  const unitText = cell('单元')
  const unit = parseUnit(unitText)
  if (!unitText) problems.push('单元没有填')
  else if (unit === null) problems.push(`单元「${unitText}」应是1到99的数字`)

  const room = halfWidth(cell('房号')).replace(/\s+/g, '').replace(/室$/, '')
  const floor = floorOfRoom(room)
  if (!room) problems.push('房号没有填')
  else if (floor === null) problems.push(`房号「${room}」应是楼层加两位房号，比如301、1201`)

  const statusText = cell('隔离状态')
  const isolation = isolationFromLabel(statusText)
  if (!statusText) problems.push('隔离状态没有填')
  else if (isolation === null) problems.push(`隔离状态「${statusText}」不认识，请填集中隔离、居家隔离、居家健康监测、无或已解除`)

  const date = (c: '开始日期' | '结束日期') => {
    const t = cell(c)
    if (!t) return null
    const d = parseDate(t)
    if (d === null) problems.push(`${c}「${t}」应写成 年-月-日，比如2022-04-10`)
    return d
  }
  const startDate = date('开始日期')
  const endDate = date('结束日期')
  if (startDate && endDate && endDate < startDate) problems.push(`结束日期${endDate}早于开始日期${startDate}`)

  const needs = splitNeeds(cell('特殊情况'))
  const unknown = needs.filter((n) => !isSpecialNeed(n))
  if (unknown.length > 0) problems.push(`特殊情况「${unknown.join('、')}」不在列表里（可填：${SPECIAL_NEEDS.join('、')}）`)

  const residentName = cell('联系人')
  if (residentName.length > 20) problems.push('联系人不能超过20个字')

  const phoneText = cell('电话')
  const phone = phoneText ? parsePhone(phoneText) : ''
  if (phone === null) problems.push(`电话「${phoneText}」不对，应是11位手机号或带区号的座机`)

  if (problems.length > 0 || unit === null || floor === null || isolation === null || phone === null) return { row: null, problems }
  return {
    row: {
      line,
      building,
      unit,
      room,
      floor,
      isolation,
      startDate,
      endDate,
      specialNeeds: [...new Set(needs.filter(isSpecialNeed))],
      residentName,
      phone,
    },
    problems,
  }
}

/**
 * The whole file: header, row count, every row, duplicates within the file. Blank rows are skipped
 * (they keep their number, so later rows are named as Excel shows them).
 */
export function parseImport(text: string): ParsedImport {
  const records = parseCsv(text)
  const isBlank = (fields: readonly string[]) => fields.every((f) => f.trim() === '')
  const first = records.findIndex((r) => !isBlank(r.fields))
  if (first < 0) return { ok: false, problem: 'empty' }
  const header = readHeader(records[first]!.fields)
  if (!header.ok) return { ok: false, problem: 'header', reason: header.reason }
  const data = records.slice(first + 1).filter((r) => !isBlank(r.fields))
  if (data.length === 0) return { ok: false, problem: 'empty' }
  if (data.length > MAX_IMPORT_ROWS) return { ok: false, problem: 'too_many', rows: data.length }

  const rows: ImportRow[] = []
  const bad: BadLine[] = []
  const seen = new Map<string, number>()
  for (const r of data) {
    const { row, problems } = readRow(r.fields, header.at, r.row)
    if (row) {
      const key = doorKey(row.building, row.unit, row.room)
      const earlier = seen.get(key)
      if (earlier !== undefined) problems.push(`${row.building}${row.unit}单元${row.room}和第${earlier}行重复了`)
      else seen.set(key, r.row)
    }
    if (problems.length > 0) bad.push({ line: r.row, reason: problems.join('；') })
    else if (row) rows.push(row)
  }
  return bad.length > 0 ? { ok: false, problem: 'rows', bad } : { ok: true, rows }
}

/** The register as the plan needs it: a community's buildings and its households' doors. */
export interface ExistingDoor {
  id: string
  buildingId: string
  unit: number
  room: string
}

export interface PlannedBuilding {
  id: string
  name: string
  gridId: string
  created: boolean
}

export interface ImportPlan {
  /** Every building a row names, in the order first named, with the id it has or will have. */
  buildings: PlannedBuilding[]
  rows: { row: ImportRow; buildingId: string; existingId: string | null }[]
}

/**
 * Matches rows to buildings (by name) and doors (building, unit, room). A building not yet in the
 * community gets the seed's scheme: id `b<n>`, grid `g<n>`, n = its number when it is 'N号楼' and
 * free, else the next free number.
 */
export function planImport(
  rows: readonly ImportRow[],
  buildings: readonly { id: string; name: string; gridId: string }[],
  doors: readonly ExistingDoor[],
): ImportPlan {
  const byName = new Map<string, PlannedBuilding>(buildings.map((b) => [b.name, { ...b, created: false }]))
  const usedIds = new Set(buildings.map((b) => b.id))
  const usedGrids = new Set(buildings.map((b) => b.gridId))
  const numberOf = (id: string) => (/^b(\d+)$/.exec(id) ? Number(id.slice(1)) : 0)
  let next = Math.max(0, ...buildings.map((b) => numberOf(b.id))) + 1
  const planned: PlannedBuilding[] = []
  const building = (name: string): PlannedBuilding => {
    const known = byName.get(name)
    if (known) {
      if (!planned.includes(known)) planned.push(known)
      return known
    }
    const own = /^(\d+)号楼$/.exec(name)
    let n = own && !usedIds.has(`b${own[1]}`) && !usedGrids.has(`g${own[1]}`) ? Number(own[1]) : 0
    if (!n) {
      while (usedIds.has(`b${next}`) || usedGrids.has(`g${next}`)) next++
      n = next
    }
    const b: PlannedBuilding = { id: `b${n}`, name, gridId: `g${n}`, created: true }
    usedIds.add(b.id)
    usedGrids.add(b.gridId)
    byName.set(name, b)
    planned.push(b)
    return b
  }
  const doorIds = new Map(doors.map((d) => [`${d.buildingId}|${d.unit}|${d.room}`, d.id]))
  return {
    buildings: planned,
    rows: rows.map((row) => {
      const b = building(row.building)
      return { row, buildingId: b.id, existingId: doorIds.get(`${b.id}|${row.unit}|${row.room}`) ?? null }
    }),
  }
}
