/**
 * 二维码胸牌 (coordinator): one card per household for residents without a smartphone (a QR and
 * the 8-character code under it). A squad member scans it, or types the code, to order for that
 * household (squad.badgeLookup → 代下单). The card shows the building and unit only; the room is
 * on a stub the coordinator cuts off when handing the card to the door. No names, no phones, and
 * the QR spells no door (zjs:b:<code>). A lost card: 补发 gives the household a new code and the
 * old card stops working. H5 prints the page (one building per sheet).
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useState } from 'react'
import { call } from '../../../client/call'
import { useQuery } from '../../../client/use-query'
import { PageRoot } from '../../../components/large-text'
import { PageError, PageLoading } from '../../../components/page-state'
import { QrCode } from '../../../components/qr-code'
import { formatBadgeCode } from '../../../core/household/badge'
import type { HouseholdBadge, HouseholdBadges } from '../../../core/views'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'

function Card({ building, badge, onReissued }: { building: string; badge: HouseholdBadge; onReissued: (b: HouseholdBadge) => void }) {
  const [busy, setBusy] = useState(false)
  const reissue = async () => {
    const ok = await Taro.showModal({
      title: `补发${badge.room}室的胸牌？`,
      content: '补发后旧胸牌就不能用了，请把新胸牌交给这一户。',
      confirmText: '补发',
    })
    if (!ok.confirm) return
    setBusy(true)
    try {
      onReissued(await call('coord.reissueBadge', { householdId: badge.householdId }))
      void Taro.showToast({ title: '已补发，请打印新胸牌', icon: 'none' })
    } catch (e) {
      void Taro.showToast({ title: e instanceof Error ? e.message : '补发没有成功', icon: 'none' })
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className='badges__card' data-testid='badge' data-household={badge.householdId} data-code={badge.code}>
      <View className='badges__face'>
        <Text className='badges__door'>
          {building} {badge.unit}单元
        </Text>
        <QrCode text={badge.payload} className='badges__qr' />
        <Text className='badges__code' data-testid='badge-code'>
          {formatBadgeCode(badge.code)}
        </Text>
        <Text className='badges__hint'>社工扫码为本户代下单</Text>
      </View>
      <View className='badges__stub'>
        <Text>发给：{badge.room}室</Text>
        <Text className='badges__cut'>✂ 剪下此条再发</Text>
      </View>
      <View className='badges__reissue' onClick={busy ? undefined : () => void reissue()} data-testid='reissue'>
        {busy ? '正在补发…' : '丢了？补发'}
      </View>
    </View>
  )
}

function Section({ data }: { data: HouseholdBadges }) {
  const [badges, setBadges] = useState(data.badges)
  const replace = (b: HouseholdBadge) => setBadges((all) => all.map((x) => (x.householdId === b.householdId ? b : x)))
  return (
    <View className='badges__building' data-testid='badges-building' data-building={data.building.id}>
      <View className='badges__head'>
        <Text className='badges__title'>
          {data.building.name}
          <Text className='badges__count'>（{badges.length}户）</Text>
        </Text>
        <Text className='badges__community'>{data.communityName}</Text>
      </View>
      <View className='badges__grid'>
        {badges.map((b) => (
          <Card key={b.householdId} building={data.building.name} badge={b} onReissued={replace} />
        ))}
      </View>
    </View>
  )
}

function BuildingSection({ buildingId }: { buildingId: string }) {
  const q = useQuery('coord.householdBadges', { buildingId })
  if (q.status === 'loading') return <PageLoading text='正在加载…' />
  if (!q.data) return <PageError message={q.error?.message ?? ''} code={q.error?.code} onRetry={q.reload} />
  return <Section data={q.data} />
}

export default function HouseholdBadgesPage() {
  const first = useQuery('coord.householdBadges', {})
  if (first.status === 'loading') return <PageRoot className='badges'><PageLoading text='正在生成胸牌…' /></PageRoot>
  if (!first.data)
    return (
      <PageRoot className='badges'>
        <PageError message={first.error?.message ?? ''} code={first.error?.code} onRetry={first.reload} />
      </PageRoot>
    )
  const d = first.data
  return (
    <PageRoot className='badges'>
      <View className='badges__intro'>
        <Text className='page__title'>二维码胸牌</Text>
        <Text className='page__subtitle'>
          给没有智能手机的居民：每户一张。社工在「替居民下单」里扫胸牌（或输入二维码下面的8位码）就能为这一户下单。胸牌上没有姓名和电话，只有楼栋和单元；虚线下的房号剪掉后再发。
        </Text>
        {IS_H5 && (
          <View className='badges__print'>
            <Button type='primary' size='large' block onClick={() => window.print()}>
              打印胸牌
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
