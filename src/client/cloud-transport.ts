/**
 * The weapp transport's logic, without Taro (transport.ts hands it `Taro.cloud.callFunction`):
 * the function's envelope comes back as it is; a platform failure keeps what the platform said
 * (details.errCode / errMsg, and the developer console) and gets a code of its own
 * (cloud-errors.ts), so a missing function or a wrong environment never reads as bad signal.
 */
import type { Result } from '../core/contract'
import { ERROR_MESSAGES } from '../core/errors'
import { classifyCloudError, isEnvelope, platformError, type CloudCallErrorCode, type PlatformError } from './cloud-errors'

export type CallFunction = (options: { name: string; data: { action: string; input: unknown } }) => Promise<{ result?: unknown }>

export function createCloudTransport(callFunction: CallFunction, name = 'api') {
  return async (req: { action: string; input: unknown }): Promise<Result<unknown>> => {
    try {
      const res = await callFunction({ name, data: req })
      if (isEnvelope(res.result)) return res.result as Result<unknown>
      return failure('CLOUD.UNKNOWN', { errMsg: `${name} answered without a result envelope` })
    } catch (err) {
      const said = platformError(err)
      console.error(`[${name}] callFunction failed`, said)
      return failure(classifyCloudError(err), said)
    }
  }
}

function failure(code: CloudCallErrorCode, said: PlatformError): Result<never> {
  return {
    ok: false,
    code,
    message: ERROR_MESSAGES[code],
    details: { ...(said.errCode !== undefined ? { errCode: String(said.errCode) } : {}), errMsg: said.errMsg.slice(0, 300) },
  }
}
