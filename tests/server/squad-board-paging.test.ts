/**
 * squad.board pages in the store (core/order/board-page.ts): with more waiting orders than any one
 * read, the overdue urgent order still leads, every order is reachable page by page exactly once,
 * `hasMore` / `total` / `overdue` say what is left, and a bad cursor is refused in Chinese.
 */
import { describe, expect, it } from 'vitest'
import { compareBoard } from '../../src/core/order/board-page'
import type { Order } from '../../src/core/order/types'
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp } from '../support/app'
import { makeOrder } from '../support/fixtures'

const { yuhong } = DEMO_PEOPLE
const MIN = 60_000

describe('squad.board: paged in the store, nothing cut', () => {
  it('2,100 waiting orders: the old overdue urgent one leads page one; the pages cover all once, in order', async () => {
    const app = await makeApp()
    const now = app.clock.now
    // Newest last: the old board read the newest 2,000 and sorted those, so this one was never seen.
    const forgotten = makeOrder({ id: 'o-forgotten', communityId: DEMO_COMMUNITY_ID, urgency: 'urgent', createdAt: now - 30 * 3600_000, claimDueAt: now - 29 * 3600_000, dueAt: now - 28 * 3600_000 })
    const rest = Array.from({ length: 2100 }, (_, i) =>
      makeOrder({
        communityId: DEMO_COMMUNITY_ID,
        urgency: i % 9 === 0 ? 'urgent' : 'normal',
        createdAt: now - 20 * 3600_000 + i * 1000,
        claimDueAt: now - 60 * MIN + i * 30_000,
        dueAt: now + 4 * 3600_000 + i * 1000,
      }),
    )
    for (const o of [forgotten, ...rest]) await app.store.orders.insert(o)
    const first = await app.as(yuhong).call('squad.board', {})
    expect(first.orders[0]!.id).toBe('o-forgotten')
    expect(first.orders).toHaveLength(50)
    expect(first.hasMore).toBe(true)
    expect(first.total).toBeGreaterThanOrEqual(2101)

    const seen: string[] = first.orders.map((o) => o.id)
    let cursor = first.next
    let pages = 1
    while (cursor) {
      const page = await app.as(yuhong).call('squad.board', { cursor, limit: 100 })
      expect(page.hasMore).toBe(page.next !== null)
      expect(page.total).toBe(first.total)
      seen.push(...page.orders.map((o) => o.id))
      cursor = page.next
      pages++
    }
    expect(seen).toHaveLength(first.total)
    expect(new Set(seen).size).toBe(first.total)
    expect(pages).toBe(1 + Math.ceil((first.total - 50) / 100))
    const stored = await Promise.all(seen.map((id) => app.store.orders.get(id)))
    expect(seen).toEqual(ids([...(stored as Order[])].sort(compareBoard(now))))
    // Overdue: the forgotten one and those whose claim deadline passed (claimDueAt ≤ now: i ≤ 120).
    const overdue = (stored as Order[]).filter((o) => Math.min(o.claimDueAt ?? o.dueAt, o.dueAt) <= now).length
    expect(first.overdue).toBe(overdue)
    expect(overdue).toBeGreaterThanOrEqual(122)
    expect(seen.slice(0, overdue).every((id) => stored.find((o) => o!.id === id)!.claimDueAt! <= now)).toBe(true)
  })

  it('refuses a cursor it did not make and a page size out of range, in Chinese, changing nothing', async () => {
    const app = await makeApp()
    const bad = await app.as(yuhong).refused('squad.board', { cursor: '1700000000000.o-1' })
    expect(bad.code).toBe('REQUEST.INVALID_INPUT')
    expect(bad.fields?.cursor).toBe('翻页标记不正确，请刷新任务大厅')
    const big = await app.as(yuhong).refused('squad.board', { limit: 500 })
    expect(big.code).toBe('REQUEST.INVALID_INPUT')
    expect(big.fields?.limit).toBe('每页最多100条')
    expect((await app.as(yuhong).refused('squad.board', { limit: 0 })).fields?.limit).toBe('每页至少1条')
  })
})

const ids = (xs: { id: string }[]) => xs.map((x) => x.id)
