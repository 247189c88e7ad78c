/**
 * The local host's signed session: `base64url(payload).base64url(HMAC-SHA256(payload))`.
 * The payload names the person and an expiry; nothing the client sends besides this token
 * decides who the caller is.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000

interface Payload {
  sub: string
  exp: number
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url')

export function signSession(secret: Buffer, sub: string, now: number, ttl = SESSION_TTL_MS): { token: string; expiresAt: number } {
  const exp = now + ttl
  const body = b64(JSON.stringify({ sub, exp } satisfies Payload))
  const sig = b64(createHmac('sha256', secret).update(body).digest())
  return { token: `${body}.${sig}`, expiresAt: exp }
}

export type Verified = { sub: string } | { error: 'AUTH.NOT_SIGNED_IN' | 'AUTH.SESSION_EXPIRED' }

export function verifySession(secret: Buffer, token: string | undefined, now: number): Verified {
  if (!token) return { error: 'AUTH.NOT_SIGNED_IN' }
  const [body, sig] = token.split('.')
  if (!body || !sig) return { error: 'AUTH.NOT_SIGNED_IN' }
  const expected = createHmac('sha256', secret).update(body).digest()
  const given = Buffer.from(sig, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { error: 'AUTH.NOT_SIGNED_IN' }
  let p: Payload
  try {
    p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload
  } catch {
    return { error: 'AUTH.NOT_SIGNED_IN' }
  }
  if (typeof p.sub !== 'string' || typeof p.exp !== 'number') return { error: 'AUTH.NOT_SIGNED_IN' }
  if (p.exp <= now) return { error: 'AUTH.SESSION_EXPIRED' }
  return { sub: p.sub }
}

/** The HMAC secret, generated on first run into the data folder (mode 0600). */
export function loadOrCreateSecret(file: string): Buffer {
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex')
  mkdirSync(dirname(file), { recursive: true })
  const secret = randomBytes(32)
  writeFileSync(file, secret.toString('hex'), { mode: 0o600 })
  return secret
}

/**
 * verifySession with a memory of tokens already verified (the HMAC of every request was a visible
 * share of a request's cost under load). A token is remembered only after its HMAC checked out, by
 * its exact text, with its expiry: an expired one is refused as before, a forged one is never in it.
 */
export function sessionVerifier(secret: Buffer, max = 10_000): (token: string | undefined, now: number) => Verified {
  const known = new Map<string, { sub: string; exp: number }>()
  return (token, now) => {
    const hit = token ? known.get(token) : undefined
    if (hit && hit.exp > now) return { sub: hit.sub }
    const v = verifySession(secret, token, now)
    if (token && 'sub' in v) {
      if (known.size >= max) known.clear()
      const body = token.split('.')[0]!
      known.set(token, { sub: v.sub, exp: (JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload).exp })
    }
    return v
  }
}
