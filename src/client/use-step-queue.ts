/**
 * The offline step queue (step-queue.ts) on the phone: Taro storage (localStorage on H5), sent
 * through call('order.step'). The page hook flushes it on mount, on page show, when the network
 * comes back (H5: the browser's `online` event; weapp: Taro.onNetworkStatusChange) and every
 * RETRY_MS while anything is queued.
 */
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { OrderView } from '../core/views'
import { call } from './call'
import { StepQueue, type QueuedStep, type StepRefusal } from './step-queue'

export const RETRY_MS = 5_000

export const stepQueue = new StepQueue(
  {
    get: (key) => Taro.getStorageSync(key),
    set: (key, value) => Taro.setStorageSync(key, value),
  },
  (input) => call('order.step', input),
)

export function useStepQueue(handlers: { onSent: (v: OrderView) => void; onRefused: (r: StepRefusal) => void }) {
  const [items, setItems] = useState<QueuedStep[]>(() => stepQueue.list())
  const h = useRef(handlers)
  h.current = handlers

  const flush = useCallback(async () => {
    if (stepQueue.list().length === 0) return
    const r = await stepQueue.flush()
    r.sent.forEach((v) => h.current.onSent(v))
    r.refused.forEach((x) => h.current.onRefused(x))
    setItems(stepQueue.list())
  }, [])

  const add = useCallback((item: QueuedStep) => {
    stepQueue.add(item)
    setItems(stepQueue.list())
  }, [])

  useEffect(() => {
    void flush()
    if (process.env.TARO_ENV === 'h5') {
      const online = () => void flush()
      window.addEventListener('online', online)
      return () => window.removeEventListener('online', online)
    }
    const change = (res: { isConnected: boolean }) => {
      if (res.isConnected) void flush()
    }
    Taro.onNetworkStatusChange(change)
    return () => Taro.offNetworkStatusChange?.(change)
  }, [flush])

  useDidShow(() => void flush())

  const waiting = items.length > 0
  useEffect(() => {
    if (!waiting) return
    const t = setInterval(() => void flush(), RETRY_MS)
    return () => clearInterval(t)
  }, [waiting, flush])

  return { items, add, flush }
}
