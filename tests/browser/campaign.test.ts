/**
 * 社区发放 in the browser on the real local host: 刘主任 creates a cabbage campaign for 1号楼 by taps,
 * 于红 ticks three doors of 1单元, 赵先生 (h1-1-301) says 不需要 on his home card, and the
 * coordinator's detail shows 3 delivered and 1 declined. Screenshots of each page (the resident's
 * card in normal and 大字模式).
 */
import { describe, expect, it } from 'vitest'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { browserSuite, on, shot, textsSmallerThan } from '../support/browser'

const suite = browserSuite({}, 15_000)

const openAs = suite.openAs

describe('社区发放 (H5)', () => {
  it('create for 1号楼, three doors ticked, one household declines, the detail shows 3 and 1', async () => {
    // The coordinator: 社区发放 → 发起一次发放 → 白菜, 60 斤, 1号楼, slots from 14:00, an hour per unit.
    const coord = await openAs(DEMO_PEOPLE.coordinator, '/coordinator/pages/dashboard/index')
    await on(coord, 'coordinator-dashboard').getByTestId('to-campaigns').click()
    const list = on(coord, 'campaigns')
    await list.getByTestId('campaign-new').click()
    const form = list.getByTestId('campaign-form')
    await form.getByTestId('campaign-item-choice').locator('[data-value="白菜"]').click()
    await form.getByTestId('campaign-qty-quick').locator('[data-value="60"]').click()
    await form.getByTestId('campaign-unit').locator('[data-value="斤"]').click()
    await form.getByTestId('campaign-buildings').locator('[data-value="b1"]').click()
    await form.getByTestId('campaign-slots').locator('[data-value="yes"]').click()
    await form.getByTestId('campaign-start').locator('[data-value="14:00"]').click()
    await form.getByTestId('campaign-minutes').locator('[data-value="60"]').click()
    await form.getByText('每户白菜60斤').waitFor()
    await form.getByTestId('campaign-create').scrollIntoViewIfNeeded()
    await shot(coord, 'campaign-coordinator-create')
    await form.getByTestId('campaign-create').click()

    const detail = on(coord, 'campaign')
    await detail.locator('[data-testid="campaign-totals"][data-total="36"]').waitFor()
    const [stored] = await suite.host.deps.store.campaigns.listByCommunity('demo')
    expect(stored).toMatchObject({ item: '白菜', qtyPerHousehold: 60, unit: '斤', buildingIds: ['b1'], status: 'open' })
    expect(stored!.counts.total).toBe(36)

    // The squad: the campaign and building are the only ones, so 1单元 is one tap away.
    const squad = await openAs(DEMO_PEOPLE.yuhong, '/squad/pages/campaign/index')
    const sq = on(squad, 'squad-campaign')
    await sq.getByTestId('campaign-unit').locator('[data-value="1"]').click()
    const doors = sq.getByTestId('doors')
    await expect.poll(() => doors.getByTestId('door').count()).toBe(12)
    for (const h of ['h1-1-101', 'h1-1-102', 'h1-1-201']) {
      await doors.locator(`[data-household="${h}"]`).click()
      await doors.locator(`[data-household="${h}"][data-status="done"]`).waitFor()
    }
    // A second tap on a delivered door asks before undoing; 取消 keeps it.
    await doors.locator('[data-household="h1-1-101"]').click()
    await squad.locator('.taro-modal__content .taro-model__cancel').click()
    await doors.locator('[data-testid="unit-progress"][data-done="3"]').waitFor()
    await shot(squad, 'campaign-squad-tick')

    // The resident: the card on the home page, normal and 大字模式, then 不需要 with a confirm.
    const zhao = await openAs(DEMO_PEOPLE.zhao, '/resident/pages/home/index')
    const home = on(zhao, 'resident-home')
    const card = home.getByTestId('campaign-card')
    await card.getByText('社区发放：白菜 60斤/户，今天 14:00-15:00 送到门口').waitFor()
    await shot(zhao, 'campaign-resident-card')
    // 大字模式 is remembered on the device (client/prefs.ts): set it there, as 我的's switch does.
    await zhao.evaluate(() => localStorage.setItem('zj.largeText', JSON.stringify({ data: true })))
    await zhao.reload()
    const large = zhao.locator('.resident-home.page--large').last()
    await large.getByTestId('campaign-card').waitFor()
    expect(await textsSmallerThan(large.getByTestId('campaign-card'), 20)).toEqual([])
    const box = await large.getByTestId('campaign-decline').boundingBox()
    expect(box!.height).toBeGreaterThanOrEqual(56)
    await shot(zhao, 'campaign-resident-card-large')
    await large.getByTestId('campaign-decline').click()
    await zhao.locator('.taro-modal__content .taro-model__confirm').click()
    await large.locator('[data-testid="campaign-card"][data-status="declined"]').waitFor()
    await large.getByText('已告诉社区：这次不需要').waitFor()

    // The coordinator's detail: 3 delivered, 1 declined, 32 to go; 1单元 shows the same.
    await coord.reload()
    const again = on(coord, 'campaign')
    await again.locator('[data-testid="campaign-totals"][data-done="3"][data-declined="1"][data-pending="32"]').waitFor()
    const unit1 = again.locator('[data-testid="unit-progress"][data-unit="1"] .progress')
    expect(await unit1.getAttribute('data-done')).toBe('3')
    expect(await unit1.getAttribute('data-declined')).toBe('1')
    await again.getByTestId('copy-notice').click()
    const notice = again.getByTestId('notice-text')
    await notice.getByText('1号楼每户白菜60斤', { exact: false }).waitFor()
    expect(await notice.textContent()).not.toMatch(/301|赵/)
    // Let the 已复制 toast fade before the picture.
    await coord.waitForTimeout(2_500)
    await shot(coord, 'campaign-coordinator-detail')
  }, 120_000)
})
