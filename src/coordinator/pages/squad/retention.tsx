/**
 * 信息保留天数 (coord.setRetention): how long after a household's isolation ends its names, phones and
 * notes are kept before they are anonymised (core/retention.ts). A few taps, no typing.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Chips } from '../../../components/chips'
import { useMutation } from '../../../client/use-query'
import { RETENTION_DAYS } from '../../../core/retention'

export const RETENTION_CHOICES = [7, 14, 30, 60, 90, 180, 365] as const

export function Retention({ current, onSaved }: { current: number; onSaved: () => void }) {
  const save = useMutation('coord.setRetention')
  const pick = async (days: number) => {
    if (days === current) return
    if (await save.run({ days })) {
      onSaved()
      void Taro.showToast({ title: '已保存', icon: 'success' })
    }
  }
  return (
    <View className='card' data-testid='retention'>
      <Chips
        choices={RETENTION_CHOICES.map((d) => ({ value: String(d), label: `${d}天${d === RETENTION_DAYS.default ? '（默认）' : ''}` }))}
        value={String(current)}
        onChange={(v) => void pick(Number(v))}
        testid='retention-choices'
      />
      {save.error && <Text className='field-error'>{save.error.fields.days ?? save.error.message}</Text>}
      <Text className='muted'>住户解除隔离后，过了这么多天，系统自动清除其姓名、电话和备注；订单数和统计数字保留。</Text>
    </View>
  )
}
