/**
 * The `api` cloud function: the bundle loads in Node, the caller is OPENID from getWXContext (never
 * the event), and the same calls end in the same stored state on CloudBase as on the local host's SQLite.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Result } from '../../src/core/contract'
import type { OrderView } from '../../src/core/views'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import { createCloudMain } from '../../src/server/cloud/main'
import { memoryLogger } from '../../src/server/log'
import { DEMO_PEOPLE, seedDemo } from '../../src/server/seed/demo'
import { makeApp, T0 } from '../support/app'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'

const ROOT = join(__dirname, '..', '..')

describe('api cloud function bundle', () => {
  it('builds with esbuild and loads in Node with a main export', () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cloud.mjs')], { cwd: ROOT, stdio: 'pipe' })
    const bundle = join(ROOT, 'cloudfunctions', 'api', 'index.js')
    const req = createRequire(bundle)
    delete req.cache[bundle]
    const mod = req(bundle) as { main?: unknown }
    expect(typeof mod.main).toBe('function')
    // exceljs sits in its own file beside index.js, read only when a 台账 export runs (a cold start skips it).
    const excel = join(ROOT, 'cloudfunctions', 'api', 'exceljs.js')
    expect(Object.keys(req.cache).filter((k) => k.includes('exceljs'))).toEqual([])
    expect(readFileSync(bundle, 'utf8')).toContain('import("./exceljs.js")')
    expect(statSync(bundle).size).toBeLessThan(statSync(excel).size)
    expect(typeof (req(excel) as { Workbook?: unknown }).Workbook).toBe('function')
  }, 60_000)
})

async function cloudApp() {
  const engine = new SdkDbEngine()
  const db = await openSdkDatabase(engine)
  let openid: string | undefined
  const log = memoryLogger()
  const clock = { now: T0 }
  const main = createCloudMain({ getWXContext: () => ({ OPENID: openid }), database: () => db }, { now: () => clock.now, log })
  await seedDemo(openCloudbase(db), T0)
  const as = (id: string | undefined) => async <T>(event: unknown): Promise<Result<T>> => {
    openid = id
    return (await main(event)) as Result<T>
  }
  return { engine, as, clock, store: openCloudbase(db) }
}

describe('api cloud function', () => {
  it('takes the caller from getWXContext, not from the event', async () => {
    const app = await cloudApp()
    // WeChat injects userInfo into the event; a client could also forge fields. Neither counts.
    const res = await app.as(DEMO_PEOPLE.zhang)<{ id: string }>({
      action: 'me.get',
      input: {},
      userInfo: { openId: DEMO_PEOPLE.coordinator },
      openid: DEMO_PEOPLE.coordinator,
    })
    expect(res).toMatchObject({ ok: true, data: { id: DEMO_PEOPLE.zhang } })
    expect(await app.as(undefined)({ action: 'me.get', input: {} })).toMatchObject({ ok: false, code: 'AUTH.NOT_SIGNED_IN' })
    expect(await app.as(DEMO_PEOPLE.zhang)({ action: 'nope' })).toMatchObject({ ok: false, code: 'REQUEST.UNKNOWN_ACTION' })
  })

  it('ends in the same stored state as the local host for the same calls', async () => {
    const cloud = await cloudApp()
    const local = await makeApp({ now: T0 })
    const script: (readonly [string, string, (prev: Record<string, string>) => Record<string, unknown>])[] = [
      [DEMO_PEOPLE.zhao, 'order.place', () => ({
        requestId: 'same-request-1',
        kind: 'supplies',
        urgency: 'urgent',
        urgentReason: '婴儿奶粉快没了',
        lines: [{ itemId: 'rice', qty: 1 }, { itemId: 'water20', qty: 1 }],
        notes: '放门口也行',
      })],
      [DEMO_PEOPLE.zhao, 'order.place', () => ({ requestId: 'same-request-1', kind: 'garbage' })],
      [DEMO_PEOPLE.yuhong, 'order.claim', (p) => ({ id: p.id })],
      [DEMO_PEOPLE.wangnan, 'order.claim', (p) => ({ id: p.id })],
      [DEMO_PEOPLE.yuhong, 'order.advance', (p) => ({ id: p.id, event: 'depart' })],
      ...(['disinfect_corridor', 'remove_seal', 'call_resident', 'picked_up', 'restore_seal'] as const).map(
        (step) => [DEMO_PEOPLE.yuhong, 'order.step', (p: Record<string, string>) => ({ id: p.id, step })] as const,
      ),
      [DEMO_PEOPLE.yuhong, 'order.deliver', (p) => ({ id: p.id, outcome: 'partial', missing: ['20L桶装水'] })],
      [DEMO_PEOPLE.zhao, 'order.rate', (p) => ({ id: p.id, stars: 2, comment: '水没送到' })],
    ]
    const vars: Record<string, string> = {}
    const codes: { cloud: string[]; local: string[] } = { cloud: [], local: [] }
    for (const [who, action, input] of script) {
      cloud.clock.now += 60_000
      local.advance(60_000)
      const c = await cloud.as(who)<OrderView>({ action, input: input(vars) })
      const l = await local.raw(who, action, input(vars))
      codes.cloud.push(c.ok ? 'ok' : c.code)
      codes.local.push(l.ok ? 'ok' : l.code)
      if (c.ok && action === 'order.place') vars.id = c.data.id
    }
    expect(codes.cloud).toEqual(codes.local)
    expect(codes.cloud).toEqual(['ok', 'ok', 'ok', 'ORDER.ALREADY_CLAIMED', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'])
    const fromCloud = await cloud.store.orders.get(vars.id!)
    const fromLocal = await local.store.orders.get(vars.id!)
    expect(fromCloud).not.toBeNull()
    expect(fromCloud).toEqual(fromLocal)
    expect(fromCloud).toMatchObject({ status: 'confirmed', followUp: true, outcome: 'partial', missing: ['20L桶装水'] })
  })

  it('photo.url: a temp link from cloud storage, only for someone who may see the order', async () => {
    const db = await openSdkDatabase(new SdkDbEngine())
    let openid: string | undefined
    const clock = { now: T0 }
    // A private bucket as the function (admin) sees it: files that exist get an expiring signed link.
    const bucket = new Set(['cloud://env-1.bucket/medicine/box-1.jpg'])
    const asked: { fileID: string; maxAge: number }[] = []
    const getTempFileURL = async (req: { fileList: { fileID: string; maxAge: number }[] }) => ({
      fileList: req.fileList.map((f) => {
        asked.push(f)
        return bucket.has(f.fileID)
          ? { fileID: f.fileID, status: 0, errMsg: 'ok', tempFileURL: `https://bucket.example/${f.fileID.split('/').slice(3).join('/')}?sign=x&t=${Math.floor(clock.now / 1000) + f.maxAge}` }
          : { fileID: f.fileID, status: -503003, errMsg: 'STORAGE_FILE_NONEXIST', tempFileURL: '' }
      }),
    })
    const log = memoryLogger()
    const main = createCloudMain({ getWXContext: () => ({ OPENID: openid }), database: () => db, getTempFileURL }, { now: () => clock.now, log })
    await seedDemo(openCloudbase(db), T0)
    const as = async <T>(id: string, action: string, input: unknown) => {
      openid = id
      return (await main({ action, input })) as Result<T>
    }
    const placed = await as<OrderView>(DEMO_PEOPLE.zhao, 'order.place', {
      requestId: 'cloud-photo-0001',
      kind: 'supplies',
      lines: [
        { itemId: 'medicine', name: '硝苯地平', qty: 1, photo: 'cloud://env-1.bucket/medicine/box-1.jpg' },
        { itemId: 'medicine', name: '阿司匹林', qty: 1, photo: 'cloud://env-1.bucket/medicine/gone.jpg' },
      ],
    })
    if (!placed.ok) throw new Error(placed.code)
    const id = placed.data.id

    const link = await as<{ url: string; expiresAt: number }>(DEMO_PEOPLE.yuhong, 'photo.url', { id, line: 0 })
    expect(link).toEqual({ ok: true, data: { url: `https://bucket.example/medicine/box-1.jpg?sign=x&t=${T0 / 1000 + 600}`, expiresAt: T0 + 600_000 } })
    expect(asked).toEqual([{ fileID: 'cloud://env-1.bucket/medicine/box-1.jpg', maxAge: 600 }])
    // A neighbour never reaches storage.
    expect(await as(DEMO_PEOPLE.zhang, 'photo.url', { id, line: 0 })).toMatchObject({ ok: false, code: 'ORDER.NOT_FOUND' })
    expect(asked).toHaveLength(1)
    // A file storage no longer has: a clear message, and the log names the order, not the resident.
    expect(await as(DEMO_PEOPLE.zhao, 'photo.url', { id, line: 1 })).toMatchObject({ ok: false, code: 'PHOTO.UNAVAILABLE', message: '照片暂时打不开，请稍后再试' })
    expect(log.lines.some((l) => l.includes('photo.link_failed') && l.includes('STORAGE_FILE_NONEXIST'))).toBe(true)
    expect(log.lines.join('\n')).not.toContain('赵')
  })
})
