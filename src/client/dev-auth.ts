/** Dev sign-in against the local host (H5 only): list the demo people, get a signed session. */
import type { Result } from '../core/contract'
import { setSessionToken } from './session'

export interface DemoPerson {
  id: string
  name: string
  role: string
}

export async function listDemoPeople(): Promise<DemoPerson[]> {
  const res = (await (await fetch('/api/dev/people')).json()) as Result<{ people: DemoPerson[] }>
  if (!res.ok) throw new Error(res.message)
  return res.data.people
}

export async function devSignIn(personId: string): Promise<void> {
  const res = (await (
    await fetch('/api/dev/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personId }),
    })
  ).json()) as Result<{ token: string; expiresAt: number }>
  if (!res.ok) throw new Error(res.message)
  setSessionToken(res.data.token)
}

export function signOut(): void {
  setSessionToken(null)
}
