/**
 * 社区发放 cards on the resident's home: what comes, how much and when, with a big 不需要 (after a
 * confirm). Nothing to do when it is wanted: the squad brings it to the door.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import { cardParts } from '../../../core/campaign/texts'
import type { MyCampaignView } from '../../../core/campaign/views'
import { call, CallError } from '../../../client/call'
import { useQuery } from '../../../client/use-query'

export function CampaignCards({ enabled }: { enabled: boolean }) {
  const mine = useQuery('campaign.mine', {}, { enabled })
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  if (!mine.data || mine.data.campaigns.length === 0) return null

  const decline = async (c: MyCampaignView) => {
    const ok = await Taro.showModal({ title: `这次${c.item}不需要了？`, content: '社区就不给您家送了。', confirmText: '不需要', cancelText: '还要' })
    if (!ok.confirm) return
    setBusy(true)
    setError(null)
    try {
      mine.replace(await call('campaign.decline', { id: c.campaignId, householdId: c.householdId }))
    } catch (e) {
      setError(e instanceof CallError ? e.message : '没有告诉社区，请再试一次')
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      {mine.data.campaigns.map((c) => (
        <View key={`${c.campaignId}/${c.householdId}`} className={`card campaign-card campaign-card--${c.status}`} data-testid='campaign-card' data-status={c.status}>
          <Text className='campaign-card__line'>
            {cardParts(c, Date.now())[0]}
            <Text className='campaign-card__when'>{cardParts(c, Date.now())[1]}</Text>
          </Text>
          {c.status === 'pending' && (
            <>
              <Text className='campaign-card__hint'>不用下单，小分队会敲门送到。</Text>
              <View className={`campaign-card__decline ${busy ? 'campaign-card__decline--busy' : ''}`} onClick={() => !busy && void decline(c)} data-testid='campaign-decline'>
                不需要
              </View>
            </>
          )}
          {c.status === 'declined' && <Text className='campaign-card__state'>已告诉社区：这次不需要</Text>}
          {c.status === 'done' && <Text className='campaign-card__state campaign-card__state--done'>✓ 已送到门口</Text>}
          {error && <Text className='field-error'>{error}</Text>}
        </View>
      ))}
    </>
  )
}
