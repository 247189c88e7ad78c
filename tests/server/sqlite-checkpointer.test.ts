/**
 * WAL checkpoints in a worker thread (adapters/sqlite-checkpointer.ts) on a real file: the host's
 * connection never checkpoints inside a COMMIT, the worker keeps the -wal file bounded, nothing
 * committed is lost, and a worker that cannot run hands checkpoints back to SQLite.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqlite } from '../../src/server/adapters/sqlite'
import { startCheckpointer } from '../../src/server/adapters/sqlite-checkpointer'
import { makeFullOrder, T0 } from '../support/fixtures'

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('sqlite checkpointer', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zhaijia-ckpt-'))
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  /** 300 commits of 10 orders each (about 30 MB of WAL pages), a short pause after each; the largest -wal seen. */
  async function write(store: ReturnType<typeof openSqlite>, file: string): Promise<number> {
    let largest = 0
    for (let c = 0; c < 300; c++) {
      store.db.exec('BEGIN')
      for (let i = 0; i < 10; i++) await store.orders.insert(makeFullOrder({ id: `o-${c}-${i}`, createdAt: T0 + c * 10 + i }))
      store.db.exec('COMMIT')
      largest = Math.max(largest, statSync(`${file}-wal`).size)
      await pause(2)
    }
    return largest
  }

  it('the connection stops checkpointing; the worker keeps the WAL small; every order is there after reopening', async () => {
    const file = join(dir, 'with.db')
    const store = openSqlite({ file })
    const ckpt = startCheckpointer(store.db, file, { intervalMs: 20, restartFrames: 1000 })
    expect(await ckpt.ready).toBe(true)
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0)
    const largest = await write(store, file)
    await ckpt.stop()
    await store.close()

    // The same writes with no checkpoints at all: what the WAL grows to when nobody copies it back.
    const bareFile = join(dir, 'bare.db')
    const bare = openSqlite({ file: bareFile })
    bare.db.pragma('wal_autocheckpoint = 0')
    const unbounded = await write(bare, bareFile)
    await bare.close()

    // Caught up at 1,000 frames (4 MB), the WAL starts over: it stays within a few of those.
    expect(unbounded).toBeGreaterThan(24 * 1024 * 1024)
    expect(largest).toBeLessThan(10 * 1024 * 1024)

    const again = openSqlite({ file })
    try {
      expect(again.db.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 3000 })
      expect(await again.orders.get('o-299-9')).toMatchObject({ id: 'o-299-9', createdAt: T0 + 2999 })
    } finally {
      await again.close()
    }
  })

  it('leaves the host only a short tail to copy when it starts the WAL over', async () => {
    /** Commits every ~2 ms while the worker checkpoints every 200 ms; the host's tails at each restart. */
    const tails = async (name: string, tailRounds?: number) => {
      const file = join(dir, name)
      const store = openSqlite({ file })
      const seen: number[] = []
      const ckpt = startCheckpointer(store.db, file, { restartFrames: 1000, ...(tailRounds === undefined ? {} : { tailRounds }), onRestart: (r) => seen.push(r.tail) })
      expect(await ckpt.ready).toBe(true)
      await write(store, file)
      await ckpt.stop()
      await store.close()
      return seen.sort((a, b) => a - b)
    }
    const once = await tails('once.db', 0)
    const converged = await tails('converged.db')
    expect(once.length).toBeGreaterThanOrEqual(2)
    expect(converged.length).toBeGreaterThanOrEqual(2)
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!
    expect(median(converged)).toBeLessThan(median(once))
  })

  it('a worker that cannot open the file gives checkpoints back to SQLite, and says so', async () => {
    const file = join(dir, 'real.db')
    const store = openSqlite({ file })
    const reasons: string[] = []
    const ckpt = startCheckpointer(store.db, join(dir, 'missing', 'nothing.db'), { onFallback: (r) => reasons.push(r) })
    expect(await ckpt.ready).toBe(false)
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
    expect(reasons.length).toBeGreaterThan(0)
    await ckpt.stop()
    await store.close()
  })
})
