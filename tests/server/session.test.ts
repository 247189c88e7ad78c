import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { signSession, verifySession, SESSION_TTL_MS } from '../../src/server/host/session'

describe('host session tokens', () => {
  const secret = randomBytes(32)
  const now = 1_800_000_000_000

  it('round-trips the person id until it expires', () => {
    const { token, expiresAt } = signSession(secret, 'res-zhao', now)
    expect(expiresAt).toBe(now + SESSION_TTL_MS)
    expect(verifySession(secret, token, now + 1000)).toEqual({ sub: 'res-zhao' })
    expect(verifySession(secret, token, expiresAt)).toEqual({ error: 'AUTH.SESSION_EXPIRED' })
  })

  it('rejects a token whose payload was changed to another person', () => {
    const { token } = signSession(secret, 'res-zhao', now)
    const [, sig] = token.split('.')
    const forged = Buffer.from(JSON.stringify({ sub: 'coord-liu', exp: now + 1e9 })).toString('base64url')
    expect(verifySession(secret, `${forged}.${sig}`, now)).toEqual({ error: 'AUTH.NOT_SIGNED_IN' })
  })

  it('rejects tokens signed with another secret, and garbage', () => {
    const { token } = signSession(randomBytes(32), 'res-zhao', now)
    expect(verifySession(secret, token, now)).toEqual({ error: 'AUTH.NOT_SIGNED_IN' })
    for (const junk of [undefined, '', 'abc', 'a.b.c', '.', 'x.']) {
      expect(verifySession(secret, junk, now)).toEqual({ error: 'AUTH.NOT_SIGNED_IN' })
    }
  })
})
