/** Supplies: the catalog by category, a stepper per item; medicine and 其他 take a name, medicine a box photo. */
import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Image, Input, Text, View } from '@tarojs/components'
import { Checkbox, InputNumber } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/checkbox/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/inputnumber/style/css'
import type { CatalogCategory } from '../../../core/catalog'
import { MAX_QTY } from '../../../core/schemas'
import { CallError } from '../../../client/call'
import { pickPhoto } from '../../../client/photo'
import type { FreeLine, OrderForm } from './form'

interface Props {
  categories: CatalogCategory[]
  form: OrderForm
  set: (f: (prev: OrderForm) => OrderForm) => void
  fieldError: (path: string) => string | undefined
}

export function SuppliesPicker({ categories, form, set, fieldError }: Props) {
  const setQty = (id: string, q: number) => set((f) => ({ ...f, qty: { ...f.qty, [id]: q } }))
  const updateFree = (key: 'medicines' | 'others', i: number, patch: Partial<FreeLine>) =>
    set((f) => ({ ...f, [key]: f[key].map((l, j) => (j === i ? { ...l, ...patch } : l)) }))
  const addFree = (key: 'medicines' | 'others') => set((f) => ({ ...f, [key]: [...f[key], { name: '', qty: 1 }] }))
  const removeFree = (key: 'medicines' | 'others', i: number) =>
    set((f) => ({ ...f, [key]: f[key].filter((_, j) => j !== i) }))

  return (
    <View>
      {categories.map((c) => (
        <View key={c.id} className='card'>
          <Text className='form__label'>{c.name}</Text>
          {c.items.map((item) =>
            item.freeName ? (
              <FreeLines
                key={item.id}
                kind={item.id === 'medicine' ? 'medicines' : 'others'}
                unit={item.unit}
                lines={item.id === 'medicine' ? form.medicines : form.others}
                onAdd={addFree}
                onChange={updateFree}
                onRemove={removeFree}
              />
            ) : (
              <View key={item.id} className={`list-row item-row ${item.soldOut ? 'item-row--soldout' : ''}`} data-testid={`item-${item.id}`}>
                <Text className='item-row__name'>
                  {item.name}
                  <Text className='muted'>（{item.unit}）</Text>
                </Text>
                {item.soldOut ? (
                  <Text className='item-row__soldout' data-testid='sold-out'>
                    暂缺
                  </Text>
                ) : (
                  <InputNumber
                    min={0}
                    max={MAX_QTY}
                    value={form.qty[item.id] ?? 0}
                    onChange={(v) => setQty(item.id, Number(v) || 0)}
                  />
                )}
              </View>
            ),
          )}
        </View>
      ))}
      {Object.entries(linesErrors(fieldError)).map(([k, msg]) => (
        <Text key={k} className='field-error'>
          {msg}
        </Text>
      ))}
    </View>
  )
}

function linesErrors(fieldError: Props['fieldError']): Record<string, string> {
  const out: Record<string, string> = {}
  const top = fieldError('lines')
  if (top) out.lines = top
  for (let i = 0; i < 20; i++)
    for (const k of ['itemId', 'qty', 'name', 'photo'])
      if (fieldError(`lines.${i}.${k}`)) out[`${i}.${k}`] = `第${i + 1}样：${fieldError(`lines.${i}.${k}`)}`
  return out
}

function FreeLines(props: {
  kind: 'medicines' | 'others'
  unit: string
  lines: FreeLine[]
  onAdd: (k: 'medicines' | 'others') => void
  onChange: (k: 'medicines' | 'others', i: number, patch: Partial<FreeLine>) => void
  onRemove: (k: 'medicines' | 'others', i: number) => void
}) {
  const isMed = props.kind === 'medicines'
  const [shooting, setShooting] = useState<number | null>(null)
  const shoot = async (i: number) => {
    if (shooting !== null) return
    setShooting(i)
    try {
      const photo = await pickPhoto('medicine')
      if (photo) props.onChange(props.kind, i, { photo })
    } catch (e) {
      void Taro.showToast({ title: e instanceof CallError ? e.message : '照片没传上去，请再试一次', icon: 'none', duration: 3000 })
    } finally {
      setShooting(null)
    }
  }
  return (
    <View data-testid={`free-${props.kind}`}>
      {props.lines.map((l, i) => (
        <View key={i} className='free-line'>
          <Input
            className='text-input free-line__name'
            value={l.name}
            maxlength={20}
            placeholder={isMed ? '药品名称，如 硝苯地平' : '要什么，如 暖宝宝'}
            onInput={(e) => props.onChange(props.kind, i, { name: e.detail.value })}
          />
          <View className='free-line__row'>
            <InputNumber min={1} max={MAX_QTY} value={l.qty} onChange={(v) => props.onChange(props.kind, i, { qty: Number(v) || 1 })} />
            <Text className='muted'>{props.unit}</Text>
            {isMed && (
              <Checkbox checked={!!l.prescription} onChange={(v) => props.onChange(props.kind, i, { prescription: v })}>
                处方药
              </Checkbox>
            )}
            <Text className='free-line__remove' onClick={() => props.onRemove(props.kind, i)}>
              删除
            </Text>
          </View>
          {isMed && (
            <View className='free-line__photo'>
              {l.photo && <Image className='free-line__photo-img' src={l.photo.preview} mode='aspectFill' data-testid={`med-photo-${i}`} />}
              <Text className='free-line__photo-btn' onClick={() => void shoot(i)} data-testid={`med-photo-take-${i}`}>
                {shooting === i ? '正在上传…' : l.photo ? '重拍药盒' : '📷 拍药盒照片（可选）'}
              </Text>
              {l.photo && shooting === null && (
                <Text className='free-line__remove' onClick={() => props.onChange(props.kind, i, { photo: undefined })}>
                  不要照片
                </Text>
              )}
            </View>
          )}
        </View>
      ))}
      <View className='add-line' onClick={() => props.onAdd(props.kind)}>
        ＋ {isMed ? '添加药品' : '添加其他物品'}
      </View>
    </View>
  )
}
