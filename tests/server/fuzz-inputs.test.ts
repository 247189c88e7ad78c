/**
 * Hostile inputs for every action (tests/support/fuzz-arbitraries.ts), through the real dispatcher:
 * - never an internal fault: every answer is ok or a typed refusal with a code of errors.ts (never
 *   INTERNAL) and a Chinese message; dispatch never throws;
 * - a refused input changes nothing: a digest of every row of every table (SQLite) or every
 *   document of every collection (CloudBase over the real wx-server-sdk) is the same after;
 * - Object.prototype is never polluted.
 * Each action is called by someone with the standing it needs, on the authorization world
 * (valid inputs aim at real orders, households and a campaign), so hostile variants reach the
 * use cases, not only the schema. Fixed seed: a failure prints the case to replay.
 */
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { standingFor } from '../../src/core/access'
import { ACTION_NAMES, type ActionName, type Result } from '../../src/core/contract'
import { ERROR_MESSAGES } from '../../src/core/errors'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import { dispatch } from '../../src/server/api/dispatch'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, rid } from '../support/app'
import { inputFor, SETUP_CODE } from '../support/authz-inputs'
import { buildWorld, openWorld, type WorldIds } from '../support/authz-world'
import { hostileInput, weirdValue } from '../support/fuzz-arbitraries'
import { callerRateRows, isCallerCounter, sqliteWatch } from '../support/store-digest'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'

const SEED = Number(process.env.FUZZ_SEED ?? 20261201)
const RUNS_PER_ACTION = Number(process.env.FUZZ_RUNS ?? 100)
const CLOUD_RUNS_PER_ACTION = Number(process.env.FUZZ_CLOUD_RUNS ?? 20)
const { zhang, yuhong, coordinator } = DEMO_PEOPLE

/** Someone with the standing the action needs, so the input gets past authorization. */
function callerFor(action: ActionName): string {
  switch (standingFor(action)) {
    case 'resident':
      return zhang
    case 'squad':
      return yuhong
    case 'coordinator':
    case 'squadOrCoordinator':
    case 'anyone':
      return coordinator
  }
}

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort()
function expectPrototypesClean(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS)
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined()
}

/** A typed answer: ok, or a code errors.ts knows (never INTERNAL) with a Chinese message. */
function expectTyped(res: Result<unknown>): void {
  if (res.ok) return
  expect(Object.keys(ERROR_MESSAGES)).toContain(res.code)
  expect(res.code).not.toBe('INTERNAL')
  expect(res.message).toMatch(/[\u4e00-\u9fff]/)
}

const tally = { sqlite: 0, cloud: 0, refused: 0, ok: 0 }
afterAll(() => {
  console.log(`fuzz: ${tally.sqlite} SQLite cases + ${tally.cloud} CloudBase cases (${tally.refused} refused, ${tally.ok} ok), seed ${SEED}`)
})

describe('every action, hostile inputs, SQLite store', () => {
  let app: Awaited<ReturnType<typeof openWorld>>
  let ids: WorldIds
  beforeAll(async () => {
    const world = await buildWorld()
    ids = world.ids
    app = await openWorld(world.image, { setupCode: SETUP_CODE })
  }, 60_000)
  afterAll(async () => {
    await app?.dispose()
  })

  it('the store watch sees a write (so an unchanged store means nothing was written)', async () => {
    const watch = sqliteWatch(app.db)
    expect(watch.changed()).toEqual([])
    const res = await dispatch(app.deps, { id: coordinator }, { action: 'coord.setSoldOut', input: { itemId: 'oil', soldOut: true } })
    expect(res.ok).toBe(true)
    expect(watch.changed()).toContain('communities')
  })

  for (const action of ACTION_NAMES) {
    it(action, async () => {
      const who = callerFor(action)
      const watch = sqliteWatch(app.db, callerRateRows(who))
      const valid = inputFor(action, ids, 'fuzz0000')
      await fc.assert(
        fc.asyncProperty(hostileInput(valid), async (input) => {
          // Past every rate window: the limits would otherwise stop the cases before the use cases.
          app.advance(61_000)
          const res = await dispatch(app.deps, { id: who }, { action, input })
          tally.sqlite++
          expectTyped(res)
          if (res.ok) tally.ok++
          const changed = watch.changed()
          if (!res.ok) {
            tally.refused++
            expect(changed, `${res.code} changed the store`).toEqual([])
          }
          expectPrototypesClean()
        }),
        { seed: SEED, numRuns: RUNS_PER_ACTION, endOnFailure: true },
      )
    })
  }

  it('the envelope itself: random requests and action names are refused with a typed code', async () => {
    const watch = sqliteWatch(app.db)
    await fc.assert(
      fc.asyncProperty(fc.oneof(weirdValue, fc.record({ action: weirdValue, input: weirdValue })), async (request) => {
        const res = await dispatch(app.deps, { id: coordinator }, request)
        tally.sqlite++
        tally.refused++
        expect(res.ok).toBe(false)
        expectTyped(res)
        expect(watch.changed()).toEqual([])
        expectPrototypesClean()
      }),
      { seed: SEED, numRuns: 200, endOnFailure: true },
    )
  })
})

/**
 * CloudBase: the actions whose input ends up in a query (ids, codes, cursors, filters), where an
 * operator object or a `$`-string must never become part of the filter.
 */
const QUERY_SHAPED: readonly ActionName[] = [
  'household.join',
  'squad.join',
  'community.setup',
  'order.get',
  'order.place',
  'order.claim',
  'photo.url',
  'inbox.list',
  'inbox.markRead',
  'coord.ledger',
  'coord.setHousehold',
  'coord.householdCodes',
  'coord.buildingMap',
  'coord.setGrid',
  'squad.deactivate',
  'robot.log',
  'campaign.get',
  'campaign.tasks',
  'campaign.tick',
  'campaign.decline',
]

function cloudDigest(engine: SdkDbEngine, caller: string): string {
  const h = createHash('sha256')
  for (const name of engine.collections().sort()) {
    h.update(`\u0000${name}\u0000`)
    for (const doc of engine.dump(name)) {
      // The caller's own counters (see store-digest.ts isCallerCounter).
      const d = doc as { key?: unknown; count?: unknown }
      if ('key' in d && isCallerCounter(caller, d.key, d.count)) continue
      h.update(JSON.stringify(doc))
    }
  }
  return h.digest('hex')
}

describe('query-shaped actions, hostile inputs, CloudBase over the real wx-server-sdk', () => {
  const engine = new SdkDbEngine()
  let app: Awaited<ReturnType<typeof makeApp>>
  let ids: WorldIds
  beforeAll(async () => {
    app = await makeApp({ store: openCloudbase(await openSdkDatabase(engine)), setupCode: SETUP_CODE })
    const place = () => app.as(zhang).call('order.place', { requestId: rid('c'), kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
    const claimed = await place()
    await app.as(yuhong).call('order.claim', { id: claimed.id })
    const pending = await place()
    const campaign = await app.as(coordinator).call('campaign.create', {
      requestId: rid('c'),
      title: '社区发放',
      item: '大米',
      qtyPerHousehold: 1,
      unit: '袋',
      buildingIds: ['b1'],
    })
    ids = {
      claimed: claimed.id,
      pending: pending.id,
      delivered: claimed.id,
      atDoor: claimed.id,
      delivering: claimed.id,
      parcel: claimed.id,
      parcelAtGate: claimed.id,
      proxy: pending.id,
      badge: 'ABCD2345',
      followup: claimed.id,
      campaign: campaign.id,
      extraItem: 'none',
    }
  }, 60_000)

  for (const action of QUERY_SHAPED) {
    it(action, async () => {
      const who = callerFor(action)
      const valid = inputFor(action, ids, 'cloud000')
      await fc.assert(
        fc.asyncProperty(hostileInput(valid), async (input) => {
          app.advance(61_000)
          const before = cloudDigest(engine, who)
          const res = await dispatch(app.deps, { id: who }, { action, input })
          tally.cloud++
          expectTyped(res)
          if (res.ok) tally.ok++
          else {
            tally.refused++
            expect(cloudDigest(engine, who)).toEqual(before)
          }
          expectPrototypesClean()
        }),
        { seed: SEED, numRuns: CLOUD_RUNS_PER_ACTION, endOnFailure: true },
      )
    }, 60_000)
  }
})
