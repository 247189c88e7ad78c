/**
 * The HTTP thread's table of requests waiting for their answer (host/in-flight.ts): each answer
 * reaches its own request once, a late answer for a request that is gone reaches nobody, and slots
 * are reused instead of the table growing with every request.
 */
import { describe, expect, it } from 'vitest'
import { InFlight } from '../../src/server/host/in-flight'

describe('InFlight', () => {
  it('gives each waiting request its own key and hands it back once', () => {
    const t = new InFlight<string>()
    const a = t.add('a')
    const b = t.add('b')
    expect(a).not.toBe(b)
    expect(t.size).toBe(2)
    expect(t.take(b)).toBe('b')
    expect(t.take(b)).toBeUndefined()
    expect(t.take(a)).toBe('a')
    expect(t.size).toBe(0)
  })

  it('does not hand a reused slot to the key of the request that left it', () => {
    const t = new InFlight<string>()
    const gone = t.add('client left')
    t.drop(gone)
    const next = t.add('next request')
    // Same slot, new key: the late answer for the first request finds nothing.
    expect(next % 2 ** 20).toBe(gone % 2 ** 20)
    expect(t.take(gone)).toBeUndefined()
    expect(t.take(next)).toBe('next request')
  })

  it('dropping after the answer was taken changes nothing', () => {
    const t = new InFlight<string>()
    const k = t.add('x')
    const other = t.add('y')
    expect(t.take(k)).toBe('x')
    t.drop(k)
    expect(t.size).toBe(1)
    expect(t.take(other)).toBe('y')
  })

  it('holds as many slots as were ever waiting at once, not one per request', () => {
    const t = new InFlight<number>()
    const waiting: number[] = []
    for (let i = 0; i < 100_000; i++) {
      waiting.push(t.add(i))
      // About 30 in flight, answered in the order they came.
      if (waiting.length > 30) expect(t.take(waiting.shift()!)).toBe(i - 30)
    }
    // 31 at once at most (one added before the oldest is answered).
    expect(t.size).toBe(30)
    expect((t as unknown as { items: unknown[] }).items.length).toBe(31)
    expect(new Set(waiting).size).toBe(30)
    for (const k of waiting) expect(t.take(k)).toBeTypeOf('number')
    expect(t.size).toBe(0)
  })
})
