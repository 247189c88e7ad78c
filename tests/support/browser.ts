/**
 * Browser tests: the real H5 build served by the real local host, driven by Debian's Chromium
 * through playwright-core. Screenshots go to test-results/screenshots at phone size.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { buildH5, h5IsStale } from '../../src/server/host/h5-build'
import { startHost, type RunningHost } from './host'

export const ROOT = resolve(__dirname, '..', '..')
export const H5_DIR = join(ROOT, 'dist', 'h5')
export const SHOTS = join(ROOT, 'test-results', 'screenshots')
export const PHONE = { width: 375, height: 812 }

const LOCK = join(ROOT, 'dist', '.h5-build.lock')

/** Builds the H5 bundle once if it is missing or stale; parallel test files wait for each other. */
export async function ensureH5(): Promise<void> {
  mkdirSync(join(ROOT, 'dist'), { recursive: true })
  for (;;) {
    try {
      mkdirSync(LOCK)
      break
    } catch {
      // Someone else is building; a lock older than 10 minutes is stale.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 600_000) rmSync(LOCK, { recursive: true, force: true })
      await new Promise((r) => setTimeout(r, 1000))
    }
  }
  try {
    if (h5IsStale(ROOT, H5_DIR)) await buildH5(ROOT)
  } finally {
    rmSync(LOCK, { recursive: true, force: true })
  }
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export async function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, locale: 'zh-CN', hasTouch: true })
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true })
  const file = join(SHOTS, `${name}.png`)
  // Taro's H5 router slides the new page in: wait until the top page has settled at the left edge.
  await page
    .waitForFunction(
      () => {
        const pages = Array.from(document.querySelectorAll('.taro_page')) as HTMLElement[]
        const top = pages[pages.length - 1]
        return !top || Math.abs(top.getBoundingClientRect().left) < 1
      },
      undefined,
      { timeout: 3000 },
    )
    .catch(() => undefined)
  await page.screenshot({ path: file })
  return file
}

/** Text under `root` rendered smaller than `px` CSS pixels (tab bar excluded), as "text (class): size". */
export async function textsSmallerThan(root: Locator, px: number): Promise<string[]> {
  return root.evaluate((el, limit) => {
    const out: string[] = []
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement
      if (!parent || !n.textContent?.trim() || parent.closest('.tab-bar')) continue
      if (parent.getClientRects().length === 0) continue // not rendered
      const size = parseFloat(getComputedStyle(parent).fontSize)
      if (size < limit) out.push(`${n.textContent.trim().slice(0, 20)} (${parent.className}): ${size}px`)
    }
    return out
  }, px)
}

/** How a phone page is set up: 大字模式, its default timeout, browser permissions for the host. */
export interface PhoneOptions {
  largeText?: boolean
  timeout?: number
  permissions?: string[]
}

/**
 * One browser test file's world: the H5 build, a real local host serving it, one Chromium, and
 * phone-sized pages signed in as someone. Registers its own beforeAll / afterAll; read `host` inside
 * tests (it exists once beforeAll ran).
 */
export function browserSuite(hostOptions: Omit<NonNullable<Parameters<typeof startHost>[0]>, 'staticDir'> = {}, defaultTimeout = 15_000) {
  let host: RunningHost | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []
  beforeAll(async () => {
    await ensureH5()
    host = await startHost({ ...hostOptions, staticDir: H5_DIR })
    browser = await launch()
  }, 600_000)
  afterAll(async () => {
    for (const c of contexts) await c.close()
    await browser?.close()
    await host?.stop()
  })
  const suite = {
    get host(): RunningHost {
      if (!host) throw new Error('the host starts in beforeAll')
      return host
    },
    /**
     * A fresh phone (its own context and storage) with a blank page, not yet navigated: signed in
     * with `token` if given; `largeText`: 大字模式 on; `timeout`: the page's default timeout (else
     * Playwright's); `permissions`: granted for the host's origin (e.g. clipboard-read).
     */
    async newPage(opts: PhoneOptions & { token?: string } = {}): Promise<Page> {
      const context = await phoneContext(browser!)
      contexts.push(context)
      if (opts.permissions?.length) await context.grantPermissions(opts.permissions, { origin: suite.host.url })
      if (opts.token || opts.largeText) {
        await context.addInitScript((t) => {
          if (t.token && !localStorage.getItem('zj.session')) localStorage.setItem('zj.session', JSON.stringify({ data: t.token }))
          // 大字模式 on this device, as 我的 sets it (Taro storage).
          if (t.large) localStorage.setItem('zj.largeText', JSON.stringify({ data: true }))
        }, { token: opts.token ?? '', large: opts.largeText ?? false })
      }
      const page = await context.newPage()
      if (opts.timeout !== undefined) page.setDefaultTimeout(opts.timeout)
      return page
    },
    /** A fresh phone signed in with `token` (its own storage), at `route`; `largeText`: 大字模式 on. */
    async openWithToken(token: string, route: string, opts: PhoneOptions = {}): Promise<Page> {
      const page = await suite.newPage({ ...opts, token, timeout: opts.timeout ?? defaultTimeout })
      await page.goto(`${suite.host.url}/#${route}`)
      return page
    },
    /** A fresh phone signed in as `personId`, at `route`. */
    async openAs(personId: string, route: string, opts: PhoneOptions = {}): Promise<Page> {
      return suite.openWithToken(await suite.host.signIn(personId), route, opts)
    },
  }
  return suite
}

/** The top (last) page whose root has `rootClass`: Taro's H5 keeps earlier pages in the DOM. */
export const on = (page: Page, rootClass: string): Locator => page.locator(`.${rootClass}`).last()
