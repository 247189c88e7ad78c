/**
 * 消息: every notification this person got (已接单, 请取物, 已送达, 无人应答 …), newest first. On the
 * local host this is the only channel; in WeChat it sits beside the subscribe messages. Opening the
 * page marks everything read; a message about an order opens it.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useEffect, useState } from 'react'
import { call } from '../../client/call'
import { useLiveReload } from '../../client/live'
import { usePolling } from '../../client/use-polling'
import { useQuery } from '../../client/use-query'
import type { NoticeKind } from '../../core/notify/types'
import type { InboxItemView } from '../../core/notify/views'
import { formatBeijing } from '../../core/time'
import { PageRoot } from '../../components/large-text'
import { PageEmpty, PageError, PageLoading } from '../../components/page-state'
import './index.scss'

/** A task handed to a squad member opens on the squad's task page; everything else is the resident's order. */
const orderPage = (kind: NoticeKind, orderId: string): string =>
  kind === 'handed_to_you'
    ? `/squad/pages/task/index?id=${encodeURIComponent(orderId)}`
    : `/resident/pages/detail/index?id=${encodeURIComponent(orderId)}`

export default function Inbox() {
  const q = useQuery('inbox.list', { limit: 50 })
  const me = useQuery('me.get', {})
  const [more, setMore] = useState<InboxItemView[]>([])
  const [next, setNext] = useState<string | null | undefined>(undefined)
  const [loadingMore, setLoadingMore] = useState(false)
  const households = me.data?.households.map((h) => h.id) ?? []
  useLiveReload(households.length ? { householdIds: households } : null, q.reload)
  usePolling(q.reload, 15_000, true)

  // Seen once shown: mark all read (the badge elsewhere clears).
  const unread = q.data?.unread ?? 0
  useEffect(() => {
    if (unread > 0) void call('inbox.markRead', { all: true }).catch(() => undefined)
  }, [unread])

  if (q.status === 'loading') return <PageRoot><PageLoading text='正在加载消息…' /></PageRoot>
  if (!q.data) return <PageRoot><PageError message={q.error?.message ?? ''} code={q.error?.code} onRetry={q.reload} /></PageRoot>
  const items = [...q.data.items, ...more.filter((m) => !q.data!.items.some((i) => i.id === m.id))]
  const cursor = next === undefined ? q.data.next : next

  const loadMore = async () => {
    if (!cursor || loadingMore) return
    setLoadingMore(true)
    try {
      const page = await call('inbox.list', { limit: 50, cursor })
      setMore((m) => [...m, ...page.items])
      setNext(page.next)
    } finally {
      setLoadingMore(false)
    }
  }

  return (
    <PageRoot className='inbox'>
      <Text className='page__title'>消息</Text>
      {items.length === 0 ? (
        <PageEmpty title='还没有消息' hint='订单有进展时，会在这里告诉您' />
      ) : (
        <View data-testid='inbox-items'>
          {items.map((i) => (
            <View
              key={i.id}
              className={`card inbox__item ${i.read ? '' : 'inbox__item--unread'}`}
              data-testid='inbox-item'
              data-kind={i.kind}
              onClick={() => i.orderId && void Taro.navigateTo({ url: orderPage(i.kind, i.orderId) })}
            >
              <View className='inbox__head'>
                <Text className='inbox__title'>{i.title}</Text>
                <Text className='muted inbox__time'>{formatBeijing(i.createdAt, 'M月D日 HH:mm')}</Text>
              </View>
              <Text className='inbox__body'>{i.body}</Text>
              {i.orderId && <Text className='inbox__more'>查看订单 ›</Text>}
            </View>
          ))}
          {cursor && (
            <Button block fill='outline' loading={loadingMore} onClick={() => void loadMore()}>
              更早的消息
            </Button>
          )}
        </View>
      )}
    </PageRoot>
  )
}
