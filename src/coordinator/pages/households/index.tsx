/**
 * 居家户 (coordinator): the community's register — every door, who is under home isolation, their
 * special needs, whether anyone in the household uses the mini program (if not, the squad orders
 * for them). Filter by building and by isolation. Tap a door to change its status or special needs.
 */
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { isolationLabel } from '../../../core/household/register'
import { HouseholdEditor } from './editor'
import { CODES_PAGE } from '../../../client/navigate'
import { useQuery } from '../../../client/use-query'
import { Chips } from '../../../components/chips'
import { PageRoot } from '../../../components/large-text'
import { PageEmpty, PageError, PageLoading } from '../../../components/page-state'
import './index.scss'

type Show = 'isolated' | 'all'

export default function CoordinatorHouseholds() {
  const q = useQuery('squad.households', {})
  const [building, setBuilding] = useState<string>('all')
  const [show, setShow] = useState<Show>('isolated')
  const [editing, setEditing] = useState<string | null>(null)
  // Opened from the building map (?household=…): that door's building, every status, its editor open.
  const asked = useRouter().params.household ?? null
  const target = asked ? q.data?.households.find((h) => h.id === asked) : undefined
  useEffect(() => {
    if (!target) return
    setShow('all')
    setBuilding(target.buildingId)
    setEditing(target.id)
    // Green doors sort after the isolated ones: bring the opened one into view.
    setTimeout(() => void Taro.pageScrollTo({ selector: `.households [data-household="${target.id}"]`, duration: 0 }).catch(() => undefined), 300)
  }, [target?.id])

  if (q.status === 'loading') return <PageRoot className='households'><PageLoading text='正在加载住户登记…' /></PageRoot>
  if (!q.data) return <PageRoot className='households'><PageError message={q.error?.message ?? ''} code={q.error?.code} onRetry={q.reload} /></PageRoot>
  const all = q.data.households
  const buildings = [...new Map(all.map((h) => [h.buildingId, h.building])).entries()]
  const shown = all.filter((h) => (building === 'all' || h.buildingId === building) && (show === 'all' || h.isolated))
  const isolated = all.filter((h) => h.isolated)

  return (
    <PageRoot className='households'>
      <Text className='page__title'>居家户</Text>
      <View className='households__codes' onClick={() => void Taro.navigateTo({ url: CODES_PAGE })} data-testid='to-codes'>
        <Text>打印住户码，发给各户</Text>
        <Text className='households__codes-go'>›</Text>
      </View>
      <Text className='page__subtitle'>
        共 {all.length} 户，隔离或监测中 {isolated.length} 户，其中 {isolated.filter((h) => h.membersJoined === 0).length} 户没人用小程序
      </Text>
      <View className='card'>
        <Chips<Show>
          testid='show'
          choices={[
            { value: 'isolated', label: `隔离/监测 ${isolated.length}` },
            { value: 'all', label: `全部 ${all.length}` },
          ]}
          value={show}
          onChange={setShow}
        />
        <View className='gap' />
        <Chips
          testid='building'
          choices={[{ value: 'all', label: '全部楼' }, ...buildings.map(([id, name]) => ({ value: id, label: name }))]}
          value={building}
          onChange={setBuilding}
        />
      </View>
      {shown.length === 0 ? (
        <PageEmpty title='没有符合条件的住户' hint='换个楼栋或选「全部」看看' />
      ) : (
        <View className='card' data-testid='register'>
          {shown.map((h) => (
            <View key={h.id} className='households__row' data-testid='household-row' data-household={h.id}>
              <View className='households__head' onClick={() => setEditing(editing === h.id ? null : h.id)}>
                <Text className='households__door'>{h.label}</Text>
                {h.isolated && <Text className={`households__tag households__tag--${h.isolation}`}>{isolationLabel(h.isolation)}</Text>}
                <Text className='muted households__members'>{h.membersJoined ? `${h.membersJoined}人已绑定` : h.isolated ? '未绑定' : ''}</Text>
              </View>
              {h.specialNeeds.length > 0 && <Text className='households__needs'>{h.specialNeeds.join('、')}</Text>}
              {(h.startDate || h.endDate || h.doorSealed || h.headcount > 1) && (
                <Text className='muted households__dates'>
                  {[
                    h.startDate && h.endDate ? `${h.startDate} 至 ${h.endDate}` : h.startDate ? `${h.startDate} 起` : h.endDate ? `至 ${h.endDate}` : '',
                    h.headcount > 1 ? `${h.headcount}人` : '',
                    h.doorSealed ? '已封门' : '',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              )}
              {editing === h.id && (
                <HouseholdEditor
                  household={h}
                  onClose={() => setEditing(null)}
                  onSaved={(next) => {
                    q.replace({ households: all.map((x) => (x.id === next.id ? next : x)) })
                    setEditing(null)
                    void Taro.showToast({ title: '已保存', icon: 'success' })
                  }}
                />
              )}
            </View>
          ))}
        </View>
      )}
    </PageRoot>
  )
}
