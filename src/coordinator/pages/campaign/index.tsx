/**
 * One campaign (coordinator): totals, progress per building and unit (from the counters), and the
 * group notice. weapp: the share card's title carries the item and quantity only; H5: 复制群通知
 * asks notify.announcement, which passes the text through the privacy guard.
 */
import { Text, View } from '@tarojs/components'
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useState } from 'react'
import { PageRoot } from '../../../components/large-text'
import { PageError, PageLoading } from '../../../components/page-state'
import { ProgressBar } from '../../../components/progress-bar'
import { groupNotice, perHousehold, shareTitle } from '../../../core/campaign/texts'
import { usePolling } from '../../../client/use-polling'
import { useMutation, useQuery } from '../../../client/use-query'
import './index.scss'

export default function CoordinatorCampaign() {
  const id = useRouter().params.id ?? ''
  const q = useQuery('campaign.get', { id })
  const announce = useMutation('notify.announcement')
  const [copied, setCopied] = useState<string | null>(null)
  usePolling(() => void q.reload(), q.data?.status === 'creating' ? 3_000 : 15_000)
  useShareAppMessage(() => ({
    title: q.data ? shareTitle(q.data) : '社区发放',
    // Whoever opens it lands on their own home (the resident sees the card there).
    path: '/pages/index/index',
  }))

  if (q.status === 'loading') return <PageRoot><PageLoading text='正在加载进度…' /></PageRoot>
  if (!q.data) return <PageRoot><PageError message={q.error?.message ?? ''} code={q.error?.code} onRetry={q.reload} /></PageRoot>
  const c = q.data

  const copyNotice = async () => {
    const text = groupNotice(c, c.buildings.map((b) => b.name), Date.now())
    const r = await announce.run({ text })
    if (r) {
      setCopied(r.text)
      await Taro.setClipboardData({ data: r.text }).catch(() => undefined)
    }
  }

  return (
    <PageRoot className='campaign'>
      <Text className='page__title'>{c.title}</Text>
      <Text className='page__subtitle'>
        {perHousehold(c)} · {c.date.slice(5)}
        {c.slot ? ` · ${c.slot.start}起每单元${c.slot.minutesPerUnit}分钟` : ''}
      </Text>

      <View className='card campaign__totals' data-testid='campaign-totals' data-total={c.total} data-done={c.done} data-declined={c.declined} data-pending={c.pending}>
        <View className='campaign__figure'>
          <Text className='campaign__num'>{c.total}</Text>
          <Text className='muted'>总户数</Text>
        </View>
        <View className='campaign__figure campaign__figure--done'>
          <Text className='campaign__num' data-testid='fig-done'>{c.done}</Text>
          <Text className='muted'>已送达</Text>
        </View>
        <View className='campaign__figure'>
          <Text className='campaign__num' data-testid='fig-declined'>{c.declined}</Text>
          <Text className='muted'>不需要</Text>
        </View>
        <View className='campaign__figure'>
          <Text className='campaign__num' data-testid='fig-pending'>{c.pending}</Text>
          <Text className='muted'>待送</Text>
        </View>
      </View>
      {c.status === 'creating' && (
        <View className='card campaign__creating' data-testid='campaign-creating'>
          正在生成名单：{c.creation.written}/{c.creation.planned} 户
        </View>
      )}

      {c.buildings.map((b) => (
        <View key={b.buildingId} className='card' data-testid='campaign-building' data-building={b.buildingId}>
          <ProgressBar total={b.total} done={b.done} declined={b.declined} label={b.name} testid='building-progress' />
          {b.units.map((u) => (
            <View key={u.unit} className='campaign__unit' data-testid='unit-progress' data-unit={u.unit}>
              <ProgressBar total={u.total} done={u.done} declined={u.declined} label={`${u.unit}单元${u.slot ? ` ${u.slot}` : ''}`} />
            </View>
          ))}
        </View>
      ))}

      <View className='card'>
        <Text className='campaign__ask'>通知到楼栋群</Text>
        <Text className='muted'>群通知只写楼栋、物品和时间，不会出现姓名、门牌号和电话。</Text>
        <Button className='campaign__copy' type='primary' size='large' block loading={announce.busy} onClick={() => void copyNotice()} data-testid='copy-notice'>
          复制群通知
        </Button>
        {announce.error && <Text className='field-error'>{announce.error.message}</Text>}
        {copied && (
          <View className='campaign__notice' data-testid='notice-text'>
            <Text className='campaign__notice-done'>已复制，可以粘贴到微信群：</Text>
            <Text className='campaign__notice-text'>{copied}</Text>
          </View>
        )}
      </View>
    </PageRoot>
  )
}
