/**
 * The api's one entry, shared by the cloud function and the local host:
 * envelope → identity → validate → authorize → rate limit (mutating actions) → use case → { ok, data } | { ok: false, code, message }.
 * The caller's id comes from the platform (cloud.getWXContext().OPENID or the host's signed session),
 * never from the request body.
 */
import * as v from 'valibot'
import { authorize } from '../../core/access'
import { CONTRACT, isActionName, type ActionName, type Result } from '../../core/contract'
import { AppError, ERROR_MESSAGES, isAppError } from '../../core/errors'
import { fieldErrors } from '../../core/schemas'
import { loadActor } from '../actor'
import type { Deps } from '../deps'
import { HANDLERS, type Handler } from './handlers'
import { takeRateSlots } from './rate-limit'
import { recordAudit } from '../usecases/audit'

export type Caller = { id: string } | { error: 'AUTH.NOT_SIGNED_IN' | 'AUTH.SESSION_EXPIRED' }

export async function dispatch(deps: Deps, caller: Caller, request: unknown): Promise<Result<unknown>> {
  const started = Date.now()
  let action = '?'
  try {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      throw new AppError('REQUEST.MALFORMED')
    }
    const { action: name, input } = request as { action?: unknown; input?: unknown }
    if (!isActionName(name)) {
      action = typeof name === 'string' ? name.slice(0, 40) : '?'
      throw new AppError('REQUEST.UNKNOWN_ACTION')
    }
    action = name
    if ('error' in caller) throw new AppError(caller.error)
    const actor = await loadActor(deps.store, caller.id)
    // Every action takes an object (valibot's object schemas would take an array for one).
    if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
      throw new AppError('REQUEST.INVALID_INPUT', { message: '请求内容格式不正确' })
    }
    const parsed = v.safeParse(CONTRACT[name].input, input ?? {})
    if (!parsed.success) {
      const fields = fieldErrors(parsed.issues)
      const first = Object.values(fields)[0]
      throw new AppError('REQUEST.INVALID_INPUT', { fields, ...(first ? { message: first } : {}) })
    }
    authorize(name, actor)
    // Rate limits on mutating actions (core/rate-limit.ts); reads pass without a counter.
    const slots = await takeRateSlots(deps, actor, name, parsed.output)
    const handler = HANDLERS[name] as Handler<ActionName>
    let data: unknown
    try {
      data = await handler(deps, actor, parsed.output as never)
    } catch (e) {
      // Giving the slot back must not hide why the handler refused.
      await slots.handlerFailed().catch(() => {})
      throw e
    }
    // The audit log (core/audit.ts): only a change that happened is recorded.
    await recordAudit(deps, actor, name, parsed.output, data)
    deps.log.info('api', { action, ok: true, ms: Date.now() - started })
    return { ok: true, data }
  } catch (e) {
    if (isAppError(e)) {
      deps.log.info('api', { action, ok: false, code: e.code, ms: Date.now() - started })
      return {
        ok: false,
        code: e.code,
        message: e.message,
        ...(e.fields ? { fields: e.fields } : {}),
        ...(e.details ? { details: e.details } : {}),
      }
    }
    // Internal fault: the stack stays in the server log (no inputs, so no personal data); the client
    // gets a code and a calm message.
    const err = e instanceof Error ? e : new Error(String(e))
    deps.log.error('api.internal', { action, error: err.name, stack: (err.stack ?? err.message).slice(0, 2000) })
    return { ok: false, code: 'INTERNAL', message: ERROR_MESSAGES.INTERNAL }
  }
}
