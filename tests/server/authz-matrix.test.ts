/**
 * The authorization matrix: every action of the contract × every standing a caller can have
 * (tests/support/authz-standings.ts), each cell checked against the outcome written out below.
 * The table is written by hand from the product's rules, not computed from access.ts, so a policy
 * bug fails here; and it must name exactly the contract's actions, so a new action without a row
 * fails too.
 *
 * - Broken sessions (none, tampered, expired) go over HTTP to the real local host.
 * - Signed-in standings go through the dispatcher, each cell on its own copy of the world
 *   (authz-world.ts: a SQLite file), so a cell's writes cannot change another cell's answer.
 * - Every answer, allowed or refused, is scanned for doors, names and phones the caller may not
 *   see; every refusal must leave the store exactly as it was (a digest of every table's rows);
 *   the server's log lines carry no names or phones of residents.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACTION_NAMES, type ActionName } from '../../src/core/contract'
import type { ErrorCode } from '../../src/core/errors'
import { loadOrCreateSecret, signSession, SESSION_TTL_MS } from '../../src/server/host/session'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { inputFor, SETUP_CODE } from '../support/authz-inputs'
import {
  codeOf,
  HTTP_STANDINGS,
  isAllowed,
  mayKnow,
  pass,
  PERSON_STANDINGS,
  STANDINGS,
  type Outcome,
  type PersonStanding,
} from '../support/authz-standings'
import { buildWorld, openWorld, WHO, type WorldIds } from '../support/authz-world'
import { startHost } from '../support/host'
import { allowance, leaks } from '../support/privacy-scan'
import { callerRateRows, sqliteDigest } from '../support/store-digest'

type Row = Record<PersonStanding, Outcome>

const F: ErrorCode = 'AUTH.FORBIDDEN'
const NONE_BOUND: ErrorCode = 'HOUSEHOLD.NONE_BOUND'
const NOT_FOUND: ErrorCode = 'ORDER.NOT_FOUND'
const NOT_HOLDER: ErrorCode = 'ORDER.NOT_HOLDER'

/** Every standing gets `base` except those named. */
const row = (base: Outcome, cells: Partial<Row> = {}): Row => ({
  noHousehold: base,
  resident: base,
  otherResident: base,
  squad: base,
  holder: base,
  partner: base,
  deactivated: base,
  coordinator: base,
  otherCoordinator: base,
  ...cells,
})
const SQUAD_OK = { squad: 'ok', holder: 'ok', partner: 'ok' } as const
/** The coordinators' own-community actions: each coordinator acts on their own community. */
const BOTH_COORDINATORS = row(F, { coordinator: 'ok', otherCoordinator: 'ok' })
/** An order the caller may not see does not exist for them; one they may see but not act on is forbidden. */
const MEMBER_ONLY_ON_ORDER = row(F, { noHousehold: NONE_BOUND, deactivated: NONE_BOUND, resident: 'ok', otherResident: NOT_FOUND, otherCoordinator: NOT_FOUND })
/** Holder-only steps on orders the partner is not on: the rest of the squad and the partner are not the holder. */
const HOLDER_ONLY = row(F, { squad: NOT_HOLDER, partner: NOT_HOLDER, holder: 'ok' })

/**
 * The rules, action by action. The inputs (authz-inputs.ts) aim at the demo community's objects:
 * 张女士's orders (claimed by 于红 with 王楠 as partner, pending, at the door, delivering, a
 * parcel, delivered, rated low), building b1, its campaign and its robot.
 */
const EXPECTED: Record<ActionName, Row> = {
  'me.get': row('ok'),
  'catalog.get': row('ok'),
  'me.setPrefs': row('ok'),
  // The household code and phone are the key: anyone holding them may bind.
  'household.join': row('ok'),
  'community.setup': row('ok', { coordinator: 'SETUP.ALREADY_COORDINATOR', otherCoordinator: 'SETUP.ALREADY_COORDINATOR' }),
  // For 张女士's household: herself, or the squad as 代下单; a coordinator does not order.
  'order.place': row(F, {
    noHousehold: NONE_BOUND,
    deactivated: NONE_BOUND,
    resident: 'ok',
    otherResident: 'HOUSEHOLD.NOT_MEMBER',
    ...SQUAD_OK,
    coordinator: 'HOUSEHOLD.NOT_MEMBER',
    otherCoordinator: 'HOUSEHOLD.NOT_MEMBER',
  }),
  'order.mine': row(NONE_BOUND, { resident: 'ok', otherResident: 'ok' }),
  'order.get': row(NOT_FOUND, { resident: 'ok', ...SQUAD_OK, coordinator: 'ok' }),
  // The squad cancels only a 代下单 it placed (ORDER.NOT_PLACER names why), the household its own order.
  'order.cancel': row(F, {
    squad: 'ORDER.NOT_PLACER',
    holder: 'ORDER.NOT_PLACER',
    partner: 'ORDER.NOT_PLACER',
    noHousehold: NONE_BOUND,
    deactivated: NONE_BOUND,
    resident: 'ok',
    otherResident: NOT_FOUND,
    coordinator: 'ok',
    otherCoordinator: NOT_FOUND,
  }),
  'order.confirm': MEMBER_ONLY_ON_ORDER,
  'order.rate': MEMBER_ONLY_ON_ORDER,
  // Only the household, or the squad member who placed it for them (代下单): the rest of the squad sees
  // the order without its door, and a repeat in their name would hand it to them. A coordinator does not order.
  'order.repeat': { ...MEMBER_ONLY_ON_ORDER, coordinator: 'HOUSEHOLD.NOT_MEMBER' },
  'squad.board': row(F, SQUAD_OK),
  'squad.tasks': row(F, SQUAD_OK),
  'order.claim': row(F, SQUAD_OK),
  'order.release': row(F, { squad: NOT_HOLDER, holder: 'ok', partner: 'ok' }),
  'order.advance': row(F, { squad: NOT_HOLDER, holder: 'ok', partner: 'ok' }),
  'order.deliver': HOLDER_ONLY,
  'order.step': HOLDER_ONLY,
  'order.addPartner': row(F, { squad: NOT_HOLDER, holder: 'ok', partner: 'ORDER.NOT_CLAIMER' }),
  'order.parcelArrived': HOLDER_ONLY,
  'order.disinfectParcel': HOLDER_ONLY,
  // 朝鲁门's own 代下单, unclaimed: he may withdraw it; the rest of the squad did not place it; a
  // coordinator may cancel any order of the community; the household cancels with order.cancel.
  'order.cancelProxy': row(F, {
    squad: 'ok',
    holder: 'ORDER.NOT_PLACER',
    partner: 'ORDER.NOT_PLACER',
    coordinator: 'ok',
    otherCoordinator: NOT_FOUND,
  }),
  // The badge finds the door for the squad of its community only.
  'squad.badgeLookup': row(F, SQUAD_OK),
  // The local app has no photo store: the holder gets past every check to PHOTO.UNAVAILABLE.
  'order.sealPhoto': row(F, { squad: NOT_HOLDER, partner: NOT_HOLDER, holder: pass('PHOTO.UNAVAILABLE') }),
  // Whoever may see the order learns it has no photo; anyone else that there is no such order.
  'photo.url': row(NOT_FOUND, {
    resident: pass('PHOTO.NONE'),
    squad: pass('PHOTO.NONE'),
    holder: pass('PHOTO.NONE'),
    partner: pass('PHOTO.NONE'),
    coordinator: pass('PHOTO.NONE'),
  }),
  'order.reassign': row(F, { coordinator: 'ok', otherCoordinator: NOT_FOUND }),
  'inbox.list': row('ok'),
  'inbox.markRead': row('ok'),
  'notify.templates': row('ok'),
  'notify.consent': row('ok'),
  'squad.invite': BOTH_COORDINATORS,
  'squad.invites': BOTH_COORDINATORS,
  // The invite code is the key; members already on the squad are told so.
  'squad.join': row('ok', { squad: 'SQUAD.ALREADY_MEMBER', holder: 'SQUAD.ALREADY_MEMBER', partner: 'SQUAD.ALREADY_MEMBER', otherCoordinator: 'SQUAD.COORDINATOR_ELSEWHERE' }),
  'squad.members': row(F, { ...SQUAD_OK, coordinator: 'ok', otherCoordinator: 'ok' }),
  'squad.households': row(F, { ...SQUAD_OK, coordinator: 'ok', otherCoordinator: 'ok' }),
  'coord.stats': BOTH_COORDINATORS,
  'coord.setParcelHold': BOTH_COORDINATORS,
  'coord.setServicePhone': BOTH_COORDINATORS,
  'coord.setRetention': BOTH_COORDINATORS,
  'coord.audit': BOTH_COORDINATORS,
  'coord.householdBadges': row(F, { coordinator: 'ok', otherCoordinator: 'BUILDING.NOT_FOUND' }),
  'coord.reissueBadge': row(F, { coordinator: 'ok', otherCoordinator: 'HOUSEHOLD.NOT_FOUND' }),
  'coord.setSoldOut': BOTH_COORDINATORS,
  'coord.addItem': BOTH_COORDINATORS,
  // The item is the demo community's: the other coordinator's catalog has no such item.
  'coord.removeItem': row(F, { coordinator: 'ok', otherCoordinator: 'REQUEST.INVALID_INPUT' }),
  'coord.setHousehold': row(F, { coordinator: 'ok', otherCoordinator: 'HOUSEHOLD.NOT_FOUND' }),
  'coord.householdCodes': row(F, { coordinator: 'ok', otherCoordinator: 'BUILDING.NOT_FOUND' }),
  'coord.followups': BOTH_COORDINATORS,
  'coord.ledger': BOTH_COORDINATORS,
  // No file store in the dispatcher app: both get past authorization to EXPORT.UNAVAILABLE.
  'coord.exportLedger': row(F, { coordinator: pass('EXPORT.UNAVAILABLE'), otherCoordinator: pass('EXPORT.UNAVAILABLE') }),
  'coord.importHouseholds': BOTH_COORDINATORS,
  'coord.buildingMap': row(F, { coordinator: 'ok', otherCoordinator: 'BUILDING.NOT_FOUND' }),
  'coord.resolveFollowup': row(F, { coordinator: 'ok', otherCoordinator: NOT_FOUND }),
  'coord.setDeadlines': BOTH_COORDINATORS,
  'squad.deactivate': row(F, { coordinator: 'ok', otherCoordinator: 'SQUAD.NOT_YOUR_COMMUNITY' }),
  'coord.grids': BOTH_COORDINATORS,
  'coord.setGrid': row(F, { coordinator: 'ok', otherCoordinator: 'GRID.NOT_FOUND' }),
  'robot.list': BOTH_COORDINATORS,
  'robot.set': row(F, { coordinator: 'ok', otherCoordinator: 'ROBOT.UNKNOWN_SCOPE' }),
  'robot.test': row(F, { coordinator: 'ok', otherCoordinator: 'ROBOT.UNKNOWN_SCOPE' }),
  'robot.notice': row(F, { coordinator: 'ok', otherCoordinator: 'ROBOT.UNKNOWN_SCOPE' }),
  'notify.announcement': row(F, { ...SQUAD_OK, coordinator: 'ok', otherCoordinator: 'ok' }),
  'robot.log': row(F, { coordinator: 'ok', otherCoordinator: 'ROBOT.UNKNOWN_SCOPE' }),
  'campaign.create': row(F, { coordinator: 'ok', otherCoordinator: 'CAMPAIGN.UNKNOWN_BUILDING' }),
  'campaign.list': row(F, { ...SQUAD_OK, coordinator: 'ok', otherCoordinator: 'ok' }),
  'campaign.get': row(F, { ...SQUAD_OK, coordinator: 'ok', otherCoordinator: 'CAMPAIGN.NOT_FOUND' }),
  'campaign.tasks': row(F, { ...SQUAD_OK, coordinator: 'ok', otherCoordinator: 'CAMPAIGN.NOT_FOUND' }),
  // Ticking a door is the squad's job, not the coordinators'.
  'campaign.tick': row(F, SQUAD_OK),
  'campaign.untick': row(F, SQUAD_OK),
  'campaign.decline': row(NONE_BOUND, { resident: 'ok', otherResident: 'HOUSEHOLD.NOT_MEMBER' }),
  'campaign.mine': row(NONE_BOUND, { resident: 'ok', otherResident: 'ok' }),
}

/** A broken session is refused before anything else, whatever the action. */
const HTTP_EXPECTED: Record<(typeof HTTP_STANDINGS)[number], ErrorCode> = {
  nobody: 'AUTH.NOT_SIGNED_IN',
  tampered: 'AUTH.NOT_SIGNED_IN',
  expired: 'AUTH.SESSION_EXPIRED',
}

/** Log lines may say which action and order, never whose: no resident's name or phone. */
const NO_PERSONAL_IN_LOGS = allowance([])

const tally = { cells: 0, allowed: 0, refused: 0 }
afterAll(() => {
  console.log(
    `authz matrix: ${tally.cells} cells (${ACTION_NAMES.length} actions × ${STANDINGS.length} standings), ` +
      `${tally.allowed} allowed, ${tally.refused} refused`,
  )
})

it('has a row for exactly the contract\'s actions, and a cell for every standing', () => {
  expect(Object.keys(EXPECTED).sort()).toEqual([...ACTION_NAMES].sort())
  for (const r of Object.values(EXPECTED)) expect(Object.keys(r).sort()).toEqual([...PERSON_STANDINGS].sort())
})

describe('broken sessions, over HTTP on the real host', () => {
  it('every action: no session, a tampered token and an expired one are refused before anything happens', async () => {
    const host = await startHost()
    try {
      const secret = loadOrCreateSecret(join(host.dataDir, 'session.secret'))
      const good = host.session(DEMO_PEOPLE.coordinator)
      // The signature's last characters changed: same person, same expiry, not this server's signature.
      const tampered = good.slice(0, -4) + (good.endsWith('AAAA') ? 'BBBB' : 'AAAA')
      // Signed by this server, for the coordinator, but it ran out a second ago.
      const expired = signSession(secret, DEMO_PEOPLE.coordinator, Date.now() - SESSION_TTL_MS - 1000).token
      const tokens = { nobody: null, tampered, expired }
      const db = (host.deps.store as unknown as { db: Parameters<typeof sqliteDigest>[0] }).db
      const before = sqliteDigest(db)
      const worldIds = placeholderIds()
      const wrong: string[] = []
      for (const action of ACTION_NAMES) {
        for (const s of HTTP_STANDINGS) {
          const res = await host.api(tokens[s], action, inputFor(action, worldIds, `http${tally.cells}`))
          tally.cells++
          tally.refused++
          const got = res.ok ? 'ok' : res.code
          if (got !== HTTP_EXPECTED[s]) wrong.push(`${action} × ${s}: expected ${HTTP_EXPECTED[s]}, got ${got}`)
          const leaked = leaks(res, mayKnow(s, action, res.ok))
          if (leaked.length) wrong.push(`${action} × ${s}: leaked ${leaked.map((l) => l.token).join(', ')}`)
        }
      }
      expect(wrong).toEqual([])
      expect(sqliteDigest(db)).toEqual(before)
      expect(leaks(host.log.lines, NO_PERSONAL_IN_LOGS)).toEqual([])
    } finally {
      await host.stop()
    }
  }, 120_000)
})

/** Ids for the HTTP cells: never reached (the session is refused first), but inputs stay well-formed. */
function placeholderIds(): WorldIds {
  const id = 'o000000000000000000000000'
  return { claimed: id, pending: id, delivered: id, atDoor: id, delivering: id, parcel: id, parcelAtGate: id, proxy: id, badge: 'ABCD2345', followup: id, campaign: id, extraItem: 'x1' }
}

describe('signed-in standings, each cell on a fresh copy of the world', () => {
  let world: Awaited<ReturnType<typeof buildWorld>>
  beforeAll(async () => {
    world = await buildWorld()
  }, 60_000)

  for (const action of ACTION_NAMES) {
    it(action, async () => {
      const wrong: string[] = []
      for (const s of PERSON_STANDINGS) {
        const expected = EXPECTED[action][s]
        const app = await openWorld(world.image, { setupCode: SETUP_CODE })
        try {
          const skip = callerRateRows(WHO[s])
          const before = sqliteDigest(app.db, skip)
          const res = await app.raw(WHO[s], action, inputFor(action, world.ids, `${s.slice(0, 6)}${tally.cells}`.padEnd(8, '0')))
          tally.cells++
          if (isAllowed(expected)) tally.allowed++
          else tally.refused++
          const got = res.ok ? 'ok' : res.code
          if (got !== codeOf(expected)) {
            wrong.push(`${s}: expected ${codeOf(expected)}, got ${got}${res.ok ? '' : ` (${res.message})`}`)
          }
          const leaked = leaks(res, mayKnow(s, action, res.ok))
          if (leaked.length) wrong.push(`${s}: answer carries ${leaked.map((l) => `${l.kind} of ${l.owner} "${l.token}"`).join(', ')}`)
          if (!res.ok && !isAllowed(expected)) {
            const after = sqliteDigest(app.db, skip)
            const changed = Object.keys(after).filter((t) => after[t] !== before[t])
            if (changed.length) wrong.push(`${s}: the refusal changed ${changed.join(', ')}`)
          }
          const logLeaks = leaks(app.log.lines, NO_PERSONAL_IN_LOGS).filter((l) => l.kind === 'personal')
          if (logLeaks.length) wrong.push(`${s}: the log carries ${logLeaks.map((l) => l.token).join(', ')}`)
        } finally {
          await app.dispose()
        }
      }
      expect(wrong).toEqual([])
    })
  }
})
