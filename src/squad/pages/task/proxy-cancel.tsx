/**
 * 代下单 that should not be delivered: the squad member who placed it may cancel it while nobody has
 * claimed it (取消代下单); a 重复下单 (the household has another open order) may be cancelled by the
 * placer or the holder, claimed or not. Each button opens a confirmation sheet; the server decides
 * (core/order/transitions.ts, duplicate.ts) and names the order kept.
 * `placed`: just placed (the proxy-order confirmation, from the order form).
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import type { OrderView } from '../../../core/views'
import { BOARD_PAGE } from '../../shared/nav'
import type { ProxyCancelReason } from './reasons'

/** Which cancel buttons I get on this order (none: the card is not shown). */
export function proxyCancelChoices(o: OrderView, myId: string): ProxyCancelReason[] {
  if (o.placedBy.role !== 'squad') return []
  const placer = o.placedBy.id === myId
  const holder = o.holder?.id === myId || o.partner?.id === myId
  if (o.status === 'pending' && placer) return ['withdrawn', 'duplicate']
  if (o.status === 'claimed' && (placer || holder)) return ['duplicate']
  return []
}

export function ProxyCancelCard(p: { order: OrderView; myId: string; placed: boolean; onOpen: (reason: ProxyCancelReason) => void }) {
  const choices = proxyCancelChoices(p.order, p.myId)
  if (choices.length === 0 && !p.placed) return null
  return (
    <View className='card task__proxy' data-testid='proxy-cancel'>
      {p.placed && p.order.status === 'pending' && (
        <>
          <Text className='task__proxy-title' data-testid='proxy-placed'>
            ✓ 已代下单，等队员接单
          </Text>
          <Button size='large' block type='primary' onClick={() => void Taro.reLaunch({ url: BOARD_PAGE })} data-testid='back-board'>
            回任务大厅
          </Button>
        </>
      )}
      {choices.length > 0 && (
        <>
          <Text className='muted task__proxy-hint'>
            {choices.includes('withdrawn') ? '下错了或居民不要了，可以取消；和这户别的订单重复了，选「重复下单」。' : '这户已有另一个没完成的订单？按重复下单取消这一单。'}
          </Text>
          <View className='task__proxy-row'>
            {choices.includes('withdrawn') && (
              <Button size='large' fill='outline' color='#cf1322' onClick={() => p.onOpen('withdrawn')} data-testid='cancel-proxy'>
                取消代下单
              </Button>
            )}
            <Button size='large' fill='outline' color='#d46b08' onClick={() => p.onOpen('duplicate')} data-testid='cancel-duplicate'>
              重复下单
            </Button>
          </View>
        </>
      )}
    </View>
  )
}
