/**
 * AuditRepo's contract, run against both adapters by store.audit-contract.test.ts.
 * adapters/sqlite-audit.ts defines the reference semantics.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { auditEntryId, type AuditEntry } from '../src/core/audit'
import type { Store } from '../src/server/ports'
import { T0 } from './support/fixtures'

export function makeAuditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  const createdAt = overrides.createdAt ?? T0
  return {
    id: auditEntryId(createdAt, 'x1'),
    communityId: 'c-1',
    createdAt,
    actorId: 'coord-1',
    actorName: '刘主任',
    action: 'coord.setHousehold',
    kind: 'register',
    target: { kind: 'household', id: 'h1-2-502' },
    summary: '修改了 1号楼2单元502 的登记信息（隔离状态：居家隔离）',
    ...overrides,
  }
}

export function auditStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`AuditRepo contract: ${name}`, () => {
    let store: Store
    beforeEach(async () => {
      store = await makeStore()
    })
    afterEach(async () => {
      await store.close()
    })

    it('keeps an entry as it was appended and lists it for its community only', async () => {
      const e = makeAuditEntry()
      await store.audit.append(e)
      await store.audit.append(makeAuditEntry({ id: 'other', communityId: 'c-2' }))
      expect(await store.audit.list({ communityId: 'c-1' })).toEqual({ items: [e], next: null })
      expect((await store.audit.list({ communityId: 'c-3' })).items).toEqual([])
    })

    it('is idempotent on id: a second append of the same id changes nothing', async () => {
      const e = makeAuditEntry()
      await store.audit.append(e)
      await store.audit.append({ ...e, summary: '别的内容' })
      expect((await store.audit.list({ communityId: 'c-1' })).items).toEqual([e])
    })

    it('lists newest first, ties by id descending, and pages with a cursor without gaps or repeats', async () => {
      const entries: AuditEntry[] = []
      for (let i = 0; i < 7; i++) {
        // Two entries share each instant: the id breaks the tie.
        const at = T0 + Math.floor(i / 2) * 1000
        entries.push(makeAuditEntry({ id: auditEntryId(at, `s${i}`), createdAt: at }))
      }
      for (const e of entries) await store.audit.append(e)
      const expected = [...entries].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      const seen: AuditEntry[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page: { items: AuditEntry[]; next: string | null } = await store.audit.list({ communityId: 'c-1', limit: 3, cursor })
        expect(page.items.length).toBeLessThanOrEqual(3)
        seen.push(...page.items)
        cursor = page.next
        pages++
      } while (cursor)
      expect(pages).toBe(3)
      expect(seen.map((e) => e.id)).toEqual(expected.map((e) => e.id))
    })

    it('filters by kind, paged the same way', async () => {
      await store.audit.append(makeAuditEntry({ id: auditEntryId(T0, 'r1'), kind: 'register' }))
      await store.audit.append(makeAuditEntry({ id: auditEntryId(T0 + 1, 'b1'), createdAt: T0 + 1, kind: 'robot', action: 'robot.set' }))
      await store.audit.append(makeAuditEntry({ id: auditEntryId(T0 + 2, 'r2'), createdAt: T0 + 2, kind: 'register' }))
      const first = await store.audit.list({ communityId: 'c-1', kind: 'register', limit: 1 })
      expect(first.items.map((e) => e.id)).toEqual([auditEntryId(T0 + 2, 'r2')])
      const second = await store.audit.list({ communityId: 'c-1', kind: 'register', limit: 1, cursor: first.next })
      expect(second.items.map((e) => e.id)).toEqual([auditEntryId(T0, 'r1')])
      expect(second.next).toBeNull()
      expect((await store.audit.list({ communityId: 'c-1', kind: 'robot' })).items.map((e) => e.action)).toEqual(['robot.set'])
      expect((await store.audit.list({ communityId: 'c-1', kind: 'export' })).items).toEqual([])
    })

    it('clamps a page to 100 entries', async () => {
      for (let i = 0; i < 105; i++) await store.audit.append(makeAuditEntry({ id: auditEntryId(T0 + i, 'p'), createdAt: T0 + i }))
      const page = await store.audit.list({ communityId: 'c-1', limit: 1000 })
      expect(page.items).toHaveLength(100)
      expect(page.next).not.toBeNull()
      const rest = await store.audit.list({ communityId: 'c-1', limit: 1000, cursor: page.next })
      expect(rest.items).toHaveLength(5)
      expect(rest.items[4]!.createdAt).toBe(T0)
    })
  })
}
