/**
 * QR door badges (二维码胸牌) for residents without a phone: the coordinator prints one card per
 * household; a squad member scans it (or types the code under it) to place an order for that
 * household (代下单). The badge code is its own random token, apart from the household code: the
 * household code binds a person to the household, a badge code only lets the community's squad
 * find the door. It can be reissued (a lost card stops working).
 *
 * Code: 8 characters of the invite alphabet (digits 2–9 and letters without I, L, O), printed as
 * two groups of four ('K7M2-Q9XA'). QR payload: 'zjs:b:' + the code, so it spells no door.
 */

export const BADGE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
export const BADGE_LENGTH = 8
export const BADGE_PREFIX = 'zjs:b:'

const BADGE_RE = new RegExp(`^[${BADGE_ALPHABET}]{${BADGE_LENGTH}}$`)

export const isBadgeCode = (s: string): boolean => BADGE_RE.test(s)

/** A fresh code from `BADGE_LENGTH` random integers in [0, 256) (the caller's CSPRNG). */
export function badgeCodeFrom(randomBytes: ArrayLike<number>): string {
  // 31 letters: reject bytes ≥ 248 (8 × 31) so every letter is equally likely.
  let out = ''
  for (let i = 0; i < randomBytes.length && out.length < BADGE_LENGTH; i++) {
    const b = randomBytes[i]!
    if (b < 248) out += BADGE_ALPHABET[b % BADGE_ALPHABET.length]
  }
  return out
}

/** The QR's text for a code. */
export const badgePayload = (code: string): string => `${BADGE_PREFIX}${code}`

/** 'K7M2Q9XA' → 'K7M2-Q9XA', as printed under the QR. */
export const formatBadgeCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`

/**
 * What a squad member typed or the camera read → the bare code (upper case, spaces and dashes
 * dropped, the 'zjs:b:' prefix taken off). Not checked here: see isBadgeCode.
 */
export function normalizeBadgeInput(raw: string): string {
  let s = raw.trim()
  if (s.toLowerCase().startsWith(BADGE_PREFIX)) s = s.slice(BADGE_PREFIX.length)
  return s.replace(/[\s\-－—]/g, '').toUpperCase()
}
