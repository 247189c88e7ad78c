/**
 * The squad board with more waiting orders than one page (squad.board is paged in the store):
 * 50 cards, the count (已显示 50 单，共 120 单) and 加载更多 (≥ 44 px, also in large text), which
 * appends the next page until 已全部显示; a new order arriving live keeps every loaded page.
 */
import { describe, expect, it } from 'vitest'
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE } from '../../src/server/seed/demo'
import { browserSuite, shot, textsSmallerThan } from '../support/browser'
import { makeOrder } from '../support/fixtures'

const suite = browserSuite({}, 15_000)

const openAs = suite.openAs

describe('squad board: 加载更多', () => {
  it('shows a page and the count, loads the rest on 加载更多, and keeps the pages through a live change', async () => {
    const now = Date.now()
    for (let i = 0; i < 120; i++) {
      const b = i % 2 ? { buildingId: 'b1', building: '1号楼' } : { buildingId: 'b2', building: '2号楼' }
      await suite.host.deps.store.orders.insert(
        makeOrder({
          communityId: DEMO_COMMUNITY_ID,
          householdId: `h${b.buildingId.slice(1)}-1-101`,
          address: { ...b, unit: 1, floor: 1, room: '101' },
          urgency: i === 119 ? 'urgent' : 'normal',
          createdAt: now - 3600_000 + i * 1000,
          claimDueAt: now + 3600_000 + i * 60_000,
          dueAt: now + 4 * 3600_000 + i * 60_000,
        }),
      )
    }
    const squad = await openAs('squad-yuhong', '/squad/pages/board/index')
    const count = squad.getByTestId('board-count')
    await count.getByText('已显示 50 单，共 120 单').waitFor()
    expect(await squad.getByTestId('board-card').count()).toBe(50)
    await squad.getByTestId('board-summary').getByText('待接 120 单').waitFor()
    // The one urgent order is on page one although it was placed last.
    expect(await squad.locator('[data-testid="board-card"].board-card--urgent').count()).toBe(1)
    const more = squad.getByTestId('load-more')
    expect((await more.boundingBox())!.height).toBeGreaterThanOrEqual(44)
    await more.scrollIntoViewIfNeeded()
    await shot(squad, 'squad-board-load-more')

    await more.click()
    await count.getByText('已显示 100 单，共 120 单').waitFor()
    await more.click()
    await count.getByText('共 120 单，已全部显示').waitFor()
    expect(await squad.getByTestId('load-more').count()).toBe(0)
    const ids = await squad.getByTestId('board-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-order-id')))
    expect(ids).toHaveLength(120)
    expect(new Set(ids).size).toBe(120)

    // A resident orders: the live reload reads all three pages again, so nothing the squad had open vanishes.
    const zhao = await suite.host.signIn(DEMO_PEOPLE.zhao)
    const placed = await suite.host.api(zhao, 'order.place', { requestId: 'board-more-0001', kind: 'garbage' })
    expect(placed.ok).toBe(true)
    await count.getByText('共 121 单，已全部显示').waitFor()
    expect(await squad.getByTestId('board-card').count()).toBe(121)

    // Large text: the count and the button grow; the button stays a big target.
    const large = await openAs('squad-yuhong', '/squad/pages/board/index')
    await large.evaluate(() => localStorage.setItem('zj.largeText', JSON.stringify({ data: true })))
    await large.reload()
    const root = large.locator('.board.page--large').last()
    await root.getByTestId('board-count').getByText('已显示 50 单，共 121 单').waitFor()
    const bigMore = root.getByTestId('load-more')
    expect((await bigMore.boundingBox())!.height).toBeGreaterThanOrEqual(52)
    expect(await textsSmallerThan(root.getByTestId('board-more'), 16)).toEqual([])
    await bigMore.scrollIntoViewIfNeeded()
    await shot(large, 'squad-board-load-more-large')
  }, 120_000)
})
