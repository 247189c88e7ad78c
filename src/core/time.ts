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

const DAY_MS = 24 * 3600_000

/**
 * 'YYYY-MM-DD' of the Beijing calendar day containing `ms`. Plain arithmetic on the fixed offset
 * (the same answer as dayjs, tests/core/time.test.ts): this runs several times in every order
 * change, and the dayjs objects were a visible share of the host's CPU under load. Anything a Date
 * cannot print as four-digit years (NaN, far past or future) goes through dayjs as before.
 */
export function beijingDate(ms: number): string {
  const wall = new Date(ms + BEIJING_OFFSET_MINUTES * 60_000)
  const year = wall.getUTCFullYear()
  if (!(year >= 1000 && year <= 9999)) return beijing(ms).format('YYYY-MM-DD')
  return wall.toISOString().slice(0, 10)
}

/** The Beijing date `days` after the one containing `ms` (whole days: UTC+8 has no DST). */
export function addBeijingDays(ms: number, days: number): string {
  return beijingDate(ms + days * DAY_MS)
}

/** Human format for UI and messages, 24-hour: '11-22 14:05'. */
export function formatBeijing(ms: number, pattern = 'MM-DD HH:mm'): string {
  return beijing(ms).format(pattern)
}
