/**
 * The objects the morning rush makes per request keep one shape (V8 map) per kind: on Node 20 a
 * spread copy given a key its source lacks (`{ ...order, watchAt }`) got a map of its own every
 * time, and with one per order, event and answer the host's young-generation collections copied
 * megabytes of finished requests each time and paused 4–13 ms instead of about 1 (BENCHMARKS.md,
 * item 22). V8's %HaveSameMap needs --allow-natives-syntax, so the probe runs in its own process.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

describe('per-request objects keep one shape', () => {
  it('the answers, events, notices and watched orders of the rush each share one map', () => {
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', join(__dirname, '../support/shapes-probe.ts')], {
      encoding: 'utf8',
      timeout: 60_000,
    })
    const results = JSON.parse(out) as Record<string, boolean>
    expect(Object.keys(results).length).toBe(8)
    expect(Object.entries(results).filter(([, same]) => !same).map(([what]) => what)).toEqual([])
  })
})
