/**
 * The household register as coordinators keep it: isolation status and special needs, chosen by
 * tapping (no typing), so the squad and the figures read the same words. Pure.
 *
 * Four statuses, each with the colour the building map draws (集中隔离 red, 居家隔离 orange,
 * 居家健康监测 yellow, 无/已解除 green). Stored values from before `central_isolation` existed stay valid.
 */
export const ISOLATION_STATUSES = ['central_isolation', 'home_isolation', 'health_monitoring', 'none'] as const
export type IsolationStatusName = (typeof ISOLATION_STATUSES)[number]

export function isolationLabel(s: IsolationStatusName): string {
  switch (s) {
    case 'central_isolation':
      return '集中隔离'
    case 'home_isolation':
      return '居家隔离'
    case 'health_monitoring':
      return '居家健康监测'
    case 'none':
      return '已解除'
    default: {
      const never: never = s
      return never
    }
  }
}

/** The four colours of the register; the map adds `grey` for a door with no household registered. */
export const STATUS_COLOURS = ['red', 'orange', 'yellow', 'green'] as const
export type StatusColour = (typeof STATUS_COLOURS)[number]
export type RoomColour = StatusColour | 'grey'

export function colourOf(s: IsolationStatusName): StatusColour {
  switch (s) {
    case 'central_isolation':
      return 'red'
    case 'home_isolation':
      return 'orange'
    case 'health_monitoring':
      return 'yellow'
    case 'none':
      return 'green'
    default: {
      const never: never = s
      return never
    }
  }
}

/** The legend's words for each colour. */
export function colourLabel(c: RoomColour): string {
  switch (c) {
    case 'red':
      return '集中隔离'
    case 'orange':
      return '居家隔离'
    case 'yellow':
      return '居家健康监测'
    case 'green':
      return '无/已解除'
    case 'grey':
      return '未登记'
    default: {
      const never: never = c
      return never
    }
  }
}

/**
 * A status from the words a spreadsheet carries (CSV import): the labels above, plus 无 and 已解除
 * for green and the short 健康监测. Null when unknown.
 */
export function isolationFromLabel(label: string): IsolationStatusName | null {
  switch (label.trim()) {
    case '集中隔离':
      return 'central_isolation'
    case '居家隔离':
      return 'home_isolation'
    case '居家健康监测':
    case '健康监测':
      return 'health_monitoring'
    case '无':
    case '已解除':
    case '无/已解除':
      return 'none'
    default:
      return null
  }
}

/** What the squad needs to know at the door, and what the coordinators plan meals and calls around. */
export const SPECIAL_NEEDS = ['独居老人', '没有智能手机', '行动不便', '慢性病', '低血糖', '不会做饭', '孕妇', '婴儿', '听力不好'] as const
export type SpecialNeed = (typeof SPECIAL_NEEDS)[number]

export const isSpecialNeed = (s: string): s is SpecialNeed => (SPECIAL_NEEDS as readonly string[]).includes(s)

/** One character per need, for the building map's cells (the legend spells them out). */
export function needShort(n: SpecialNeed): string {
  switch (n) {
    case '独居老人':
      return '老'
    case '没有智能手机':
      return '机'
    case '行动不便':
      return '行'
    case '慢性病':
      return '病'
    case '低血糖':
      return '糖'
    case '不会做饭':
      return '饭'
    case '孕妇':
      return '孕'
    case '婴儿':
      return '婴'
    case '听力不好':
      return '听'
    default: {
      const never: never = n
      return never
    }
  }
}

/** How many people live there: 1–20, 1 when not registered. */
export const MIN_HEADCOUNT = 1
export const MAX_HEADCOUNT = 20
export const DEFAULT_HEADCOUNT = 1

/** A calendar date 'YYYY-MM-DD' that exists (no 2022-02-30). */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1) return false
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate()
}
