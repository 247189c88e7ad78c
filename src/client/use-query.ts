/**
 * Page data loading with the three states every page shows: loading, error (with retry), data.
 * Reloads when the page is shown again (coming back from another page).
 */
import { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ActionName, InputOf, OutputOf } from '../core/contract'
import type { OrderView } from '../core/views'
import { call, CallError } from './call'

export type QueryState<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'error'; data?: T; error: CallError }
  | { status: 'ready'; data: T; error?: undefined }

export function useQuery<A extends ActionName>(
  action: A,
  input: InputOf<A>,
  opts: { enabled?: boolean } = {},
): QueryState<OutputOf<A>> & { reload: () => Promise<void>; replace: (data: OutputOf<A>) => void } {
  const [state, setState] = useState<QueryState<OutputOf<A>>>({ status: 'loading' })
  const key = JSON.stringify(input)
  const latest = useRef(0)
  const enabled = opts.enabled ?? true

  const reload = useCallback(async () => {
    if (!enabled) return
    const seq = ++latest.current
    try {
      const data = await call(action, JSON.parse(key) as InputOf<A>)
      if (seq === latest.current) setState({ status: 'ready', data })
    } catch (e) {
      const err = e instanceof CallError ? e : new CallError('INTERNAL', '出了点问题，请稍后再试')
      if (seq === latest.current) setState((s) => ({ status: 'error', data: s.data, error: err }))
    }
  }, [action, key, enabled])

  /**
   * A mutation answered with the new state (e.g. the whole catalog): show it at once. A reload
   * already in flight started before the change, so its answer is dropped.
   */
  const replace = useCallback((data: OutputOf<A>) => {
    latest.current++
    setState({ status: 'ready', data })
  }, [])

  useEffect(() => {
    void reload()
  }, [reload])
  useDidShow(() => {
    if (state.status !== 'loading') void reload()
  })
  return { ...state, reload, replace }
}

/** A submit action: remembers it is busy (no double submission) and the last error. */
export function useMutation<A extends ActionName>(action: A) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<CallError | null>(null)
  const run = useCallback(
    async (input: InputOf<A>): Promise<OutputOf<A> | null> => {
      setBusy(true)
      setError(null)
      try {
        return await call(action, input)
      } catch (e) {
        setError(e instanceof CallError ? e : new CallError('INTERNAL', '出了点问题，请稍后再试'))
        return null
      } finally {
        setBusy(false)
      }
    },
    [action],
  )
  return { run, busy, error, clearError: () => setError(null) }
}

/** Actions that change one order and answer with it (order.claim, order.step, order.cancelProxy …). */
export type OrderActionName = { [A in ActionName]: OutputOf<A> extends OrderView ? (A extends 'order.get' | 'order.place' | 'order.repeat' ? never : A) : never }[ActionName]

/** Refusals after which what the page shows is out of date: fetch the order again (onStale). */
export const STALE_ORDER_CODES: readonly string[] = [
  'ORDER.CONFLICT',
  'ORDER.INVALID_TRANSITION',
  'ORDER.STEP_OUT_OF_ORDER',
  'ORDER.NOT_HOLDER',
  'ORDER.ALREADY_CLAIMED',
]

/** What went wrong with the last action, and which one (its key). */
export interface OrderActionError {
  key: string
  code: string
  message: string
}

/**
 * Actions on one order, keyed: `run(key, action, input)` sends one at a time (a second tap while one
 * is in flight is ignored), remembers which key is busy and the last refusal (the field's message for
 * invalid input, else the server's), and keeps the fresh order from the answer. `latest(fetched)` is
 * the newer (by version) of what the page fetched and what the last action answered; `accept(v)`
 * takes an answer that came another way (the offline step queue). `intercept(err)` returning true
 * marks a failure as handled (e.g. kept in the offline queue): no error is shown.
 */
export function useOrderAction(orderId: string, opts: { onStale?: () => void } = {}) {
  const [fresh, setFresh] = useState<OrderView | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setErrorState] = useState<OrderActionError | null>(null)
  const inFlight = useRef(false)
  const onStale = useRef(opts.onStale)
  onStale.current = opts.onStale

  const accept = useCallback(
    (v: OrderView) => setFresh((f) => (v.id === orderId && (!f || v.version >= f.version) ? v : f)),
    [orderId],
  )

  const run = useCallback(
    async <A extends OrderActionName>(
      key: string,
      action: A,
      input: InputOf<A>,
      o: { intercept?: (err: CallError) => boolean } = {},
    ): Promise<OrderView | null> => {
      if (inFlight.current) return null
      inFlight.current = true
      setBusy(key)
      setErrorState(null)
      try {
        const v = (await call(action, input)) as OrderView
        accept(v)
        return v
      } catch (e) {
        const err = e instanceof CallError ? e : new CallError('INTERNAL', '出了点问题，请稍后再试')
        if (o.intercept?.(err)) return null
        const field = Object.values(err.fields)[0]
        setErrorState({ key, code: err.code, message: field && err.code === 'REQUEST.INVALID_INPUT' ? field : err.message })
        if (STALE_ORDER_CODES.includes(err.code)) onStale.current?.()
        return null
      } finally {
        inFlight.current = false
        setBusy(null)
      }
    },
    [accept],
  )

  /** A message of the page's own (a missing reason), or null to clear. */
  const setError = useCallback((message: string | null, key = 'page') => {
    setErrorState(message === null ? null : { key, code: 'CLIENT', message })
  }, [])

  const latest = useCallback(
    (fetched: OrderView | undefined): OrderView | undefined => (fresh && (!fetched || fresh.version >= fetched.version) ? fresh : fetched),
    [fresh],
  )

  return { run, busy, error, setError, setBusy, accept, latest }
}
