/**
 * The local host's rate-limit windows in memory (adapters/memory-attempts.ts): the same AttemptRepo
 * contract as the store's attempts, a sweep that forgets only what no window can count again, and
 * the dispatcher counting there (not in the store) when Deps.rates is set.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { memoryAttempts, type MemoryAttempts } from '../../src/server/adapters/memory-attempts'
import { RATE_RULES, RATE_WINDOW_MAX_MS, rateBucket, rateKey, rateSince } from '../../src/core/rate-limit'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { attemptsContract } from '../store.contract'
import { makeApp, rid, T0 } from '../support/app'

describe('memory rate counters', () => {
  let repo: MemoryAttempts
  beforeEach(() => {
    repo = memoryAttempts()
  })

  attemptsContract(() => repo)

  it('sweep forgets buckets older than the instant given, keeps the rest, and drops empty keys', async () => {
    await repo.add('a', T0, 3, 0)
    await repo.add('a', T0 + 10_000, 2, 0)
    await repo.add('b', T0, 1, 0)
    expect(repo.size).toBe(2)
    expect(repo.sweep(T0 + 10_000)).toBe(2)
    expect(repo.size).toBe(1)
    expect(await repo.list('a', 0)).toEqual([{ bucket: T0 + 10_000, count: 2 }])
    expect(await repo.list('b', 0)).toEqual([])
  })

  it("the host's sweep horizon (twice the longest window) never drops a counter any rule still counts", async () => {
    for (const rule of RATE_RULES) {
      const key = rateKey(rule, 'p')
      // The oldest bucket still inside the window at `now`, swept at `now` as the host does.
      const now = T0 + 7 * 60_000 + 3_456
      const oldest = rateBucket(rule, rateSince(rule, now))
      const r = memoryAttempts()
      await r.add(key, oldest, 1, 0)
      r.sweep(now - 2 * RATE_WINDOW_MAX_MS)
      expect(await r.list(key, rateSince(rule, now))).toEqual([{ bucket: oldest, count: 1 }])
    }
  })

  it('with Deps.rates set, the dispatcher counts there and writes no rate counter to the store', async () => {
    const rates = memoryAttempts()
    const a = await makeApp({ rates })
    await a.as(DEMO_PEOPLE.zhao).call('order.place', { requestId: rid('mem'), kind: 'garbage' })
    const person = RATE_RULES.find((r) => r.id === 'person')!
    const key = rateKey(person, DEMO_PEOPLE.zhao)
    expect(await rates.list(key, 0)).toEqual([{ bucket: rateBucket(person, T0), count: 1 }])
    expect(await a.store.attempts.list(key, 0)).toEqual([])
  })
})
