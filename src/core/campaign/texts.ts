/**
 * Campaign texts: the resident's card line, the share title and the group notice. Built from the
 * item, quantity, buildings and times only: never a name, door or phone (the notice still passes
 * the privacy guard on the server, through notify.announcement).
 */
import { beijingDate } from '../time'

const qty = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1))

/** '白菜 60斤/户' */
export const perHousehold = (c: { item: string; qtyPerHousehold: number; unit: string }) => `${c.item} ${qty(c.qtyPerHousehold)}${c.unit}/户`

/** '今天' / '明天' / '11-23' for the campaign's date, seen at `now`. */
export function dayLabel(date: string, now: number): string {
  if (date === beijingDate(now)) return '今天'
  if (date === beijingDate(now + 24 * 60 * 60_000)) return '明天'
  // '12-05' reads as a date on its own, but runs into a time after it ('12-0514:00'): say 12月5日.
  const [, m, d] = date.split('-')
  return `${Number(m)}月${Number(d)}日`
}

type CardInput = { item: string; qtyPerHousehold: number; unit: string; date: string; slot: string | null }

/** The card's two halves, what and when: ['社区发放：白菜 60斤/户，', '今天 14:00-15:00 送到门口']. */
export function cardParts(c: CardInput, now: number): [string, string] {
  const when = c.slot ? `${dayLabel(c.date, now)} ${c.slot} ` : dayLabel(c.date, now)
  return [`社区发放：${perHousehold(c)}，`, `${when}送到门口`]
}

/** '社区发放：白菜 60斤/户，今天 14:00-15:00 送到门口' */
export const cardLine = (c: CardInput, now: number): string => cardParts(c, now).join('')

/** The weapp share card's title: item and quantity only. */
export const shareTitle = (c: { item: string; qtyPerHousehold: number; unit: string }) => `社区发放：${perHousehold(c)}`

/** 复制群通知: a paste-ready notice for the buildings' groups. */
export function groupNotice(
  c: { title: string; item: string; qtyPerHousehold: number; unit: string; date: string; slot: { start: string } | null },
  buildingNames: readonly string[],
  now: number,
): string {
  const when = c.slot ? `${dayLabel(c.date, now)}${c.slot.start}起按单元依次` : dayLabel(c.date, now)
  return [
    `【${c.title}】`,
    `${buildingNames.join('、')}每户${c.item}${qty(c.qtyPerHousehold)}${c.unit}，${when}送到门口，请留意敲门。`,
    '不需要的住户请在宅家送首页点“不需要”，谢谢配合。',
  ].join('\n')
}
