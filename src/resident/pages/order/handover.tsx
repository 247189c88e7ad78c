/** Family hand-over: who brings what, and when it reaches the gate. */
import { Input, Text, View } from '@tarojs/components'
import { Chips } from '../../../components/chips'
import { HANDOVER_ITEMS, type OrderForm } from './form'

const BRINGERS = ['父母', '子女', '爱人', '亲戚', '朋友']
const ITEMS = HANDOVER_ITEMS
const HOURS = [9, 11, 14, 16, 18, 20]

interface Props {
  form: OrderForm
  set: (f: (prev: OrderForm) => OrderForm) => void
  fieldError: (path: string) => string | undefined
}

export function HandoverForm({ form, set, fieldError }: Props) {
  const h = form.handover
  const setH = (patch: Partial<OrderForm['handover']>) => set((f) => ({ ...f, handover: { ...f.handover, ...patch } }))
  const err = fieldError('handover') ?? fieldError('handover.expectedAt') ?? fieldError('handover.bringer') ?? fieldError('handover.items')
  return (
    <View>
      <View className='card'>
        <Text className='form__label'>谁送来</Text>
        <Chips testid='bringer' choices={BRINGERS.map((b) => ({ value: b, label: b }))} value={h.bringer} onChange={(b) => setH({ bringer: b })} />
      </View>
      <View className='card'>
        <Text className='form__label'>送什么（可多选）</Text>
        <Chips
          testid='handover-items'
          choices={ITEMS.map((i) => ({ value: i, label: i }))}
          value={h.items}
          onChange={(i) => setH({ items: h.items.includes(i) ? h.items.filter((x) => x !== i) : [...h.items, i] })}
        />
        <Input
          className='form__input'
          value={h.itemsNote}
          maxlength={30}
          placeholder='补充说明（可不填）'
          onInput={(e) => setH({ itemsNote: e.detail.value })}
        />
      </View>
      <View className='card'>
        <Text className='form__label'>大约几点到小区门口</Text>
        <Chips
          testid='handover-day'
          choices={[
            { value: 'today', label: '今天' },
            { value: 'tomorrow', label: '明天' },
          ]}
          value={h.day}
          onChange={(d) => setH({ day: d })}
        />
        <View className='gap' />
        <Chips
          testid='handover-hour'
          choices={HOURS.map((x) => ({ value: String(x), label: `${x}点` }))}
          value={h.hour === null ? null : String(h.hour)}
          onChange={(x) => setH({ hour: Number(x) })}
        />
        <Text className='muted form__hint'>东西到门口后，社工消杀并静置2小时再送上楼。</Text>
      </View>
      {err && <Text className='field-error'>{err}</Text>}
    </View>
  )
}
