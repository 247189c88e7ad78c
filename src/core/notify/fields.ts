/**
 * Subscribe-message field values, formatted by the template field's type (the key without its
 * number: thing1 → thing). WeChat rejects the whole message (errcode 47003) when one value breaks
 * its type's rule, so every value is cut to fit instead:
 *
 *   thing             ≤ 20 characters, anything printable      → cut to 19 + '…'
 *   phrase            ≤ 5 汉字, nothing else                    → non-汉字 dropped, first 5 kept
 *   character_string  ≤ 32 letters, digits and symbols (ASCII) → others dropped, first 32 kept
 *   time              24-hour time, optionally with a date      → '2026年11月22日 14:05' (Beijing)
 *   date              a date, optionally with a time           → '2026年11月22日'
 *   name              ≤ 10 汉字, or ≤ 20 letters                → cut to fit
 *   number            ≤ 32 digits (a decimal point allowed)    → others dropped
 *   letter            ≤ 32 letters                             → others dropped
 *
 * Characters are counted as code points (an emoji is one character, not two UTF-16 units).
 */
import { formatBeijing } from '../time'
import type { SubscribeFields } from './types'

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g
const HAN = /\p{Script=Han}/u

const chars = (s: string): string[] => Array.from(s)

/** Control characters out, runs of whitespace to one space, trimmed. */
export function oneLine(s: string): string {
  return s.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim()
}

/** At most `max` characters; a cut string ends with '…' (which counts). */
export function truncateChars(s: string, max: number, ellipsis = '…'): string {
  const cs = chars(s)
  if (cs.length <= max) return s
  const keep = Math.max(0, max - chars(ellipsis).length)
  return cs.slice(0, keep).join('') + ellipsis
}

export function thingValue(s: string, fallback = '无'): string {
  const v = truncateChars(oneLine(s), 20)
  return v.length > 0 ? v : fallback
}

export function phraseValue(s: string, fallback = '通知'): string {
  const han = chars(s).filter((c) => HAN.test(c))
  return han.length > 0 ? han.slice(0, 5).join('') : fallback
}

export function characterStringValue(s: string, fallback = '-'): string {
  const v = chars(s)
    .filter((c) => /^[\x21-\x7e]$/.test(c))
    .slice(0, 32)
    .join('')
  return v.length > 0 ? v : fallback
}

export function timeValue(ms: number): string {
  return formatBeijing(ms, 'YYYY年M月D日 HH:mm')
}

export function dateValue(ms: number): string {
  return formatBeijing(ms, 'YYYY年M月D日')
}

export function nameValue(s: string, fallback = '社工'): string {
  const cs = chars(oneLine(s))
  const han = cs.filter((c) => HAN.test(c))
  if (han.length > 0) return han.slice(0, 10).join('')
  const letters = cs.filter((c) => /^[A-Za-z]$/.test(c))
  return letters.length > 0 ? letters.slice(0, 20).join('') : fallback
}

export function numberValue(s: string, fallback = '0'): string {
  const v = chars(s)
    .filter((c) => /^[0-9.]$/.test(c))
    .slice(0, 32)
    .join('')
  return v.length > 0 ? v : fallback
}

export function letterValue(s: string, fallback = 'A'): string {
  const v = chars(s)
    .filter((c) => /^[A-Za-z]$/.test(c))
    .slice(0, 32)
    .join('')
  return v.length > 0 ? v : fallback
}

/** 'thing12' → 'thing', 'character_string3' → 'character_string'. */
export function fieldType(key: string): string {
  return key.replace(/\d+$/, '')
}

/** Formats one value for a template field key (a time for time/date keys, text otherwise). */
export function formatField(key: string, value: string | number): string {
  const type = fieldType(key)
  const str = typeof value === 'number' ? timeValue(value) : value
  switch (type) {
    case 'time':
      return typeof value === 'number' ? timeValue(value) : truncateChars(oneLine(value), 20)
    case 'date':
      return typeof value === 'number' ? dateValue(value) : truncateChars(oneLine(value), 20)
    case 'phrase':
      return phraseValue(str)
    case 'character_string':
      return characterStringValue(str)
    case 'name':
      return nameValue(str)
    case 'number':
      return numberValue(str)
    case 'letter':
      return letterValue(str)
    case 'thing':
    default:
      return thingValue(str)
  }
}

/** Which template field each meaning goes to, e.g. { status: 'phrase1', time: 'time2' }. */
export type FieldMap = Partial<Record<keyof SubscribeFields, string>>

/** The `data` of subscribeMessage.send: { thing1: { value }, … } for the mapped meanings. */
export function templateData(map: FieldMap, fields: SubscribeFields): Record<string, { value: string }> {
  const out: Record<string, { value: string }> = {}
  for (const [meaning, key] of Object.entries(map) as [keyof SubscribeFields, string | undefined][]) {
    if (!key) continue
    out[key] = { value: formatField(key, fields[meaning]) }
  }
  return out
}

/** UTF-8 byte length. */
export function utf8Bytes(s: string): number {
  let n = 0
  for (const c of s) {
    const cp = c.codePointAt(0)!
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
  }
  return n
}

/** At most `max` UTF-8 bytes, cut on a character boundary, '…' appended when cut. */
export function truncateBytes(s: string, max: number, ellipsis = '…'): string {
  if (utf8Bytes(s) <= max) return s
  const budget = max - utf8Bytes(ellipsis)
  let n = 0
  let out = ''
  for (const c of s) {
    const b = utf8Bytes(c)
    if (n + b > budget) break
    n += b
    out += c
  }
  return out + ellipsis
}
