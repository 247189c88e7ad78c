/**
 * The client's one way to reach the server: `call(action, input)`, typed from the contract.
 * Resolves with the action's output or throws a CallError carrying the stable code, the Chinese
 * message and any per-field messages.
 */
import type { ActionName, InputOf, OutputOf } from '../core/contract'
import type { ErrorCode } from '../core/errors'
import { platformTransport, type Transport } from './transport'

export class CallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'CallError'
  }
}

let transport: Transport = platformTransport
const listeners = new Set<(e: CallError) => void>()

/** For tests and for the dev tools: swap how calls travel. */
export function setTransport(t: Transport): void {
  transport = t
}

/** Hear about every failed call (the app uses it to send signed-out H5 users to sign-in). */
export function onCallError(fn: (e: CallError) => void): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

export async function call<A extends ActionName>(action: A, input: InputOf<A>): Promise<OutputOf<A>> {
  const res = await transport({ action, input })
  if (res.ok) return res.data as OutputOf<A>
  const err = new CallError(res.code, res.message, res.fields ?? {}, res.details ?? {})
  listeners.forEach((fn) => fn(err))
  throw err
}

/** A request id for one submission: retries and double taps reuse it (idempotency). */
export function newRequestId(): string {
  const rand = Math.random().toString(36).slice(2, 10)
  return `${Date.now().toString(36)}${rand}`.padEnd(12, '0')
}
