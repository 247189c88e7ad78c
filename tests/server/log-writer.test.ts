/**
 * The host's log writer (log.ts batchedWriter): lines gathered for a short while and written with one
 * write, in order, to a real file descriptor.
 */
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { batchedWriter } from '../../src/server/log'

const opened: number[] = []
afterEach(() => {
  for (const fd of opened.splice(0)) closeSync(fd)
})

function logFile() {
  const file = join(mkdtempSync(join(tmpdir(), 'zj-log-')), 'host.log')
  const fd = openSync(file, 'a')
  opened.push(fd)
  return { fd, read: () => readFileSync(file, 'utf8') }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('batchedWriter', () => {
  it('writes nothing at once, then every line in order after the delay', async () => {
    const f = logFile()
    const w = batchedWriter(f.fd, 30)
    w.write('{"msg":"a"}')
    w.write('{"msg":"b"}')
    await sleep(0)
    expect(f.read()).toBe('')
    w.write('{"msg":"c"}')
    await sleep(80)
    expect(f.read()).toBe('{"msg":"a"}\n{"msg":"b"}\n{"msg":"c"}\n')
    // A later line starts a new batch.
    w.write('{"msg":"d"}')
    await sleep(80)
    expect(f.read().split('\n').filter(Boolean)).toEqual(['{"msg":"a"}', '{"msg":"b"}', '{"msg":"c"}', '{"msg":"d"}'])
  })

  it('writes at once when 64 KB are pending, and flush() writes the rest now', async () => {
    const f = logFile()
    const w = batchedWriter(f.fd, 60_000)
    const big = `{"msg":"${'x'.repeat(1000)}"}`
    for (let i = 0; i < 70; i++) w.write(big)
    // The 65th line of 1,012 bytes (with its newline) crossed 64 KB: those 65 are written; the rest wait.
    expect(f.read().split('\n').filter(Boolean)).toHaveLength(65)
    w.write('{"msg":"last"}')
    w.flush()
    const lines = f.read().split('\n').filter(Boolean)
    expect(lines).toHaveLength(71)
    expect(lines[70]).toBe('{"msg":"last"}')
    w.flush()
    expect(f.read().split('\n').filter(Boolean)).toHaveLength(71)
  })
})
