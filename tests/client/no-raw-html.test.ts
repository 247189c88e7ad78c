/**
 * User text (notes, names, items) reaches the screen only as text. Taro renders JSX children as
 * text nodes in the mini program and in H5 alike; the ways around that are raw HTML sinks:
 * dangerouslySetInnerHTML, the RichText component (its `nodes` take HTML), innerHTML /
 * outerHTML / insertAdjacentHTML / document.write in client code. None may appear in src/
 * (the browser test tests/browser/html-as-text.test.ts shows the H5 result).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(__dirname, '..', '..')
const SRC = join(ROOT, 'src')

const SINKS: readonly [name: string, pattern: RegExp][] = [
  ['dangerouslySetInnerHTML', /dangerouslySetInnerHTML/],
  ['RichText component', /<RichText\b|\bRichText\b\s*[,}]/],
  ['nodes= (rich-text)', /\bnodes\s*=\s*\{/],
  ['<rich-text>', /<rich-text\b/],
  ['innerHTML / outerHTML', /\.(inner|outer)HTML\s*=/],
  ['insertAdjacentHTML', /insertAdjacentHTML\s*\(/],
  ['document.write', /document\.write(ln)?\s*\(/],
]

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(tsx?|jsx?|html|wxml)$/.test(e.name) ? [join(dir, e.name)] : [],
  )
}

function sinksIn(text: string): string[] {
  return SINKS.filter(([, re]) => re.test(text)).map(([name]) => name)
}

describe('no raw HTML sinks in the app', () => {
  it('finds each sink in a sample (the scan is not blind)', () => {
    expect(sinksIn('<View dangerouslySetInnerHTML={{ __html: o.notes }} />')).toEqual(['dangerouslySetInnerHTML'])
    expect(sinksIn('import { RichText, View } from "@tarojs/components"')).toContain('RichText component')
    expect(sinksIn('<RichText nodes={o.notes} />')).toEqual(['RichText component', 'nodes= (rich-text)'])
    expect(sinksIn('el.innerHTML = name')).toEqual(['innerHTML / outerHTML'])
    expect(sinksIn('el.insertAdjacentHTML("beforeend", s)')).toEqual(['insertAdjacentHTML'])
    expect(sinksIn('<Text>{o.notes}</Text>')).toEqual([])
  })

  it('src/ (every page, component and the host\'s own pages) has none', () => {
    const all = files(SRC)
    expect(all.filter((f) => f.endsWith('.tsx')).length).toBeGreaterThan(20)
    const found = all.flatMap((f) => sinksIn(readFileSync(f, 'utf8')).map((s) => `${relative(ROOT, f)}: ${s}`))
    expect(found).toEqual([])
  })
})
