/**
 * A short numeric code as big separate boxes (the household code on the isolation notice).
 * One real input, transparent, lies over the boxes: a tap anywhere focuses it and brings up the
 * numeric keyboard; the boxes just show what it holds.
 */
import { Input, Text, View } from '@tarojs/components'
import { useState } from 'react'
import './index.scss'

export function CodeInput(props: {
  value: string
  onChange: (v: string) => void
  length?: number
  error?: boolean
  autoFocus?: boolean
  testid?: string
}) {
  const length = props.length ?? 6
  const [focused, setFocused] = useState(false)
  const boxes = Array.from({ length }, (_, i) => props.value[i] ?? '')
  const active = Math.min(props.value.length, length - 1)
  return (
    <View className={`code-input ${props.error ? 'code-input--error' : ''}`}>
      {boxes.map((d, i) => (
        <View
          key={i}
          className={`code-input__box ${d ? 'code-input__box--filled' : ''} ${focused && i === active ? 'code-input__box--active' : ''}`}
        >
          <Text>{d}</Text>
        </View>
      ))}
      <Input
        className='code-input__native'
        type='number'
        maxlength={length}
        value={props.value}
        focus={props.autoFocus}
        onInput={(e) => props.onChange(e.detail.value.replace(/\D/g, '').slice(0, length))}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        data-testid={props.testid}
        aria-label={`${length}位数字`}
      />
    </View>
  )
}
