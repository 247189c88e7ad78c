/**
 * Photos on the local host (WeChat stores them in cloud storage instead):
 *
 *   POST /api/upload          body: the JPEG or PNG bytes (≤ 2 MB), Authorization: Bearer <session>
 *                             → { ok, data: { fileId: 'local:<sha256>.<ext>' } }; stored as
 *                             <dataDir>/uploads/<sha256>.<ext> (content-addressed: a retry stores nothing new)
 *   GET  /api/photo?order=<id>[&line=<i>]&t=<session>
 *                             the order's seal photo (or the box photo on medicine line i), only for someone who may see the order (an <img>
 *                             cannot send headers, hence the session in the query; responses are not cached)
 */
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import type { Result } from '../../core/contract'
import { canView } from '../../core/order/policy'
import { imageType, MAX_PHOTO_BYTES } from '../../core/photo'
import { ERROR_MESSAGES, type ErrorCode } from '../../core/errors'
import { loadActor } from '../actor'
import type { Deps } from '../deps'
import { verifySession } from './session'

export interface PhotoRoutes {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>
}

function fail(res: ServerResponse, status: number, code: ErrorCode): true {
  const body: Result<never> = { ok: false, code, message: ERROR_MESSAGES[code] }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body))
  return true
}

export function createPhotoRoutes(o: { deps: Deps; secret: Buffer; dir: string }): PhotoRoutes {
  const { deps, secret, dir } = o
  const who = (token: string | undefined) => {
    const v = verifySession(secret, token, deps.now())
    return 'sub' in v ? v.sub : null
  }

  async function upload(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const auth = req.headers.authorization
    const personId = who(auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined)
    if (!personId) return fail(res, 401, 'AUTH.NOT_SIGNED_IN')
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > MAX_PHOTO_BYTES) return fail(res, 413, 'UPLOAD.TOO_LARGE')
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      if (size > MAX_PHOTO_BYTES) return fail(res, 413, 'UPLOAD.TOO_LARGE')
      chunks.push(chunk as Buffer)
    }
    const bytes = Buffer.concat(chunks)
    const ext = imageType(bytes)
    if (!ext) return fail(res, 400, 'UPLOAD.NOT_IMAGE')
    const name = `${createHash('sha256').update(bytes).digest('hex')}.${ext}`
    mkdirSync(dir, { recursive: true })
    const file = join(dir, name)
    if (!existsSync(file)) writeFileSync(file, bytes)
    deps.log.info('photo.uploaded', { bytes: bytes.length })
    const body: Result<{ fileId: string }> = { ok: true, data: { fileId: `local:${name}` } }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body))
    return true
  }

  async function serve(res: ServerResponse, url: URL): Promise<true> {
    const personId = who(url.searchParams.get('t') ?? undefined)
    if (!personId) return fail(res, 401, 'AUTH.NOT_SIGNED_IN')
    const order = await deps.store.orders.get(url.searchParams.get('order') ?? '')
    // Someone who may not see the order learns nothing, not even that it exists.
    if (!order || !canView(await loadActor(deps.store, personId), order)) return fail(res, 404, 'ORDER.NOT_FOUND')
    const line = url.searchParams.get('line')
    const fileId = line === null ? order.sealPhoto?.fileId : order.lines[Number(line)]?.photo
    const m = fileId ? /^local:([0-9a-f]{64}\.(jpg|png))$/.exec(fileId) : null
    if (!m || !existsSync(join(dir, m[1]!))) return fail(res, 404, 'ORDER.NOT_FOUND')
    res.writeHead(200, { 'content-type': m[2] === 'png' ? 'image/png' : 'image/jpeg', 'cache-control': 'private, no-store' })
    createReadStream(join(dir, m[1]!)).pipe(res)
    return true
  }

  return {
    async handle(req, res, url) {
      if (url.pathname === '/api/upload' && req.method === 'POST') return upload(req, res)
      if (url.pathname === '/api/photo' && req.method === 'GET') return serve(res, url)
      return false
    },
  }
}
