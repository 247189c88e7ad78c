/**
 * 代下单: a resident without a smartphone phoned in. Pick the door by taps — building, unit, then
 * the room (households under isolation first, with their special needs) — then what they need;
 * the order form opens for that household. No typing of addresses.
 */
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { useQuery } from '../../../client/use-query'
import { Chips } from '../../../components/chips'
import { PageRoot } from '../../../components/large-text'
import { PageEmpty, PageError, PageLoading } from '../../../components/page-state'
import { kindLabel } from '../../../core/order/labels'
import type { OrderKind } from '../../../core/order/types'
import type { CommunityHousehold } from '../../../core/views'
import { BadgeBox } from './badge-box'
import './index.scss'

const KINDS: OrderKind[] = ['supplies', 'meal', 'handover', 'garbage']

export default function ProxyOrder() {
  /** ?badge=1: opened from 扫胸牌代下单 on the board (the code box takes the focus). */
  const fromBadge = useRouter().params.badge === '1'
  const q = useQuery('squad.households', {})
  const [building, setBuilding] = useState<string | null>(null)
  const [unit, setUnit] = useState<string | null>(null)
  const [picked, setPicked] = useState<CommunityHousehold | null>(null)

  if (q.status === 'loading') return <PageRoot><PageLoading text='正在加载住户…' /></PageRoot>
  if (!q.data) return <PageRoot><PageError message={q.error?.message ?? ''} code={q.error?.code} onRetry={q.reload} /></PageRoot>
  const all = q.data.households
  if (all.length === 0) return <PageRoot><PageEmpty title='社区还没有登记住户' hint='请联系社区服务中心登记' /></PageRoot>

  const isolated = all.filter((h) => h.isolated)
  const buildings = [...new Map(all.map((h) => [h.buildingId, h.building])).entries()]
  const units = building ? [...new Set(all.filter((h) => h.buildingId === building).map((h) => String(h.unit)))] : []
  const rooms = building && unit ? all.filter((h) => h.buildingId === building && String(h.unit) === unit) : []

  const order = (kind: OrderKind) => {
    if (!picked) return
    void Taro.navigateTo({
      url: `/resident/pages/order/index?kind=${kind}&for=${encodeURIComponent(picked.id)}&label=${encodeURIComponent(picked.label)}`,
    })
  }

  const Row = ({ h }: { h: CommunityHousehold }) => (
    <View
      className={`proxy__row ${picked?.id === h.id ? 'proxy__row--on' : ''}`}
      onClick={() => setPicked(h)}
      data-testid='household'
      data-household={h.id}
    >
      <View className='proxy__row-main'>
        <Text className='proxy__label'>{h.label}</Text>
        {h.isolated && <Text className='proxy__tag'>居家隔离</Text>}
      </View>
      {h.specialNeeds.length > 0 && <Text className='proxy__needs'>{h.specialNeeds.join('、')}</Text>}
      {h.isolated && h.membersJoined === 0 && <Text className='muted proxy__hint'>家里没人用小程序</Text>}
    </View>
  )

  return (
    <PageRoot className='proxy'>
      <Text className='page__title'>替居民下单</Text>
      <Text className='page__subtitle'>居民打电话来要东西？先选是哪一户。</Text>

      {!picked && (
        <>
          <BadgeBox onFound={setPicked} autoFocus={fromBadge} />
          <Text className='proxy__section'>居家隔离户（{isolated.length}）</Text>
          <View className='card' data-testid='isolated'>
            {isolated.map((h) => (
              <Row key={h.id} h={h} />
            ))}
          </View>

          <Text className='proxy__section'>其他住户：按楼栋找</Text>
          <View className='card'>
            <Chips
              testid='pick-building'
              choices={buildings.map(([id, name]) => ({ value: id, label: name }))}
              value={building}
              onChange={(b) => {
                setBuilding(b)
                setUnit(null)
              }}
            />
            {building && (
              <>
                <View className='gap' />
                <Chips testid='pick-unit' choices={units.map((u) => ({ value: u, label: `${u}单元` }))} value={unit} onChange={setUnit} />
              </>
            )}
            {rooms.length > 0 && (
              <View className='proxy__rooms' data-testid='rooms'>
                {rooms.map((h) => (
                  <Row key={h.id} h={h} />
                ))}
              </View>
            )}
          </View>
        </>
      )}

      {picked && (
        <View className='card proxy__picked' data-testid='picked'>
          <Text className='proxy__picked-label'>{picked.label}</Text>
          {picked.specialNeeds.length > 0 && <Text className='proxy__needs'>{picked.specialNeeds.join('、')}</Text>}
          <Text className='proxy__section'>要什么？</Text>
          <View className='proxy__kinds'>
            {KINDS.map((k) => (
              <View key={k} className='proxy__kind' onClick={() => order(k)} data-testid={`proxy-kind-${k}`}>
                {kindLabel(k)}
              </View>
            ))}
          </View>
          <View className='proxy__change' onClick={() => setPicked(null)}>
            换一户
          </View>
        </View>
      )}
    </PageRoot>
  )
}
