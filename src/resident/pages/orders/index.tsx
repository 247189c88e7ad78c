/** 我的订单: every order of my household, newest first, with live status; 再来一单 opens the form filled from it. */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { OrderCard } from '../../../components/order-card'
import { PageRoot } from '../../../components/large-text'
import { PageEmpty, PageError, PageLoading } from '../../../components/page-state'
import type { OrderView } from '../../../core/views'
import { useQuery } from '../../../client/use-query'
import { useLiveReload } from '../../../client/live'
import { usePolling } from '../../../client/use-polling'

export default function MyOrders() {
  const orders = useQuery('order.mine', {})
  // Live: new orders and status changes of my households show at once; slow polling is the fallback.
  const householdIds = orders.data ? orders.data.orders.flatMap((o) => (o.householdId ? [o.householdId] : [])) : []
  useLiveReload(householdIds.length > 0 ? { householdIds } : null, orders.reload)
  usePolling(orders.reload, 15_000)
  const open = (id: string) => void Taro.navigateTo({ url: `/resident/pages/detail/index?id=${id}` })
  const repeatOrder = (o: OrderView) => void Taro.navigateTo({ url: `/resident/pages/order/index?kind=${o.kind}&repeat=${o.id}` })

  return (
    <PageRoot className='my-orders'>
      <Text className='page__title'>我的订单</Text>
      {orders.status === 'loading' && <PageLoading />}
      {orders.status === 'error' && !orders.data && <PageError message={orders.error.message} code={orders.error.code} onRetry={orders.reload} />}
      {orders.data && orders.data.orders.length === 0 && (
        <PageEmpty title='还没有订单' hint='回到首页，点大按钮就能下单' />
      )}
      {orders.data && (
        <View data-testid='orders'>
          {orders.data.orders.map((o) => (
            <OrderCard key={o.id} order={o} onTap={() => open(o.id)} onRepeat={() => repeatOrder(o)} />
          ))}
        </View>
      )}
    </PageRoot>
  )
}
