/**
 * 住户码 (coordinator): every building's household codes, one section per building, unit by unit,
 * ready to hand out. H5: 打印 prints the page (one building per sheet, nothing but the codes); weapp:
 * 复制 puts a building's codes on the clipboard as plain text to paste into the building's group or
 * a document. Only the community's own coordinator gets them (coord.householdCodes).
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useQuery } from '../../../client/use-query'
import { PageRoot } from '../../../components/large-text'
import { PageError, PageLoading } from '../../../components/page-state'
import { BADGES_PAGE } from '../../../client/navigate'
import type { HouseholdCodes } from '../../../core/views'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'

type Rows = HouseholdCodes['rows']

function byUnit(rows: Rows): [number, Rows][] {
  const m = new Map<number, Rows>()
  for (const r of rows) m.set(r.unit, [...(m.get(r.unit) ?? []), r])
  return [...m.entries()]
}

/** Plain text of one building's codes, for the clipboard. */
function codesText(community: string, building: string, rows: Rows): string {
  const lines = [`${community} ${building} 住户码`]
  for (const [unit, rs] of byUnit(rows)) {
    lines.push('', `${unit}单元`)
    for (const r of rs) lines.push(`${r.room}室  ${r.code}`)
  }
  return lines.join('\n')
}

function Section({ data }: { data: HouseholdCodes }) {
  const copy = () =>
    void Taro.setClipboardData({ data: codesText(data.communityName, data.building.name, data.rows) }).then(() =>
      Taro.showToast({ title: '已复制', icon: 'success' }),
    )
  return (
    <View className='codes__building card' data-testid='codes-building' data-building={data.building.id}>
      <View className='codes__head'>
        <Text className='codes__title'>
          {data.building.name}
          <Text className='codes__count'>（{data.rows.length}户）</Text>
        </Text>
        <Text className='codes__community'>{data.communityName}</Text>
      </View>
      {byUnit(data.rows).map(([unit, rows]) => (
        <View key={unit} className='codes__unit'>
          <Text className='codes__unit-title'>{unit}单元</Text>
          <View className='codes__grid'>
            {rows.map((r) => (
              <View key={r.householdId} className='codes__cell' data-testid='code-row' data-unit={r.unit} data-room={r.room} data-code={r.code}>
                <Text className='codes__room'>{r.room}</Text>
                <Text className='codes__code'>{r.code}</Text>
              </View>
            ))}
          </View>
        </View>
      ))}
      {!IS_H5 && (
        <View className='codes__copy'>
          <Button size='large' block onClick={copy}>
            复制{data.building.name}的住户码
          </Button>
        </View>
      )}
    </View>
  )
}

/** Another building than the first: its own query. */
function BuildingSection({ buildingId }: { buildingId: string }) {
  const q = useQuery('coord.householdCodes', { buildingId })
  if (q.status === 'loading') return <PageLoading text='正在加载…' />
  if (!q.data) return <PageError message={q.error?.message ?? ''} code={q.error?.code} onRetry={q.reload} />
  return <Section data={q.data} />
}

export default function HouseholdCodesPage() {
  const first = useQuery('coord.householdCodes', {})

  if (first.status === 'loading') return <PageRoot className='codes'><PageLoading text='正在加载住户码…' /></PageRoot>
  if (!first.data) return <PageRoot className='codes'><PageError message={first.error?.message ?? ''} code={first.error?.code} onRetry={first.reload} /></PageRoot>
  const d = first.data

  return (
    <PageRoot className='codes'>
      <View className='codes__intro'>
        <Text className='page__title'>住户码</Text>
        <Text className='page__subtitle'>
          每户一个6位住户码，居民在小程序里输入它就能绑定住户、下单。请按楼栋打印或抄写，只发给本户。
        </Text>
        <View className='codes__badges' onClick={() => void Taro.navigateTo({ url: BADGES_PAGE })} data-testid='to-badges'>
          没有智能手机的居民：打印二维码胸牌 ›
        </View>
        {IS_H5 && (
          <View className='codes__print' data-testid='print'>
            <Button type='primary' size='large' block onClick={() => window.print()}>
              打印住户码
            </Button>
          </View>
        )}
      </View>
      <Section data={d} />
      {d.buildings
        .filter((b) => b.id !== d.building.id)
        .map((b) => (
          <BuildingSection key={b.id} buildingId={b.id} />
        ))}
    </PageRoot>
  )
}
