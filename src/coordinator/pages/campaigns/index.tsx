/**
 * 社区发放 (coordinator): the community's distributions with their progress, and a new one by taps:
 * the item from a short list (or typed), a quantity stepper, unit chips, building checkboxes and
 * optional slots per unit. Tapping a campaign opens its detail (per building and unit, share).
 */
import { Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useMemo, useState } from 'react'
import { Chips } from '../../../components/chips'
import { PageRoot } from '../../../components/large-text'
import { PageEmpty, PageError, PageLoading } from '../../../components/page-state'
import { ProgressBar } from '../../../components/progress-bar'
import { CAMPAIGN_UNITS } from '../../../core/campaign/schemas'
import { perHousehold } from '../../../core/campaign/texts'
import type { CampaignView } from '../../../core/campaign/views'
import { useMutation, useQuery } from '../../../client/use-query'
import './index.scss'

const ITEMS = ['白菜', '土豆', '萝卜', '大米', '鸡蛋', '猪肉', '口罩'] as const
const OTHER = '其他'
const QUICK_QTY = [1, 2, 5, 10, 20, 30, 60]
const STARTS = ['09:00', '10:00', '14:00', '15:00', '16:00'] as const
const MINUTES = ['20', '30', '60'] as const

const campaignUrl = (id: string) => `/coordinator/pages/campaign/index?id=${id}`

function newRequestId(): string {
  return `camp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
}

export default function CoordinatorCampaigns() {
  const list = useQuery('campaign.list', {})
  const [creating, setCreating] = useState(false)

  if (list.status === 'loading') return <PageRoot><PageLoading text='正在加载发放…' /></PageRoot>
  if (!list.data) return <PageRoot><PageError message={list.error?.message ?? ''} code={list.error?.code} onRetry={list.reload} /></PageRoot>

  return (
    <PageRoot className='campaigns'>
      <Text className='page__title'>社区发放</Text>
      {creating ? (
        <CreateForm
          buildings={list.data.buildings}
          onCancel={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false)
            void list.reload()
            void Taro.navigateTo({ url: campaignUrl(c.id) })
          }}
        />
      ) : (
        <Button type='primary' size='large' block onClick={() => setCreating(true)} data-testid='campaign-new'>
          发起一次发放
        </Button>
      )}
      <View className='campaigns__list'>
        {list.data.campaigns.length === 0 && !creating && <PageEmpty title='还没有发放' hint='比如：每户白菜60斤，按单元送到门口' />}
        {list.data.campaigns.map((c) => (
          <View key={c.id} className='card campaigns__item' data-testid='campaign-item' data-id={c.id} onClick={() => void Taro.navigateTo({ url: campaignUrl(c.id) })}>
            <View className='campaigns__item-head'>
              <Text className='campaigns__item-title'>{c.title}</Text>
              <Text className='muted'>{c.date.slice(5)}</Text>
            </View>
            <Text className='muted'>{perHousehold(c)} · {c.buildings.map((b) => b.name).join('、')}</Text>
            {c.status === 'creating' ? (
              <Text className='campaigns__creating'>正在生成名单 {c.creation.written}/{c.creation.planned}</Text>
            ) : (
              <ProgressBar total={c.total} done={c.done} declined={c.declined} label={`共 ${c.total} 户`} />
            )}
          </View>
        ))}
      </View>
    </PageRoot>
  )
}

function CreateForm(props: { buildings: { id: string; name: string }[]; onCancel: () => void; onCreated: (c: CampaignView) => void }) {
  const [item, setItem] = useState<string>('白菜')
  const [typed, setTyped] = useState('')
  const [qty, setQty] = useState(60)
  const [unit, setUnit] = useState<string>('斤')
  const [buildingIds, setBuildingIds] = useState<string[]>([])
  const [withSlots, setWithSlots] = useState(false)
  const [start, setStart] = useState<string>('14:00')
  const [minutes, setMinutes] = useState<string>('60')
  const requestId = useMemo(newRequestId, [])
  const create = useMutation('campaign.create')
  const name = item === OTHER ? typed.trim() : item
  const fields = create.error?.fields ?? {}

  const toggleBuilding = (id: string) => setBuildingIds((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]))
  const submit = async () => {
    const c = await create.run({
      requestId,
      title: `${name || '物资'}发放`.slice(0, 30),
      item: name,
      qtyPerHousehold: qty,
      unit,
      buildingIds,
      ...(withSlots ? { slot: { start, minutesPerUnit: Number(minutes) } } : {}),
    })
    if (c) props.onCreated(c)
  }

  return (
    <View className='card campaigns__form' data-testid='campaign-form'>
      <Text className='campaigns__ask'>发什么</Text>
      <Chips choices={[...ITEMS, OTHER].map((v) => ({ value: v, label: v }))} value={item} onChange={setItem} testid='campaign-item-choice' />
      {item === OTHER && (
        <Input className='text-input campaigns__typed' value={typed} maxlength={20} placeholder='物品名称，如 西红柿' onInput={(e) => setTyped(e.detail.value)} data-testid='campaign-item-typed' />
      )}
      {(fields.item || fields.title) && <Text className='field-error'>{fields.item ?? fields.title}</Text>}

      <Text className='campaigns__ask'>每户多少</Text>
      <View className='stepper' data-testid='campaign-qty'>
        <View className='stepper__btn' onClick={() => setQty((q) => Math.max(1, q - 1))} data-testid='qty-minus'>－</View>
        <Text className='stepper__value' data-testid='qty-value'>{qty}</Text>
        <View className='stepper__btn' onClick={() => setQty((q) => Math.min(1000, q + 1))} data-testid='qty-plus'>＋</View>
      </View>
      <Chips choices={QUICK_QTY.map((n) => ({ value: String(n), label: String(n) }))} value={String(qty)} onChange={(v) => setQty(Number(v))} testid='campaign-qty-quick' />
      {fields.qtyPerHousehold && <Text className='field-error'>{fields.qtyPerHousehold}</Text>}

      <Text className='campaigns__ask'>单位</Text>
      <Chips choices={CAMPAIGN_UNITS.map((u) => ({ value: u, label: u }))} value={unit} onChange={setUnit} testid='campaign-unit' />

      <Text className='campaigns__ask'>发给哪几栋楼（每户一份）</Text>
      <Chips choices={props.buildings.map((b) => ({ value: b.id, label: `${buildingIds.includes(b.id) ? '☑' : '☐'} ${b.name}` }))} value={buildingIds} onChange={toggleBuilding} testid='campaign-buildings' />
      {fields.buildingIds && <Text className='field-error'>{fields.buildingIds}</Text>}

      <Text className='campaigns__ask'>按单元分时段送（邻居错开，不碰面）</Text>
      <Chips
        choices={[
          { value: 'no', label: '不分时段' },
          { value: 'yes', label: '分时段' },
        ]}
        value={withSlots ? 'yes' : 'no'}
        onChange={(v) => setWithSlots(v === 'yes')}
        testid='campaign-slots'
      />
      {withSlots && (
        <View className='inline-panel'>
          <Text className='inline-panel__ask'>几点开始</Text>
          <Chips choices={STARTS.map((s) => ({ value: s, label: s }))} value={start} onChange={setStart} testid='campaign-start' />
          <Text className='inline-panel__ask'>每个单元多久</Text>
          <Chips choices={MINUTES.map((m) => ({ value: m, label: `${m}分钟` }))} value={minutes} onChange={setMinutes} testid='campaign-minutes' />
        </View>
      )}
      {fields.slot && <Text className='field-error'>{fields.slot}</Text>}
      {create.error && Object.keys(fields).length === 0 && <Text className='field-error'>{create.error.message}</Text>}

      <View className='campaigns__summary'>
        <Text>{name ? `每户${name}${qty}${unit}` : '请选择发什么'}</Text>
      </View>
      <Button type='primary' size='large' block loading={create.busy} disabled={buildingIds.length === 0 || !name} onClick={() => void submit()} data-testid='campaign-create'>
        发起发放
      </Button>
      <Text className='inline-panel__cancel' onClick={props.onCancel}>
        先不发
      </Text>
    </View>
  )
}
