/** The resident's home: who and where I am, four big buttons, and what is on its way. */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { InboxLink, useInboxUnread } from '../../../components/inbox-link'
import { OrderCard } from '../../../components/order-card'
import { PageRoot } from '../../../components/large-text'
import { PageError, PageLoading } from '../../../components/page-state'
import { TabBar } from '../../../components/tab-bar'
import { ACTIVE_STATUSES, type OrderKind } from '../../../core/order/types'
import type { OrderView } from '../../../core/views'
import { useLiveReload } from '../../../client/live'
import { useQuery } from '../../../client/use-query'
import { CampaignCards } from './campaign-card'
import './index.scss'

const TILES: { kind: OrderKind; icon: string; title: string; hint: string }[] = [
  { kind: 'supplies', icon: '米', title: '买物资', hint: '米面油、水、药' },
  { kind: 'meal', icon: '饭', title: '订饭菜', hint: '今天明天，早中晚' },
  { kind: 'handover', icon: '送', title: '家属送物', hint: '家人送到小区门口' },
  { kind: 'garbage', icon: '垃', title: '清运垃圾', hint: '社工上门收走' },
]

const go = (url: string) => void Taro.navigateTo({ url })
// 再来一单: the order form filled from that order, for review.
const repeatOrder = (o: OrderView) => go(`/resident/pages/order/index?kind=${o.kind}&repeat=${o.id}`)

export default function ResidentHome() {
  const me = useQuery('me.get', {})
  const orders = useQuery('order.mine', {}, { enabled: me.status === 'ready' && me.data.households.length > 0 })
  const inbox = useInboxUnread()
  // Live: an order's change refreshes the list and the unread count; polling is the fallback.
  const householdIds = me.data?.households.map((h) => h.id) ?? []
  useLiveReload(householdIds.length ? { householdIds } : null, () => {
    void orders.reload()
    inbox.reloadSoon()
  })

  if (me.status === 'loading') return <PageRoot><PageLoading /></PageRoot>
  if (me.status === 'error') return <PageRoot><PageError message={me.error.message} code={me.error.code} onRetry={me.reload} /></PageRoot>
  const household = me.data.households[0]
  if (!household) {
    void Taro.redirectTo({ url: '/resident/pages/join/index' })
    return <PageRoot><PageLoading text='请先绑定住户…' /></PageRoot>
  }
  const active = orders.data?.orders.filter((o) => ACTIVE_STATUSES.includes(o.status)) ?? []

  return (
    <PageRoot className='resident-home'>
      <View className='resident-home__hello'>
        <Text className='page__title'>您好{me.data.name ? `，${me.data.name}` : ''}</Text>
        <Text className='resident-home__where' data-testid='household-label'>
          {household.communityName} · {household.label}
        </Text>
      </View>

      <InboxLink unread={inbox.unread} />

      <CampaignCards enabled={me.data.households.length > 0} />

      <View className='resident-home__tiles'>
        {TILES.map((t) => (
          <View key={t.kind} className='tile' data-testid={`tile-${t.kind}`} onClick={() => go(`/resident/pages/order/index?kind=${t.kind}`)}>
            <Text className={`tile__icon tile__icon--${t.kind}`}>{t.icon}</Text>
            <Text className='tile__title'>{t.title}</Text>
            <Text className='tile__hint'>{t.hint}</Text>
          </View>
        ))}
      </View>

      <View className='resident-home__section'>
        <Text className='resident-home__section-title'>正在进行</Text>
        <Text className='resident-home__more' onClick={() => go('/resident/pages/orders/index')}>
          全部订单 ›
        </Text>
      </View>
      {orders.status === 'loading' && <PageLoading text='正在查看订单…' />}
      {orders.status === 'error' && <PageError message={orders.error.message} code={orders.error.code} onRetry={orders.reload} />}
      {orders.status === 'ready' && active.length === 0 && (
        <View className='card muted' data-testid='no-active'>
          现在没有进行中的订单。需要什么，点上面的大按钮就行。
        </View>
      )}
      {active.map((o) => (
        <OrderCard key={o.id} order={o} onTap={() => go(`/resident/pages/detail/index?id=${o.id}`)} onRepeat={() => repeatOrder(o)} />
      ))}
      <TabBar current='home' home='/resident/pages/home/index' />
    </PageRoot>
  )
}
