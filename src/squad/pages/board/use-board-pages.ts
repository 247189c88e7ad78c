/**
 * The board's pages (squad.board is paged in the store: overdue, urgent, deadline). The first page
 * loads with the page; 加载更多 appends the next. A reload (live change, page shown again, retry)
 * reads again as many pages as were showing, so a squad member deep in the list keeps their place.
 */
import { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import { call, CallError } from '../../../client/call'
import type { BoardList, OrderView } from '../../../core/views'

export interface BoardData {
  orders: OrderView[]
  next: string | null
  hasMore: boolean
  total: number
  overdue: number
}

type State =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'error'; data?: BoardData; error: CallError }
  | { status: 'ready'; data: BoardData; error?: undefined }

const asCallError = (e: unknown) => (e instanceof CallError ? e : new CallError('INTERNAL', '出了点问题，请稍后再试'))

/** Appends a page, leaving out orders already shown (an order can move between reads). */
export function appendPage(data: BoardData, page: BoardList): BoardData {
  const seen = new Set(data.orders.map((o) => o.id))
  return {
    orders: [...data.orders, ...page.orders.filter((o) => !seen.has(o.id))],
    next: page.next,
    hasMore: page.hasMore,
    total: page.total,
    overdue: page.overdue,
  }
}

export function useBoardPages() {
  const [state, setState] = useState<State>({ status: 'loading' })
  const [loadingMore, setLoadingMore] = useState(false)
  const [moreError, setMoreError] = useState<string | null>(null)
  const pages = useRef(1)
  const latest = useRef(0)

  const reload = useCallback(async () => {
    const seq = ++latest.current
    try {
      const first = await call('squad.board', {})
      let data: BoardData = { orders: [], next: null, hasMore: false, total: 0, overdue: 0 }
      data = appendPage(data, first)
      for (let n = 1; n < pages.current && data.next; n++) data = appendPage(data, await call('squad.board', { cursor: data.next }))
      if (seq === latest.current) setState({ status: 'ready', data })
    } catch (e) {
      if (seq === latest.current) setState((s) => ({ status: 'error', data: s.data, error: asCallError(e) }))
    }
  }, [])

  const loadMore = useCallback(async () => {
    const data = state.data
    if (!data?.next || loadingMore) return
    setLoadingMore(true)
    setMoreError(null)
    const seq = latest.current
    try {
      const page = await call('squad.board', { cursor: data.next })
      // A reload that started meanwhile answers for the whole list; this page is dropped.
      if (seq === latest.current) {
        pages.current++
        setState({ status: 'ready', data: appendPage(data, page) })
      }
    } catch (e) {
      setMoreError(asCallError(e).message)
    } finally {
      setLoadingMore(false)
    }
  }, [state.data, loadingMore])

  useEffect(() => {
    void reload()
  }, [reload])
  useDidShow(() => {
    if (state.status !== 'loading') void reload()
  })
  return { ...state, reload, loadMore, loadingMore, moreError }
}
