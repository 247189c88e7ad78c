/**
 * The local host's stand-in for WeCom group robots: a webhook sink that answers like a robot and
 * keeps what each group would have received, so the whole flow can be seen without WeChat.
 *
 *   POST /dev/robot/<name>   a robot webhook: checks the body against the WeCom robot format
 *                            ({ msgtype: 'text' | 'markdown', text|markdown: { content } }, content
 *                            UTF-8 ≤ 2048 / 4096 bytes) and its limit of 20 messages a minute, and
 *                            answers { errcode, errmsg } like the real one (0 / 'ok' on success)
 *                            (a body over 64 KB: 413 REQUEST.MALFORMED, nothing kept; body-limit.ts)
 *   GET  /api/dev/robot-log  what each group received, as JSON
 *   GET  /dev/groups         the same as a page (refreshes itself every 5 s)
 *
 * Kept in memory (the newest `keep` per group); nothing here is logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { utf8Bytes } from '../../core/notify/fields'
import { formatBeijing } from '../../core/time'
import { isBodyFailure, MAX_ROBOT_BODY, readBody, refuseBody } from './body-limit'
import { ROBOT_MARKDOWN_MAX_BYTES, ROBOT_POSTS_PER_MINUTE, ROBOT_TEXT_MAX_BYTES, ROBOT_WINDOW_MS } from '../../core/notify/types'

export interface SinkMessage {
  at: number
  msgtype: string
  content: string
  bytes: number
  errcode: number
  errmsg: string
}

export interface SinkGroup {
  name: string
  label: string
  messages: SinkMessage[]
}

export interface RobotSink {
  /** Answers the sink's routes; false for any other request. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>
  groups(): SinkGroup[]
}

const NAME = /^\/dev\/robot\/([A-Za-z0-9_-]{1,64})$/

/** Checks a robot request body; returns WeCom's answer. */
export function checkRobotBody(body: unknown): { errcode: number; errmsg: string; msgtype: string; content: string } {
  const bad = (errcode: number, errmsg: string, msgtype = '', content = '') => ({ errcode, errmsg, msgtype, content })
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return bad(40035, 'invalid json body')
  const { msgtype } = body as { msgtype?: unknown }
  if (msgtype !== 'text' && msgtype !== 'markdown') return bad(40008, 'invalid message type')
  const part = (body as Record<string, unknown>)[msgtype]
  const content = typeof part === 'object' && part !== null ? (part as { content?: unknown }).content : undefined
  if (typeof content !== 'string' || content.length === 0) return bad(44004, `${msgtype}.content is empty`, msgtype)
  const max = msgtype === 'text' ? ROBOT_TEXT_MAX_BYTES : ROBOT_MARKDOWN_MAX_BYTES
  if (utf8Bytes(content) > max) return bad(40058, `${msgtype}.content exceed max length ${max}`, msgtype, content)
  return { errcode: 0, errmsg: 'ok', msgtype, content }
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

export function createRobotSink(opts: { now: () => number; keep?: number; label?: (name: string) => string; bodyTimeoutMs?: number }): RobotSink {
  const keep = opts.keep ?? 500
  const groups = new Map<string, SinkMessage[]>()
  const accepted = new Map<string, number[]>()

  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' })
    res.end(body)
  }

  function list(): SinkGroup[] {
    return [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, messages]) => ({ name, label: opts.label?.(name) ?? name, messages: [...messages].reverse() }))
  }

  function page(): string {
    const sections = list()
      .map(
        (g) => `<section><h2>${escapeHtml(g.label)} <small>${escapeHtml(g.name)} · ${g.messages.length} 条</small></h2>${g.messages
          .map(
            (m) =>
              `<article class="${m.errcode === 0 ? 'ok' : 'bad'}"><time datetime="${new Date(m.at).toISOString()}">${formatBeijing(m.at, 'YYYY-MM-DD HH:mm:ss')} 北京时间</time>` +
              `${m.errcode === 0 ? '' : ` <b>errcode ${m.errcode}: ${escapeHtml(m.errmsg)}</b>`}<pre>${escapeHtml(m.content)}</pre></article>`,
          )
          .join('')}</section>`,
      )
      .join('')
    return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>群消息（本地模拟）</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:16px;background:#f5f6f7}section{background:#fff;border-radius:8px;padding:8px 16px;margin:0 0 16px}
h2 small{color:#888;font-weight:normal;font-size:13px}article{border-top:1px solid #eee;padding:6px 0}article.bad{background:#fff3f0}
time{color:#888;font-size:12px}pre{white-space:pre-wrap;margin:4px 0;font:inherit}</style></head>
<body><h1>各群收到的消息（本地模拟，不经过企业微信）</h1>${sections || '<p>还没有群消息。</p>'}</body></html>`
  }

  return {
    groups: list,
    async handle(req, res, url) {
      const m = NAME.exec(url.pathname)
      if (m && req.method === 'POST') {
        const name = m[1]!
        // Over 64 KB (declared or read so far) or too slow: 413 / 408, and nothing is kept.
        const raw = await readBody(req, MAX_ROBOT_BODY, opts.bodyTimeoutMs)
        if (isBodyFailure(raw)) {
          refuseBody(res, url.pathname, raw)
          return true
        }
        let body: unknown
        try {
          body = JSON.parse(raw.toString('utf8'))
        } catch {
          body = undefined
        }
        const now = opts.now()
        let answer = checkRobotBody(body)
        const recent = (accepted.get(name) ?? []).filter((t) => t > now - ROBOT_WINDOW_MS)
        if (answer.errcode === 0 && recent.length >= ROBOT_POSTS_PER_MINUTE) {
          answer = { ...answer, errcode: 45009, errmsg: 'api freq out of limit' }
        }
        if (answer.errcode === 0) recent.push(now)
        accepted.set(name, recent)
        const messages = groups.get(name) ?? []
        messages.push({
          at: now,
          msgtype: answer.msgtype,
          content: answer.content,
          bytes: utf8Bytes(answer.content),
          errcode: answer.errcode,
          errmsg: answer.errmsg,
        })
        if (messages.length > keep) messages.splice(0, messages.length - keep)
        groups.set(name, messages)
        send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ errcode: answer.errcode, errmsg: answer.errmsg }))
        return true
      }
      if (url.pathname === '/api/dev/robot-log' && req.method === 'GET') {
        send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ ok: true, data: { groups: list() } }))
        return true
      }
      if (url.pathname === '/dev/groups' && req.method === 'GET') {
        send(res, 200, 'text/html; charset=utf-8', page())
        return true
      }
      return false
    },
  }
}
