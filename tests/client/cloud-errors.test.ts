/**
 * The weapp transport tells a deployment mistake from bad signal: each failure the platform reports
 * (texts as WeChat's base library and the cloud service word them) maps to its own code and message.
 */
import { describe, expect, it } from 'vitest'
import { ERROR_MESSAGES } from '../../src/core/errors'
import { classifyCloudError, isEnvelope, platformError } from '../../src/client/cloud-errors'
import { createCloudTransport } from '../../src/client/cloud-transport'

const wx = (errCode: number, errMsg: string) => Object.assign(new Error(errMsg), { errCode, errMsg })

describe('classifyCloudError', () => {
  it.each([
    [wx(-501000, 'cloud.callFunction:fail requestID , cloud function service error code -501000, error message FunctionName parameter could not be found'), 'CLOUD.FUNCTION_NOT_FOUND'],
    [wx(-501000, '[ResourceNotFound.Function] Function not found'), 'CLOUD.FUNCTION_NOT_FOUND'],
    [wx(-404011, 'errCode: -404011 cloud function execution error | errMsg: cloud.callFunction:fail cloud function service error code -501005, error message Environment not found; at cloud.callFunction api;'), 'CLOUD.ENV_NOT_FOUND'],
    [wx(-501000, '[100003] env not exists (2fa64500) 更多错误信息请访问:https://docs.cloudbase.net/error-code/basic/INVALID_ENV'), 'CLOUD.ENV_NOT_FOUND'],
    [wx(-501000, 'Environment invalid and please check your parameters'), 'CLOUD.ENV_NOT_FOUND'],
    [new Error('cloud.callFunction:fail please call wx.cloud.init first'), 'CLOUD.ENV_NOT_FOUND'],
    [wx(-504003, 'cloud.callFunction:fail -504003 functions invoke time limit exceeded'), 'CLOUD.TIMEOUT'],
    [wx(-404011, 'cloud function execution error: Invoking task timed out after 3 seconds'), 'CLOUD.TIMEOUT'],
    [{ errMsg: 'cloud.callFunction:fail request:fail ', errno: 600001 }, 'NETWORK.UNREACHABLE'],
    [{ errMsg: 'cloud.callFunction:fail', errno: 600001 }, 'NETWORK.UNREACHABLE'],
    [wx(-504002, 'cloud.callFunction:fail -504002 functions execute fail. user code exception caught'), 'CLOUD.UNKNOWN'],
    [new Error('something nobody has seen'), 'CLOUD.UNKNOWN'],
    ['a bare string', 'CLOUD.UNKNOWN'],
    [undefined, 'CLOUD.UNKNOWN'],
  ] as const)('%#: → %s', (err, code) => {
    expect(classifyCloudError(err)).toBe(code)
  })

  it('gives every code its own Chinese message', () => {
    const codes = ['CLOUD.FUNCTION_NOT_FOUND', 'CLOUD.ENV_NOT_FOUND', 'CLOUD.TIMEOUT', 'NETWORK.UNREACHABLE', 'CLOUD.UNKNOWN'] as const
    const messages = codes.map((c) => ERROR_MESSAGES[c])
    expect(new Set(messages).size).toBe(codes.length)
    for (const m of messages) expect(m).toMatch(/[\u4e00-\u9fa5]/)
  })

  it('keeps what the platform said', () => {
    expect(platformError(wx(-501000, 'env not exists'))).toEqual({ errCode: -501000, errMsg: 'env not exists' })
    expect(platformError({ errno: 600001, errMsg: 'request:fail' })).toEqual({ errCode: 600001, errMsg: 'request:fail' })
    expect(platformError(null)).toEqual({ errMsg: '' })
  })

  it('accepts only our envelope as an answer', () => {
    expect(isEnvelope({ ok: true, data: 1 })).toBe(true)
    expect(isEnvelope({ ok: false, code: 'X' })).toBe(true)
    expect(isEnvelope(undefined)).toBe(false)
    expect(isEnvelope({ errMsg: 'callFunction:ok', result: null })).toBe(false)
  })
})

describe('the weapp transport', () => {
  const req = { action: 'me.get', input: {} }

  it('returns the function envelope as it is', async () => {
    const t = createCloudTransport(async ({ name, data }) => ({ result: { ok: true, data: { name, action: data.action } } }))
    expect(await t(req)).toEqual({ ok: true, data: { name: 'api', action: 'me.get' } })
  })

  it('turns a platform failure into its own code, keeping what the platform said', async () => {
    const t = createCloudTransport(async () => {
      throw wx(-501000, 'cloud function service error code -501000, error message FunctionName parameter could not be found')
    })
    const res = await t(req)
    expect(res).toMatchObject({
      ok: false,
      code: 'CLOUD.FUNCTION_NOT_FOUND',
      message: ERROR_MESSAGES['CLOUD.FUNCTION_NOT_FOUND'],
      details: { errCode: '-501000' },
    })
    expect(res.ok === false && String(res.details?.errMsg)).toContain('FunctionName parameter could not be found')
  })

  it('refuses an answer that is not our envelope', async () => {
    const t = createCloudTransport(async () => ({ result: null }))
    expect(await t(req)).toMatchObject({ ok: false, code: 'CLOUD.UNKNOWN' })
  })
})
