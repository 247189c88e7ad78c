/**
 * Dev sign-in against the local host (H5 only): list the demo people, get a signed session as one of
 * them, or as a new person under a name they type (the host gives them an id).
 */
import type { Result } from '../core/contract'
import { setSessionToken } from './session'

export interface DemoPerson {
  id: string
  name: string
  role: string
}

/** A refused sign-in: the host's message, and per-field messages when the name was the problem. */
export class SignInError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message)
  }
}

export async function listDemoPeople(): Promise<DemoPerson[]> {
  const res = (await (await fetch('/api/dev/people')).json()) as Result<{ people: DemoPerson[] }>
  if (!res.ok) throw new SignInError(res.message, res.code)
  return res.data.people
}

/** `{ personId }`: a person the host knows; `{ name }`: a new person under that name. */
export async function devSignIn(who: { personId: string } | { name: string }): Promise<void> {
  const res = (await (
    await fetch('/api/dev/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(who),
    })
  ).json()) as Result<{ token: string; expiresAt: number; personId: string }>
  if (!res.ok) throw new SignInError(res.message, res.code, res.fields)
  setSessionToken(res.data.token)
}

export function signOut(): void {
  setSessionToken(null)
}
