/** Pure rules behind household.join's lockout and me.setPrefs. */
import { describe, expect, it } from 'vitest'
import {
  bucketOf,
  lockedMessage,
  lockedUntil,
  lockSince,
  windowFreesAt,
  windowSince,
} from '../../src/core/household/join-limit'
import { allowedViews, defaultView, effectivePrefs } from '../../src/core/prefs'

const MIN = 60_000
const T0 = Date.UTC(2026, 10, 22, 1, 0)

describe('join lockout arithmetic', () => {
  it('buckets by minute; the window is this bucket and the nine before it', () => {
    expect(bucketOf(T0 + 59_999)).toBe(T0)
    expect(bucketOf(T0 + MIN)).toBe(T0 + MIN)
    expect(windowSince(T0 + 9 * MIN + 30_000)).toBe(T0)
    expect(windowSince(T0 + 10 * MIN)).toBe(T0 + MIN)
  })

  it('a lock holds for exactly ten minutes from its stamp', () => {
    const locks = [{ bucket: T0 + 1234, count: 1 }]
    expect(lockedUntil(locks, T0 + 1234)).toBe(T0 + 1234 + 10 * MIN)
    expect(lockedUntil(locks, T0 + 1233 + 10 * MIN)).toBe(T0 + 1234 + 10 * MIN)
    expect(lockedUntil(locks, T0 + 1234 + 10 * MIN)).toBeNull()
    expect(lockSince(T0 + 1234 + 10 * MIN)).toBe(T0 + 1235)
    expect(lockedUntil([{ bucket: T0, count: 0 }], T0)).toBeNull()
    expect(lockedUntil([{ bucket: T0, count: 1 }, { bucket: T0 + 3 * MIN, count: 1 }], T0 + 4 * MIN)).toBe(T0 + 13 * MIN)
  })

  it('the window frees up as its oldest buckets leave it', () => {
    expect(windowFreesAt([{ bucket: T0, count: 5 }], T0)).toBe(T0 + 10 * MIN)
    const spread = [
      { bucket: T0, count: 1 },
      { bucket: T0 + MIN, count: 1 },
      { bucket: T0 + 2 * MIN, count: 4 },
    ]
    expect(windowFreesAt(spread, T0 + 2 * MIN)).toBe(T0 + 11 * MIN)
  })

  it('says how many minutes are left, rounded up', () => {
    expect(lockedMessage(T0 + 10 * MIN, T0)).toBe('输错次数太多，请10分钟后再试')
    expect(lockedMessage(T0 + 10 * MIN, T0 + 9 * MIN + 1)).toBe('输错次数太多，请1分钟后再试')
    expect(lockedMessage(T0 + 10 * MIN, T0 + 4 * MIN + 30_000)).toBe('输错次数太多，请6分钟后再试')
  })
})

describe('prefs', () => {
  const resident = { squadOf: null, coordinatorOf: null }
  const squad = { squadOf: 'demo', coordinatorOf: null }
  const both = { squadOf: 'demo', coordinatorOf: 'demo' }

  it('views follow roles; resident is always open; the default is the highest role', () => {
    expect(allowedViews(resident)).toEqual(['resident'])
    expect(allowedViews(squad)).toEqual(['resident', 'squad'])
    expect(allowedViews(both)).toEqual(['resident', 'squad', 'coordinator'])
    expect([defaultView(resident), defaultView(squad), defaultView(both)]).toEqual(['resident', 'squad', 'coordinator'])
  })

  it('fills in defaults and drops a view whose role is gone', () => {
    expect(effectivePrefs(undefined, squad)).toEqual({ largeText: false, view: 'squad' })
    expect(effectivePrefs({ largeText: true, view: 'resident' }, squad)).toEqual({ largeText: true, view: 'resident' })
    expect(effectivePrefs({ largeText: true, view: 'squad' }, resident)).toEqual({ largeText: true, view: 'resident' })
  })
})
