/**
 * One household's register entry, edited by taps: isolation status (one choice) and special needs
 * (several). Saves with one button; the row shows the stored result.
 */
import { Text, View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useState } from 'react'
import { useMutation } from '../../../client/use-query'
import { Chips } from '../../../components/chips'
import { ISOLATION_STATUSES, isolationLabel, SPECIAL_NEEDS, type IsolationStatusName, type SpecialNeed } from '../../../core/household/register'
import type { CommunityHousehold } from '../../../core/views'

export function HouseholdEditor(props: { household: CommunityHousehold; onSaved: (h: CommunityHousehold) => void; onClose: () => void }) {
  const h = props.household
  const [isolation, setIsolation] = useState<IsolationStatusName>(h.isolation)
  const known = h.specialNeeds.filter((n): n is SpecialNeed => (SPECIAL_NEEDS as readonly string[]).includes(n))
  const [needs, setNeeds] = useState<SpecialNeed[]>(known)
  const save = useMutation('coord.setHousehold')
  const toggle = (n: SpecialNeed) => setNeeds((xs) => (xs.includes(n) ? xs.filter((x) => x !== n) : [...xs, n]))
  const submit = async () => {
    const saved = await save.run({ id: h.id, isolation, specialNeeds: needs })
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
      <Text className='inline-panel__ask'>特殊情况（可多选）</Text>
      <Chips<SpecialNeed> choices={SPECIAL_NEEDS.map((n) => ({ value: n, label: n }))} value={needs} onChange={toggle} testid='edit-needs' />
      {save.error && <Text className='field-error'>{save.error.message}</Text>}
      <Button type='primary' block loading={save.busy} disabled={save.busy} onClick={() => void submit()} data-testid='household-save'>
        保存
      </Button>
      <Text className='inline-panel__cancel' onClick={props.onClose}>
        不改了
      </Text>
    </View>
  )
}
