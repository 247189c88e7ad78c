/**
 * One household's register entry, edited by taps: isolation status (one choice), special needs
 * (several), start and end dates (date pickers, 清除 to remove), headcount (− / +) and whether the
 * door is sealed. Saves with one button; the row shows the stored result.
 */
import { Picker, Text, View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useState } from 'react'
import { useMutation } from '../../../client/use-query'
import { Chips } from '../../../components/chips'
import {
  ISOLATION_STATUSES,
  isolationLabel,
  MAX_HEADCOUNT,
  MIN_HEADCOUNT,
  SPECIAL_NEEDS,
  type IsolationStatusName,
  type SpecialNeed,
} from '../../../core/household/register'

/** A date field opened by a tap; 清除 empties it. */
function DateField(props: { label: string; value: string | null; onChange: (v: string | null) => void; testid: string }) {
  return (
    <View className='register-date' data-testid={props.testid}>
      <Picker mode='date' value={props.value ?? ''} start='2020-01-01' end='2030-12-31' onChange={(e) => props.onChange(String(e.detail.value))}>
        <View className='register-date__value'>
          <Text className='muted'>{props.label}</Text>
          <Text>{props.value ?? '点这里选'}</Text>
        </View>
      </Picker>
      {props.value && (
        <Text className='register-date__clear' onClick={() => props.onChange(null)}>
          清除
        </Text>
      )}
    </View>
  )
}
import type { CommunityHousehold } from '../../../core/views'

export function HouseholdEditor(props: { household: CommunityHousehold; onSaved: (h: CommunityHousehold) => void; onClose: () => void }) {
  const h = props.household
  const [isolation, setIsolation] = useState<IsolationStatusName>(h.isolation)
  const known = h.specialNeeds.filter((n): n is SpecialNeed => (SPECIAL_NEEDS as readonly string[]).includes(n))
  const [needs, setNeeds] = useState<SpecialNeed[]>(known)
  const [startDate, setStartDate] = useState<string | null>(h.startDate)
  const [endDate, setEndDate] = useState<string | null>(h.endDate)
  const [headcount, setHeadcount] = useState(h.headcount)
  const [doorSealed, setDoorSealed] = useState(h.doorSealed)
  const save = useMutation('coord.setHousehold')
  const toggle = (n: SpecialNeed) => setNeeds((xs) => (xs.includes(n) ? xs.filter((x) => x !== n) : [...xs, n]))
  const submit = async () => {
    const saved = await save.run({ id: h.id, isolation, specialNeeds: needs, startDate, endDate, headcount, doorSealed })
    if (saved) props.onSaved(saved)
  }
  return (
    <View className='inline-panel' data-testid='household-editor'>
      <Text className='inline-panel__ask'>隔离状态</Text>
      <Chips<IsolationStatusName>
        choices={ISOLATION_STATUSES.map((s) => ({ value: s, label: isolationLabel(s) }))}
        value={isolation}
        onChange={setIsolation}
        testid='edit-isolation'
      />
      <Text className='inline-panel__ask'>隔离日期</Text>
      <View className='register-dates'>
        <DateField label='开始' value={startDate} onChange={setStartDate} testid='edit-start' />
        <DateField label='结束' value={endDate} onChange={setEndDate} testid='edit-end' />
      </View>
      <Text className='inline-panel__ask'>家里几口人</Text>
      <View className='register-count' data-testid='edit-headcount' data-value={String(headcount)}>
        <Text
          className={`register-count__btn ${headcount <= MIN_HEADCOUNT ? 'register-count__btn--off' : ''}`}
          onClick={() => setHeadcount((n) => Math.max(MIN_HEADCOUNT, n - 1))}
          data-testid='headcount-minus'
        >
          −
        </Text>
        <Text className='register-count__n'>{headcount}人</Text>
        <Text
          className={`register-count__btn ${headcount >= MAX_HEADCOUNT ? 'register-count__btn--off' : ''}`}
          onClick={() => setHeadcount((n) => Math.min(MAX_HEADCOUNT, n + 1))}
          data-testid='headcount-plus'
        >
          +
        </Text>
      </View>
      <Text className='inline-panel__ask'>门</Text>
      <Chips<'sealed' | 'open'>
        choices={[
          { value: 'open', label: '未封门' },
          { value: 'sealed', label: '已封门' },
        ]}
        value={doorSealed ? 'sealed' : 'open'}
        onChange={(v) => setDoorSealed(v === 'sealed')}
        testid='edit-door'
      />
      <Text className='inline-panel__ask'>特殊情况（可多选）</Text>
      <Chips<SpecialNeed> choices={SPECIAL_NEEDS.map((n) => ({ value: n, label: n }))} value={needs} onChange={toggle} testid='edit-needs' />
      {save.error && <Text className='field-error'>{save.error.message}</Text>}
      <View className='gap' />
      <Button type='primary' block loading={save.busy} disabled={save.busy} onClick={() => void submit()} data-testid='household-save'>
        保存
      </Button>
      <Text className='inline-panel__cancel' onClick={props.onClose}>
        不改了
      </Text>
    </View>
  )
}
