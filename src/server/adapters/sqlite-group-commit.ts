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
 */
import type Database from 'better-sqlite3'

export interface GroupCommit {
  /** Puts the writes from now until the end of this event-loop turn into one transaction. */
  join(): void
  /** Resolves when every write made so far is committed; rejects if its COMMIT failed. */
  settled(): Promise<void>
  /** Commits now (before closing the database). */
  flush(): void
}

export function groupCommit(db: Database.Database): GroupCommit {
  let open = false
  let waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = []

  const commit = () => {
    if (!open) return
    open = false
    const ws = waiters
    waiters = []
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
      db.exec('BEGIN IMMEDIATE')
      open = true
      setImmediate(commit)
    },
    settled() {
      if (!open) return Promise.resolve()
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }))
    },
    flush: commit,
  }
}
