/**
 * The bench's shared report: every section returns figures; `run.ts` prints them as one table and
 * writes `bench/results.json`. A figure with a target is checked (`met`); one without is context
 * (seeding time, sizes of the reference build). Ratios are made inside one run: these machines are noisy.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'

export interface Target {
  op: '<' | '<=' | '>='
  value: number
}

export interface Figure {
  name: string
  value: number
  unit: string
  target?: Target
  /** One line on how it was measured or why it missed. */
  note?: string
}

export interface Section {
  id: string
  title: string
  figures: Figure[]
}

export function met(f: Figure): boolean | undefined {
  if (!f.target) return undefined
  const { op, value } = f.target
  switch (op) {
    case '<':
      return f.value < value
    case '<=':
      return f.value <= value
    case '>=':
      return f.value >= value
    default: {
      const never: never = op
      throw new Error(`unknown target op ${String(never)}`)
    }
  }
}

export const pct = (xs: number[], p: number): number =>
  xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2))

export function printSection(s: Section): void {
  console.log(`\n## ${s.title}`)
  for (const f of s.figures) {
    const ok = met(f)
    const mark = ok === undefined ? '    ' : ok ? 'ok  ' : 'MISS'
    const target = f.target ? `  (target ${f.target.op} ${fmt(f.target.value)})` : ''
    console.log(`${mark} ${f.name.padEnd(58)} ${fmt(f.value).padStart(10)} ${f.unit}${target}`)
  }
}

export function machine() {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memGb: Math.round(totalmem() / 1e9), node: process.version }
}

/**
 * Writes the run's sections; with `merge` (a BENCH_ONLY run) the file's other sections are kept, each
 * with the time and machine of its own run, so the file always holds the latest run of every section.
 */
export function writeResults(sections: Section[], file: string, merge = false): void {
  const at = new Date().toISOString()
  const stamped = sections.map((s) => ({ ...s, at, machine: machine() }))
  if (merge && existsSync(file)) {
    const old = JSON.parse(readFileSync(file, 'utf8')) as { sections?: (Section & { at?: string })[] }
    const mine = new Set(sections.map((s) => s.id))
    const kept = (old.sections ?? []).filter((s) => !mine.has(s.id))
    sections = [...kept, ...stamped]
  } else sections = stamped
  const figures = sections.flatMap((s) => s.figures.map((f) => ({ section: s.id, ...f, met: met(f) })))
  writeFileSync(file, JSON.stringify({ at, machine: machine(), sections, missed: figures.filter((f) => f.met === false).map((f) => `${f.section}: ${f.name}`) }, null, 2) + '\n')
}
