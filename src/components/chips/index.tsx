/** Big tappable choices: the way to answer without typing. Single or multiple selection. */
import { Text, View } from '@tarojs/components'
import './index.scss'

export interface Choice<T extends string> {
  value: T
  label: string
  disabled?: boolean
  hint?: string
}

export function Chips<T extends string>(props: {
  choices: readonly Choice<T>[]
  value: T | T[] | null
  onChange: (v: T) => void
  testid?: string
}) {
  const selected = (v: T) => (Array.isArray(props.value) ? props.value.includes(v) : props.value === v)
  return (
    <View className='chips' data-testid={props.testid}>
      {props.choices.map((c) => (
        <View
          key={c.value}
          className={`chip ${selected(c.value) ? 'chip--on' : ''} ${c.disabled ? 'chip--disabled' : ''}`}
          onClick={() => !c.disabled && props.onChange(c.value)}
          data-value={c.value}
        >
          <Text>{c.label}</Text>
          {c.hint && <Text className='chip__hint'>{c.hint}</Text>}
        </View>
      ))}
    </View>
  )
}
