/** The H5 session token (the local host's signed session). On weapp, WeChat is the session. */
import Taro from '@tarojs/taro'

const KEY = 'zj.session'

export function getSessionToken(): string | null {
  const v: unknown = Taro.getStorageSync(KEY)
  return typeof v === 'string' && v ? v : null
}

export function setSessionToken(token: string | null): void {
  if (token) Taro.setStorageSync(KEY, token)
  else Taro.removeStorageSync(KEY)
}
