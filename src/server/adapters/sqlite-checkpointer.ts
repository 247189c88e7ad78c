/**
 * WAL checkpoints off the event loop, for the local host's SQLite file.
 *
 * In WAL mode every commit appends pages to the -wal file; a checkpoint copies them back into the
 * database file (and, with synchronous=NORMAL, syncs both). SQLite's default runs it inside the
 * COMMIT that crosses 1,000 pages: on the host's one thread, that COMMIT then takes milliseconds
 * more, every answer of that turn waits for it, and checkpoints were half of all COMMIT time under
 * the morning rush (BENCHMARKS.md).
 *
 * Here the host's connection never checkpoints (wal_autocheckpoint = 0). A worker thread with its
 * own connection to the same file runs PASSIVE checkpoints every `intervalMs`: PASSIVE never waits
 * for and never blocks the writer, and once a checkpoint has caught up the writer starts the WAL
 * from the beginning again (journal_size_limit then trims the file). A writer that commits every few
 * milliseconds never begins right after a complete checkpoint, so once the worker has caught up
 * with a long WAL the host's connection runs one PASSIVE checkpoint between turns: it copies only
 * the frames written since, and the next write starts the WAL over. That step holds the host's
 * thread for as long as it takes to copy and sync those frames, so the worker first runs a few
 * more checkpoints back to back, each copying what came during the last: under the morning rush
 * the host's step went from 8–21 ms (the writes of a whole checkpoint) to 2–5 ms. Durability is
 * unchanged: a checkpoint only moves pages that are already committed.
 *
 * If the worker cannot start or dies, the connection goes back to SQLite's own checkpoints, so the
 * WAL never grows without bound.
 */
import type Database from 'better-sqlite3'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

export interface Checkpointer {
  /** Stops the worker after its current checkpoint (before the connection closes). */
  stop(): Promise<void>
  /** Resolves once the worker has opened the file (or given up: then SQLite checkpoints again). */
  ready: Promise<boolean>
}

export interface CheckpointerOptions {
  intervalMs?: number
  /** WAL frames after which a caught-up worker has the host's connection start the WAL over. */
  restartFrames?: number
  /**
   * Runs a function when the connection has no transaction open (the host: its group commit's
   * beforeNextBatch). Default: the next setImmediate, skipped if a transaction is open then.
   */
  between?: (fn: () => void) => void
  /**
   * Told each time the host's connection finished a caught-up checkpoint (the WAL starts over next):
   * the WAL's frames, how many of them the host's checkpoint copied (the rest the worker had), and
   * how long the host's thread was held.
   */
  onRestart?: (r: { frames: number; tail: number; ms: number }) => void
  /** Extra checkpoints a caught-up worker runs to shrink the host's tail (default 4; 0 turns it off). */
  tailRounds?: number
  /** Told when the worker fails and SQLite's own checkpoints are back. */
  onFallback?: (reason: string) => void
}

/** SQLite's default: checkpoint inside the COMMIT that takes the WAL past 1,000 pages. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000
/**
 * Past this many frames (64 MB of pages; CheckpointerOptions.restartFrames) a caught-up worker asks the host's connection to finish the
 * job: a PASSIVE checkpoint there copies only the frames written since (the worker copied the rest),
 * and the next write starts the WAL over. Under a steady stream of commits the worker alone would
 * never see the moment between a complete checkpoint and the next BEGIN.
 */
const RESTART_FRAMES = 16000
/**
 * A caught-up worker checkpoints again until one checkpoint found at most TAIL_FRAMES new frames
 * (128 KB), at most TAIL_ROUNDS more times: what is left is the tail the host's own checkpoint then
 * copies and syncs on its thread.
 */
const TAIL_FRAMES = 32
const TAIL_ROUNDS = 4
/** After a reset the -wal file is cut back to this size. */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024

// Plain JavaScript, run with eval: no TypeScript loader is needed in the worker. better-sqlite3 is
// required by the absolute path the host resolved.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
let db
try {
  db = new Database(workerData.file, { fileMustExist: true })
  db.pragma('busy_timeout = 0')
} catch (e) {
  parentPort.postMessage({ type: 'failed', reason: String(e && e.message || e) })
  process.exit(0)
}
parentPort.postMessage({ type: 'ready' })
const run = () => {
  try {
    let [r] = db.pragma('wal_checkpoint(PASSIVE)')
    // Caught up with a long WAL: only the host's own connection can start it over (a writer
    // restarts the WAL when it begins after a complete checkpoint, which this thread cannot time).
    if (r && r.busy === 0 && r.log === r.checkpointed && r.log >= workerData.restartFrames) {
      // The host's last step copies and syncs what was written since this checkpoint began, on
      // the host's thread: a checkpoint of 200 ms of writes takes milliseconds, and that many
      // frames again would hold the host as long. Checkpoints back to back shrink that tail to
      // what is written during one short checkpoint (a few ms of writes, one sync each).
      for (let i = 0; i < workerData.tailRounds; i++) {
        const before = r.log
        const [next] = db.pragma('wal_checkpoint(PASSIVE)')
        if (!next || next.busy !== 0 || next.log !== next.checkpointed) break
        r = next
        if (r.log - before <= workerData.tailFrames) break
      }
      parentPort.postMessage({ type: 'caught-up', frames: r.log })
    }
  } catch (e) {
    // SQLITE_BUSY or a checkpoint already running elsewhere: the next tick tries again.
  }
}
const timer = setInterval(run, workerData.intervalMs)
parentPort.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer)
    db.close()
    parentPort.close()
  }
})
`

export function startCheckpointer(db: Database.Database, file: string, opts: CheckpointerOptions = {}): Checkpointer {
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`)
  db.pragma('wal_autocheckpoint = 0')
  let stopping = false
  const fallback = (reason: string) => {
    if (stopping || !db.open) return
    db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`)
    opts.onFallback?.(reason)
  }
  const between = opts.between ?? ((fn: () => void) => setImmediate(fn))
  const finish = (workerFrames: number) => {
    if (stopping || !db.open || db.inTransaction) return
    try {
      const t0 = performance.now()
      const [r] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>
      const frames = r?.log ?? 0
      opts.onRestart?.({ frames, tail: Math.max(0, frames - workerFrames), ms: performance.now() - t0 })
    } catch {
      // Busy: the worker asks again after its next checkpoint.
    }
  }
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver: createRequire(__filename).resolve('better-sqlite3'), intervalMs: opts.intervalMs ?? 200, restartFrames: opts.restartFrames ?? RESTART_FRAMES, tailFrames: TAIL_FRAMES, tailRounds: opts.tailRounds ?? TAIL_ROUNDS },
  })
  // The worker must never keep the process alive on its own.
  worker.unref()
  const ready = new Promise<boolean>((resolve) => {
    worker.on('message', (m: { type: string; reason?: string; frames?: number }) => {
      if (m.type === 'ready') resolve(true)
      // Outside any transaction: the host's group commit runs it before its next batch.
      if (m.type === 'caught-up') between(() => finish(m.frames ?? 0))
      if (m.type === 'failed') {
        fallback(m.reason ?? 'failed')
        resolve(false)
      }
    })
    worker.on('error', (e) => {
      fallback(e.message)
      resolve(false)
    })
    worker.on('exit', () => {
      fallback('exited')
      resolve(false)
    })
  })
  return {
    ready,
    async stop() {
      stopping = true
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
      worker.postMessage('stop')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))])
      await worker.terminate()
    },
  }
}
