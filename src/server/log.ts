/**
 * Structured logging that carries no personal data: callers pass codes, ids and counts only,
 * never inputs, names, rooms or phones. One JSON object per line.
 */
import { writeSync } from 'node:fs'
export interface Logger {
  info(msg: string, fields?: Record<string, string | number | boolean | null>): void
  error(msg: string, fields?: Record<string, string | number | boolean | null>): void
}

export function jsonLogger(write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const emit = (level: string) => (msg: string, fields: Record<string, string | number | boolean | null> = {}) =>
    write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }))
  return { info: emit('info'), error: emit('error') }
}

/**
 * Lines gathered for up to `delayMs` (or 64 KB) and written to `fd` with one write, instead of one
 * synchronous write per line: under the morning rush a line per request written on its own was 7 %
 * of the host's CPU, and one write per event-loop turn still cost a system call per request once
 * requests arrive one per turn (BENCHMARKS.md). `flush()` writes what is pending now; the host calls
 * it on exit. A SIGKILL loses at most the last `delayMs` of lines, never data: the log is not the
 * record of anything.
 */
export function batchedWriter(fd = 1, delayMs = 20): { write(line: string): void; flush(): void } {
  let pending: string[] = []
  let bytes = 0
  let timer: NodeJS.Timeout | null = null
  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = null
    if (pending.length === 0) return
    const text = pending.join('\n') + '\n'
    pending = []
    bytes = 0
    try {
      writeSync(fd, text)
    } catch {
      // A closed or full stdout must not take the host down with it; the lines are dropped.
    }
  }
  return {
    write(line) {
      pending.push(line)
      bytes += line.length + 1
      if (bytes >= 64 * 1024) flush()
      else if (!timer) {
        timer = setTimeout(flush, delayMs)
        timer.unref()
      }
    },
    flush,
  }
}

/** Collects lines in memory (tests scan them for personal data). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return { lines, ...jsonLogger((l) => lines.push(l)) }
}
