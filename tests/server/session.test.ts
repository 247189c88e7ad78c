import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { sessionVerifier, signSession, verifySession, SESSION_TTL_MS } from '../../src/server/host/session'

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

describe('sessionVerifier (verified tokens remembered)', () => {
  it('answers a known token from memory, still refuses it once expired, and never remembers a forged one', () => {
    const secret = Buffer.alloc(32, 7)
    const verify = sessionVerifier(secret)
    const { token, expiresAt } = signSession(secret, 'p-1', 1_000, 10_000)
    expect(verify(token, 2_000)).toEqual({ sub: 'p-1' })
    expect(verify(token, 3_000)).toEqual({ sub: 'p-1' })
    expect(verify(token, expiresAt)).toEqual({ error: 'AUTH.SESSION_EXPIRED' })
    // Same payload, a signature of another secret: refused every time, remembered never.
    const forged = signSession(Buffer.alloc(32, 8), 'p-1', 1_000, 10_000).token
    expect(verify(forged, 2_000)).toEqual({ error: 'AUTH.NOT_SIGNED_IN' })
    expect(verify(forged, 2_000)).toEqual({ error: 'AUTH.NOT_SIGNED_IN' })
    expect(verify(undefined, 2_000)).toEqual({ error: 'AUTH.NOT_SIGNED_IN' })
  })

  it('keeps working past its size bound (forgets, then verifies again)', () => {
    const secret = Buffer.alloc(32, 9)
    const verify = sessionVerifier(secret, 2)
    const tokens = ['a', 'b', 'c', 'd'].map((id) => signSession(secret, id, 0).token)
    for (const t of [...tokens, ...tokens]) expect('sub' in verify(t, 1)).toBe(true)
    expect(verify(tokens[0]!, 1)).toEqual({ sub: 'a' })
  })
})
