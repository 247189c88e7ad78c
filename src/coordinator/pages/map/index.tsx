/**
 * 楼栋图 (coordinator): one building at a glance. Units side by side, top floor at the top, one
 * coloured cell per door (集中隔离 red, 居家隔离 orange, 居家健康监测 yellow, 无/已解除 green, grey where
 * no household is registered), needs as one character, a badge with the open orders (red when one
 * is 加急 or overdue). Pick the building by a tap; tap a door to open it in the register editor.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import { useQuery } from '../../../client/use-query'
import { Chips } from '../../../components/chips'
import { PageRoot } from '../../../components/large-text'
import { PageError, PageLoading } from '../../../components/page-state'
import { colourLabel, needShort, SPECIAL_NEEDS, STATUS_COLOURS, type RoomColour } from '../../../core/household/register'
import type { MapRoom, MapUnit } from '../../../core/household/views'
import './index.scss'

function Cell(props: { room: MapRoom }) {
  const r = props.room
  const open = () => {
    if (r.householdId) void Taro.navigateTo({ url: `/coordinator/pages/households/index?household=${r.householdId}` })
  }
  const alert = r.orders && (r.orders.urgent || r.orders.overdue)
  return (
    <View
      className={`bmap__cell bmap__cell--${r.colour}`}
      onClick={open}
      data-testid='map-cell'
      data-room={r.room}
      data-colour={r.colour}
      data-household={r.householdId ?? ''}
    >
      <Text className='bmap__room'>{r.room}</Text>
      {r.needs.length > 0 && <Text className='bmap__needs'>{r.needs.slice(0, 2).join('') + (r.needs.length > 2 ? '…' : '')}</Text>}
      {r.orders && (
        <Text className={`bmap__badge ${alert ? 'bmap__badge--alert' : ''}`} data-testid='map-orders'>
          {r.orders.open}
        </Text>
      )}
    </View>
  )
}

/** One row per floor of the whole building (highest first), each unit's doors side by side. */
function Grid(props: { units: MapUnit[] }) {
  const top = Math.max(0, ...props.units.map((u) => u.floors[0]?.floor ?? 0))
  const width = (u: MapUnit) => u.floors[0]?.rooms.length ?? 0
  const floors = Array.from({ length: top }, (_, i) => top - i)
  return (
    <View className='bmap__scroll'>
      <View className='bmap__grid'>
        <View className='bmap__row'>
          <Text className='bmap__floor' />
          {props.units.map((u) => (
            <Text key={u.unit} className='bmap__unit' style={{ width: Taro.pxTransform(width(u) * 100 - 8) }}>
              {u.unit}单元
            </Text>
          ))}
        </View>
        {floors.map((floor) => (
          <View key={floor} className='bmap__row'>
            <Text className='bmap__floor'>{floor}F</Text>
            {props.units.map((u) => {
              const f = u.floors.find((x) => x.floor === floor)
              return (
                <View key={u.unit} className='bmap__group'>
                  {f
                    ? f.rooms.map((r) => <Cell key={r.room} room={r} />)
                    : Array.from({ length: width(u) }, (_, i) => <View key={i} className='bmap__cell bmap__cell--none' />)}
                </View>
              )
            })}
          </View>
        ))}
      </View>
    </View>
  )
}

export default function CoordinatorMap() {
  const [buildingId, setBuildingId] = useState<string | undefined>(undefined)
  const q = useQuery('coord.buildingMap', buildingId ? { buildingId } : {})

  if (q.status === 'loading') return <PageRoot className='bmap'><PageLoading text='正在画楼栋图…' /></PageRoot>
  if (!q.data) return <PageRoot className='bmap'><PageError message={q.error?.message ?? ''} code={q.error?.code} onRetry={q.reload} /></PageRoot>
  const m = q.data
  const legend: RoomColour[] = [...STATUS_COLOURS, ...(m.counts.grey > 0 ? (['grey'] as const) : [])]

  return (
    <PageRoot className='bmap'>
      <Chips
        testid='map-building'
        choices={m.buildings.map((b) => ({ value: b.id, label: b.name }))}
        value={m.building.id}
        onChange={setBuildingId}
      />
      <View className='bmap__legend' data-testid='map-legend'>
        {legend.map((c) => (
          <View key={c} className='bmap__key' data-testid={`legend-${c}`} data-value={String(m.counts[c])}>
            <Text className={`bmap__swatch bmap__cell--${c}`} />
            <Text className='bmap__key-label'>{colourLabel(c)}</Text>
            <Text className='bmap__key-n'>{m.counts[c]}</Text>
          </View>
        ))}
      </View>
      <Text className='bmap__title'>
        {m.building.name}
        {m.openOrders > 0 ? ` · ${m.openOrders}单未完成` : ' · 没有未完成的订单'}
      </Text>
      {m.units.length === 0 ? (
        <View className='card'>
          <Text className='muted'>这栋楼还没有登记住户，可以在「导入住户」里导入</Text>
        </View>
      ) : (
        <>
          {m.units.length > 3 && <Text className='bmap__hint muted'>共{m.units.length}个单元，左右滑动看全</Text>}
          <Grid units={m.units} />
        </>
      )}
      <Text className='bmap__hint muted'>
        角标数字是未完成的订单，红色是加急或超时。
        {SPECIAL_NEEDS.map((n) => `${needShort(n)}=${n}`).join(' ')}
      </Text>
      <Text className='bmap__hint muted'>点一户可以修改登记</Text>
    </PageRoot>
  )
}
