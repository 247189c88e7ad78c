/**
 * The outside world the dispatcher talks to, behind small interfaces so tests and the local host
 * can stand in: a WeCom robot POST (fetch) and WeChat's subscribeMessage.send (cloud.openapi).
 * Results carry short error CODES only ('http_502', 'errcode_45009', 'timeout', 'network'):
 * never a URL (a webhook URL is a secret) and never a message body.
 */

/** The WeCom group-robot request body (markdown; content ≤ 4096 bytes UTF-8). */
export interface WeComMarkdown {
  msgtype: 'markdown'
  markdown: { content: string }
}

export interface RobotPostResult {
  ok: boolean
  /** WeCom's errcode when the robot answered ({ errcode, errmsg }); 0 is success. */
  errcode?: number
  error?: string
}

export type RobotPoster = (url: string, body: WeComMarkdown) => Promise<RobotPostResult>

/** errcodes that retrying cannot fix: the webhook is wrong or gone, or the body is invalid. */
export const ROBOT_PERMANENT_ERRCODES: readonly number[] = [93000, 40008, 40058, 44004]
/** The robot's own rate limit ("api freq out of limit"). */
export const ROBOT_RATE_LIMITED = 45009

interface RawResponse {
  status: number
  text: string
}

/** Node ≥ 18: fetch. */
async function postWithFetch(url: string, json: string, timeoutMs: number): Promise<RawResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: json,
    signal: AbortSignal.timeout(timeoutMs),
  })
  return { status: res.status, text: await res.text() }
}

/** Older runtimes (a cloud function on Node 16 has no fetch): node:http(s). */
async function postWithNode(url: string, json: string, timeoutMs: number): Promise<RawResponse> {
  const { request } = url.startsWith('https:') ? await import('node:https') : await import('node:http')
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })))
    req.on('error', reject)
    req.end(json)
  })
}

/** POSTs JSON (fetch where the runtime has it) and reads WeCom's { errcode, errmsg }. */
export function fetchRobotPoster(timeoutMs = 10_000, transport: 'auto' | 'node' = 'auto'): RobotPoster {
  return async (url, body) => {
    let res: RawResponse
    try {
      const json = JSON.stringify(body)
      res =
        transport === 'auto' && typeof fetch === 'function'
          ? await postWithFetch(url, json, timeoutMs)
          : await postWithNode(url, json, timeoutMs)
    } catch (e) {
      const name = e instanceof Error ? e.name : ''
      return { ok: false, error: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network' }
    }
    if (res.status < 200 || res.status >= 300) return { ok: false, error: `http_${res.status}` }
    let answer: unknown
    try {
      answer = JSON.parse(res.text)
    } catch {
      return { ok: false, error: 'bad_response' }
    }
    const errcode = typeof answer === 'object' && answer !== null ? (answer as { errcode?: unknown }).errcode : undefined
    if (typeof errcode !== 'number') return { ok: false, error: 'bad_response' }
    return errcode === 0 ? { ok: true, errcode } : { ok: false, errcode, error: `errcode_${errcode}` }
  }
}

/** cloud.openapi.subscribeMessage.send's parameters (wx-server-sdk, camelCase). */
export interface SubscribeRequest {
  touser: string
  templateId: string
  page: string
  data: Record<string, { value: string }>
  miniprogramState: 'developer' | 'trial' | 'formal'
  lang: 'zh_CN'
}

/** Resolves { errCode: 0 } on success; any other errCode (resolved or thrown) is a failure. */
export type SubscribeApi = (req: SubscribeRequest) => Promise<{ errCode: number; errMsg?: string }>

/** 43101: the user has no consent left for this template on WeChat's side. */
export const SUBSCRIBE_NO_CONSENT = 43101
/** Errors retrying cannot fix: bad openid, template id, data or page. */
export const SUBSCRIBE_PERMANENT_ERRCODES: readonly number[] = [40003, 40037, 47003, 41030]

/** Wraps wx-server-sdk's cloud.openapi.subscribeMessage.send, which rejects on errors. */
export function cloudSubscribeApi(openapi: {
  subscribeMessage: { send(req: SubscribeRequest): Promise<{ errCode?: number; errMsg?: string }> }
}): SubscribeApi {
  return async (req) => {
    try {
      const res = await openapi.subscribeMessage.send(req)
      return { errCode: res.errCode ?? 0, errMsg: res.errMsg }
    } catch (e) {
      const code = typeof e === 'object' && e !== null ? (e as { errCode?: unknown }).errCode : undefined
      return { errCode: typeof code === 'number' ? code : -1, errMsg: 'openapi.subscribeMessage.send:fail' }
    }
  }
}
