/**
 * The audit log (操作记录): writing an entry after an audited action succeeded (called by the
 * dispatcher), system entries (timer jobs), and the coordinator's paged read (coord.audit).
 */
import { randomBytes } from 'node:crypto'
import type { Actor } from '../../core/actor'
import {
  AUDITED_ACTIONS,
  auditEntryId,
  auditFacts,
  auditKindLabel,
  EVERY_CALL_RECORDED,
  isAudited,
  SYSTEM_ACTOR,
  type AuditEntry,
  type AuditFacts,
  type AuditPage,
} from '../../core/audit'
import type { ActionName, ParsedInputOf } from '../../core/contract'
import type { Deps } from '../deps'

function entry(deps: Deps, who: { id: string; name: string }, action: string, kind: AuditEntry['kind'], facts: AuditFacts): AuditEntry {
  const at = deps.now()
  return {
    id: auditEntryId(at, randomBytes(6).toString('hex')),
    communityId: facts.communityId,
    createdAt: at,
    actorId: who.id,
    actorName: who.name,
    action,
    kind,
    target: facts.target,
    summary: facts.summary,
  }
}

/**
 * After a handler succeeded: the entry for an audited action (nothing for the rest, nor for a
 * preview). A failed write is logged (action and code only) and does not undo the change it records.
 */
export async function recordAudit(deps: Deps, actor: Actor, action: ActionName, input: unknown, output: unknown): Promise<void> {
  if (!isAudited(action)) return
  const facts = auditFacts(action, actor.coordinatorOf, input as never, output as never)
  if (!facts) return
  try {
    const e = entry(deps, actor, action, AUDITED_ACTIONS[action].kind, facts)
    if (!EVERY_CALL_RECORDED.has(action) && (await isResendOfLatest(deps, e))) return
    await deps.store.audit.append(e)
  } catch (e) {
    deps.log.error('audit.write_failed', { action, error: e instanceof Error ? e.name : 'unknown' })
  }
}

/** How long a repeat of the community's latest entry counts as a resend of it. */
export const AUDIT_RESEND_MS = 2 * 60_000

/**
 * A retry (a double tap, a network resend) of the change just recorded says nothing new: the same
 * person, action, target and summary as the community's latest entry, within AUDIT_RESEND_MS, is
 * not written again. Anything in between, or later, is.
 */
async function isResendOfLatest(deps: Deps, e: AuditEntry): Promise<boolean> {
  const latest = (await deps.store.audit.list({ communityId: e.communityId, limit: 1, cursor: null })).items[0]
  return (
    latest !== undefined &&
    latest.actorId === e.actorId &&
    latest.action === e.action &&
    latest.summary === e.summary &&
    JSON.stringify(latest.target) === JSON.stringify(e.target) &&
    e.createdAt - latest.createdAt <= AUDIT_RESEND_MS
  )
}

/** An entry written by a timer job (e.g. retention), as 系统. */
export async function recordSystemAudit(deps: Deps, action: string, kind: AuditEntry['kind'], facts: AuditFacts): Promise<void> {
  await deps.store.audit.append(entry(deps, SYSTEM_ACTOR, action, kind, facts))
}

/** coord.audit: the coordinator's own community, newest first, 30 a page, optionally one kind. */
export async function listAudit(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.audit'>): Promise<AuditPage> {
  const communityId = actor.coordinatorOf!
  const page = await deps.store.audit.list({ communityId, kind: input.kind, limit: AUDIT_PAGE, cursor: input.cursor ?? null })
  return {
    items: page.items.map((e) => ({
      id: e.id,
      at: e.createdAt,
      actorName: e.actorName,
      system: e.actorId === SYSTEM_ACTOR.id,
      kind: e.kind,
      kindLabel: auditKindLabel(e.kind),
      actionLabel: actionLabel(e.action),
      target: e.target,
      summary: e.summary,
    })),
    next: page.next,
  }
}

export const AUDIT_PAGE = 30

function actionLabel(action: string): string {
  if (Object.prototype.hasOwnProperty.call(AUDITED_ACTIONS, action)) return AUDITED_ACTIONS[action as keyof typeof AUDITED_ACTIONS].label
  if (action === 'retention.anonymise') return '到期匿名'
  return action
}
