/**
 * The one-time code that lets the first coordinator set up a community (`community.setup`).
 * Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), drawn with
 * crypto.randomInt (uniform, no modulo bias): 31^8 ≈ 8.5 × 10^11 codes.
 */
import { randomInt } from 'node:crypto'

export const SETUP_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export const SETUP_CODE_LENGTH = 8

/** What a code set by hand (ZJ_SETUP_CODE) must look like. */
export const SETUP_CODE_PATTERN = /^[A-Z0-9]{8,32}$/

export function generateSetupCode(length = SETUP_CODE_LENGTH): string {
  let out = ''
  for (let i = 0; i < length; i++) out += SETUP_CODE_ALPHABET[randomInt(SETUP_CODE_ALPHABET.length)]
  return out
}
