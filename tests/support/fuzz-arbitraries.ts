/**
 * fast-check arbitraries for hostile action inputs: random JSON, a valid input with one field
 * broken / missing / added, wrong types, oversized strings and arrays, unicode that breaks naive
 * code (emoji, RTL, zero-width, lone surrogate halves), `__proto__` / `constructor` / `prototype`
 * as own keys (built with JSON.parse, as a JSON body would arrive), SQL / CloudBase operator /
 * script injections and deep nesting.
 */
import fc from 'fast-check'

export const INJECTIONS = [
  "' OR 1=1 --",
  "'; DROP TABLE orders; --",
  '" OR ""="',
  '1; SELECT * FROM people',
  '$where',
  '$gt',
  '{"$gt":""}',
  'this.constructor.constructor("return process")()',
  '<script>window.__pwned=1</script>',
  '<img src=x onerror=alert(1)>',
  '=HYPERLINK("http://x","y")',
  '@SUM(1+1)',
  '${7*7}',
  '{{7*7}}',
  '../../../../etc/passwd',
  'cloud://env-1/../../secret.jpg',
  'local:../../session.secret',
  '__proto__',
  'constructor',
  'prototype',
  'h1-2-502',
  'demo',
  '%00',
] as const

export const WEIRD_UNICODE = [
  '👨‍👩‍👧‍👦🏳️‍🌈',
  '\u202E1号楼\u202C',
  '\u05E9\u05DC\u05D5\u05DD مرحبا',
  'a\u200B\u200C\u200D\uFEFFb',
  '\uD800',
  'x\uDC00y',
  '\uDBFF\uDFFF',
  'e\u0301\u0301\u0301',
  '\u0000\u0001\u001F\u007F',
  '\u2028\u2029',
  '１２３４５６',
  'ｈ１－２－５０２',
  '',
  ' ',
] as const

/** Operator-shaped objects: what a query builder must never take as a filter. */
export const OPERATOR_OBJECTS: readonly unknown[] = [
  { $gt: '' },
  { $ne: null },
  { $regex: '.*' },
  { $where: 'return true' },
  { $in: ['h1-2-502', 'h1-1-301'] },
  { $exists: true },
  { _id: { $gt: '' } },
  JSON.parse('{"__proto__":{"polluted":"yes"}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}'),
]

const deep = (depth: number, leaf: unknown, asArray: boolean): unknown => {
  let v = leaf
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v }
  return v
}

export const weirdString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.constantFrom(...WEIRD_UNICODE),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.tuple(fc.constantFrom('x', '中', '😀', '\u200B'), fc.integer({ min: 65, max: 5000 })).map(([c, n]) => c.repeat(n)),
  fc.constant('字'.repeat(200_000)),
)

export const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: weirdString },
  fc.integer(),
  fc.constantFrom(0, -0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity, -Infinity),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constantFrom(...OPERATOR_OBJECTS),
  fc.array(weirdString, { maxLength: 5 }),
  fc.constant(Array.from({ length: 5000 }, (_, i) => `h1-2-${i}`)),
  fc.constantFrom(deep(2000, 'x', true), deep(2000, 'x', false), deep(50, { $gt: '' }, false)),
  fc.jsonValue({ maxDepth: 3 }),
)

export const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', '$where', '$gt', '_id', 'toString', 'hasOwnProperty', '', '中文'] as const

/** `obj` with `key` set as an OWN property (what JSON.parse gives for "__proto__"). */
export function withOwnKey(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const out = JSON.parse(JSON.stringify(obj)) as Record<string, unknown>
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  return out
}

/** Hostile variants of one valid input. */
export function hostileInput(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid)
  const someKey = keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('id')
  return fc.oneof(
    // One field replaced by something hostile.
    { weight: 5, arbitrary: fc.tuple(someKey, weirdValue).map(([k, v]) => withOwnKey(valid, k, v)) },
    // Two fields at once.
    fc.tuple(someKey, weirdValue, someKey, weirdValue).map(([k1, v1, k2, v2]) => withOwnKey(withOwnKey(valid, k1, v1), k2, v2)),
    // A field missing.
    someKey.map((k) => {
      const out = { ...valid }
      delete out[k]
      return out
    }),
    // A key nobody expects, including __proto__ / constructor as own keys.
    fc.tuple(fc.constantFrom(...NASTY_KEYS), weirdValue).map(([k, v]) => withOwnKey(valid, k, v)),
    // The same inside a nested object or an array's first object (lines, results, meal, handover…).
    ...nestedKeys(valid),
    // The __proto__ payloads as a JSON body carries them.
    fc.constant(JSON.parse(`{"__proto__":{"polluted":"yes"},${JSON.stringify(valid).slice(1)}`.replace(/,}$/, '}'))),
    // The whole input the wrong shape.
    weirdValue,
    // Random JSON.
    fc.jsonValue({ maxDepth: 4 }),
  )
}

/** Hostile own keys one level down, in every field of `valid` that holds an object or objects. */
function nestedKeys(valid: Record<string, unknown>): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = []
  for (const [k, v] of Object.entries(valid)) {
    const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)
    if (isObj(v)) {
      out.push(fc.tuple(fc.constantFrom(...NASTY_KEYS), weirdValue).map(([nk, nv]) => withOwnKey(valid, k, withOwnKey(v, nk, nv))))
    } else if (Array.isArray(v) && isObj(v[0])) {
      const first = v[0]
      out.push(fc.tuple(fc.constantFrom(...NASTY_KEYS), weirdValue).map(([nk, nv]) => withOwnKey(valid, k, [withOwnKey(first, nk, nv), ...v.slice(1)])))
    }
  }
  return out
}
