/** An order in a list: what, status, when; tap opens it. `onRepeat` adds a big 再来一单 button. */
import { Text, View } from '@tarojs/components'
import { kindLabel } from '../../core/order/labels'
import { orderSummary } from '../../core/order/summary'
import { formatBeijing } from '../../core/time'
import type { OrderView } from '../../core/views'
import { StatusTag } from '../status-tag'
import './index.scss'

export function OrderCard({
  order,
  onTap,
  onRepeat,
  extra,
}: {
  order: OrderView
  onTap?: () => void
  onRepeat?: () => void
  extra?: React.ReactNode
}) {
  return (
    <View className='order-card' onClick={onTap} data-testid='order-card' data-order-id={order.id}>
      <View className='order-card__head'>
        <Text className='order-card__kind'>
          {kindLabel(order.kind)}
          {order.urgency === 'urgent' && <Text className='order-card__urgent'>加急</Text>}
        </Text>
        <StatusTag status={order.status} />
      </View>
      <Text className='order-card__summary'>{orderSummary(order)}</Text>
      <View className='order-card__foot'>
        <Text className='muted'>{formatBeijing(order.createdAt)} 下单</Text>
        {order.holder && order.status !== 'cancelled' && <Text className='muted'>社工 {order.holder.name}</Text>}
      </View>
      {extra}
      {onRepeat && (
        <View
          className='order-card__repeat'
          data-testid='repeat'
          onClick={(e) => {
            e.stopPropagation() // the card's own tap opens the order
            onRepeat()
          }}
        >
          再来一单
        </View>
      )}
    </View>
  )
}
