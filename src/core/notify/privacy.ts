/**
 * Privacy guard for group-chat texts (defence in depth). Group texts are BUILT from building and
 * unit only (texts.ts), never from rooms, names or phones; this guard additionally refuses any
 * text that contains, from the community's household register,
 *  - a resident's name (or surname + 先生/女士/…),
 *  - a phone number (the register's, any mainland mobile, with or without +86/0086/86, or a
 *    landline with its area code),
 *  - a room number as a door (2单元301, 301室, 1-2-301, #301, 楼301, Room 301, and a registered
 *    room standing alone, see `isDoor`),
 *  - a health-status word (阳性, 确诊, 密接, 发热, 发烧).
 *
 * The same data written differently is caught too, because the text is normalised first
 * (`normaliseText`): NFKC (full-width digits and letters, ＃, compatibility ideographs), lower
 * case, invisible characters dropped, dash look-alikes → '-', traditional → simplified for the
 * characters of a small table (`T2S`), Chinese numerals → digits (一三八〇〇…, 五零二, 幺, 五百零二).
 * Each check then reads the view it needs: names and health words with separators removed
 * (张 女 士, 张·女士), phones with separators between digits removed (138 0013 8000, 138.0013.8000),
 * rooms with spaces between digits removed. Every normalised character remembers the span of the
 * original text it came from, so a finding points at what the user actually typed.
 *
 * It reports only WHAT kind of data it found (and where), never the value, so the report can be logged.
 */

export interface RegisterEntry {
  residentName: string
  phone: string
  room: string
}

/** Built by `privacyIndex`: names normalised as the guard reads text, phones and rooms as digits. */
export interface PrivacyIndex {
  names: string[]
  phones: string[]
  rooms: string[]
}

export type PrivateDataKind = 'name' | 'phone' | 'room' | 'health'

/** What was found and where: [start, end) in the ORIGINAL text (UTF-16 offsets). */
export interface PrivateDataFinding {
  kind: PrivateDataKind
  start: number
  end: number
}

const HONORIFICS = ['先生', '女士', '小姐', '阿姨', '大爷', '大妈', '奶奶', '爷爷', '老人', '师傅']
const HEALTH_WORDS = ['阳性', '确诊', '密接', '发热', '发烧']

// ---------------------------------------------------------------------------------------------
// Normalisation

/**
 * Traditional → simplified, as pairs, for the characters the guard matches on: the common surnames
 * (百家姓 top 100 that differ), the given-name characters of the demo register and common given-name
 * characters, and the guard's own words (号/楼/户, honorifics, health words, counters). A compact
 * table, not a converter: no conversion library is installed (opencc-js is not a dependency), so a
 * traditional character outside this table stays as it is and a name written with it is not caught.
 */
const T2S_PAIRS =
  // surnames
  '張张劉刘陳陈楊杨黃黄趙赵吳吴孫孙馬马羅罗鄭郑謝谢許许韓韩馮冯鄧邓蕭萧蔣蒋葉叶蘇苏呂吕盧卢鍾钟鐘钟譚谭' +
  '陸陆賈贾韋韦鄒邹閻阎閆闫龍龙賀贺顧顾龔龚萬万錢钱嚴严湯汤魯鲁溫温鄔邬聶聂歐欧陽阳莊庄齊齐喬乔賴赖' +
  '龐庞婁娄關关駱骆簡简費费紀纪單单華华饒饶鄺邝' +
  // given-name characters (the demo register and people, then common ones)
  '國国麗丽強强傑杰偉伟靜静紅红門门軍军東东豔艳艷艳鳳凤蘭兰雲云鵬鹏輝辉濤涛飛飞穎颖剛刚慶庆興兴義义' +
  '鳴鸣潔洁寶宝貴贵順顺榮荣書书雙双聰聪誠诚瑩莹蓮莲鴻鸿嬌娇儀仪' +
  // the guard's words: doors, honorifics, health, counters
  '號号樓楼戶户棟栋層层爺爷媽妈師师確确診诊發发熱热燒烧兩两個个隻只條条塊块點点時时週周歲岁間间'

const T2S: ReadonlyMap<string, string> = (() => {
  const chars = Array.from(T2S_PAIRS)
  const m = new Map<string, string>()
  for (let i = 0; i + 1 < chars.length; i += 2) m.set(chars[i]!, chars[i + 1]!)
  return m
})()

const CN_DIGITS: Readonly<Record<string, number>> = {
  〇: 0, '○': 0, 零: 0, 一: 1, 幺: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
}
const CN_UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 }

/** Zero-width and format characters, variation selectors: dropped. */
const INVISIBLE = /^[\p{Cf}\u{FE00}-\u{FE0F}]$/u
/** Hyphen and dash look-alikes NFKC keeps: read as '-'. */
const DASHES = /^[\u2010-\u2015\u2212\u2E3A\u2E3B\u30FC\uFE58\uFE63]$/u

/** A normalised text: `start[i]`/`end[i]` are the span of the original text `text[i]` came from. */
export interface NormalisedText {
  text: string
  start: number[]
  end: number[]
}

/** A run of Chinese numerals with 十/百/千 as a number ('五百零二' → 502, '十二' → 12), or null. */
function positional(run: readonly string[]): number | null {
  let total = 0
  let pending = -1
  let lastUnit = 10_000
  let zero = false
  for (const ch of run) {
    const unit = CN_UNITS[ch]
    if (unit !== undefined) {
      if (unit >= lastUnit) return null
      const n = pending === -1 ? (unit === 10 && lastUnit === 10_000 ? 1 : -1) : pending
      if (n <= 0) return null
      total += n * unit
      lastUnit = unit
      pending = -1
      zero = false
    } else {
      const d = CN_DIGITS[ch]!
      if (pending !== -1) return null
      if (d === 0) {
        if (lastUnit === 10_000) return null
        zero = true
      } else pending = d
    }
  }
  // A digit after the last unit: '五百零二' is 502, '五百二' is 520 (said that way), '十二' is 12.
  if (pending !== -1) total += zero || lastUnit === 10 ? pending : pending * (lastUnit / 10)
  return total
}

/** Text as the guard reads it: see the file comment. Idempotent. */
export function normaliseText(text: string): NormalisedText {
  const chars: string[] = []
  const start: number[] = []
  const end: number[] = []
  let at = 0
  for (const cp of text) {
    const from = at
    at += cp.length
    if (INVISIBLE.test(cp)) continue
    for (let c of cp.normalize('NFKC').toLowerCase()) {
      c = T2S.get(c) ?? (DASHES.test(c) ? '-' : c)
      for (let k = 0; k < c.length; k++) {
        chars.push(c[k]!)
        start.push(from)
        end.push(at)
      }
    }
  }
  // Chinese numerals → digits, one run at a time.
  const outChars: string[] = []
  const outStart: number[] = []
  const outEnd: number[] = []
  const push = (s: string, from: number, to: number) => {
    for (const c of s) {
      outChars.push(c)
      outStart.push(from)
      outEnd.push(to)
    }
  }
  for (let i = 0; i < chars.length; ) {
    const c = chars[i]!
    if (CN_DIGITS[c] === undefined && CN_UNITS[c] === undefined) {
      push(c, start[i]!, end[i]!)
      i++
      continue
    }
    let j = i
    while (j < chars.length && (CN_DIGITS[chars[j]!] !== undefined || CN_UNITS[chars[j]!] !== undefined)) j++
    const run = chars.slice(i, j)
    const hasDigit = run.some((r) => CN_DIGITS[r] !== undefined)
    const hasUnit = run.some((r) => CN_UNITS[r] !== undefined)
    const value = hasDigit && hasUnit ? positional(run) : null
    if (value !== null) push(String(value), start[i]!, end[j - 1]!)
    else
      for (let k = i; k < j; k++) {
        // 两 counts only before a unit (两百 → 200): alone it is also a weight (三两 stays 3两).
        const r = run[k - i]!
        push(CN_DIGITS[r] !== undefined && r !== '两' ? String(CN_DIGITS[r]) : r, start[k]!, end[k]!)
      }
    i = j
  }
  return { text: outChars.join(''), start: outStart, end: outEnd }
}

/** The same text without the characters `drop` marks (spans kept). */
function without(n: NormalisedText, drop: (i: number) => boolean): NormalisedText {
  const out: NormalisedText = { text: '', start: [], end: [] }
  const chars: string[] = []
  for (let i = 0; i < n.text.length; i++) {
    if (drop(i)) continue
    chars.push(n.text[i]!)
    out.start.push(n.start[i]!)
    out.end.push(n.end[i]!)
  }
  out.text = chars.join('')
  return out
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9'

/** Runs of `sep` characters with a digit on both sides removed: '138 0013 8000' → '13800138000'. */
function joinDigits(n: NormalisedText, sep: RegExp): NormalisedText {
  const drop = new Set<number>()
  const t = n.text
  for (let i = 0; i < t.length; i++) {
    if (!isDigit(t[i]) || !sep.test(t[i + 1] ?? '')) continue
    let j = i + 1
    while (j < t.length && sep.test(t[j]!)) j++
    if (isDigit(t[j])) for (let k = i + 1; k < j; k++) drop.add(k)
    i = j - 1
  }
  return without(n, (i) => drop.has(i))
}

/**
 * Names and health words are read with spaces, symbols and punctuation between characters removed
 * (张 女 士, 张·女士, 阳-性), except the clause and sentence marks that really separate words
 * (，。、；：！？ and line breaks), so '出发，热水' does not read as 发热.
 */
const KEPT_MARKS = new Set([',', '。', '、', ';', ':', '!', '?', '\n'])
const compact = (n: NormalisedText) => without(n, (i) => /[\s\p{P}\p{S}]/u.test(n.text[i]!) && !KEPT_MARKS.has(n.text[i]!))

const PHONE_SEPARATORS = /^[\s.\-_·•/()[\]]$/u
const ROOM_SEPARATORS = /^[\s·_]$/u

const span = (n: NormalisedText, at: number, length: number) => ({ start: n.start[at]!, end: n.end[at + Math.max(1, length) - 1]! })

// ---------------------------------------------------------------------------------------------
// Phones

/** A mainland mobile, alone or after +86 / 0086 / 86. */
const MOBILE = /(?<!\d)(?:(?:\+|00)?86)?1[3-9]\d{9}(?!\d)/
/** A landline with its area code: 0 + area (2–3 digits) + number (7–8 digits), or +86/0086 without the 0. */
const LANDLINE = /(?<!\d)(?:0|(?:\+|00)86)[1-9]\d{8,10}(?!\d)/

function registerPhone(raw: string): string {
  const digits = raw.replace(/\D/g, '')
  const mobile = /^(?:00)?86(1[3-9]\d{9})$/.exec(digits)
  return mobile ? mobile[1]! : digits
}

// ---------------------------------------------------------------------------------------------
// Rooms

/** Any unit + room, a room with 室/房, a dashed address, Room/Rm + number: generic, register or not. */
const GENERIC_ROOM = [
  /\d+\s*单元\s*[-#]?\s*\d{3,4}(?!\d)/,
  /(?<!\d)\d{3,4}\s*[室房]/,
  /(?<!\d)\d+\s*-\s*\d+\s*-\s*\d{3,4}(?!\d)/,
  /(?<![a-z])(?:room|rm)\s*[.#:]?\s*\d{3,4}(?!\d)/,
  /(?:门牌|房号|房间号)\s*[:：]?\s*\d{3,4}(?!\d)/,
]

/** Words right before a number that make it a door: 单元502, 3号楼502, 3栋502, #502, Room 502, rm502, No.502. */
const DOOR_BEFORE = /(?:单元|楼|栋|幢|座|层|号|门牌|-|#|(?<![a-z])(?:room|rm|apt|no)\.?)\s*$/
/** Words right after a number that make it a door: 502室, 502房, 502号 (not 502号楼), 502门口. */
const DOOR_AFTER = /^\s*(?:室|房|号(?!楼)|门)/
/** A number that is part of a time, a date or a decimal: 10:30, 11/22, 3.502, 502-2. */
const PART_BEFORE = /\d[.:/]$/
const PART_AFTER = /^[.:/-]\d/
/** A count, not a door: 共/已/送达/了 … + number. */
const COUNT_BEFORE = /(?:共|有|已|达|了|约|计|近|超过|余|剩|总|覆盖|完成|另|还)\s*$/
/** A counter or unit after the number: 502单, 60斤, 120人, 2026年 … (户 is not one: 502户 reads as a door). */
const COUNTER_AFTER =
  /^\s*(?:单|份|斤|公斤|千克|克|个|件|袋|箱|盒|瓶|包|桶|罐|只|条|张|把|支|台|辆|人|名|位|次|遍|元|块|角|毛|分|秒|小时|天|日|号楼|栋|幢|月|年|周|点|时|米|层|倍|岁|度|℃|%|‰|万|千|百|kg|g|ml|l|km|m|cm|mm)/

/**
 * Whether the registered room number at [at, at+len) of `t` is a door. Decided in this order:
 *  1. after 单元/楼/栋/号/-/#/Room/Rm/No. → a door (3号楼502, #502, Room 502);
 *  2. part of a time, date or decimal (10:30, 3.502) → not a door;
 *  3. followed by 室/房/号/门 → a door (502室, 502号, 502门口);
 *  4. after a count word (共, 已, 送达, 了 …) → a count, not a door (已送达102户, 送了502单);
 *  5. followed by a counter (单, 斤, 人, 元, 年 …) → not a door (502单, 2026年);
 *  6. otherwise, standing alone, it is a door: '502的居民', '请502户以外的居民', '请502、601下楼'.
 */
function isDoor(t: string, at: number, len: number): boolean {
  const before = t.slice(Math.max(0, at - 12), at)
  const after = t.slice(at + len, at + len + 8)
  if (DOOR_BEFORE.test(before)) return true
  if (PART_BEFORE.test(before) || PART_AFTER.test(after)) return false
  if (DOOR_AFTER.test(after)) return true
  if (COUNT_BEFORE.test(before)) return false
  if (COUNTER_AFTER.test(after)) return false
  return true
}

// ---------------------------------------------------------------------------------------------
// The guard

export function privacyIndex(entries: readonly RegisterEntry[]): PrivacyIndex {
  const names = new Set<string>()
  const phones = new Set<string>()
  const rooms = new Set<string>()
  for (const e of entries) {
    const name = compact(normaliseText(e.residentName.trim())).text.replace(/[,。、;:!?\n]/g, '')
    if (Array.from(name).length >= 2) names.add(name)
    const phone = registerPhone(e.phone)
    if (phone.length >= 7) phones.add(phone)
    const room = normaliseText(e.room.trim()).text
    if (/^\d{3,4}$/.test(room)) rooms.add(room)
  }
  return { names: [...names], phones: [...phones], rooms: [...rooms] }
}

/** The first personal data found in `text` and where it is, or null when it is safe for a group. */
export function locatePrivateData(text: string, index: PrivacyIndex): PrivateDataFinding | null {
  const norm = normaliseText(text)
  const words = compact(norm)

  for (const name of index.names) {
    const at = words.text.indexOf(name)
    if (at >= 0) return { kind: 'name', ...span(words, at, name.length) }
    const surname = Array.from(name)[0]!
    if (!/\p{Script=Han}/u.test(surname)) continue
    for (const h of HONORIFICS) {
      const hit = words.text.indexOf(surname + h)
      if (hit >= 0) return { kind: 'name', ...span(words, hit, surname.length + h.length) }
    }
  }

  const digits = joinDigits(norm, PHONE_SEPARATORS)
  for (const re of [MOBILE, LANDLINE]) {
    const m = re.exec(digits.text)
    if (m) return { kind: 'phone', ...span(digits, m.index, m[0].length) }
  }
  for (const phone of index.phones) {
    const at = digits.text.indexOf(phone)
    if (at >= 0) return { kind: 'phone', ...span(digits, at, phone.length) }
  }

  const doors = joinDigits(norm, ROOM_SEPARATORS)
  for (const re of GENERIC_ROOM) {
    const m = re.exec(doors.text)
    if (m) return { kind: 'room', ...span(doors, m.index, m[0].length) }
  }
  if (index.rooms.length) {
    const rooms = new Set(index.rooms)
    for (const m of doors.text.matchAll(/(?<!\d)\d{3,4}(?!\d)/g)) {
      if (rooms.has(m[0]) && isDoor(doors.text, m.index!, m[0].length)) return { kind: 'room', ...span(doors, m.index!, m[0].length) }
    }
  }

  for (const w of HEALTH_WORDS) {
    const at = words.text.indexOf(w)
    if (at >= 0) return { kind: 'health', ...span(words, at, w.length) }
  }
  return null
}

/** The first kind of personal data found in `text`, or null when it is safe for a group. */
export function findPrivateData(text: string, index: PrivacyIndex): PrivateDataKind | null {
  return locatePrivateData(text, index)?.kind ?? null
}

export const PRIVATE_DATA_MESSAGE: Record<PrivateDataKind, string> = {
  name: '群消息里不能出现居民姓名',
  phone: '群消息里不能出现电话号码',
  room: '群消息里不能出现门牌号',
  health: '群消息里不能出现健康状况',
}
