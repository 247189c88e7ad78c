/**
 * Run by tests/server/shapes.test.ts as `node --allow-natives-syntax --import tsx` (V8's
 * %HaveSameMap is only there with that flag). Walks orders through the real dispatcher and reports,
 * for each kind of object the morning rush makes per request, whether two made the same way share
 * one shape (V8 map). On Node 20 a spread copy given a key its source lacks gets a map of its own
 * every time, and per-request maps kept the host's young collections slow (BENCHMARKS.md item 22).
 */
import { decide } from '../../src/core/order/decide'
import { withWatch } from '../../src/core/order/deadlines'
import type { Order } from '../../src/core/order/types'
import { planOrderOutbox } from '../../src/server/notify/plan'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { loadActor } from '../../src/server/actor'
import { makeApp, rid } from './app'

const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: unknown, b: unknown) => boolean

/** Whether the last `n` of `make()`'s objects share one map (after WARM, so that V8's inline caches have settled). */
const WARM = 30
async function stable(make: (i: number) => unknown | Promise<unknown>, n = 6): Promise<boolean> {
  const made: unknown[] = []
  for (let i = 0; i < n + WARM; i++) {
    // A minute between calls: no rate limit is reached.
    app.advance(61_000)
    made.push(await make(i))
  }
  const last = made.slice(WARM)
  return last.every((o) => haveSameMap(o, last[0]))
}

let app: Awaited<ReturnType<typeof makeApp>>

void (async () => {
  app = await makeApp()
  const { zhao, yuhong } = DEMO_PEOPLE
  // One resident: two households' orders may rightly differ in shape (their fields' kinds).
  const place = () => app.as(zhao).call('order.place', { requestId: rid(), kind: 'supplies', urgency: 'normal', lines: [{ itemId: 'rice', qty: 1 }] })
  const stored = (id: string) => app.store.orders.get(id) as Promise<Order>
  const claimed: string[] = []
  const results: Record<string, boolean> = {
    // What the resident's answer is made from: the placed order, as its view.
    'order.place answer': await stable(place),
    'squad.board answer (a card)': await stable(async () => {
      await place()
      return (await app.as(yuhong).call('squad.board', {})).orders[0]
    }),
    'order.claim answer': await stable(async () => {
      const o = await place()
      claimed.push(o.id)
      return app.as(yuhong).call('order.claim', { id: o.id })
    }),
    'order.advance answer': await stable((i) => app.as(yuhong).call('order.advance', { id: claimed[i]!, event: 'depart' })),
    'order.step answer': await stable((i) => app.as(yuhong).call('order.step', { id: claimed[i]!, step: 'disinfect_corridor' })),
    // The pure parts, on stored orders.
    'withWatch of a placed order': await stable(async () => {
      const { watchAt: _w, ...o } = await stored((await place()).id)
      return withWatch(o as Order)
    }),
    'decide: a claim event': await stable(async () => {
      const o = await stored((await place()).id)
      return decide(o, { type: 'claim' }, await loadActor(app.store, yuhong), app.clock.now)
    }),
    'planOrderOutbox: a resident notice': await stable(async (i) => {
      const o = await stored(claimed[i]!)
      return (await planOrderOutbox(app.deps, o, 'claim', yuhong))[0]
    }),
  }
  process.stdout.write(JSON.stringify(results))
})()
