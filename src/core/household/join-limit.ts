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

/** A community's service centre phone, as told to someone locked out (coord.setServicePhone). */
export interface ServiceContact {
  name: string
  phone: string
}

/**
 * The answer that locks (and every answer while locked): it is locked, for how long, and whom to
 * call. '住户码输错太多次，已锁定10分钟，请10分钟后再试。急需帮助请打社区服务中心电话：0471-6281234'.
 * Several communities: each phone with its community's name.
 */
export function joinLockedMessage(retryAt: number, now: number, contacts: readonly ServiceContact[]): string {
  const minutes = Math.max(1, Math.ceil((retryAt - now) / 60_000))
  const lock = `住户码输错太多次，已锁定${Math.round(JOIN_LOCK_MS / 60_000)}分钟，请${minutes}分钟后再试。`
  if (contacts.length === 0) return `${lock}急需帮助请联系社区服务中心。`
  if (contacts.length === 1) return `${lock}急需帮助请打社区服务中心电话：${contacts[0]!.phone}`
  return `${lock}急需帮助请打社区服务中心电话：${contacts.map((c) => `${c.name} ${c.phone}`).join('；')}`
}

/** 社区服务中心电话: a mobile, a landline with its area code (0471-6281234), or a 5-digit hotline (12345). */
export const SERVICE_PHONE_RE = /^(1[3-9]\d{9}|0\d{2,3}-\d{7,8}|\d{5})$/

/** Spaces dropped, the landline's dash put in when it was left out (04716281234 → 0471-6281234). */
export function normalizeServicePhone(raw: string): string {
  const s = raw.replace(/[\s（）()]/g, '').replace(/[－—]/g, '-')
  const m = /^(0\d{2,3})(\d{7,8})$/.exec(s)
  if (m && !/^1[3-9]\d{9}$/.test(s)) {
    // 0 + area code of 3 or 4 digits: 010/02x are 3 digits, the rest 4.
    const area = /^0(10|2\d)/.test(s) ? s.slice(0, 3) : s.slice(0, 4)
    return `${area}-${s.slice(area.length)}`
  }
  return s
}
