/**
 * Page data loading with the three states every page shows: loading, error (with retry), data.
 * Reloads when the page is shown again (coming back from another page).
 */
import { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ActionName, InputOf, OutputOf } from '../core/contract'
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
