/**
 * The household-code lockout, as pure arithmetic over attempt counters (the store's AttemptRepo):
 * five wrong codes within ten minutes lock the person out of joining for ten minutes.
 *
 * - Wrong codes are counted per person in one-minute buckets, so "within ten minutes" is the
 *   current bucket and the nine before it (a window of 9–10 minutes).
 * - Every attempt first takes a slot (+1 in the current bucket) and is only evaluated if the window,
 *   counting it, holds at most five; a right code gives its slot back (a success is not a failure,
 *   and does not reset the failures either), a refused attempt gives it back too. Concurrent
 *   guesses therefore cannot get more than five evaluated.
 * - The wrong code that fills the window writes a lock stamped with its exact time; the person is
 *   locked until that time + ten minutes.
 */

export const JOIN_MAX_WRONG = 5
export const JOIN_WINDOW_MS = 10 * 60_000
export const JOIN_LOCK_MS = 10 * 60_000
export const JOIN_BUCKET_MS = 60_000

export interface Counter {
  bucket: number
  count: number
}

export const joinAttemptsKey = (personId: string) => `join.${personId}`
export const joinLockKey = (personId: string) => `join-lock.${personId}`

/** Start of the one-minute bucket that holds `now`. */
export function bucketOf(now: number): number {
  return Math.floor(now / JOIN_BUCKET_MS) * JOIN_BUCKET_MS
}

/** Counters with bucket ≥ this are in the window that ends with `now`'s bucket. */
export function windowSince(now: number): number {
  return bucketOf(now) - JOIN_WINDOW_MS + JOIN_BUCKET_MS
}

/** Locks stamped at or after this are still in force at `now`. */
export function lockSince(now: number): number {
  return now - JOIN_LOCK_MS + 1
}

export function total(counters: readonly Counter[]): number {
  return counters.reduce((n, c) => n + c.count, 0)
}

/** When the newest lock in force ends, or null when none is. Lock counters are stamped with their exact time. */
export function lockedUntil(locks: readonly Counter[], now: number): number | null {
  let until: number | null = null
  for (const l of locks) {
    if (l.count <= 0) continue
    const end = l.bucket + JOIN_LOCK_MS
    if (end > now && (until === null || end > until)) until = end
  }
  return until
}

/**
 * When the window will hold fewer than JOIN_MAX_WRONG attempts again, given its counters (oldest
 * first) without the caller's own slot: buckets leave the window one by one, oldest first.
 */
export function windowFreesAt(counters: readonly Counter[], now: number): number {
  let n = total(counters)
  for (const c of [...counters].sort((a, b) => a.bucket - b.bucket)) {
    if (n < JOIN_MAX_WRONG) break
    n -= c.count
    if (n < JOIN_MAX_WRONG) return c.bucket + JOIN_WINDOW_MS
  }
  return bucketOf(now) + JOIN_BUCKET_MS
}

/** '输错次数太多，请N分钟后再试', N rounded up (10 right after the lock). */
export function lockedMessage(retryAt: number, now: number): string {
  const minutes = Math.max(1, Math.ceil((retryAt - now) / 60_000))
  return `输错次数太多，请${minutes}分钟后再试`
}
