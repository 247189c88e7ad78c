/**
 * core/time.ts: the Beijing calendar helpers, held to dayjs with the same fixed UTC+8 offset over
 * instants spread across two centuries, day boundaries on both sides, and values a Date cannot print.
 */
import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'
import { describe, expect, it } from 'vitest'
import { addBeijingDays, beijingDate, fromBeijing } from '../../src/core/time'

dayjs.extend(utc)
const viaDayjs = (ms: number, days = 0) => dayjs(ms).utcOffset(480).add(days, 'day').format('YYYY-MM-DD')

describe('Beijing dates', () => {
  it('agree with dayjs at UTC+8 for instants across two centuries', () => {
    let seed = 20261202
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const from = Date.UTC(1950, 0, 1)
    const to = Date.UTC(2150, 0, 1)
    for (let i = 0; i < 5000; i++) {
      const ms = Math.floor(from + rand() * (to - from))
      const days = Math.floor(rand() * 800) - 400
      expect(beijingDate(ms)).toBe(viaDayjs(ms))
      expect(addBeijingDays(ms, days)).toBe(viaDayjs(ms, days))
    }
  })

  it('turn over at Beijing midnight (16:00 UTC), not at UTC midnight', () => {
    const midnight = fromBeijing('2026-12-02', 0)
    expect(new Date(midnight).toISOString()).toBe('2026-12-01T16:00:00.000Z')
    expect(beijingDate(midnight - 1)).toBe('2026-12-01')
    expect(beijingDate(midnight)).toBe('2026-12-02')
    expect(beijingDate(Date.UTC(2026, 11, 2, 23, 59))).toBe('2026-12-03')
    expect(addBeijingDays(midnight - 1, 1)).toBe('2026-12-02')
    expect(addBeijingDays(Date.UTC(2024, 1, 28, 16), 1)).toBe('2024-03-01')
    expect(addBeijingDays(Date.UTC(2026, 11, 31, 16), -1)).toBe('2026-12-31')
  })

  it('answer as dayjs does where a Date cannot print the year', () => {
    for (const ms of [Number.NaN, Date.UTC(12000, 0, 1), Date.UTC(-500, 0, 1)]) expect(beijingDate(ms)).toBe(viaDayjs(ms))
  })
})
