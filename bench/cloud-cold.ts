/**
 * Cold load of the `api` cloud function: the bundle scripts/build-cloud.mjs makes, required in fresh Node
 * processes next to `require('wx-server-sdk')` alone (which every cloud function pays), then its first call.
 * Each repetition starts a new process for each measurement, alternating, and the median is kept: this
 * machine is shared and noisy, so only the ratio made within one run means much. Target: bundle / SDK ≤ 1.3.
 *
 * The first call is `me.get` with no caller: it goes through the SDK's getWXContext, the dispatcher and the
 * access policy and answers AUTH.NOT_SIGNED_IN, without a database round trip (there is no cloud here).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import type { Section } from './report'

const ROOT = join(__dirname, '..')
const BUNDLE = join(ROOT, 'cloudfunctions', 'api', 'index.js')
const REPS = 9

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

/** Runs `body` in a fresh Node process; it prints one JSON object of timings (ms). */
function child<T>(body: string): T {
  const code = `const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;\n${body}`
  const r = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
  if (r.status !== 0) throw new Error(`cold-load child failed: ${r.stderr}`)
  const last = r.stdout.trim().split('\n').pop()!
  return JSON.parse(last) as T
}

const SDK_ONLY = `const t = process.hrtime.bigint(); require('wx-server-sdk'); console.log(JSON.stringify({ require: ms(t) }))`
const BUNDLE_AND_CALL = `
const t = process.hrtime.bigint(); const fn = require(${JSON.stringify(BUNDLE)}); const loaded = ms(t);
const t1 = process.hrtime.bigint();
// The function logs one line per call; keep stdout for the timings.
console.log = () => {}; const print = (s) => process.stdout.write(s + '\\n');
fn.main({ action: 'me.get', input: {} }).then((res) => {
  if (res.code !== 'AUTH.NOT_SIGNED_IN') throw new Error('unexpected first call result ' + JSON.stringify(res));
  print(JSON.stringify({ require: loaded, call: ms(t1) }));
});`

export async function cloudCold(): Promise<Section> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cloud.mjs')], { cwd: ROOT, stdio: 'pipe' })
  const sdk: number[] = []
  const bundle: number[] = []
  const call: number[] = []
  // One warm-up of each so the file cache is equally warm for both.
  child(SDK_ONLY)
  child(BUNDLE_AND_CALL)
  for (let i = 0; i < REPS; i++) {
    sdk.push(child<{ require: number }>(SDK_ONLY).require)
    const b = child<{ require: number; call: number }>(BUNDLE_AND_CALL)
    bundle.push(b.require)
    call.push(b.call)
  }
  const kb = (f: string) => statSync(join(ROOT, 'cloudfunctions', 'api', f)).size / 1024
  return {
    id: 'cloud-cold',
    title: `Cloud function cold load (fresh Node processes, median of ${REPS})`,
    figures: [
      { name: 'cloudfunctions/api/index.js size', value: kb('index.js'), unit: 'KB' },
      { name: 'cloudfunctions/api/exceljs.js size (loaded on export only)', value: kb('exceljs.js'), unit: 'KB' },
      { name: "require('wx-server-sdk') alone", value: median(sdk), unit: 'ms' },
      { name: 'require(index.js), SDK included', value: median(bundle), unit: 'ms' },
      { name: 'first call after load (me.get, no caller)', value: median(call), unit: 'ms' },
      { name: 'cold require: bundle / SDK alone', value: median(bundle) / median(sdk), unit: '×', target: { op: '<=', value: 1.3 } },
    ],
  }
}
