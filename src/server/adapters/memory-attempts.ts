/**
 * An AttemptRepo in this process's memory: the local host's rate-limit windows (Deps.rates).
 *
 * The host is one process, so a counter in memory is exact while it runs, and costs nothing to
 * write; in SQLite the two rate rules cost two upserts and two reads per mutation, the largest
 * bookkeeping share of the morning rush (BENCHMARKS.md). What a restart loses is at most one window
 * (60 s) of counting: a person could act 60 more times in the minute after a restart. No order,
 * claim or lockout is kept here: lockouts (usecases/attempt-limit.ts) stay in the store, where they
 * survive restarts. Cloud functions run as many instances and keep counting in the cloud database.
 *
 * Same contract as the store's attempts (tests/store.contract.ts runs it on this adapter too):
 * adds are atomic (JavaScript runs one add at a time), lists are oldest first, at most MAX_PAGE.
 * `sweep(before)` drops every counter of a bucket older than `before`; the host calls it on a timer
 * with the longest rate window, so memory holds only the people active in the last minute or two.
 */
import { MAX_PAGE, type AttemptCount, type AttemptRepo } from '../ports'

export interface MemoryAttempts extends AttemptRepo {
  /** Forgets every bucket that starts before `before`; returns how many counters were dropped. */
  sweep(before: number): number
  /** Keys with at least one counter (the bench and tests watch memory with it). */
  readonly size: number
}

export function memoryAttempts(): MemoryAttempts {
  // key → bucket → count; buckets are added in any order, sorted when listed (a key has a handful).
  const counters = new Map<string, Map<number, number>>()

  const list = (key: string, since: number): AttemptCount[] => {
    const buckets = counters.get(key)
    if (!buckets) return []
    const out: AttemptCount[] = []
    for (const [bucket, count] of buckets) if (bucket >= since) out.push({ bucket, count })
    out.sort((a, b) => a.bucket - b.bucket)
    return out.length > MAX_PAGE ? out.slice(out.length - MAX_PAGE) : out
  }

  return {
    async add(key, bucket, delta, since) {
      let buckets = counters.get(key)
      if (!buckets) counters.set(key, (buckets = new Map()))
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + delta)
      return list(key, since)
    },
    async list(key, since) {
      return list(key, since)
    },
    sweep(before) {
      let dropped = 0
      for (const [key, buckets] of counters) {
        for (const bucket of buckets.keys()) {
          if (bucket < before) {
            buckets.delete(bucket)
            dropped++
          }
        }
        if (buckets.size === 0) counters.delete(key)
      }
      return dropped
    },
    get size() {
      return counters.size
    },
  }
}
