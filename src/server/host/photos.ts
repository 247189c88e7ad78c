/**
 * Photos on the local host (WeChat keeps them in private cloud storage instead):
 *
 *   POST /api/upload?folder=<seal/<orderId> | medicine>
 *                             body: the JPEG or PNG bytes (≤ 2 MB), Authorization: Bearer <session>
 *                             → { ok, data: { fileId: 'local:<sha256>.<ext>' } }; stored as
 *                             <dataDir>/uploads/<sha256>.<ext> (content-addressed: a retry stores nothing new)
 *                             and recorded beside it in <sha256>.<ext>.json: who uploaded it, into which
 *                             folder, when (the last 20 uploads of those bytes). order.sealPhoto accepts only
 *                             a file the caller uploaded into seal/<orderId> (links.uploaded).
 *   GET  /api/photo?f=<sha256.ext>&e=<expiry, epoch s>&s=<HMAC>
 *                             one file, through a link the photo.url use case hands out after checking
 *                             the viewer may see the order (PhotoLinks, like cloud.getTempFileURL):
 *                             a forged, altered or expired link gets 403; responses are not cached
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { imageType, isLocalPhotoName, isUploadFolder, localPhotoId, localPhotoName, MAX_PHOTO_BYTES } from '../../core/photo'
import type { ErrorCode } from '../../core/errors'
import type { Deps } from '../deps'
import type { PhotoLinks } from '../ports'
import { bearerToken, sendError, sendJson } from './http-reply'
import { isBodyFailure, readBody, refuseBody } from './body-limit'
import { verifySession } from './session'

export interface PhotoRoutes {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>
  /** Signed links to this host's files, for deps.photos. */
  links: PhotoLinks
}

/** One upload of a stored file, as recorded in its `<name>.json`. */
interface UploadRecord {
  by: string
  folder: string
  at: number
}

/** Uploads of the same bytes kept per file: enough for retries and a few people, bounded. */
const MAX_UPLOAD_RECORDS = 20

export function createPhotoRoutes(o: { deps: Deps; secret: Buffer; dir: string; bodyTimeoutMs?: number }): PhotoRoutes {
  const { deps, secret, dir } = o
  const indexFile = (name: string) => join(dir, `${name}.json`)
  const readUploads = (name: string): UploadRecord[] => {
    try {
      const parsed = JSON.parse(readFileSync(indexFile(name), 'utf8')) as { uploads?: unknown }
      return Array.isArray(parsed.uploads) ? (parsed.uploads as UploadRecord[]) : []
    } catch {
      return []
    }
  }
  const recordUpload = (name: string, rec: UploadRecord) => {
    const uploads = [...readUploads(name), rec].slice(-MAX_UPLOAD_RECORDS)
    // Written aside and renamed: a reader never sees half a file.
    const tmp = `${indexFile(name)}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify({ uploads }))
    renameSync(tmp, indexFile(name))
  }
  // A key of its own, derived from the session secret: a photo link is never a session token.
  const key = createHmac('sha256', secret).update('zj.photo-links').digest()
  const sign = (name: string, exp: number) => createHmac('sha256', key).update(`${name}|${exp}`).digest('hex')
  const links: PhotoLinks = {
    async link(fileId, maxAgeSeconds) {
      const name = localPhotoName(fileId)
      if (!name) throw new Error('not a file of this host')
      const exp = Math.floor(deps.now() / 1000) + maxAgeSeconds
      return `/api/photo?f=${name}&e=${exp}&s=${sign(name, exp)}`
    },
    async uploaded(fileId, { folder, by }) {
      const name = localPhotoName(fileId)
      if (!name || !existsSync(join(dir, name))) return false
      return readUploads(name).some((u) => u.by === by && u.folder === folder)
    },
  }
  const fail = (res: ServerResponse, status: number, code: ErrorCode): true => {
    sendError(res, status, code)
    return true
  }

  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<true> {
    const session = verifySession(secret, bearerToken(req), deps.now())
    if (!('sub' in session)) return fail(res, 401, 'AUTH.NOT_SIGNED_IN')
    // No folder: stored but recorded for no order (an older client), so it cannot become a seal photo.
    const folder = url.searchParams.get('folder') ?? ''
    if (folder !== '' && !isUploadFolder(folder)) return fail(res, 400, 'REQUEST.INVALID_INPUT')
    // Over 2 MB declared: refused before a byte is read; undeclared: read with a running cap.
    const bytes = await readBody(req, MAX_PHOTO_BYTES, o.bodyTimeoutMs)
    if (isBodyFailure(bytes)) {
      refuseBody(res, url.pathname, bytes)
      return true
    }
    const ext = imageType(bytes)
    if (!ext) return fail(res, 400, 'UPLOAD.NOT_IMAGE')
    const name = `${createHash('sha256').update(bytes).digest('hex')}.${ext}`
    mkdirSync(dir, { recursive: true })
    const file = join(dir, name)
    if (!existsSync(file)) writeFileSync(file, bytes)
    recordUpload(name, { by: session.sub, folder, at: deps.now() })
    deps.log.info('photo.uploaded', { bytes: bytes.length })
    sendJson(res, 200, { ok: true, data: { fileId: localPhotoId(name) } })
    return true
  }

  async function serve(res: ServerResponse, url: URL): Promise<true> {
    const name = url.searchParams.get('f') ?? ''
    const exp = Number(url.searchParams.get('e'))
    const given = Buffer.from(url.searchParams.get('s') ?? '', 'utf8')
    const want = Buffer.from(isLocalPhotoName(name) && Number.isInteger(exp) ? sign(name, exp) : '', 'utf8')
    const valid = want.length > 0 && given.length === want.length && timingSafeEqual(given, want)
    if (!valid || exp * 1000 < deps.now()) return fail(res, 403, 'AUTH.FORBIDDEN')
    const file = join(dir, name)
    if (!existsSync(file)) return fail(res, 404, 'PHOTO.NONE')
    res.writeHead(200, { 'content-type': name.endsWith('.png') ? 'image/png' : 'image/jpeg', 'cache-control': 'private, no-store' })
    createReadStream(file).pipe(res)
    return true
  }

  return {
    links,
    async handle(req, res, url) {
      if (url.pathname === '/api/upload' && req.method === 'POST') return upload(req, res, url)
      if (url.pathname === '/api/photo' && req.method === 'GET') return serve(res, url)
      return false
    },
  }
}
