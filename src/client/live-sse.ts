/**
 * The H5 side of the live interface: reads GET /api/live (host/live-sse.ts) with fetch and a
 * streaming body (EventSource cannot send the Authorization header), parses the Server-Sent Events,
 * and reconnects with backoff. No Taro import: it runs in Node tests against the real host.
 */

export type LiveScope = { communityId: string } | { householdIds: string[] }

/** The query string for a scope: the server narrows the stream to it (never widens). */
export function liveQuery(scope: LiveScope): string {
  if ('communityId' in scope) return `communityId=${encodeURIComponent(scope.communityId)}`
  return scope.householdIds.map((h) => `householdId=${encodeURIComponent(h)}`).join('&')
}

/**
 * An incremental SSE parser: feed it decoded text as it arrives; it calls `onEvent` per complete
 * event (blank-line terminated) with the event name ('message' when none) and the joined data lines.
 * Comment lines (`: ping`) and `retry:`/`id:` fields are skipped.
 */
export function sseParser(onEvent: (event: string, data: string) => void): (text: string) => void {
  let buf = ''
  let event = ''
  let data: string[] = []
  return (text) => {
    buf += text
    let nl: number
    while ((nl = buf.search(/\r\n|\r|\n/)) >= 0) {
      const line = buf.slice(0, nl)
      buf = buf.slice(nl + (buf.startsWith('\r\n', nl) ? 2 : 1))
      if (line === '') {
        if (data.length > 0 || event) onEvent(event || 'message', data.join('\n'))
        event = ''
        data = []
        continue
      }
      if (line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const field = colon < 0 ? line : line.slice(0, colon)
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
      if (field === 'event') event = value
      else if (field === 'data') data.push(value)
    }
  }
}

export interface SseOptions {
  /** Base URL of the host ('' on H5: same origin). */
  base?: string
  getToken: () => string | null
  fetch?: typeof fetch
  /** Backoff bounds (ms). */
  minDelayMs?: number
  maxDelayMs?: number
  /** Status notices for the page or tests: 'open' when the server said ready, 'down' on a break, 'stopped' when it gave up. */
  onStatus?: (s: 'open' | 'down' | 'stopped') => void
}

/**
 * Streams order changes for `scope`; calls `onChange` for each, and once after every reconnect
 * (changes during the gap were missed: the page re-fetches). Returns the stop function.
 * Gives up (until the page subscribes again) on 400/401/403: no session, or not allowed; the
 * page's slow polling still runs.
 */
export function subscribeSse(scope: LiveScope, onChange: () => void, opts: SseOptions): () => void {
  const doFetch = opts.fetch ?? fetch
  const minDelay = opts.minDelayMs ?? 1_000
  const maxDelay = opts.maxDelayMs ?? 30_000
  let stopped = false
  let ctrl: AbortController | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let failures = 0
  let everOpen = false

  const retry = () => {
    if (stopped) return
    opts.onStatus?.('down')
    const base = Math.min(maxDelay, minDelay * 2 ** failures)
    failures++
    timer = setTimeout(() => void connect(), base / 2 + Math.random() * (base / 2))
  }

  const connect = async () => {
    if (stopped) return
    const token = opts.getToken()
    if (!token) {
      stopped = true
      opts.onStatus?.('stopped')
      return
    }
    ctrl = new AbortController()
    try {
      const res = await doFetch(`${opts.base ?? ''}/api/live?${liveQuery(scope)}`, {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
        signal: ctrl.signal,
        cache: 'no-store',
      })
      if (res.status === 400 || res.status === 401 || res.status === 403) {
        stopped = true
        opts.onStatus?.('stopped')
        return
      }
      if (!res.ok || !res.body) throw new Error(`live ${res.status}`)
      const reader = res.body.getReader()
      const decoder = new TextDecoder()
      const feed = sseParser((event) => {
        if (event === 'ready') {
          failures = 0
          opts.onStatus?.('open')
          if (everOpen) onChange()
          everOpen = true
        } else if (event === 'order') {
          onChange()
        }
      })
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        feed(decoder.decode(value, { stream: true }))
      }
    } catch {
      // Network break, abort or a 5xx/429: retried below unless stopped.
    }
    retry()
  }

  void connect()
  return () => {
    stopped = true
    clearTimeout(timer)
    ctrl?.abort()
  }
}
