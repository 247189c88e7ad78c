/** The doorstep steps' names come from ONE table (labels.ts STEP_LABELS); nothing else in src spells them. */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { eventLabel, STEP_LABELS, stepLabel } from '../../src/core/order/labels'
import { PROTOCOL_STEPS } from '../../src/core/order/types'

const SRC = join(__dirname, '..', '..', 'src')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|tsx)$/.test(e.name) ? [join(dir, e.name)] : [],
  )
}

/** Code without comments (the protocol's explanation in comments may name the steps). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1')

describe('step labels', () => {
  it('one label per step, read the same way by stepLabel and the timeline', () => {
    expect(Object.keys(STEP_LABELS)).toEqual([...PROTOCOL_STEPS])
    for (const s of PROTOCOL_STEPS) {
      expect(stepLabel(s)).toBe(STEP_LABELS[s])
      expect(eventLabel(s)).toBe(STEP_LABELS[s])
    }
    expect(new Set(Object.values(STEP_LABELS)).size).toBe(PROTOCOL_STEPS.length)
  })

  it('no other source file spells a step name', () => {
    const offenders: string[] = []
    for (const file of sources(SRC)) {
      if (file.endsWith(join('core', 'order', 'labels.ts'))) continue
      const text = code(readFileSync(file, 'utf8'))
      // (居民已取消 is "the resident cancelled", not the step 居民已取)
      for (const label of Object.values(STEP_LABELS)) if (new RegExp(`${label}(?!消)`).test(text)) offenders.push(`${file}: ${label}`)
    }
    expect(offenders).toEqual([])
  })
})
