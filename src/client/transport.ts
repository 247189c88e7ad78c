/**
 * Transports carry `{ action, input }` to the api and bring back its `Result` envelope.
 * weapp: the `api` cloud function (WeChat supplies the caller's OPENID).
 * h5: POST /api on the local host, with the signed session as a Bearer token.
 */
import Taro from '@tarojs/taro'
import type { Result } from '../core/contract'
import { ERROR_MESSAGES } from '../core/errors'
import { createCloudTransport } from './cloud-transport'
import { getSessionToken } from './session'

export type Transport = (req: { action: string; input: unknown }) => Promise<Result<unknown>>

const unreachable: Result<never> = {
  ok: false,
  code: 'NETWORK.UNREACHABLE',
  message: ERROR_MESSAGES['NETWORK.UNREACHABLE'],
}

/** weapp: the `api` cloud function; platform failures mapped by cloud-transport.ts. */
export const weappTransport: Transport = createCloudTransport((options) => Taro.cloud.callFunction(options))

export const h5Transport: Transport = async (req) => {
  const token = getSessionToken()
  try {
    const res = await fetch('/api', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(req),
    })
    return (await res.json()) as Result<unknown>
  } catch {
    return unreachable
  }
}

export const platformTransport: Transport = process.env.TARO_ENV === 'h5' ? h5Transport : weappTransport
