/**
 * QR door badges in a real browser against the real local host: the coordinator opens 二维码胸牌
 * (QR visible, decoded back to its payload; no names or phones on the page); a squad member types
 * the code under the QR on 扫胸牌代下单 and lands on 代下单 for that household, and orders for it.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { createRequire } from 'node:module'
import { formatBadgeCode } from '../../src/core/household/badge'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { browserSuite, on, shot } from '../support/browser'

const QrReader = createRequire(import.meta.url)('qrcode-reader') as new () => {
  callback: (err: unknown, value: { result: string } | undefined) => void
  decode(image: { width: number; height: number; data: number[] }): void
}

const suite = browserSuite({}, 20_000)

const openAs = suite.openAs


/** The QR image as drawn by the browser → RGBA pixels → qrcode-reader → the text it holds. */
async function decodeQr(page: Page, selector: string): Promise<string> {
  const image = await page.locator(selector).first().evaluate(async (el) => {
    const img = el.tagName === 'IMG' ? (el as HTMLImageElement) : (el.querySelector('img') as HTMLImageElement)
    const probe = new Image()
    probe.src = img.src
    await probe.decode()
    // The SVG's own grid (viewBox: modules plus the quiet zone) times a whole number of pixels, so
    // every module is exactly as wide as the others (drawn at a fixed 400 px some modules came out a
    // pixel wider, and the reader then sometimes misjudged the QR's version, depending on the random
    // badge code).
    const grid = Number(/viewBox="0 0 (\d+) \d+"/.exec(decodeURIComponent(img.src))?.[1] ?? 0)
    if (!grid) throw new Error('the QR is not the SVG qr-code/svg.ts draws')
    const size = grid * Math.max(1, Math.ceil(400 / grid))
    const canvas = document.createElement('canvas')
    canvas.width = size
    canvas.height = size
    const ctx = canvas.getContext('2d')!
    ctx.imageSmoothingEnabled = false
    ctx.drawImage(probe, 0, 0, size, size)
    return { width: size, height: size, data: Array.from(ctx.getImageData(0, 0, size, size).data) }
  })
  return new Promise((resolve, reject) => {
    const reader = new QrReader()
    reader.callback = (err, value) => (err || !value ? reject(err ?? new Error('no QR found')) : resolve(value.result))
    reader.decode(image)
  })
}

describe('QR door badges (H5)', () => {
  it('the coordinator prints badges: QR readable, building and unit only, no names or phones', async () => {
    const coord = await openAs(DEMO_PEOPLE.coordinator, '/coordinator/pages/badges/index')
    const page = on(coord, 'badges')
    const b2 = page.locator('[data-testid="badges-building"][data-building="b2"]')
    await b2.getByTestId('badge').nth(35).waitFor()
    expect(await page.locator('[data-testid="badges-building"][data-building="b1"]').getByTestId('badge').count()).toBe(36)

    const card = page.locator('[data-testid="badge"][data-household="h2-1-201"]')
    const code = (await card.getAttribute('data-code'))!
    expect((await suite.host.deps.store.households.get('h2-1-201'))?.badge).toBe(code)
    expect(await card.innerText()).toContain('2号楼 1单元')
    expect(await card.getByTestId('badge-code').innerText()).toBe(formatBadgeCode(code))
    const qr = card.getByTestId('qr')
    expect(await qr.isVisible()).toBe(true)
    const box = (await qr.boundingBox())!
    expect(box.width).toBeGreaterThan(100)
    // The printed QR reads back as the opaque payload: no door, no household code in it.
    const read = await decodeQr(coord, '[data-household="h2-1-201"] [data-testid="qr"]')
    expect(read).toBe(`zjs:b:${code}`)

    // Nobody's name or phone anywhere on the page.
    const text = await page.innerText()
    expect(text).not.toMatch(/1[3-9]\d{9}/)
    const all = (await suite.host.deps.store.households.listByCommunity('demo', { limit: 100 })).items
    for (const h of all) {
      if (h.residentName) expect(text).not.toContain(h.residentName)
      expect(text).not.toContain(h.code)
    }
    await shot(coord, 'coordinator-badges')
  }, 120_000)

  it('a squad member types the code under the QR, lands on 代下单 for that household and orders for it', async () => {
    const code = (await suite.host.deps.store.households.get('h2-1-201'))!.badge!
    const board = await openAs(DEMO_PEOPLE.wangnan, '/squad/pages/board/index')
    await on(board, 'board').getByTestId('to-badge').click()
    const proxy = on(board, 'proxy')
    const input = proxy.locator('[data-testid="badge-box"] input')
    await input.waitFor()
    // A wrong code first: refused, says how many tries are left.
    await input.fill('ZZZZ-ZZZZ')
    await proxy.getByTestId('badge-find').click()
    await proxy.getByTestId('badge-error').getByText(/胸牌码不对.*还可以再试4次/).waitFor()
    await shot(board, 'squad-badge-wrong')

    await input.fill(formatBadgeCode(code).toLowerCase())
    await proxy.getByTestId('badge-find').click()
    await proxy.getByTestId('picked').getByText('2号楼1单元201').waitFor()
    await shot(board, 'squad-badge-found')
    await proxy.getByTestId('proxy-kind-supplies').click()
    const form = on(board, 'order-form')
    await form.getByTestId('deliver-to').getByText('代下单 · 送到：2号楼1单元201').waitFor()
    await form.getByTestId('item-rice').locator('.nut-inputnumber-add').click()
    await form.locator('.order-form__submit .nut-button').click()
    // The 代下单 confirmation (the task page): placed, and can be taken back while nobody has claimed it.
    await on(board, 'task').getByTestId('proxy-placed').waitFor()
    await expect
      .poll(async () => (await suite.host.deps.store.orders.list({ householdIds: ['h2-1-201'] })).items.length)
      .toBe(1)
    const [order] = (await suite.host.deps.store.orders.list({ householdIds: ['h2-1-201'] })).items
    expect(order).toMatchObject({ placedBy: { id: DEMO_PEOPLE.wangnan, role: 'squad' }, status: 'pending' })
    expect(order!.lines.map((l) => l.itemId)).toEqual(['rice'])
  }, 120_000)
})
