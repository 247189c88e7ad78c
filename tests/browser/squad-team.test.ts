/**
 * The squad as a team, in the browser against the real local host: the coordinator issues an invite
 * code, a social worker joins the squad with it from 我的 and lands on the board; a member who holds
 * an order picks a partner with one tap. Screenshots of the pages involved.
 */
import { describe, expect, it } from 'vitest'
import type { OrderView } from '../../src/core/views'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { browserSuite, on, shot } from '../support/browser'

const suite = browserSuite({}, 15_000)

const openAs = suite.openAs

describe('squad membership and partners (H5)', () => {
  it('coordinator issues a code, a social worker joins with it and sees the board', async () => {
    const coord = await openAs(DEMO_PEOPLE.coordinator, '/coordinator/pages/squad/index')
    const page = on(coord, 'coord-squad')
    await page.getByTestId('member').nth(2).waitFor()
    expect(await page.getByTestId('member').allInnerTexts()).toEqual([
      expect.stringContaining('朝鲁门'),
      expect.stringContaining('王楠'),
      expect.stringContaining('于红'),
    ])
    await page.locator('.nut-button', { hasText: '生成新的邀请码' }).click()
    // The newest open code is shown big; the store holds it for this community.
    await expect.poll(async () => (await suite.host.deps.store.invites.listByCommunity('demo')).length).toBe(2)
    const [fresh] = await suite.host.deps.store.invites.listByCommunity('demo')
    await page.getByTestId('latest-code').getByText(fresh!.code).waitFor()
    await shot(coord, 'coordinator-squad')

    // The parcel hold: 2小时 is chosen; one tap makes it 1小时 for the community.
    const hold = page.getByTestId('hold-choices')
    await hold.locator('[data-value="120"].chip--on').waitFor()
    await hold.locator('[data-value="60"]').click()
    await hold.locator('[data-value="60"].chip--on').waitFor()
    expect((await suite.host.deps.store.communities.get('demo'))?.parcelHoldMinutes).toBe(60)
    await hold.locator('[data-value="120"]').click()
    await hold.locator('[data-value="120"].chip--on').waitFor()

    // 陈晨: 我的 → 我是社工 → the code typed in lower case with a space → the squad board.
    const chen = await openAs(DEMO_PEOPLE.newWorker, '/pages/me/index')
    await on(chen, 'me').getByTestId('me-squad-join').click()
    const join = on(chen, 'squad-join')
    await join.locator('[data-testid="invite-code"] input').fill('abcdef')
    await join.locator('.nut-button', { hasText: '加入' }).click()
    await join.getByTestId('invite-error').getByText('邀请码不对，请核对社区给您的邀请码').waitFor()
    await shot(chen, 'squad-join-wrong')
    await join.locator('[data-testid="invite-code"] input').fill(fresh!.code.toLowerCase().slice(0, 3) + ' ' + fresh!.code.toLowerCase().slice(3))
    await join.locator('.nut-button', { hasText: '加入' }).click()
    await on(chen, 'board').getByTestId('board-summary').or(on(chen, 'board').getByText('暂时没有待接的单子')).first().waitFor()
    expect((await suite.host.deps.store.people.get(DEMO_PEOPLE.newWorker))?.squadOf).toBe('demo')

    // The coordinator's list shows the code used by 陈晨.
    await coord.reload()
    await on(coord, 'coord-squad').locator(`[data-code="${fresh!.code}"][data-state="used"]`).getByText(/陈晨/).waitFor()
    expect(await on(coord, 'coord-squad').getByTestId('member').count()).toBe(4)
  }, 90_000)

  it('the holder picks a partner by tapping a name', async () => {
    const zhao = await suite.host.signIn(DEMO_PEOPLE.zhao)
    const yuhong = await suite.host.signIn(DEMO_PEOPLE.yuhong)
    const placed = await suite.host.api<OrderView>(zhao, 'order.place', { requestId: 'team-order-0001', kind: 'supplies', lines: [{ itemId: 'water20', qty: 2 }] })
    if (!placed.ok) throw new Error(placed.message)
    expect((await suite.host.api(yuhong, 'order.claim', { id: placed.data.id })).ok).toBe(true)

    const task = await openAs(DEMO_PEOPLE.yuhong, `/squad/pages/task/index?id=${placed.data.id}`)
    const page = on(task, 'task')
    await page.getByTestId('pick-partner').click()
    await page.getByTestId('partner-choices').locator(`[data-value="${DEMO_PEOPLE.wangnan}"]`).waitFor()
    await shot(task, 'squad-task-partner')
    await page.getByTestId('partner-choices').locator(`[data-value="${DEMO_PEOPLE.wangnan}"]`).click()
    await page.getByTestId('task-people').getByText('搭档：王楠').waitFor()
    expect((await suite.host.deps.store.orders.get(placed.data.id))?.partner?.id).toBe(DEMO_PEOPLE.wangnan)
  }, 60_000)

  it('代下单: picks 李秀英’s door by taps and orders rice for her; her order shows on the board', async () => {
    const board = await openAs(DEMO_PEOPLE.wangnan, '/squad/pages/board/index')
    await on(board, 'board').getByTestId('to-proxy').click()
    const proxy = on(board, 'proxy')
    await proxy.getByTestId('isolated').locator('[data-household="h2-1-201"]').waitFor()
    await shot(board, 'squad-proxy-pick')
    await proxy.locator('[data-household="h2-1-201"]').click()
    await proxy.getByTestId('picked').getByText('独居老人、没有智能手机').waitFor()
    await shot(board, 'squad-proxy-picked')
    await proxy.getByTestId('proxy-kind-supplies').click()
    const form = on(board, 'order-form')
    await form.getByTestId('deliver-to').getByText('代下单 · 送到：2号楼1单元201').waitFor()
    await form.getByTestId('item-rice').locator('.nut-inputnumber-add').click()
    await shot(board, 'squad-proxy-form')
    await form.locator('.order-form__submit .nut-button').click()
    // The confirmation: the task page says it is placed and offers to take it back; 回任务大厅.
    const placed = on(board, 'task')
    await placed.getByTestId('proxy-placed').waitFor()
    await placed.getByTestId('cancel-proxy').waitFor()
    await placed.getByTestId('back-board').click()
    await on(board, 'board').getByTestId('board-card').first().waitFor()
    const orders = (await suite.host.deps.store.orders.list({ householdIds: ['h2-1-201'] })).items
    expect(orders).toHaveLength(1)
    expect(orders[0]).toMatchObject({ placedBy: { id: DEMO_PEOPLE.wangnan, role: 'squad' }, status: 'pending' })
    await on(board, 'board').locator(`[data-order-id="${orders[0]!.id}"]`).waitFor()
  }, 60_000)
})
