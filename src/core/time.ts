/**
 * Beijing time as a fixed UTC+8 offset. China has no DST, and cloud functions run in UTC,
 * so every calendar rule ("lunch closes 10:00 today") goes through these helpers.
 * Instants are stored as epoch milliseconds (numbers): unambiguous in SQLite and the cloud database.
 */
import dayjs, { type Dayjs } from 'dayjs'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)

export const BEIJING_OFFSET_MINUTES = 8 * 60

/** An instant viewed on Beijing's wall clock. */
export function beijing(ms: number): Dayjs {
  return dayjs(ms).utcOffset(BEIJING_OFFSET_MINUTES)
}

/** Epoch ms of a Beijing wall-clock time: date 'YYYY-MM-DD', hh:mm. */
export function fromBeijing(date: string, hour: number, minute = 0): number {
  const [y, m, d] = date.split('-').map(Number)
  return Date.UTC(y!, m! - 1, d!, hour, minute) - BEIJING_OFFSET_MINUTES * 60_000
}

/** 'YYYY-MM-DD' of the Beijing calendar day containing `ms`. */
export function beijingDate(ms: number): string {
  return beijing(ms).format('YYYY-MM-DD')
}

/** The Beijing date `days` after the one containing `ms`. */
export function addBeijingDays(ms: number, days: number): string {
  return beijing(ms).add(days, 'day').format('YYYY-MM-DD')
}

/** Human format for UI and messages, 24-hour: '11-22 14:05'. */
export function formatBeijing(ms: number, pattern = 'MM-DD HH:mm'): string {
  return beijing(ms).format(pattern)
}
