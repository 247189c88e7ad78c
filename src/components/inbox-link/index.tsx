/**
 * The way to 消息 with the unread count, for every home page: residents hear about their orders
 * there, squad members about tasks a coordinator handed them. `unread` comes from useInboxUnread,
 * which the page also reloads when its live updates fire.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { usePolling } from '../../client/use-polling'
import { useQuery } from '../../client/use-query'
import './index.scss'

export function useInboxUnread(pollMs = 15_000) {
  const inbox = useQuery('inbox.list', { limit: 1 })
  usePolling(inbox.reload, pollMs, true)
  return {
    unread: inbox.data?.unread ?? 0,
    /**
     * Now, and twice more shortly after: a message lands a moment after the change that caused it
     * (the dispatcher writes it after the order's write, later still on a busy server).
     */
    reloadSoon: () => {
      void inbox.reload()
      for (const ms of [1500, 4000]) setTimeout(() => void inbox.reload(), ms)
    },
  }
}

export function InboxLink({ unread }: { unread: number }) {
  return (
    <View className='inbox-link' onClick={() => void Taro.navigateTo({ url: '/pages/inbox/index' })} data-testid='to-inbox'>
      <Text>消息</Text>
      {unread > 0 ? (
        <Text className='inbox-link__badge' data-testid='unread'>
          {unread > 99 ? '99+' : unread}条新消息
        </Text>
      ) : (
        <Text className='muted inbox-link__none'>没有新消息</Text>
      )}
      <Text className='inbox-link__chevron'>›</Text>
    </View>
  )
}
