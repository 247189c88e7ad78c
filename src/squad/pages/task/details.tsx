/** What to bring (lines, the meal, the parcel, notes), and for orders I do not hold: who does, or 接单. */
import { Text, View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { OrderPhoto } from '../../../components/order-photo'
import { dayTimeLabel } from '../../../core/order/board'
import { MEAL_SLOTS } from '../../../core/order/schedule'
import type { OrderView } from '../../../core/views'

/** Orders I do not hold: who does, or (still open) a 接单 button. */
export function NotMine({ order: o, busy, onClaim }: { order: OrderView; busy: boolean; onClaim: () => void }) {
  if (o.status === 'pending') {
    return (
      <View className='card task__notmine'>
        <Text>这个订单还没有人接。</Text>
        <View className='task__btn'>
          <Button size='large' block type='primary' loading={busy} onClick={onClaim} data-testid='claim'>
            接单
          </Button>
        </View>
      </View>
    )
  }
  return (
    <View className='card task__notmine' data-testid='not-mine'>
      <Text>{o.holder ? `这个订单由${o.holder.name}负责，您只能查看。` : '这个订单不在您手上。'}</Text>
    </View>
  )
}

/** What to bring: lines, the meal, the parcel, notes. */
export function Details({ order: o, now }: { order: OrderView; now: number }) {
  return (
    <View className='card task__details' data-testid='details'>
      <Text className='task__section'>要送的东西</Text>
      {o.kind === 'supplies' &&
        o.lines.map((l, i) => (
          <View key={i} className='line'>
            <Text className='line__name'>
              {l.name}
              {l.prescription && <Text className='squad-badge squad-badge--hold'>处方药，带上处方</Text>}
            </Text>
            <Text className='line__qty'>
              ×{l.qty}
              {l.unit}
            </Text>
            {l.note && <Text className='line__note'>{l.note}</Text>}
            {l.photo && (
              <View className='line__photo-row'>
                <OrderPhoto key={l.photo} orderId={o.id} line={i} className='line__photo' testid={`line-photo-${i}`} />
                <Text className='line__note'>居民拍的药盒，照着买；点开看大图</Text>
              </View>
            )}
          </View>
        ))}
      {o.kind === 'meal' && o.meal && (
        <View>
          <Text className='task__kv'>饭菜：{o.meal.dish}</Text>
          <Text className='task__kv'>
            用餐：
            {o.meal.at ? dayTimeLabel(o.meal.at, now) : o.meal.date}
            {o.meal.slot !== 'exact' ? ` ${MEAL_SLOTS[o.meal.slot].label}` : ''}
          </Text>
          {o.meal.dietary.length > 0 && <Text className='task__kv'>忌口：{o.meal.dietary.join('、')}</Text>}
        </View>
      )}
      {o.kind === 'handover' && o.handover && (
        <View>
          <Text className='task__kv'>谁送来：{o.handover.bringer}</Text>
          <Text className='task__kv'>物品：{o.handover.items}</Text>
          <Text className='task__kv'>预计到门岗：{dayTimeLabel(o.handover.expectedAt, now)}</Text>
        </View>
      )}
      {o.kind === 'garbage' && <Text className='task__kv'>上门收走生活垃圾（居民放在门口）</Text>}
      {o.notes && <Text className='task__notes'>备注：{o.notes}</Text>}
      {o.placedBy.role === 'squad' && <Text className='muted task__kv'>{o.placedBy.name}代下单</Text>}
    </View>
  )
}
