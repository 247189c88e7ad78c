import { describe, expect, it } from 'vitest'
import { csvLine, decodeCsvBytes, parseCsv } from '../../src/core/household/csv'
import { floorOfRoom, IMPORT_HEADER, IMPORT_TEMPLATE, MAX_IMPORT_ROWS, parseImport, parsePhone, planImport } from '../../src/core/household/import'
import { buildMap } from '../../src/core/household/map'
import { colourOf, ISOLATION_STATUSES } from '../../src/core/household/register'

const file = (...rows: string[]) => [IMPORT_HEADER, ...rows].join('\r\n')

/** GBK bytes of a string, via the runtime's encoder table (TextDecoder knows GBK; build the reverse map). */
function gbkBytes(s: string): Uint8Array {
  const dec = new TextDecoder('gbk')
  const table = new Map<string, number[]>()
  for (let hi = 0x81; hi <= 0xfe; hi++)
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      const ch = dec.decode(new Uint8Array([hi, lo]))
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [hi, lo])
    }
  const out: number[] = []
  for (const ch of s) {
    const code = ch.charCodeAt(0)
    if (code < 0x80) out.push(code)
    else out.push(...table.get(ch)!)
  }
  return new Uint8Array(out)
}

describe('CSV parser', () => {
  it('quoted fields: commas, doubled quotes and line breaks inside quotes; CRLF and LF; no trailing record', () => {
    const recs = parseCsv('a,"b,c","say ""hi"""\r\n"line\nbreak",x,\n\nlast')
    expect(recs).toEqual([
      { row: 1, fields: ['a', 'b,c', 'say "hi"'] },
      { row: 2, fields: ['line\nbreak', 'x', ''] },
      { row: 3, fields: [''] },
      { row: 4, fields: ['last'] },
    ])
    expect(parseCsv('a,b\n')).toEqual([{ row: 1, fields: ['a', 'b'] }])
    expect(parseCsv('')).toEqual([])
  })

  it('csvLine quotes what needs quoting and parses back to the same fields', () => {
    const fields = ['1号楼', '独居老人,慢性病', '他说"好"', 'a\nb', '']
    expect(parseCsv(csvLine(fields))[0]!.fields).toEqual(fields)
  })

  it('UTF-8 with and without BOM, and GBK bytes, decode to the same text', () => {
    const text = file('1号楼,1,301,居家隔离,2022-04-10,2022-04-17,独居老人、没有智能手机,赵建国,13800000301')
    const utf8 = new TextEncoder().encode(text)
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8])
    const gbk = gbkBytes(text)
    expect(gbk.length).toBeLessThan(utf8.length) // really GBK: two bytes per Chinese character
    expect(decodeCsvBytes(utf8)).toEqual({ text, encoding: 'utf-8' })
    expect(decodeCsvBytes(bom)).toEqual({ text, encoding: 'utf-8' })
    expect(decodeCsvBytes(gbk)).toEqual({ text, encoding: 'gbk' })
    expect(parseImport(decodeCsvBytes(gbk).text)).toEqual(parseImport(text))
  })
})

describe('import rows', () => {
  it('the template parses: two good rows, floor from the room number, needs split, landline kept', () => {
    const r = parseImport(IMPORT_TEMPLATE)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.rows).toEqual([
      {
        line: 2,
        building: '1号楼',
        unit: 1,
        room: '301',
        floor: 3,
        isolation: 'home_isolation',
        startDate: '2022-04-10',
        endDate: '2022-04-17',
        specialNeeds: ['独居老人', '没有智能手机'],
        residentName: '赵建国',
        phone: '13800000301',
      },
      expect.objectContaining({ line: 3, building: '3号楼', unit: 2, room: '1201', floor: 12, isolation: 'health_monitoring', endDate: null, phone: '010-62345678' }),
    ])
  })

  it('floor from room: 301 → 3, 1201 → 12; not a room: 12, 300, abc', () => {
    expect(floorOfRoom('301')).toBe(3)
    expect(floorOfRoom('1201')).toBe(12)
    expect(floorOfRoom('12')).toBeNull()
    expect(floorOfRoom('300')).toBeNull()
    expect(floorOfRoom('abc')).toBeNull()
  })

  it('statuses by label, 无 and 已解除 both green; building 3 is 3号楼; 2单元 is 2; Excel dates 2022/4/9', () => {
    const r = parseImport(
      file(
        '3,2单元,101,集中隔离,2022/4/9,,,,',
        '3号楼,2,102,居家隔离,,,,,',
        '3号楼,2,103,居家健康监测,,,,,',
        '3号楼,2,104,无,,,,,',
        '3号楼,2,105,已解除,,,,,',
      ),
    )
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.rows.map((x) => colourOf(x.isolation))).toEqual(['red', 'orange', 'yellow', 'green', 'green'])
    expect(r.rows[0]).toMatchObject({ building: '3号楼', unit: 2, startDate: '2022-04-09' })
  })

  it('every bad row, each family with its line number and a Chinese reason; good rows are not listed', () => {
    const r = parseImport(
      file(
        '1号楼,1,301,居家隔离,,,,,13800000301', // 2: good
        '1号楼,1,302,隔离中,,,,,', // 3: unknown status
        '1号楼,x,303,居家隔离,,,,,', // 4: bad unit
        '1号楼,1,3a1,居家隔离,,,,,', // 5: bad room
        '1号楼,1,304,居家隔离,2022-02-30,,,,', // 6: bad date
        '1号楼,1,305,居家隔离,2022-04-10,2022-04-01,,,', // 7: end before start
        '1号楼,1,306,居家隔离,,,,,12345', // 8: bad phone
        '1号楼,1,301,居家隔离,,,,,', // 9: duplicate of line 2
        '1号楼,1,307,居家隔离,,,会飞,,', // 10: unknown need
        '',
        ',1,308,,,,,,', // 12: no building, no status (both named)
      ),
    )
    expect(r).toMatchObject({ ok: false, problem: 'rows' })
    if (r.ok || r.problem !== 'rows') return
    const reasons = Object.fromEntries(r.bad.map((b) => [b.line, b.reason]))
    expect(Object.keys(reasons).map(Number)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 12])
    expect(reasons[3]).toContain('隔离状态「隔离中」不认识')
    expect(reasons[4]).toContain('单元「x」')
    expect(reasons[5]).toContain('房号「3a1」')
    expect(reasons[6]).toContain('开始日期「2022-02-30」')
    expect(reasons[7]).toContain('结束日期2022-04-01早于开始日期2022-04-10')
    expect(reasons[8]).toContain('电话「12345」')
    expect(reasons[9]).toContain('和第2行重复了')
    expect(reasons[10]).toContain('特殊情况「会飞」')
    expect(reasons[12]).toMatch(/楼栋没有填；.*隔离状态没有填/)
  })

  it('phones: mobiles (with +86, spaces, dashes) and landlines; not 12 digits or 2xxxxxxxxxx', () => {
    expect(parsePhone('+86 138-0000-0301')).toBe('13800000301')
    expect(parsePhone('010-62345678')).toBe('010-62345678')
    expect(parsePhone('075512345678')).toBe('0755-12345678')
    expect(parsePhone('62345678')).toBe('62345678')
    expect(parsePhone('23800000301')).toBeNull()
    expect(parsePhone('138000003011')).toBeNull()
  })

  it('header missing a column, an empty file, and too many rows are refused as a whole', () => {
    expect(parseImport('楼栋,单元,房号\n1号楼,1,301')).toMatchObject({ ok: false, problem: 'header' })
    expect(parseImport('\r\n\r\n')).toEqual({ ok: false, problem: 'empty' })
    expect(parseImport(IMPORT_HEADER + '\r\n')).toEqual({ ok: false, problem: 'empty' })
    const many = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `9号楼,${(i % 90) + 1},${100 + Math.floor(i / 90) + 1},无,,,,,`)
    expect(parseImport(file(...many))).toEqual({ ok: false, problem: 'too_many', rows: MAX_IMPORT_ROWS + 1 })
  })

  it('columns are found by name, in any order, extra columns ignored', () => {
    const r = parseImport('备注,电话,联系人,特殊情况,结束日期,开始日期,隔离状态,房号,单元,楼栋\n随便,,,,,,居家隔离,502,2,1号楼')
    expect(r).toMatchObject({ ok: true, rows: [{ building: '1号楼', unit: 2, room: '502', floor: 5 }] })
  })
})

describe('import plan', () => {
  it('matches doors by building, unit and room; a new building gets b<n>/g<n> like the seed', () => {
    const r = parseImport(file('1号楼,1,301,无,,,,,', '1号楼,1,302,无,,,,,', '5号楼,1,101,无,,,,,', 'A座,1,101,无,,,,,'))
    if (!r.ok) throw new Error('bad')
    const plan = planImport(
      r.rows,
      [
        { id: 'b1', name: '1号楼', gridId: 'g1' },
        { id: 'b2', name: '2号楼', gridId: 'g2' },
      ],
      [{ id: 'h1-1-301', buildingId: 'b1', unit: 1, room: '301' }],
    )
    expect(plan.buildings).toEqual([
      { id: 'b1', name: '1号楼', gridId: 'g1', created: false },
      { id: 'b5', name: '5号楼', gridId: 'g5', created: true },
      { id: 'b3', name: 'A座', gridId: 'g3', created: true },
    ])
    expect(plan.rows.map((p) => [p.buildingId, p.existingId])).toEqual([
      ['b1', 'h1-1-301'],
      ['b1', null],
      ['b5', null],
      ['b3', null],
    ])
  })
})

describe('building map (pure)', () => {
  const h = (id: string, unit: number, room: string, isolation: (typeof ISOLATION_STATUSES)[number], specialNeeds: string[] = []) => ({
    id,
    unit,
    floor: Math.floor(Number(room) / 100),
    room,
    isolation,
    specialNeeds,
  })
  it('top floor first, grey where no household, needs as one character, the most urgent open order', () => {
    const m = buildMap(
      [h('a', 1, '301', 'central_isolation', ['独居老人', '低血糖']), h('b', 1, '102', 'none'), h('c', 2, '101', 'health_monitoring')],
      [
        { householdId: 'a', status: 'pending', urgency: 'normal', dueAt: 50 },
        { householdId: 'a', status: 'claimed', urgency: 'urgent', dueAt: 200 },
      ],
      100,
    )
    expect(m.units.map((u) => u.unit)).toEqual([1, 2])
    const u1 = m.units[0]!
    expect(u1.floors.map((f) => f.floor)).toEqual([3, 2, 1])
    expect(u1.floors.map((f) => f.rooms.map((r) => `${r.room}:${r.colour}`))).toEqual([
      ['301:red', '302:grey'],
      ['201:grey', '202:grey'],
      ['101:grey', '102:green'],
    ])
    expect(u1.floors[0]!.rooms[0]).toMatchObject({
      householdId: 'a',
      needs: ['老', '糖'],
      orders: { open: 2, status: 'claimed', statusLabel: '已接单', urgent: true, overdue: true },
    })
    expect(u1.floors[2]!.rooms[1]!.orders).toBeNull()
    expect(m.counts).toEqual({ red: 1, orange: 0, yellow: 1, green: 1, grey: 4 })
  })
})
