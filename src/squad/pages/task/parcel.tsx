/**
 * Parcels from the family (家属送物), in order: 已到门岗 (the parcel is at the gate) → 已消杀 (starts
 * the hold) → the countdown → 可配送. The server refuses 已消杀 before 已到门岗
 * (ORDER.PARCEL_NOT_ARRIVED), so the button only appears once the arrival is recorded.
 */
import { Text, View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import type { ParcelState } from '../../../core/order/board'
import { holdLabel } from '../../../core/order/protocol'
import { formatBeijing } from '../../../core/time'
import type { OrderView } from '../../../core/views'

export function ParcelCard(p: {
  order: OrderView
  parcel: ParcelState
  holdMinutes: number
  /** I hold it and it is claimed: the two buttons may show. */
  canAct: boolean
  busy: string | null
  onArrived: () => void
  onDisinfected: () => void
}) {
  const { order: o, parcel } = p
  const arrived = o.parcelArrivedAt !== undefined
  return (
    <View className='card task__parcel' data-testid='parcel'>
      <Text className='task__section'>物品消杀</Text>
      {parcel.state === 'not_disinfected' && !arrived && (
        <>
          <Text className='muted'>家属把东西送到门岗后，先点「已到门岗」，再消杀，静置{holdLabel(p.holdMinutes)}后才能送上楼。</Text>
          {p.canAct && (
            <View className='task__btn'>
              <Button size='large' block type='primary' loading={p.busy === 'arrived'} onClick={p.onArrived} data-testid='parcel-arrived'>
                已到门岗
              </Button>
            </View>
          )}
        </>
      )}
      {arrived && (
        <Text className='muted task__parcel-line' data-testid='parcel-arrived-at'>
          {formatBeijing(o.parcelArrivedAt!, 'HH:mm')} 已到门岗
        </Text>
      )}
      {parcel.state === 'not_disinfected' && arrived && (
        <>
          <Text className='muted'>在门岗消杀后点下面，静置{holdLabel(p.holdMinutes)}后才能送上楼。</Text>
          {p.canAct && (
            <View className='task__btn'>
              <Button size='large' block type='primary' loading={p.busy === 'disinfect'} onClick={p.onDisinfected} data-testid='disinfect-parcel'>
                已消杀，开始静置
              </Button>
            </View>
          )}
        </>
      )}
      {o.disinfectedAt !== undefined && (
        <Text className='muted task__parcel-line' data-testid='parcel-disinfected-at'>
          {formatBeijing(o.disinfectedAt, 'HH:mm')} 已消杀
        </Text>
      )}
      {parcel.state === 'holding' && (
        <Text className='task__countdown' data-testid='parcel-countdown'>
          {parcel.label}
        </Text>
      )}
      {parcel.state === 'ready' && (
        <Text className='task__ready' data-testid='parcel-ready'>
          {parcel.label}
        </Text>
      )}
    </View>
  )
}
