/**
 * Large-text mode for elderly residents: remembered on the device at once and on the server per
 * user (me.setPrefs), so it follows them. Pages wrap their content in <PageRoot>.
 */
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'

const KEY = 'zj.largeText'
const listeners = new Set<(v: boolean) => void>()

export function getLargeText(): boolean {
  return Taro.getStorageSync(KEY) === true
}

export function setLargeText(v: boolean): void {
  Taro.setStorageSync(KEY, v)
  listeners.forEach((fn) => fn(v))
}

export function useLargeText(): boolean {
  const [v, setV] = useState(getLargeText())
  useEffect(() => {
    listeners.add(setV)
    return () => {
      listeners.delete(setV)
    }
  }, [])
  return v
}
