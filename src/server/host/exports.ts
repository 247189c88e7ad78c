/**
 * Exported files on the local host (the ledger's XLSX; on WeChat they go to private cloud storage):
 *
 *   GET /api/export?f=<32 hex>.xlsx&n=<file name>&e=<expiry, epoch s>&s=<HMAC>
 *       the file, through a link coord.exportLedger handed to a coordinator (ExportFiles, like
 *       cloud.getTempFileURL): a forged, altered or expired link gets 403; never cached.
 * Files are kept under <dataDir>/exports with random names; older than a day they are removed.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import type { Deps } from '../deps'
import type { ExportFiles } from '../ports'
import { sendError } from './http-reply'

export interface ExportRoutes {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>
  files: ExportFiles
}

const NAME = /^[0-9a-f]{32}\.xlsx$/
const KEEP_MS = 24 * 3600_000
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export function createExportRoutes(o: { deps: Deps; secret: Buffer; dir: string }): ExportRoutes {
  const { deps, secret, dir } = o
  // A key of its own, derived from the session secret: an export link is never a session token.
  const key = createHmac('sha256', secret).update('zj.export-links').digest()
  const sign = (name: string, display: string, exp: number) =>
    createHmac('sha256', key).update(`${name}|${display}|${exp}`).digest('hex')

  function sweep(now: number) {
    if (!existsSync(dir)) return
    for (const f of readdirSync(dir)) if (NAME.test(f) && now - statSync(join(dir, f)).mtimeMs > KEEP_MS) rmSync(join(dir, f), { force: true })
  }

  const files: ExportFiles = {
    async save(fileName, bytes, maxAgeSeconds) {
      mkdirSync(dir, { recursive: true })
      sweep(Date.now())
      const name = `${randomBytes(16).toString('hex')}.xlsx`
      writeFileSync(join(dir, name), bytes)
      const exp = Math.floor(deps.now() / 1000) + maxAgeSeconds
      const q = new URLSearchParams({ f: name, n: fileName, e: String(exp), s: sign(name, fileName, exp) })
      return `/api/export?${q.toString()}`
    },
  }

  function serve(res: ServerResponse, url: URL): true {
    const name = url.searchParams.get('f') ?? ''
    const display = url.searchParams.get('n') ?? ''
    const exp = Number(url.searchParams.get('e'))
    const given = Buffer.from(url.searchParams.get('s') ?? '', 'utf8')
    const want = Buffer.from(NAME.test(name) && Number.isInteger(exp) ? sign(name, display, exp) : '', 'utf8')
    const valid = want.length > 0 && given.length === want.length && timingSafeEqual(given, want)
    if (!valid || exp * 1000 < deps.now()) {
      sendError(res, 403, 'AUTH.FORBIDDEN')
      return true
    }
    const file = join(dir, name)
    if (!existsSync(file)) {
      sendError(res, 404, 'EXPORT.UNAVAILABLE')
      return true
    }
    res.writeHead(200, {
      'content-type': XLSX,
      'content-disposition': `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(display || 'export.xlsx')}`,
      'cache-control': 'private, no-store',
    })
    createReadStream(file).pipe(res)
    return true
  }

  return {
    files,
    async handle(req, res, url) {
      if (url.pathname === '/api/export' && req.method === 'GET') return serve(res, url)
      return false
    },
  }
}
