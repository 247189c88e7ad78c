/**
 * Privacy guard for group-chat texts (defence in depth). Group texts are BUILT from building and
 * unit only (texts.ts), never from rooms, names or phones; this guard additionally refuses any
 * text that contains, from the community's household register,
 *  - a resident's name (or surname + 先生/女士/…),
 *  - a phone number (the register's, or anything shaped like a mainland mobile number),
 *  - a room number in an address-like position (2单元301, 301室, 1-2-301, #301, 楼301),
 *  - a health-status word (阳性, 确诊, 密接, 发热, 发烧).
 * It reports only WHAT kind of data it found, never the value, so the report can be logged.
 */

export interface RegisterEntry {
  residentName: string
  phone: string
  room: string
}

export interface PrivacyIndex {
  names: string[]
  phones: string[]
  rooms: string[]
}

export type PrivateDataKind = 'name' | 'phone' | 'room' | 'health'

const HONORIFICS = ['先生', '女士', '小姐', '阿姨', '大爷', '大妈', '奶奶', '爷爷', '老人', '师傅']
const HEALTH_WORDS = ['阳性', '确诊', '密接', '发热', '发烧']
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/
/** Any unit + room, a room with 室/房, or a dashed address: generic, register or not. (户 is also a counter.) */
const GENERIC_ROOM = [/\d+\s*单元\s*\d{3,4}(?!\d)/, /(?<!\d)\d{3,4}\s*[室房]/, /(?<!\d)\d+-\d+-\d{3,4}(?!\d)/]

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export function privacyIndex(entries: readonly RegisterEntry[]): PrivacyIndex {
  const names = new Set<string>()
  const phones = new Set<string>()
  const rooms = new Set<string>()
  for (const e of entries) {
    const name = e.residentName.trim()
    if (name.length >= 2) names.add(name)
    const phone = e.phone.replace(/\D/g, '')
    if (phone.length >= 7) phones.add(phone)
    if (/^\d{3,4}$/.test(e.room)) rooms.add(e.room)
  }
  return { names: [...names], phones: [...phones], rooms: [...rooms] }
}

/** The first kind of personal data found in `text`, or null when it is safe for a group. */
export function findPrivateData(text: string, index: PrivacyIndex): PrivateDataKind | null {
  for (const name of index.names) {
    if (text.includes(name)) return 'name'
    const surname = Array.from(name)[0]!
    if (/\p{Script=Han}/u.test(surname) && HONORIFICS.some((h) => text.includes(surname + h))) return 'name'
  }
  const digits = text.replace(/[\s\-()（）]/g, '')
  if (MOBILE.test(digits)) return 'phone'
  for (const phone of index.phones) if (digits.includes(phone)) return 'phone'
  if (GENERIC_ROOM.some((re) => re.test(text))) return 'room'
  for (const room of index.rooms) {
    const r = escapeRe(room)
    if (new RegExp(`(?:单元|楼|-|#|＃|号)\\s*${r}(?!\\d)|(?<!\\d)${r}\\s*(?:室|房|号(?!楼))`).test(text)) return 'room'
  }
  if (HEALTH_WORDS.some((w) => text.includes(w))) return 'health'
  return null
}

export const PRIVATE_DATA_MESSAGE: Record<PrivateDataKind, string> = {
  name: '群消息里不能出现居民姓名',
  phone: '群消息里不能出现电话号码',
  room: '群消息里不能出现门牌号',
  health: '群消息里不能出现健康状况',
}
