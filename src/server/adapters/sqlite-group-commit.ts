/**
 * Group commit for the local host's one SQLite connection. Under load each mutating request made
 * several small write transactions (rate-limit counters, the order with its outbox, the notification
 * dispatcher's leases and settles), and each COMMIT appends every touched page to the WAL again: the
 * commits were the largest single cost of a request (BENCHMARKS.md, "Morning rush over HTTP").
 *
 * Here the writes of one event-loop turn share one transaction: `join()` opens it (BEGIN IMMEDIATE)
 * if none is open and schedules the COMMIT with setImmediate, i.e. after every request that turn's
 * I/O delivered has run its (synchronous) store calls. The store's own transactions nest inside as
 * savepoints (better-sqlite3 does that when a transaction is open), so each still rolls back alone.
 *
 * The guarantee stays: an answer is written only after `settled()` — after the COMMIT of every write
 * made before it. With journal_mode=WAL and synchronous=NORMAL a committed transaction is in the WAL
 * file (the OS page cache), so a SIGKILL of the host after the answer loses nothing (a power cut can
 * lose the last transactions, as before). If the COMMIT fails, it is rolled back and every waiter
 * hears the error: those requests are answered INTERNAL, never "ok".
 *
 * Under load one turn holds only a few requests, and every COMMIT writes each page it touched to the
 * WAL again: an order's random id, its household and its notifications land on different pages, so
 * a commit of one request wrote about 36 KB of WAL and one of twenty about 8 KB, and the host's CPU
 * per mutation fell by a third (BENCHMARKS.md). So once a COMMIT has carried more than one request
 * the next batch stays open for `windowMs` (default 4 ms) and gathers the turns that arrive in it;
 * a quiet host (one request per batch) commits at the end of the turn as before.
 */
import type Database from 'better-sqlite3'

export interface GroupCommit {
  /** Puts the writes from now until the end of this event-loop turn into one transaction. */
  join(): void
  /** Resolves when every write made so far is committed; rejects if its COMMIT failed. */
  settled(): Promise<void>
  /** Commits now (before closing the database). */
  flush(): void
  /**
   * Runs `fn` when no batch is open: at once if none is, else just before the next batch begins
   * (the WAL checkpointer's last step must run outside any transaction; sqlite-checkpointer.ts).
   */
  beforeNextBatch(fn: () => void): void
}

export interface GroupCommitOptions {
  /** How long a batch stays open once the host is busy (the last COMMIT carried 2 or more requests). */
  windowMs?: number
}

export function groupCommit(db: Database.Database, opts: GroupCommitOptions = {}): GroupCommit {
  const windowMs = opts.windowMs ?? 4
  let open = false
  let waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = []
  /** Requests the last COMMIT answered: more than one means requests are arriving together. */
  let lastBatch = 0
  let timer: NodeJS.Timeout | null = null
  let before: Array<() => void> = []
  const runBefore = () => {
    const fns = before
    before = []
    for (const fn of fns) fn()
  }

  const commit = () => {
    if (timer) {
      clearTimeout(timer)
      timer = null
    }
    if (!open) return
    open = false
    const ws = waiters
    waiters = []
    lastBatch = ws.length
    try {
      db.exec('COMMIT')
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK')
      for (const w of ws) w.reject(e)
      return
    }
    for (const w of ws) w.resolve()
  }

  return {
    join() {
      // A transaction someone else opened (none in the host) is left to its owner.
      if (open || db.inTransaction) return
      if (before.length > 0) runBefore()
      db.exec('BEGIN IMMEDIATE')
      open = true
      if (lastBatch > 1 && windowMs > 0) timer = setTimeout(commit, windowMs)
      else setImmediate(commit)
    },
    settled() {
      if (!open) return Promise.resolve()
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }))
    },
    flush: commit,
    beforeNextBatch(fn) {
      if (!open && !db.inTransaction) fn()
      else before.push(fn)
    },
  }
}
