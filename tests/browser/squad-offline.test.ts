/**
 * In the stairwell: a squad member works the doorstep steps, loses signal, taps two more steps (待同步,
 * kept on the phone with the time of each tap), reopens the page still without signal (the queue
 * survives), and when the connection returns both steps are recorded on the server at the times they
 * were tapped, not when they were synced, and the 待同步 marks go away.
 */
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { STEP_QUEUE_KEY } from '../../src/client/step-queue'
import type { OrderView } from '../../src/core/views'
import { browserSuite, shot } from '../support/browser'

const suite = browserSuite({}, 15_000)

/** A phone signed in as `personId` at `route`, with its context (to take the signal away). */
async function openAs(personId: string, route: string): Promise<{ page: Page; context: BrowserContext }> {
  const page = await suite.openAs(personId, route)
  return { page, context: page.context() }
}

async function snap(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running'),
  )
  await shot(page, name)
}

/** The queue as the app stored it (Taro wraps storage values as { data }). */
async function storedQueue(page: Page): Promise<{ step: string; tappedAt: number }[]> {
  return page.evaluate((key) => {
    const raw = localStorage.getItem(key)
    return raw ? (JSON.parse(raw) as { data: { step: string; tappedAt: number }[] }).data : []
  }, STEP_QUEUE_KEY)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('squad offline in the stairwell', () => {
  it('steps tapped without signal wait on the phone (待同步), survive a reopen, and are recorded at their tap times', async () => {
    const zhao = await suite.host.signIn('res-zhao')
    const placed = await suite.host.api<OrderView>(zhao, 'order.place', { requestId: 'offline-test-01', kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
    if (!placed.ok) throw new Error(placed.message)
    const id = placed.data.id
    const yuhong = await suite.host.signIn('squad-yuhong')

    const { page, context } = await openAs('squad-yuhong', `/squad/pages/task/index?id=${id}`)
    await page.getByTestId('claim').click()
    await page.getByTestId('depart').click()
    await page.locator('[data-testid="step-disinfect_corridor"][data-state="next"] .pstep__main').click()
    await page.locator('[data-testid="step-disinfect_corridor"][data-state="done"]').waitFor()

    // Into the stairwell: no signal.
    await context.setOffline(true)
    const t1 = Date.now()
    await page.locator('[data-testid="step-remove_seal"][data-state="next"] .pstep__main').click()
    await page.locator('[data-testid="step-remove_seal"][data-state="pending"]').waitFor()
    await sleep(1500)
    const t2 = Date.now()
    await page.locator('[data-testid="step-call_resident"][data-state="next"] .pstep__main').click()
    await page.locator('[data-testid="step-call_resident"][data-state="pending"]').waitFor()
    const t2end = Date.now()
    await page.getByTestId('pending-remove_seal').getByText('待同步').waitFor()
    await page.getByTestId('pending-call_resident').getByText('待同步').waitFor()
    await page.getByTestId('steps-pending').getByText(/2个步骤已记在手机上/).waitFor()
    // The next step to do is shown as due, and no red network bar.
    await page.locator('[data-testid="step-picked_up"][data-state="next"]').waitFor()
    expect(await page.getByTestId('action-error').count()).toBe(0)
    await snap(page, 'squad-task-offline-pending')

    const queued = await storedQueue(page)
    expect(queued.map((q) => q.step)).toEqual(['remove_seal', 'call_resident'])
    expect(queued[0]!.tappedAt).toBeGreaterThanOrEqual(t1)
    expect(queued[1]!.tappedAt).toBeGreaterThanOrEqual(t2)
    expect(queued[1]!.tappedAt).toBeLessThanOrEqual(t2end)

    // Still nothing on the server.
    const before = await suite.host.api<OrderView>(yuhong, 'order.get', { id })
    expect(before.ok && before.data.protocol?.map((r) => r.step)).toEqual(['disinfect_corridor'])

    // The app is reopened while still without signal: the page itself loads (as a mini program's
    // package is on the phone), every call to the server fails.
    await context.route('**/api', (route) => route.abort('internetdisconnected'))
    await context.setOffline(false)
    await page.reload()
    await page.getByText('网络不太好，请检查网络后再试').first().waitFor()
    expect((await storedQueue(page)).map((q) => q.step)).toEqual(['remove_seal', 'call_resident'])
    await context.setOffline(true)
    await context.unroute('**/api')
    await sleep(3000)

    // Signal again: the queue goes out in tap order, at the times of the taps.
    const backOnline = Date.now()
    await context.setOffline(false)
    await page.locator('[data-testid="step-call_resident"][data-state="done"]').waitFor({ timeout: 15_000 })
    await page.locator('[data-testid="step-remove_seal"][data-state="done"]').waitFor()
    expect(await page.locator('[data-state="pending"]').count()).toBe(0)
    expect(await page.getByTestId('steps-pending').count()).toBe(0)
    expect(await storedQueue(page)).toEqual([])

    const after = await suite.host.api<OrderView>(yuhong, 'order.get', { id })
    if (!after.ok) throw new Error(after.message)
    expect(after.data.status).toBe('at_door')
    const recorded = Object.fromEntries(after.data.protocol!.map((r) => [r.step, r.at]))
    expect(recorded.remove_seal).toBe(queued[0]!.tappedAt)
    expect(recorded.call_resident).toBe(queued[1]!.tappedAt)
    // Tapped well before the sync (several seconds offline).
    expect(backOnline - recorded.call_resident!).toBeGreaterThan(3000)
    // Recorded once each.
    expect(after.data.timeline.filter((t) => t.event === 'call_resident')).toHaveLength(1)
  }, 120_000)

  it('a step queued for an order reassigned meanwhile is dropped and the refusal shown once', async () => {
    const zhang = await suite.host.signIn('res-zhang')
    const placed = await suite.host.api<OrderView>(zhang, 'order.place', { requestId: 'offline-test-02', kind: 'supplies', lines: [{ itemId: 'water20', qty: 1 }] })
    if (!placed.ok) throw new Error(placed.message)
    const id = placed.data.id
    const { page, context } = await openAs('squad-yuhong', `/squad/pages/task/index?id=${id}`)
    await page.getByTestId('claim').click()
    await page.getByTestId('depart').click()
    await page.locator('[data-testid="step-disinfect_corridor"][data-state="next"]').waitFor()

    await context.setOffline(true)
    await page.locator('[data-testid="step-disinfect_corridor"][data-state="next"] .pstep__main').click()
    await page.locator('[data-testid="step-disinfect_corridor"][data-state="pending"]').waitFor()

    // Meanwhile the coordinator hands the order to 王楠.
    const coordinator = await suite.host.signIn('coord-liu')
    const moved = await suite.host.api(coordinator, 'order.reassign', { id, toId: 'squad-wangnan' })
    expect(moved.ok).toBe(true)

    await context.setOffline(false)
    await page.getByTestId('action-error').getByText('这个订单已经改派给别人了，刚才离线时点的「消杀楼道」没有记上').waitFor()
    await page.getByTestId('not-mine').waitFor()
    expect(await page.locator('[data-state="pending"]').count()).toBe(0)
    expect(await storedQueue(page)).toEqual([])
    const after = await suite.host.api<OrderView>(coordinator, 'order.get', { id })
    expect(after.ok && after.data.protocol).toEqual([])
    // Shown once: closed, it does not come back with the next retry.
    await page.getByTestId('action-error').locator('.squad-error__close').click()
    await sleep(6000)
    expect(await page.getByTestId('action-error').count()).toBe(0)
  }, 60_000)
})
