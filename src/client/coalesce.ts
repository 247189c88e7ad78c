/**
 * Coalesces a stream of "something changed" signals into reloads: one `quietMs` after the last
 * signal of a burst, and at least one every `maxWaitMs` while signals keep coming. A plain debounce
 * (reset on every signal) never fired during a morning rush, when the community's orders change
 * every few milliseconds: an open squad board stayed as it was until its 15 s fallback poll.
 */
export interface Coalescer {
  signal(): void
  cancel(): void
}

export function coalescer(fn: () => void, quietMs: number, maxWaitMs: number, now: () => number = Date.now): Coalescer {
  let timer: ReturnType<typeof setTimeout> | undefined
  let firstAt: number | null = null
  const fire = () => {
    timer = undefined
    firstAt = null
    fn()
  }
  return {
    signal() {
      const t = now()
      if (firstAt === null) firstAt = t
      clearTimeout(timer)
      timer = setTimeout(fire, Math.max(0, Math.min(quietMs, firstAt + maxWaitMs - t)))
    },
    cancel() {
      clearTimeout(timer)
      timer = undefined
      firstAt = null
    },
  }
}
