/**
 * Typed application errors with stable codes.
 * The code is for programs (clients switch on it, tests assert it); the message is Chinese, for people.
 */
export const ERROR_MESSAGES = {
  'REQUEST.UNKNOWN_ACTION': '不支持的操作，请升级小程序后再试',
  'REQUEST.INVALID_INPUT': '填写的内容有误，请检查后再提交',
  'REQUEST.MALFORMED': '请求格式不正确',
  'AUTH.NOT_SIGNED_IN': '请先登录',
  'AUTH.SESSION_EXPIRED': '登录已过期，请重新登录',
  'AUTH.FORBIDDEN': '您没有权限进行这个操作',
  'AUTH.UNKNOWN_PERSON': '未找到该用户',
  'HOUSEHOLD.NOT_FOUND': '未找到该住户',
  'HOUSEHOLD.NOT_MEMBER': '只能为自己家下单',
  'HOUSEHOLD.NONE_BOUND': '您还没有绑定住户，请先输入隔离通知单上的住户码',
  'ORDER.NOT_FOUND': '订单不存在或已被删除',
  'ORDER.ALREADY_CLAIMED': '这个订单已经有人接了',
  'ORDER.INVALID_TRANSITION': '订单当前状态不能进行这个操作',
  'ORDER.NOT_HOLDER': '这个订单不是您负责的',
  'ORDER.CONFLICT': '订单刚刚被其他人更新，请刷新后再试',
  'ORDER.ALREADY_RATED': '这个订单已经评价过了',
  'INTERNAL': '系统繁忙，请稍后再试',
  /** Client-side only: the request never got an answer. */
  'NETWORK.UNREACHABLE': '网络不太好，请检查网络后再试',
} as const

export type ErrorCode = keyof typeof ERROR_MESSAGES

/** Field-level problems for form errors: path ("lines.0.qty") → Chinese message. */
export type FieldErrors = Record<string, string>

export class AppError extends Error {
  readonly code: ErrorCode
  readonly fields?: FieldErrors
  readonly details?: Record<string, string | number | boolean | null>

  constructor(
    code: ErrorCode,
    opts: { message?: string; fields?: FieldErrors; details?: AppError['details'] } = {},
  ) {
    super(opts.message ?? ERROR_MESSAGES[code])
    this.name = 'AppError'
    this.code = code
    this.fields = opts.fields
    this.details = opts.details
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError

/** Exhaustiveness guard for `switch` statements over unions. */
export function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`)
}
