/**
 * The local host's one-time setup code (ZJ_DEMO=0): made when the store has no community yet,
 * kept in the data folder so a restart prints the same code until someone uses it, and handed to
 * community.setup through Deps.setupCode. After it is used it stays configured, so a second use
 * is told SETUP.CODE_USED rather than SETUP.DISABLED.
 */
import { randomInt } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { SETUP_CODE_ALPHABET, SETUP_CODE_LENGTH } from '../../core/community-setup'
import type { SetupRepo } from '../ports'
import { setupCodeHash } from '../usecases/community-setup'

export function newSetupCode(): string {
  let code = ''
  for (let i = 0; i < SETUP_CODE_LENGTH; i++) code += SETUP_CODE_ALPHABET[randomInt(SETUP_CODE_ALPHABET.length)]
  return code
}

export type SetupCodeState =
  /** No code: the store already has a community and none was ever made here. */
  | { state: 'none' }
  | { state: 'open'; code: string }
  | { state: 'used'; code: string }

export async function loadOrCreateSetupCode(opts: {
  file: string
  setup: SetupRepo
  /** Whether the store holds any community (then no new code is made). */
  hasCommunity: () => Promise<boolean>
}): Promise<SetupCodeState> {
  if (existsSync(opts.file)) {
    const code = readFileSync(opts.file, 'utf8').trim()
    if (code) return (await opts.setup.get(setupCodeHash(code))) ? { state: 'used', code } : { state: 'open', code }
  }
  if (await opts.hasCommunity()) return { state: 'none' }
  const code = newSetupCode()
  mkdirSync(dirname(opts.file), { recursive: true })
  writeFileSync(opts.file, code + '\n', { mode: 0o600 })
  return { state: 'open', code }
}
