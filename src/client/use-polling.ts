/**
 * Re-runs `fn` every `ms` while the page is visible. The resident's pages use it to follow an
 * order live (the local host and the cloud both answer order.get cheaply).
 */
import { useDidHide, useDidShow } from '@tarojs/taro'
import { useEffect, useRef } from 'react'

export function usePolling(fn: () => unknown, ms: number, enabled = true): void {
  const visible = useRef(true)
  const latest = useRef(fn)
  latest.current = fn
  useDidShow(() => {
    visible.current = true
  })
  useDidHide(() => {
    visible.current = false
  })
  useEffect(() => {
    if (!enabled) return
    const t = setInterval(() => {
      if (visible.current) void latest.current()
    }, ms)
    return () => clearInterval(t)
  }, [ms, enabled])
}
