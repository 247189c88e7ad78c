/**
 * How a visit ends: at the door (无人应答; after 再次消杀 without handing over: 放门口 / 部分缺货),
 * the optional seal photo, delivered, or cancelled (by the resident, or a 代下单 taken back).
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { OrderPhoto } from '../../../components/order-photo'
import { orderNo } from '../../../core/order/duplicate'
import { stepLabel } from '../../../core/order/labels'
import type { OrderView } from '../../../core/views'
import { BOARD_PAGE, TASKS_PAGE } from '../../shared/nav'
import { OUTCOME_LABEL } from './reasons'

export function NoAnswer(p: { busy: boolean; onNoAnswer: () => void }) {
  return (
    <View className='task__actions'>
      <Button size='large' block fill='outline' color='#d46b08' loading={p.busy} onClick={p.onNoAnswer} data-testid='no-answer'>
        无人应答，稍后再送
      </Button>
    </View>
  )
}

export function OtherEndings(p: { order: OrderView; busy: string | null; onLeftAtDoor: () => void; onPartial: () => void }) {
  return (
    <View className='task__actions task__endings'>
      <Text className='muted'>{stepLabel('disinfect_again')}后，没当面交给居民？选一种：</Text>
      <View className='task__ending-row'>
        <Button size='large' fill='outline' loading={p.busy === 'left_at_door'} onClick={p.onLeftAtDoor} data-testid='left-at-door'>
          放门口
        </Button>
        {p.order.lines.length > 0 && (
          <Button size='large' fill='outline' onClick={p.onPartial} data-testid='partial'>
            部分缺货
          </Button>
        )}
      </View>
    </View>
  )
}

export function SealPhotoCard(p: { order: OrderView; busy: boolean; onTake: () => void }) {
  const o = p.order
  return (
    <View className='card task__photo' data-testid='seal-photo'>
      <Text className='task__section'>封条照片（可选）</Text>
      {o.sealPhoto ? (
        <OrderPhoto key={o.sealPhoto.fileId} orderId={o.id} className='task__photo-img' testid='seal-photo-img' />
      ) : (
        <Text className='muted'>拍一张恢复好的门封，社区可以看到。</Text>
      )}
      <Button size='large' block fill='outline' loading={p.busy} onClick={p.onTake} data-testid='take-seal-photo'>
        {o.sealPhoto ? '重拍' : '拍封条照片'}
      </Button>
    </View>
  )
}

export function DoneCard({ order: o }: { order: OrderView }) {
  return (
    <View className='card task__done' data-testid='done'>
      <Text className='task__done-title'>✓ 已送达 · {OUTCOME_LABEL[o.outcome ?? 'handed']}</Text>
      {o.missing && o.missing.length > 0 && <Text className='task__note'>缺货：{o.missing.join('、')}</Text>}
      {o.status === 'confirmed' && <Text className='muted'>居民已确认收到</Text>}
      <View className='task__done-actions'>
        <Button size='large' type='primary' onClick={() => void Taro.reLaunch({ url: BOARD_PAGE })} data-testid='back-board'>
          回任务大厅
        </Button>
        <Button size='large' fill='outline' onClick={() => void Taro.redirectTo({ url: TASKS_PAGE })}>
          我的任务
        </Button>
      </View>
    </View>
  )
}

/** Who cancelled it, in words: the resident, 重复下单 (naming the order kept), or the squad / community. */
export function cancelledText(o: OrderView): string {
  if (o.duplicateOf) return `已按重复下单取消，保留订单${orderNo(o.duplicateOf)}。`
  const last = [...o.timeline].reverse().find((t) => t.event === 'cancel')
  return last?.by.role === 'resident' ? '居民已取消这个订单。' : '这个订单已取消。'
}

export function CancelledCard({ order }: { order: OrderView }) {
  return (
    <View className='card' data-testid='cancelled'>
      <Text>{cancelledText(order)}</Text>
    </View>
  )
}
