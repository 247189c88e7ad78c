/** Meals: a dish, today or tomorrow, a slot (closed slots are greyed with their cutoff), dietary notes. */
import { Input, Text, View } from '@tarojs/components'
import { Chips, type Choice } from '../../../components/chips'
import { EXACT_MEAL_LEAD_MS, MEAL_SLOTS, mealTime } from '../../../core/order/schedule'
import { beijingDate, fromBeijing, addBeijingDays } from '../../../core/time'
import type { MealSlotName } from '../../../core/order/types'
import type { OrderForm } from './form'

const DISHES = ['面条', '盖饭', '粥', '饺子', '馄饨', '包子']
const DIETARY = ['低糖', '清淡', '不吃辣', '软烂', '少盐', '素食']
/** Exact serving times offered as taps (Beijing time); those less than 2 h away are greyed. */
const EXACT_TIMES = ['07:30', '09:00', '11:00', '11:30', '12:30', '13:00', '17:00', '17:30', '18:30', '19:00', '20:00']

type SlotChoice = MealSlotName | 'exact'

interface Props {
  form: OrderForm
  set: (f: (prev: OrderForm) => OrderForm) => void
  fieldError: (path: string) => string | undefined
  now: number
}

export function MealPicker({ form, set, fieldError, now }: Props) {
  const meal = form.meal
  const setMeal = (patch: Partial<OrderForm['meal']>) => set((f) => ({ ...f, meal: { ...f.meal, ...patch } }))
  const named: Choice<SlotChoice>[] = (Object.keys(MEAL_SLOTS) as MealSlotName[]).map((s) => {
    const rule = MEAL_SLOTS[s]
    let open = true
    try {
      mealTime(now, meal.day, s)
    } catch {
      open = false
    }
    const cutoff = `${rule.dayBefore ? '前一天' : ''}${rule.cutoff[0]}:${String(rule.cutoff[1]).padStart(2, '0')}截止`
    return { value: s, label: rule.label, disabled: !open, hint: open ? cutoff : '已截止' }
  })
  const slots: Choice<SlotChoice>[] = [...named, { value: 'exact', label: '指定时间', hint: '提前2小时' }]
  const date = meal.day === 'today' ? beijingDate(now) : addBeijingDays(now, 1)
  const times: Choice<string>[] = EXACT_TIMES.map((t) => {
    const [h, m] = t.split(':').map(Number)
    const open = fromBeijing(date, h!, m!) - EXACT_MEAL_LEAD_MS > now
    return { value: t, label: t, disabled: !open }
  })
  const dishChoices = DISHES.map((d) => ({ value: d, label: d }))
  return (
    <View>
      <View className='card'>
        <Text className='form__label'>想吃什么</Text>
        <Chips testid='dish' choices={dishChoices} value={DISHES.includes(meal.dish) ? meal.dish : null} onChange={(d) => setMeal({ dish: d })} />
        <Input
          className='form__input'
          value={DISHES.includes(meal.dish) ? '' : meal.dish}
          maxlength={20}
          placeholder='或者写别的，如 西红柿鸡蛋面'
          onInput={(e) => setMeal({ dish: e.detail.value })}
        />
        {fieldError('meal.dish') && <Text className='field-error'>{fieldError('meal.dish')}</Text>}
      </View>
      <View className='card'>
        <Text className='form__label'>哪一顿</Text>
        <Chips
          testid='meal-day'
          choices={[
            { value: 'today', label: '今天' },
            { value: 'tomorrow', label: '明天' },
          ]}
          value={meal.day}
          onChange={(d) => setMeal({ day: d, slot: null, time: null })}
        />
        <View className='gap' />
        <Chips testid='meal-slot' choices={slots} value={meal.slot} onChange={(s) => setMeal({ slot: s, time: null })} />
        {meal.slot === 'exact' && (
          <View>
            <View className='gap' />
            <Chips testid='meal-time' choices={times} value={meal.time} onChange={(t) => setMeal({ time: t })} />
          </View>
        )}
        {(fieldError('meal.slot') || fieldError('meal.time') || fieldError('meal')) && (
          <Text className='field-error'>{fieldError('meal.slot') ?? fieldError('meal.time') ?? fieldError('meal')}</Text>
        )}
      </View>
      <View className='card'>
        <Text className='form__label'>忌口（可多选）</Text>
        <Chips
          testid='dietary'
          choices={DIETARY.map((d) => ({ value: d, label: d }))}
          value={meal.dietary}
          onChange={(d) =>
            setMeal({ dietary: meal.dietary.includes(d) ? meal.dietary.filter((x) => x !== d) : [...meal.dietary, d] })
          }
        />
      </View>
    </View>
  )
}
