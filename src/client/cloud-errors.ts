/**
 * What went wrong when `wx.cloud.callFunction` failed, from what the platform said. Pure: no Taro.
 *
 * The mini program's base library rejects with an Error whose `errCode` / `errMsg` carry the cloud
 * service's own code and text, often nested ("errCode: -404011 cloud function execution error |
 * errMsg: cloud.callFunction:fail … cloud function service error code -501000, error message
 * Environment not found"). The outer code is generic, so the text decides. Seen in the wild:
 * - function missing: "FunctionName parameter could not be found", "ResourceNotFound.Function",
 *   "FUNCTION_NOT_FOUND", "function not found";
 * - environment wrong or `cloud.init` never called: "Environment not found", "env not exists",
 *   "Environment invalid", "INVALID_ENV", "-501005", "please call wx.cloud.init first", "cloud init";
 * - timeout: "-504003", "time limit exceeded", "timed out", "TIME_LIMIT_EXCEEDED", "timeout";
 * - no network: "request:fail", "network", errno 600001/600003 on the client before any service.
 * Anything else (a crashed function: -504002 "functions execute fail", a frozen account …) is
 * CLOUD.UNKNOWN, never "bad network", so a deployment mistake is not mistaken for weak signal.
 */
import type { ErrorCode } from '../core/errors'

export type CloudCallErrorCode = Extract<
  ErrorCode,
  'CLOUD.FUNCTION_NOT_FOUND' | 'CLOUD.ENV_NOT_FOUND' | 'CLOUD.TIMEOUT' | 'NETWORK.UNREACHABLE' | 'CLOUD.UNKNOWN'
>

export interface PlatformError {
  errCode?: number | string
  errMsg: string
}

/** The platform's own words, kept for the log and the error's details. */
export function platformError(err: unknown): PlatformError {
  if (typeof err === 'object' && err !== null) {
    const e = err as { errCode?: unknown; errMsg?: unknown; message?: unknown; errno?: unknown }
    const errMsg = typeof e.errMsg === 'string' ? e.errMsg : typeof e.message === 'string' ? e.message : ''
    const code = e.errCode ?? e.errno
    return { ...(typeof code === 'number' || typeof code === 'string' ? { errCode: code } : {}), errMsg }
  }
  return { errMsg: typeof err === 'string' ? err : '' }
}

const FUNCTION_NOT_FOUND = [/FunctionName parameter could not be found/i, /ResourceNotFound\.Function/i, /FUNCTION_NOT_FOUND/, /function not found/i, /找不到.*云函数/]
const ENV_NOT_FOUND = [/Environment not found/i, /env not exists/i, /Environment invalid/i, /INVALID_ENV/, /-501005/, /wx\.cloud\.init/i, /cloud init/i, /invalid env/i]
const TIMEOUT = [/-504003/, /time ?limit exceeded/i, /TIME_LIMIT_EXCEEDED/, /timed? ?out/i, /超时/]
const NETWORK = [/request:fail/i, /network/i, /ERR_INTERNET_DISCONNECTED/i, /网络/]
const NETWORK_ERRNOS = new Set([600001, 600003, 602001])

export function classifyCloudError(err: unknown): CloudCallErrorCode {
  const { errCode, errMsg } = platformError(err)
  const text = `${errCode ?? ''} ${errMsg}`
  if (FUNCTION_NOT_FOUND.some((r) => r.test(text))) return 'CLOUD.FUNCTION_NOT_FOUND'
  if (ENV_NOT_FOUND.some((r) => r.test(text))) return 'CLOUD.ENV_NOT_FOUND'
  if (TIMEOUT.some((r) => r.test(text))) return 'CLOUD.TIMEOUT'
  if ((typeof errCode === 'number' && NETWORK_ERRNOS.has(errCode)) || NETWORK.some((r) => r.test(text))) return 'NETWORK.UNREACHABLE'
  return 'CLOUD.UNKNOWN'
}

/** The function answered, but not with our envelope (an old or foreign function named `api`). */
export function isEnvelope(x: unknown): x is { ok: boolean } {
  return typeof x === 'object' && x !== null && typeof (x as { ok?: unknown }).ok === 'boolean'
}
