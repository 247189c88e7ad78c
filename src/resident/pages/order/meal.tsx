/** Meals: a dish, today or tomorrow, a slot (closed slots are greyed with their cutoff), dietary notes. */
import { Input, Text, View } from '@tarojs/components'
import { Chips, type Choice } from '../../../components/chips'
import { MEAL_SLOTS, mealTime } from '../../../core/order/schedule'
import type { MealSlotName } from '../../../core/order/types'
import type { OrderForm } from './form'

const DISHES = ['面条', '盖饭', '粥', '饺子', '馄饨', '包子']
const DIETARY = ['低糖', '清淡', '不吃辣', '软烂', '少盐', '素食']

interface Props {
  form: OrderForm
  set: (f: (prev: OrderForm) => OrderForm) => void
  fieldError: (path: string) => string | undefined
  now: number
}

export function MealPicker({ form, set, fieldError, now }: Props) {
  const meal = form.meal
  const setMeal = (patch: Partial<OrderForm['meal']>) => set((f) => ({ ...f, meal: { ...f.meal, ...patch } }))
  const slots: Choice<MealSlotName>[] = (Object.keys(MEAL_SLOTS) as MealSlotName[]).map((s) => {
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
          onChange={(d) => setMeal({ day: d, slot: null })}
        />
        <View className='gap' />
        <Chips testid='meal-slot' choices={slots} value={meal.slot} onChange={(s) => setMeal({ slot: s })} />
        {(fieldError('meal.slot') || fieldError('meal')) && (
          <Text className='field-error'>{fieldError('meal.slot') ?? fieldError('meal')}</Text>
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
