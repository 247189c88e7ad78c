/**
 * Scans anything a caller receives (or a log line) for personal data of the demo register and of
 * the authorization world's second community: each household's door (its id 'h1-2-502' and the
 * '1-2-502' / '1号楼2单元502' spellings), its resident's name and phone, and the resident people's
 * own names and phones. `allowed` says which owners' data of which kind the caller may see; the
 * scan returns every other token it finds.
 */
import { DEMO_ISOLATED, demoHouseholds, demoPeople } from '../../src/server/seed/demo'
import { OTHER_HOUSEHOLD } from './authz-world'

export type SecretKind = 'door' | 'personal'
export interface Secret {
  /** The household id (or person id of a resident without a household). */
  owner: string
  kind: SecretKind
  token: string
}

function householdSecrets(): Secret[] {
  const out: Secret[] = []
  for (const h of [...demoHouseholds(), OTHER_HOUSEHOLD]) {
    const door = (token: string) => out.push({ owner: h.id, kind: 'door', token })
    door(h.id)
    // 'h1-2-502' spells '1-2-502'; the other community's id spells its own door.
    door(h.id.replace(/^[a-z]+/, ''))
    door(`${h.building}${h.unit}单元${h.room}`)
    if (h.residentName) out.push({ owner: h.id, kind: 'personal', token: h.residentName })
    if (h.phone) out.push({ owner: h.id, kind: 'personal', token: h.phone })
  }
  // Residents as the app knows them (赵先生, 张女士, …): their names and phones belong to their household.
  for (const p of demoPeople(0)) {
    if (p.squadOf || p.coordinatorOf || p.id.startsWith('vol-')) continue
    const owner = p.households[0] ?? p.id
    out.push({ owner, kind: 'personal', token: p.name }, { owner, kind: 'personal', token: p.phone })
  }
  out.push({ owner: OTHER_HOUSEHOLD.id, kind: 'personal', token: '钱女士' })
  return out
}

export const SECRETS: readonly Secret[] = householdSecrets()
export const ALL_DEMO_HOUSEHOLDS: readonly string[] = demoHouseholds().map((h) => h.id)
export const ISOLATED_IDS: readonly string[] = DEMO_ISOLATED.map((h) => h.id)

/** owner → kinds the caller may see of it. */
export type Allowance = Map<string, Set<SecretKind>>

export function allowance(entries: Iterable<readonly [owner: string, kinds: readonly SecretKind[]]>): Allowance {
  const m: Allowance = new Map()
  for (const [owner, kinds] of entries) {
    const s = m.get(owner) ?? new Set<SecretKind>()
    for (const k of kinds) s.add(k)
    m.set(owner, s)
  }
  return m
}

/** The secrets in `value` the caller may not see (a token the caller may see under another owner is not counted). */
export function leaks(value: unknown, allowed: Allowance): Secret[] {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? ''
  const ok = (s: Secret) => allowed.get(s.owner)?.has(s.kind) ?? false
  const allowedTokens = new Set(SECRETS.filter(ok).map((s) => s.token))
  return SECRETS.filter((s) => !ok(s) && !allowedTokens.has(s.token) && text.includes(s.token))
}
