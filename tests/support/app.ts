/**
 * A real app for use-case tests: SQLite (in memory unless a file is given), the demo community
 * seeded (unless `demo: false`), a clock the test controls, a logger that keeps its lines, and `as(person)` to call any
 * action through the real dispatcher the way a client would.
 */
import type { ActionName, InputOf, OutputOf, Result } from '../../src/core/contract'
import type { ErrorCode } from '../../src/core/errors'
import { openSqlite } from '../../src/server/adapters/sqlite'
import { dispatch } from '../../src/server/api/dispatch'
import type { Deps } from '../../src/server/deps'
import { memoryLogger } from '../../src/server/log'
import type { Store, AttemptRepo } from '../../src/server/ports'
import { seedDemo } from '../../src/server/seed/demo'

/** 2026-11-22 09:00 Beijing time. */
export const T0 = Date.UTC(2026, 10, 22, 1, 0)

export class Failed extends Error {
  constructor(readonly result: Extract<Result<unknown>, { ok: false }>) {
    super(`${result.code}: ${result.message}`)
  }
}

export async function makeApp(
  opts: {
    store?: Store
    now?: number
    /** false: start from an empty store (no demo community). */
    demo?: boolean
    /** The one-time code community.setup accepts (Deps.setupCode). */
    setupCode?: string
    /** Where rate-limit windows are counted (Deps.rates; the local host: memory). */
    rates?: AttemptRepo
  } = {},
) {
  const clock = { now: opts.now ?? T0 }
  const log = memoryLogger()
  const store = opts.store ?? openSqlite({ file: ':memory:' })
  const deps: Deps = { store, now: () => clock.now, log, ...(opts.setupCode ? { setupCode: opts.setupCode } : {}), ...(opts.rates ? { rates: opts.rates } : {}) }
  if (opts.demo !== false) await seedDemo(store, clock.now)

  /** Raw envelope, for asserting refusals. */
  const raw = (personId: string | null, action: string, input?: unknown) =>
    dispatch(deps, personId ? { id: personId } : { error: 'AUTH.NOT_SIGNED_IN' }, { action, input })

  const as = (personId: string) => ({
    async call<A extends ActionName>(action: A, input: InputOf<A>): Promise<OutputOf<A>> {
      const res = await raw(personId, action, input)
      if (!res.ok) throw new Failed(res)
      return res.data as OutputOf<A>
    },
    /** Expects a refusal; returns it. */
    async refused<A extends ActionName>(action: A, input: InputOf<A> | Record<string, unknown>): Promise<{
      code: ErrorCode
      message: string
      fields?: Record<string, string>
      details?: Record<string, unknown>
    }> {
      const res = await raw(personId, action, input)
      if (res.ok) throw new Error(`${action} unexpectedly succeeded`)
      return res
    },
  })

  return {
    deps,
    store,
    log,
    clock,
    raw,
    as,
    advance(ms: number) {
      clock.now += ms
    },
  }
}

let seq = 0
export const rid = (prefix = 'req') => `${prefix}${String(++seq).padStart(8, '0')}`
