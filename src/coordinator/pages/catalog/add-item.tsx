/** Adding an item to one category: its name (the one thing typed) and a unit by tap. */
import { Input, Text, View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useState } from 'react'
import { useMutation } from '../../../client/use-query'
import { Chips } from '../../../components/chips'
import { UNITS, type Unit } from '../../../core/catalog'
import type { CatalogView } from '../../../core/views'

export function AddItemForm(props: { categoryId: string; onAdded: (v: CatalogView) => void; onClose: () => void }) {
  const [name, setName] = useState('')
  const [unit, setUnit] = useState<Unit>('斤')
  const add = useMutation('coord.addItem')
  const submit = async () => {
    const next = await add.run({ categoryId: props.categoryId, name, unit })
    if (next) props.onAdded(next)
  }
  return (
    <View className='inline-panel' data-testid='add-item'>
      <Input className='text-input coord-catalog__input' value={name} maxlength={10} placeholder='物品名称，如 胡萝卜' onInput={(e) => setName(e.detail.value)} />
      {add.error?.fields.name && <Text className='field-error'>{add.error.fields.name}</Text>}
      <Chips<Unit> choices={UNITS.map((u) => ({ value: u, label: u }))} value={unit} onChange={setUnit} testid='add-unit' />
      {add.error && !add.error.fields.name && <Text className='field-error'>{add.error.message}</Text>}
      <Button type='primary' block loading={add.busy} disabled={add.busy || !name.trim()} onClick={() => void submit()} data-testid='add-confirm'>
        添加
      </Button>
      <Text className='inline-panel__cancel' onClick={props.onClose}>
        不加了
      </Text>
    </View>
  )
}
