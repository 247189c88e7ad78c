/**
 * Live reloads (client/coalesce.ts): a burst of change signals becomes one reload after it goes
 * quiet, and a stream that never goes quiet (a morning rush) still reloads every maxWait.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { coalescer } from '../../src/client/coalesce'

describe('coalescer', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('one reload, quietMs after the last signal of a burst', () => {
    const fn = vi.fn()
    const c = coalescer(fn, 200, 1000)
    c.signal()
    vi.advanceTimersByTime(150)
    c.signal()
    vi.advanceTimersByTime(199)
    expect(fn).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(fn).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(5000)
    expect(fn).toHaveBeenCalledTimes(1)
  })

  it('a signal every 10 ms for 3.5 s reloads every second, and once more when it stops', () => {
    const fn = vi.fn()
    const c = coalescer(fn, 200, 1000)
    const at: number[] = []
    fn.mockImplementation(() => at.push(Date.now()))
    const start = Date.now()
    for (let t = 0; t < 3500; t += 10) {
      c.signal()
      vi.advanceTimersByTime(10)
    }
    expect(at.map((x) => x - start)).toEqual([1000, 2000, 3000])
    vi.advanceTimersByTime(200)
    expect(fn).toHaveBeenCalledTimes(4)
  })

  it('cancel drops a pending reload', () => {
    const fn = vi.fn()
    const c = coalescer(fn, 200, 1000)
    c.signal()
    c.cancel()
    vi.advanceTimersByTime(2000)
    expect(fn).not.toHaveBeenCalled()
  })
})
