/**
 * A real HTTP server standing in for WeCom group robots in tests. Every request is checked
 * against the robot webhook format — POST, JSON, exactly { msgtype: 'markdown', markdown:
 * { content } } (or 'text' with text.content), content UTF-8 ≤ 4096 bytes (text: 2048) — and
 * answered like the real robot: { errcode: 0, errmsg: 'ok' }, or an error object. It also
 * enforces 20 posts per minute per robot on the test's clock (errcode 45009).
 * A robot is a path: /dev/robot/<name>.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedPost {
  robot: string
  at: number
  contentType: string
  body: unknown
  content: string
  /** What the server answered. */
  errcode: number
  /** Format problems found (empty when the body is a valid robot message). */
  problems: string[]
}

export type Fault = { status: number } | { errcode: number; errmsg: string } | 'hang'

export interface RobotServer {
  base: string
  url(robot: string): string
  posts: ReceivedPost[]
  /** Posts that were accepted (errcode 0), per robot. */
  accepted(robot?: string): ReceivedPost[]
  /** Makes the next `times` requests to `robot` fail this way. */
  fail(robot: string, fault: Fault, times?: number): void
  close(): Promise<void>
}

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8')

export function robotFormatProblems(contentType: string, body: unknown): string[] {
  const p: string[] = []
  if (!contentType.startsWith('application/json')) p.push(`content-type ${contentType}`)
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [...p, 'body is not a JSON object']
  const b = body as Record<string, unknown>
  const type = b.msgtype
  if (type !== 'markdown' && type !== 'text') return [...p, `msgtype ${String(type)}`]
  const keys = Object.keys(b).sort()
  if (keys.join(',') !== ['msgtype', type].sort().join(',')) p.push(`unexpected keys ${keys.join(',')}`)
  const part = b[type]
  if (typeof part !== 'object' || part === null) return [...p, `${type} missing`]
  const partKeys = Object.keys(part)
  const allowed = type === 'text' ? ['content', 'mentioned_list', 'mentioned_mobile_list'] : ['content']
  if (partKeys.some((k) => !allowed.includes(k))) p.push(`unexpected ${type} keys ${partKeys.join(',')}`)
  const content = (part as { content?: unknown }).content
  if (typeof content !== 'string' || content.length === 0) return [...p, 'content missing']
  const max = type === 'text' ? 2048 : 4096
  if (utf8(content) > max) p.push(`content ${utf8(content)} bytes > ${max}`)
  return p
}

export async function startRobotServer(now: () => number = () => Date.now()): Promise<RobotServer> {
  const posts: ReceivedPost[] = []
  const faults = new Map<string, { fault: Fault; times: number }>()
  const server: Server = createServer(async (req, res) => {
    const m = /^\/dev\/robot\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '')
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    if (!m || req.method !== 'POST') {
      res.writeHead(404).end()
      return
    }
    const robot = m[1]!
    const raw = Buffer.concat(chunks).toString('utf8')
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch {
      body = undefined
    }
    const contentType = String(req.headers['content-type'] ?? '')
    const problems = robotFormatProblems(contentType, body)
    const content =
      typeof body === 'object' && body !== null
        ? String(((body as Record<string, { content?: unknown }>).markdown ?? (body as Record<string, { content?: unknown }>).text)?.content ?? '')
        : ''
    const answer = (status: number, json: { errcode: number; errmsg: string } | null) => {
      posts.push({ robot, at: now(), contentType, body, content, errcode: json?.errcode ?? -status, problems })
      if (json) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json))
      else res.writeHead(status).end()
    }
    const f = faults.get(robot)
    if (f && f.times > 0) {
      f.times--
      if (f.fault === 'hang') return // never answers: the client times out
      if ('status' in f.fault) return answer(f.fault.status, null)
      return answer(200, { errcode: f.fault.errcode, errmsg: f.fault.errmsg })
    }
    if (problems.length) return answer(200, { errcode: 40058, errmsg: `invalid request: ${problems.join('; ')}` })
    const t = now()
    const recent = posts.filter((p) => p.robot === robot && p.errcode === 0 && p.at > t - 60_000)
    if (recent.length >= 20) return answer(200, { errcode: 45009, errmsg: 'api freq out of limit' })
    answer(200, { errcode: 0, errmsg: 'ok' })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    base,
    url: (robot) => `${base}/dev/robot/${robot}`,
    posts,
    accepted: (robot) => posts.filter((p) => p.errcode === 0 && (robot === undefined || p.robot === robot)),
    fail(robot, fault, times = 1) {
      faults.set(robot, { fault, times })
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
