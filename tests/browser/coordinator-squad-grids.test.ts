/**
 * The coordinator's 停用 on the squad page and the 网格 page, in the browser on the real local host:
 * a member holding an order is deactivated after a confirm, the page says how many orders went
 * back, and the order is on the board again; a building moves between grids by one tap.
 * Screenshots at 375 × 812.
 */
import { describe, expect, it } from 'vitest'
import type { GridsView, OrderView } from '../../src/core/views'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { browserSuite, shot } from '../support/browser'

const suite = browserSuite({ notify: true }, 15_000)

const openAs = suite.openAs

async function ok<T>(token: string, action: string, input: unknown): Promise<T> {
  const r = await suite.host.api<T>(token, action, input)
  if (!r.ok) throw new Error(`${action}: ${r.code}`)
  return r.data
}

describe('coordinator: 停用 and 网格 (H5)', () => {
  it('停用 a member after a confirm: the order she held goes back to the board', async () => {
    const zhao = await suite.host.signIn(DEMO_PEOPLE.zhao)
    const yuhong = await suite.host.signIn(DEMO_PEOPLE.yuhong)
    const o = await ok<OrderView>(zhao, 'order.place', { requestId: 'deact-0000001', kind: 'garbage' })
    await ok(yuhong, 'order.claim', { id: o.id })

    const page = await openAs(DEMO_PEOPLE.coordinator, '/coordinator/pages/squad/index')
    const row = page.locator(`[data-testid="member"][data-person-id="${DEMO_PEOPLE.yuhong}"]`).last()
    await row.getByTestId('deactivate-open').click()
    await row.getByTestId('deactivate-confirm-panel').waitFor()
    const box = await row.getByTestId('deactivate-confirm').boundingBox()
    expect(box!.height).toBeGreaterThanOrEqual(44)
    await shot(page, 'coordinator-squad-deactivate-confirm')
    await row.getByTestId('deactivate-confirm').click()
    await row.getByTestId('deactivate-result').waitFor()
    expect(await row.getByTestId('deactivate-result').innerText()).toContain('1单已退回任务大厅')
    await row.getByTestId('inactive').waitFor()
    await shot(page, 'coordinator-squad-deactivated')

    const back = (await suite.host.deps.store.orders.get(o.id))!
    expect(back).toMatchObject({ status: 'pending', holder: null })
    expect((await suite.host.api(yuhong, 'squad.board', {})).ok).toBe(false)
  })

  it('网格: one tap moves 2号楼 into 1号楼网格', async () => {
    const page = await openAs(DEMO_PEOPLE.coordinator, '/coordinator/pages/grids/index')
    const g1 = page.locator('[data-testid="grid"][data-grid-id="g1"]').last()
    await g1.getByTestId('grid-load').waitFor()
    await shot(page, 'coordinator-grids')
    const chip = g1.getByTestId('grid-buildings').locator('[data-value="b2"]')
    const box = await chip.boundingBox()
    expect(box!.height).toBeGreaterThanOrEqual(44)
    await chip.click()
    await g1.locator('[data-testid="grid-buildings"] [data-value="b2"].chip--on').waitFor()
    await shot(page, 'coordinator-grids-moved')
    const coord = await suite.host.signIn(DEMO_PEOPLE.coordinator)
    const v = await ok<GridsView>(coord, 'coord.grids', {})
    expect(v.grids.find((g) => g.id === 'g1')!.buildings.map((b) => b.id)).toEqual(['b1', 'b2'])
  })
})
