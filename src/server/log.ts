/**
 * Structured logging that carries no personal data: callers pass codes, ids and counts only,
 * never inputs, names, rooms or phones. One JSON object per line.
 */
export interface Logger {
  info(msg: string, fields?: Record<string, string | number | boolean | null>): void
  error(msg: string, fields?: Record<string, string | number | boolean | null>): void
}

export function jsonLogger(write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const emit = (level: string) => (msg: string, fields: Record<string, string | number | boolean | null> = {}) =>
    write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }))
  return { info: emit('info'), error: emit('error') }
}

/** Collects lines in memory (tests scan them for personal data). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return { lines, ...jsonLogger((l) => lines.push(l)) }
}
