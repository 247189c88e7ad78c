/**
 * 社区发放 at the door (squad): pick a campaign, a building, a unit, then tap each door as it is
 * served (已送达). A unit's progress bar sits on top; a door that said 不需要 is greyed and cannot
 * be ticked; a mis-tap is undone with a confirm. Doors only: no names or phones.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { Chips } from '../../../components/chips'
import { PageRoot } from '../../../components/large-text'
import { PageEmpty, PageError, PageLoading } from '../../../components/page-state'
import { ProgressBar } from '../../../components/progress-bar'
import { perHousehold } from '../../../core/campaign/texts'
import type { CampaignTaskView } from '../../../core/campaign/views'
import { call, CallError } from '../../../client/call'
import { usePolling } from '../../../client/use-polling'
import { useQuery } from '../../../client/use-query'
import './index.scss'

export default function SquadCampaign() {
  const list = useQuery('campaign.list', {})
  const [campaignId, setCampaignId] = useState<string | null>(null)
  const [buildingId, setBuildingId] = useState<string | null>(null)
  const [unit, setUnit] = useState<number | null>(null)
  const campaigns = list.data?.campaigns ?? []
  // One campaign open: no need to pick it.
  useEffect(() => {
    if (!campaignId && campaigns.length === 1) setCampaignId(campaigns[0]!.id)
  }, [campaignId, campaigns])

  const detail = useQuery('campaign.get', { id: campaignId ?? 'none' }, { enabled: campaignId !== null })
  const c = campaignId ? (detail.data?.id === campaignId ? detail.data : campaigns.find((x) => x.id === campaignId)) : undefined
  const building = c?.buildings.find((b) => b.buildingId === buildingId)
  useEffect(() => {
    if (c && !buildingId && c.buildings.length === 1) setBuildingId(c.buildings[0]!.buildingId)
  }, [c, buildingId])
  useEffect(() => {
    if (building && unit === null && building.units.length === 1) setUnit(building.units[0]!.unit)
  }, [building, unit])
  const unitView = building?.units.find((u) => u.unit === unit)

  const tasks = useQuery(
    'campaign.tasks',
    { id: campaignId ?? 'none', buildingId: buildingId ?? 'none', ...(unit !== null ? { unit } : {}) },
    { enabled: campaignId !== null && buildingId !== null && unit !== null },
  )
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  // Teammates tick the same unit: follow them (a tap answers at once anyway).
  usePolling(() => {
    if (busy) return
    void detail.reload()
    void tasks.reload()
  }, 15_000, campaignId !== null)

  const tap = async (t: CampaignTaskView) => {
    if (!campaignId || busy || t.status === 'declined' || !tasks.data) return
    if (t.status === 'done') {
      const ok = await Taro.showModal({ title: `${t.room}改回没送到？`, content: '点错了才需要改。', confirmText: '改回' })
      if (!ok.confirm) return
    }
    const action = t.status === 'done' ? 'campaign.untick' : 'campaign.tick'
    setBusy(t.householdId)
    setError(null)
    try {
      const view = await call(action, { id: campaignId, householdId: t.householdId })
      detail.replace(view)
      tasks.replace({
        ...tasks.data,
        tasks: tasks.data.tasks.map((x) => (x.householdId === t.householdId ? { ...x, status: action === 'campaign.tick' ? 'done' : 'pending' } : x)),
      })
    } catch (e) {
      setError(e instanceof CallError ? e.message : '没有记上，请再点一次')
      void tasks.reload()
    } finally {
      setBusy(null)
    }
  }

  if (list.status === 'loading') return <PageRoot><PageLoading text='正在加载发放…' /></PageRoot>
  if (!list.data) return <PageRoot><PageError message={list.error?.message ?? ''} code={list.error?.code} onRetry={list.reload} /></PageRoot>
  if (campaigns.length === 0) return <PageRoot><PageEmpty title='现在没有社区发放' hint='社区发起后会出现在这里' /></PageRoot>

  return (
    <PageRoot className='squad-campaign'>
      <Text className='page__title'>社区发放</Text>
      {campaigns.length > 1 && (
        <View className='squad-campaign__pick' data-testid='campaign-pick'>
          {campaigns.map((x) => (
            <View
              key={x.id}
              className={`squad-campaign__campaign ${x.id === campaignId ? 'squad-campaign__campaign--on' : ''}`}
              onClick={() => {
                setCampaignId(x.id)
                setBuildingId(null)
                setUnit(null)
              }}
              data-testid='campaign-choice'
              data-id={x.id}
            >
              <Text className='squad-campaign__campaign-title'>{x.title}</Text>
              <Text className='muted'>{perHousehold(x)}</Text>
            </View>
          ))}
        </View>
      )}
      {c && (
        <>
          <ProgressBar total={c.total} done={c.done} declined={c.declined} label={`${c.title} · ${perHousehold(c)}`} testid='campaign-progress' />
          <Text className='squad-campaign__ask'>哪栋楼</Text>
          <Chips
            choices={c.buildings.map((b) => ({ value: b.buildingId, label: b.name, hint: `${b.done}/${b.total - b.declined}` }))}
            value={buildingId}
            onChange={(v) => {
              setBuildingId(v)
              setUnit(null)
            }}
            testid='campaign-building'
          />
        </>
      )}
      {building && (
        <>
          <Text className='squad-campaign__ask'>哪个单元</Text>
          <Chips
            choices={building.units.map((u) => ({ value: String(u.unit), label: `${u.unit}单元`, hint: u.slot ?? `${u.done}/${u.total - u.declined}` }))}
            value={unit !== null ? String(unit) : null}
            onChange={(v) => setUnit(Number(v))}
            testid='campaign-unit'
          />
        </>
      )}
      {unitView && (
        <View className='card squad-campaign__doors' data-testid='doors'>
          <ProgressBar total={unitView.total} done={unitView.done} declined={unitView.declined} label={`${building!.name}${unitView.unit}单元`} testid='unit-progress' />
          {error && <Text className='field-error' data-testid='tick-error'>{error}</Text>}
          {tasks.status === 'loading' && <PageLoading text='正在加载门牌…' />}
          {tasks.data?.tasks.map((t) => (
            <View
              key={t.householdId}
              className={`squad-campaign__door squad-campaign__door--${t.status}`}
              onClick={() => void tap(t)}
              data-testid='door'
              data-household={t.householdId}
              data-status={t.status}
            >
              <Text className='squad-campaign__room'>{t.room}</Text>
              <Text className='squad-campaign__state'>
                {busy === t.householdId ? '…' : t.status === 'done' ? '✓ 已送达' : t.status === 'declined' ? '不需要' : '点一下：已送达'}
              </Text>
            </View>
          ))}
        </View>
      )}
    </PageRoot>
  )
}
