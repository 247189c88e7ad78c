/**
 * The seal photo on the local host, over real HTTP: upload bytes, attach the file to the order,
 * fetch it back only as someone who may see the order. And the rules of order.sealPhoto.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Result } from '../../src/core/contract'
import { PROTOCOL_STEPS } from '../../src/core/order/protocol'
import { sealPhotoFolder } from '../../src/core/photo'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import { createCloudMain } from '../../src/server/cloud/main'
import { memoryLogger } from '../../src/server/log'
import { T0 } from '../support/app'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'
import type { OrderView } from '../../src/core/views'
import { DEMO_PEOPLE, seedDemo } from '../../src/server/seed/demo'
import { startHost, type RunningHost } from '../support/host'

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

let host: RunningHost | null = null
afterEach(async () => {
  await host?.stop()
  host = null
})

async function upload(h: RunningHost, token: string | null, body: Buffer, type = 'image/png', folder?: string) {
  const res = await fetch(`${h.url}/api/upload${folder !== undefined ? `?folder=${encodeURIComponent(folder)}` : ''}`, {
    method: 'POST',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: new Uint8Array(body),
  })
  return { status: res.status, body: (await res.json()) as { ok: boolean; code?: string; data?: { fileId: string } } }
}

/** photo.url as `token`, then the bytes behind the link (or the refusal). */
async function viewPhoto(h: RunningHost, token: string, input: { id: string; line?: number }) {
  const r = await h.api<{ url: string; expiresAt: number }>(token, 'photo.url', input)
  if (!r.ok) return { code: r.code }
  const res = await fetch(h.url + r.data.url)
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()), url: r.data.url }
}

async function ok<T>(h: RunningHost, token: string, action: string, input: unknown): Promise<T> {
  const r = await h.api<T>(token, action, input)
  if (!r.ok) throw new Error(`${action}: ${r.code}`)
  return r.data
}

describe('seal photo over HTTP', () => {
  it('uploaded, attached after 恢复封条, served to the resident and the squad, not to others', async () => {
    host = await startHost()
    const zhao = await host.signIn(DEMO_PEOPLE.zhao)
    const zhang = await host.signIn(DEMO_PEOPLE.zhang)
    const yuhong = await host.signIn(DEMO_PEOPLE.yuhong)
    const o = await ok<OrderView>(host, zhao, 'order.place', { requestId: 'photo-order-0001', kind: 'garbage' })
    await ok(host, yuhong, 'order.claim', { id: o.id })
    await ok(host, yuhong, 'order.advance', { id: o.id, event: 'depart' })

    const up = await upload(host, yuhong, PNG, 'image/png', sealPhotoFolder(o.id))
    expect(up.status).toBe(200)
    const fileId = up.body.data!.fileId
    expect(fileId).toMatch(/^local:[0-9a-f]{64}\.png$/)

    // Too early: the seal is not restored yet.
    const early = await host.api(yuhong, 'order.sealPhoto', { id: o.id, fileId })
    expect(!early.ok && early.code).toBe('PHOTO.NOT_NOW')
    for (const step of PROTOCOL_STEPS.slice(0, PROTOCOL_STEPS.indexOf('restore_seal') + 1)) await ok(host, yuhong, 'order.step', { id: o.id, step })
    // Only the holder may attach it.
    const other = await host.api(await host.signIn(DEMO_PEOPLE.wangnan), 'order.sealPhoto', { id: o.id, fileId })
    expect(!other.ok && other.code).toBe('ORDER.NOT_HOLDER')
    const attached = await ok<OrderView>(host, yuhong, 'order.sealPhoto', { id: o.id, fileId })
    expect(attached.sealPhoto).toMatchObject({ fileId, by: { id: DEMO_PEOPLE.yuhong } })

    for (const t of [zhao, yuhong]) {
      const r = await viewPhoto(host, t, { id: o.id })
      expect(r).toMatchObject({ status: 200, type: 'image/png' })
      expect(r.bytes!.equals(PNG)).toBe(true)
    }
    // A neighbour learns nothing, not even that the order exists.
    expect(await viewPhoto(host, zhang, { id: o.id })).toEqual({ code: 'ORDER.NOT_FOUND' })
  })

  it('a photo link works only as signed and only until it expires', async () => {
    host = await startHost()
    const zhao = await host.signIn(DEMO_PEOPLE.zhao)
    const yuhong = await host.signIn(DEMO_PEOPLE.yuhong)
    const fileId = (await upload(host, zhao, PNG)).body.data!.fileId
    const o = await ok<OrderView>(host, zhao, 'order.place', {
      requestId: 'photo-link-00001',
      kind: 'supplies',
      lines: [{ itemId: 'medicine', name: '布洛芬', qty: 1, photo: fileId }],
    })
    const good = await viewPhoto(host, yuhong, { id: o.id, line: 0 })
    expect(good.status).toBe(200)
    const link = new URL(host.url + good.url!)
    expect(link.searchParams.get('f')).toBe(fileId.slice('local:'.length))
    const exp = Number(link.searchParams.get('e'))
    expect(exp * 1000).toBeGreaterThan(Date.now() + 9 * 60_000)
    expect(exp * 1000).toBeLessThanOrEqual(Date.now() + 10 * 60_000 + 1000)

    const tampered = (k: string, v: string) => {
      const u = new URL(link)
      u.searchParams.set(k, v)
      return fetch(u).then((r) => r.status)
    }
    expect(await tampered('e', String(exp + 3600))).toBe(403) // a longer life is not signed
    expect(await tampered('s', '0'.repeat(64))).toBe(403)
    expect(await tampered('f', 'a'.repeat(64) + '.png')).toBe(403) // another file under the same signature
    // Signed correctly but expired: the host's clock moves past the expiry.
    const realNow = host.deps.now
    host.deps.now = () => realNow() + 11 * 60_000
    try {
      expect((await fetch(link)).status).toBe(403)
    } finally {
      host.deps.now = realNow
    }
    // No photo there: a clear refusal rather than a broken link.
    expect(await viewPhoto(host, zhao, { id: o.id })).toEqual({ code: 'PHOTO.NONE' })
  })

  it('refuses what is not an image, what is too big, and callers without a session; stores nothing', async () => {
    host = await startHost()
    const yuhong = await host.signIn(DEMO_PEOPLE.yuhong)
    expect(await upload(host, null, PNG)).toMatchObject({ status: 401, body: { code: 'AUTH.NOT_SIGNED_IN' } })
    expect(await upload(host, yuhong, Buffer.from('<svg onload=alert(1)>'), 'image/svg+xml')).toMatchObject({
      status: 400,
      body: { code: 'UPLOAD.NOT_IMAGE' },
    })
    const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)])
    expect(await upload(host, yuhong, big)).toMatchObject({ status: 413, body: { code: 'UPLOAD.TOO_LARGE' } })
    const { existsSync, readdirSync } = await import('node:fs')
    const dir = `${host.dataDir}/uploads`
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([])
  })

  it('a file id that is neither cloud storage nor this host’s is refused by the schema', async () => {
    host = await startHost()
    const yuhong = await host.signIn(DEMO_PEOPLE.yuhong)
    const r = await host.api(yuhong, 'order.sealPhoto', { id: 'o1', fileId: 'https://evil.example/x.jpg' })
    expect(!r.ok && r.code).toBe('REQUEST.INVALID_INPUT')
    expect(!r.ok && r.fields?.fileId).toBe('照片没有上传成功，请重拍')
  })

  it('a medicine line carries the box photo: the squad sees it before claiming, a neighbour never; other lines refuse one', async () => {
    host = await startHost()
    const zhao = await host.signIn(DEMO_PEOPLE.zhao)
    const zhang = await host.signIn(DEMO_PEOPLE.zhang)
    const yuhong = await host.signIn(DEMO_PEOPLE.yuhong)
    const fileId = (await upload(host, zhao, PNG)).body.data!.fileId

    // A photo on a rice line is refused next to that line, and no order is written.
    const wrong = await host.api(zhao, 'order.place', {
      requestId: 'med-photo-bad-001',
      kind: 'supplies',
      lines: [{ itemId: 'rice', qty: 1, photo: fileId }],
    })
    expect(!wrong.ok && wrong.code).toBe('REQUEST.INVALID_INPUT')
    expect(!wrong.ok && wrong.fields?.['lines.0.photo']).toBe('只有药品可以附药盒照片')
    const mine = await ok<{ orders: OrderView[] }>(host, zhao, 'order.mine', {})
    expect(mine.orders).toHaveLength(0)

    const o = await ok<OrderView>(host, zhao, 'order.place', {
      requestId: 'med-photo-ok-0001',
      kind: 'supplies',
      lines: [
        { itemId: 'rice', qty: 1 },
        { itemId: 'medicine', name: '硝苯地平', qty: 2, prescription: true, photo: fileId },
      ],
    })
    expect(o.lines[1]).toMatchObject({ name: '硝苯地平', photo: fileId, prescription: true })
    expect(o.lines[0]!.photo).toBeUndefined()

    for (const t of [zhao, yuhong]) {
      const r = await viewPhoto(host, t, { id: o.id, line: 1 })
      expect(r.status).toBe(200)
      expect(r.bytes!.equals(PNG)).toBe(true)
    }
    expect(await viewPhoto(host, zhang, { id: o.id, line: 1 })).toEqual({ code: 'ORDER.NOT_FOUND' })
    expect(await viewPhoto(host, zhao, { id: o.id, line: 0 })).toEqual({ code: 'PHOTO.NONE' }) // the rice line has none
    // No seal photo yet either: the line photo is not served in its place.
    expect(await viewPhoto(host, zhao, { id: o.id })).toEqual({ code: 'PHOTO.NONE' })

    // 再来一单 keeps the photo: it is the same box.
    await ok(host, zhao, 'order.cancel', { id: o.id, reason: '不要了' })
    const again = await ok<OrderView>(host, zhao, 'order.repeat', { id: o.id, requestId: 'med-photo-rep-001' })
    expect(again.lines[1]?.photo).toBe(fileId)
  })
})

/** Steps up to 恢复封条, the first moment a seal photo may be attached. */
const TO_SEAL = PROTOCOL_STEPS.slice(0, PROTOCOL_STEPS.indexOf('restore_seal') + 1)

describe('order.sealPhoto accepts only a file that was uploaded, by the caller, for this order', () => {
  it('local host: never uploaded, another order’s, someone else’s, no folder → PHOTO.NOT_UPLOADED and nothing written; the partner’s own upload is accepted', async () => {
    host = await startHost()
    const h = host
    const zhao = await h.signIn(DEMO_PEOPLE.zhao)
    const yuhong = await h.signIn(DEMO_PEOPLE.yuhong)
    const wangnan = await h.signIn(DEMO_PEOPLE.wangnan)
    const o = await ok<OrderView>(h, zhao, 'order.place', { requestId: 'seal-check-00001', kind: 'garbage' })
    await ok(h, yuhong, 'order.claim', { id: o.id })
    await ok(h, yuhong, 'order.advance', { id: o.id, event: 'depart' })
    for (const step of TO_SEAL) await ok(h, yuhong, 'order.step', { id: o.id, step })
    const before = await h.deps.store.orders.get(o.id)

    const refused = async (token: string, fileId: string) => {
      const r = await h.api(token, 'order.sealPhoto', { id: o.id, fileId })
      expect(r).toMatchObject({ ok: false, code: 'PHOTO.NOT_UPLOADED', message: '照片还没有传上去，请重新拍一张' })
      expect(await h.deps.store.orders.get(o.id)).toEqual(before)
    }
    // Well formed, never uploaded.
    await refused(yuhong, `local:${'a'.repeat(64)}.png`)
    // Uploaded, but for another order.
    const other = await upload(h, yuhong, PNG, 'image/png', sealPhotoFolder('o-another-order'))
    await refused(yuhong, other.body.data!.fileId)
    // Uploaded with no folder (an older client, a medicine box): not a seal photo of this order.
    const loose = await upload(h, yuhong, Buffer.concat([PNG, Buffer.from('loose')]))
    await refused(yuhong, loose.body.data!.fileId)
    // Uploaded into this order's folder, but by someone else (the resident).
    const bySomeoneElse = await upload(h, zhao, Buffer.concat([PNG, Buffer.from('zhao')]), 'image/png', sealPhotoFolder(o.id))
    expect(bySomeoneElse.status).toBe(200)
    await refused(yuhong, bySomeoneElse.body.data!.fileId)
    // A folder that is not one of ours is refused at upload.
    expect(await upload(h, yuhong, PNG, 'image/png', '../etc')).toMatchObject({ status: 400, body: { code: 'REQUEST.INVALID_INPUT' } })
    // Each upload is recorded beside the file, and that record is never served as a photo.
    const name = other.body.data!.fileId.slice('local:'.length)
    const { readFileSync } = await import('node:fs')
    expect(JSON.parse(readFileSync(`${h.dataDir}/uploads/${name}.json`, 'utf8'))).toMatchObject({
      uploads: [{ by: DEMO_PEOPLE.yuhong, folder: sealPhotoFolder('o-another-order') }],
    })
    expect((await fetch(`${h.url}/api/photo?f=${name}.json&e=9999999999&s=x`)).status).toBe(403)

    // The partner uploads their own photo for this order and attaches it.
    await ok(h, yuhong, 'order.addPartner', { id: o.id, partnerId: DEMO_PEOPLE.wangnan })
    const theirs = await upload(h, wangnan, Buffer.concat([PNG, Buffer.from('wangnan')]), 'image/png', sealPhotoFolder(o.id))
    const attached = await ok<OrderView>(h, wangnan, 'order.sealPhoto', { id: o.id, fileId: theirs.body.data!.fileId })
    expect(attached.sealPhoto).toMatchObject({ fileId: theirs.body.data!.fileId, by: { id: DEMO_PEOPLE.wangnan } })
  })

  it('cloud: the file must exist in storage and lie under seal/<orderId>/', async () => {
    const db = await openSdkDatabase(new SdkDbEngine())
    let openid: string | undefined
    // Private storage that interprets the calls: uploadFile puts, getTempFileURL answers by what is there.
    const stored = new Map<string, Buffer>()
    let storageDown = false
    const storage = {
      async uploadFile({ cloudPath, fileContent }: { cloudPath: string; fileContent: Buffer }) {
        const fileID = `cloud://env-1.bucket/${cloudPath}`
        stored.set(fileID, fileContent)
        return { fileID }
      },
      async getTempFileURL({ fileList }: { fileList: { fileID: string; maxAge: number }[] }) {
        if (storageDown) throw new Error('ECONNRESET')
        return {
          fileList: fileList.map((f) =>
            stored.has(f.fileID)
              ? { fileID: f.fileID, status: 0, errMsg: 'ok', tempFileURL: `https://bucket.example/${f.fileID.slice(20)}?t=${f.maxAge}` }
              : { fileID: f.fileID, status: -503003, errMsg: 'STORAGE_FILE_NONEXIST', tempFileURL: '' },
          ),
        }
      },
    }
    const main = createCloudMain({ getWXContext: () => ({ OPENID: openid }), database: () => db, ...storage }, { now: () => T0, log: memoryLogger() })
    const store = openCloudbase(db)
    await seedDemo(store, T0)
    const as = async <T>(id: string, action: string, input: unknown) => {
      openid = id
      return (await main({ action, input })) as Result<T>
    }
    const must = async <T>(id: string, action: string, input: unknown) => {
      const r = await as<T>(id, action, input)
      if (!r.ok) throw new Error(`${action}: ${r.code}`)
      return r.data
    }
    const o = await must<OrderView>(DEMO_PEOPLE.zhao, 'order.place', { requestId: 'cloud-seal-00001', kind: 'garbage' })
    await must(DEMO_PEOPLE.yuhong, 'order.claim', { id: o.id })
    await must(DEMO_PEOPLE.yuhong, 'order.advance', { id: o.id, event: 'depart' })
    for (const step of TO_SEAL) await must(DEMO_PEOPLE.yuhong, 'order.step', { id: o.id, step })
    const before = await store.orders.get(o.id)
    const put = async (cloudPath: string) => (await storage.uploadFile({ cloudPath, fileContent: PNG })).fileID

    const refused = async (fileId: string, code = 'PHOTO.NOT_UPLOADED') => {
      expect(await as(DEMO_PEOPLE.yuhong, 'order.sealPhoto', { id: o.id, fileId })).toMatchObject({ ok: false, code })
      expect(await store.orders.get(o.id)).toEqual(before)
    }
    // Under this order's folder, but never uploaded.
    await refused(`cloud://env-1.bucket/${sealPhotoFolder(o.id)}/1700000000000-abc123.jpg`)
    // Uploaded, but elsewhere: another order's folder, the old flat folder, a path that climbs out.
    await refused(await put(`${sealPhotoFolder('o-another-order')}/1-a.jpg`))
    await refused(await put('seal/1-b.jpg'))
    await refused(await put(`${sealPhotoFolder(o.id)}/../o-another/1-c.jpg`))
    // Storage unreachable: not "never uploaded", a retry later.
    const good = await put(`${sealPhotoFolder(o.id)}/1700000000000-ok.jpg`)
    storageDown = true
    await refused(good, 'PHOTO.UNAVAILABLE')
    storageDown = false

    const attached = await must<OrderView>(DEMO_PEOPLE.yuhong, 'order.sealPhoto', { id: o.id, fileId: good })
    expect(attached.sealPhoto).toMatchObject({ fileId: good, by: { id: DEMO_PEOPLE.yuhong } })
    expect((await store.orders.get(o.id))?.sealPhoto?.fileId).toBe(good)
  })
})
