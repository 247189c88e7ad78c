/**
 * 物资清单 (coordinator): what residents can order. One tap marks an item 暂缺 when the community
 * has run out (residents see it greyed and cannot order it), one tap makes it 有货 again. Items the
 * default lacks are added to a category (name and unit) and can be removed again. Medicine and 其他
 * are ordered by name and are always open.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import { useMutation, useQuery } from '../../../client/use-query'
import { PageRoot } from '../../../components/large-text'
import { PageError, PageLoading } from '../../../components/page-state'
import type { CatalogItem } from '../../../core/catalog'
import { AddItemForm } from './add-item'
import './index.scss'

export default function CoordinatorCatalog() {
  const q = useQuery('catalog.get', {})
  const set = useMutation('coord.setSoldOut')
  const remove = useMutation('coord.removeItem')
  const [adding, setAdding] = useState<string | null>(null)
  const [busyItem, setBusyItem] = useState<string | null>(null)

  if (q.status === 'loading') return <PageRoot className='coord-catalog'><PageLoading text='正在加载物资清单…' /></PageRoot>
  const data = q.data
  if (!data) return <PageRoot className='coord-catalog'><PageError message={q.error?.message ?? ''} code={q.error?.code} onRetry={q.reload} /></PageRoot>

  const toggle = async (itemId: string, soldOut: boolean) => {
    if (busyItem) return
    setBusyItem(itemId)
    const next = await set.run({ itemId, soldOut })
    setBusyItem(null)
    if (next) q.replace(next)
  }
  const drop = async (item: CatalogItem) => {
    const ok = await Taro.showModal({ title: `删除「${item.name}」？`, content: '居民将不能再订它；已下的订单不受影响。', confirmText: '删除' })
    if (!ok.confirm) return
    const next = await remove.run({ itemId: item.id })
    if (next) q.replace(next)
  }
  const out = data.categories.flatMap((c) => c.items).filter((i) => i.soldOut)

  return (
    <PageRoot className='coord-catalog'>
      <Text className='page__title'>物资清单</Text>
      <Text className='page__subtitle'>{out.length ? `暂缺 ${out.length} 样：${out.map((i) => i.name).join('、')}` : '全部有货'}</Text>
      {set.error && <Text className='field-error'>{set.error.fields.itemId ?? set.error.message}</Text>}
      {remove.error && <Text className='field-error'>{remove.error.fields.itemId ?? remove.error.message}</Text>}
      {data.categories.map((c) => (
        <View key={c.id} className='card'>
          <Text className='coord-catalog__category'>{c.name}</Text>
          {c.items.map((i) => (
            <View key={i.id} className='list-row' data-testid={`catalog-${i.id}`} data-sold-out={i.soldOut ? '1' : '0'}>
              <Text className={i.soldOut ? 'coord-catalog__name coord-catalog__name--out' : 'coord-catalog__name'}>
                {i.name}
                <Text className='muted'>（{i.unit}）</Text>
              </Text>
              {i.added && (
                <Text className='coord-catalog__remove' onClick={() => void drop(i)} data-testid='remove'>
                  删除
                </Text>
              )}
              {i.freeName ? (
                <Text className='muted'>按名称下单</Text>
              ) : (
                <View
                  className={`coord-catalog__switch ${i.soldOut ? 'coord-catalog__switch--out' : ''}`}
                  onClick={() => void toggle(i.id, !i.soldOut)}
                  data-testid='toggle'
                >
                  <Text>{busyItem === i.id ? '…' : i.soldOut ? '暂缺' : '有货'}</Text>
                </View>
              )}
            </View>
          ))}
          {!c.items.some((i) => i.freeName) &&
            (adding === c.id ? (
              <AddItemForm
                categoryId={c.id}
                onAdded={(next) => {
                  q.replace(next)
                  setAdding(null)
                }}
                onClose={() => setAdding(null)}
              />
            ) : (
              <Text className='coord-catalog__add' onClick={() => setAdding(c.id)} data-testid={`add-${c.id}`}>
                ＋ 添加{c.name}
              </Text>
            ))}
        </View>
      ))}
    </PageRoot>
  )
}
