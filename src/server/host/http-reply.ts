/** What every route of the local host shares: the session from the request, JSON answers in the api's envelope. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Result } from '../../core/contract'
import { ERROR_MESSAGES, type ErrorCode } from '../../core/errors'

/** `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization
  return auth?.startsWith('Bearer ') ? auth.slice(7).trim() || undefined : undefined
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendJsonText(res, status, JSON.stringify(body))
}

/** An answer already in JSON text (the api's envelope, made on the main thread: api-thread.ts). */
export function sendJsonText(res: ServerResponse, status: number, json: string): void {
  // Encoded once: Buffer.byteLength on the string and then res.end(string) walked a large answer
  // (the board) twice (BENCHMARKS.md, "Morning rush over HTTP").
  const data = Buffer.from(json, 'utf8')
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': data.length,
    'cache-control': 'no-store',
  })
  res.end(data)
}

/** A refusal with its stable code; the message is the code's own unless the route says more. */
export function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string = ERROR_MESSAGES[code]): void {
  sendJsonText(res, status, errorJson(code, message))
}

/** A refusal's envelope as JSON text. */
export function errorJson(code: ErrorCode, message: string = ERROR_MESSAGES[code]): string {
  const body: Result<never> = { ok: false, code, message }
  return JSON.stringify(body)
}
