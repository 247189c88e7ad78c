/**
 * The standings of the authorization matrix (who calls) and, for each, what personal data the
 * caller may see in an answer. The expected outcome of every action × standing is written out in
 * tests/server/authz-matrix.test.ts; this module says who the standings are.
 */
import type { ActionName } from '../../src/core/contract'
import type { ErrorCode } from '../../src/core/errors'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { OTHER, WHO } from './authz-world'
import { ALL_DEMO_HOUSEHOLDS, allowance, type Allowance, type SecretKind } from './privacy-scan'

/** Standings checked over HTTP on the real host: the session itself is wrong. */
export const HTTP_STANDINGS = ['nobody', 'tampered', 'expired'] as const
/** Standings of a signed-in person, checked through the dispatcher on a fresh copy of the world. */
export const PERSON_STANDINGS = [
  'noHousehold',
  'resident',
  'otherResident',
  'squad',
  'holder',
  'partner',
  'deactivated',
  'coordinator',
  'otherCoordinator',
] as const satisfies readonly (keyof typeof WHO)[]
export const STANDINGS = [...HTTP_STANDINGS, ...PERSON_STANDINGS] as const
export type Standing = (typeof STANDINGS)[number]
export type PersonStanding = (typeof PERSON_STANDINGS)[number]

export const DESCRIBE: Record<Standing, string> = {
  nobody: 'no session',
  tampered: 'a session token whose signature was altered',
  expired: 'a session token past its expiry',
  noHousehold: 'a signed-in person with no household (孙女士)',
  resident: "a resident of the orders' household (张女士, h1-2-502)",
  otherResident: 'a resident of another household (赵先生, h1-1-301)',
  squad: 'a squad member who holds none of the orders (朝鲁门)',
  holder: 'the holder of the orders (于红)',
  partner: "the holder's partner on the claimed order (王楠)",
  deactivated: 'a squad member the coordinator deactivated',
  coordinator: 'the community coordinator (刘主任)',
  otherCoordinator: 'the coordinator of another community (钱主任)',
}

/**
 * Expected outcome of one cell: 'ok', a refusal (the caller may not do this), or `pass(code)`:
 * authorized, then answered with a code that is not about who calls (no photo, no file store).
 */
export type Outcome = 'ok' | ErrorCode | { pass: ErrorCode }
export const pass = (code: ErrorCode): Outcome => ({ pass: code })
export const isAllowed = (o: Outcome) => o === 'ok' || typeof o === 'object'
export const codeOf = (o: Outcome): 'ok' | ErrorCode => (typeof o === 'object' ? o.pass : o)

const BOTH: readonly SecretKind[] = ['door', 'personal']
const ZHANG = 'h1-2-502'

/** What personal data the caller may find in the answer to `action` (with its matrix input). */
export function mayKnow(standing: Standing, action: ActionName, ok: boolean): Allowance {
  const e: [string, readonly SecretKind[]][] = []
  switch (standing) {
    case 'nobody':
    case 'tampered':
    case 'expired':
    case 'squad':
      // 朝鲁门 placed a 代下单 for 张女士 (authz-world.ts): he knows that door while it is his to place.
      e.push([ZHANG, ['door']])
      break
    case 'deactivated':
      break
    case 'noHousehold':
      e.push([DEMO_PEOPLE.newcomer, BOTH])
      break
    case 'resident':
      e.push([ZHANG, BOTH])
      break
    case 'otherResident':
      e.push(['h1-1-301', BOTH])
      break
    case 'holder':
    case 'partner':
      // They hold 张女士's active orders: her door and phone are theirs to know while they do.
      e.push([ZHANG, BOTH])
      break
    case 'coordinator':
      for (const h of ALL_DEMO_HOUSEHOLDS) e.push([h, BOTH])
      e.push([DEMO_PEOPLE.newcomer, BOTH])
      break
    case 'otherCoordinator':
      e.push([OTHER.household, BOTH])
      break
    default: {
      const never: never = standing
      throw new Error(String(never))
    }
  }
  const squadish = standing === 'squad' || standing === 'holder' || standing === 'partner'
  if (ok) {
    // Joining with the household's code and phone: that household is now the caller's.
    if (action === 'household.join') e.push([ZHANG, BOTH])
    // The squad's lists of doors (代下单, door-to-door campaigns): doors, never names or phones.
    // A QR door badge scanned at the door (squad.badgeLookup): that household, for 代下单.
    if (squadish && (action === 'squad.households' || action === 'squad.badgeLookup' || action.startsWith('campaign.'))) {
      for (const h of ALL_DEMO_HOUSEHOLDS) e.push([h, ['door']])
    }
    // A squad member who claims an order (or places one for a household, 代下单) works that door.
    if (squadish && (action === 'order.claim' || action === 'order.place')) e.push([ZHANG, BOTH])
  }
  return allowance(e)
}
