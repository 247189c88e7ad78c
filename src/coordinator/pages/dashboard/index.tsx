/**
 * 调度总览 (coordinator): the figures first — waiting, overdue, in progress, delivered today,
 * satisfaction — with waiting and overdue in red when not zero; each building's open orders; the
 * 回访 queue (low ratings to call back, orders past due) with a one-tap note; and the way to the
 * register, the squad and the group robots. Live: refreshes when any order of the community changes.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useState } from 'react'
import { useLiveReload } from '../../../client/live'
import { BADGES_PAGE, CODES_PAGE } from '../../../client/navigate'
import { usePolling } from '../../../client/use-polling'
import { useMutation, useQuery } from '../../../client/use-query'
import { Chips } from '../../../components/chips'
import { PageRoot } from '../../../components/large-text'
import { PageError, PageLoading } from '../../../components/page-state'
import { TabBar } from '../../../components/tab-bar'
import { doorLabel, dueLabel } from '../../../core/order/board'
import { kindLabel } from '../../../core/order/labels'
import { orderSummary } from '../../../core/order/summary'
import type { FollowupItem, SquadMembers } from '../../../core/views'
import type { DayFigures } from '../../../core/figures'
import { DaysChart } from '../../components/days-chart'
import { minutesLabel, percentLabel } from '../../figures-format'
import { canReassign, ReassignPanel } from './reassign'
import './index.scss'

const NOTES = ['已电话回访，居民满意', '已致歉并补送', '居民未接电话，稍后再打']
const LINKS = [
  { url: '/coordinator/pages/households/index', label: '居家户', hint: '登记与特殊需要', testid: 'to-households' },
  { url: CODES_PAGE, label: '住户码', hint: '打印发给各户', testid: 'to-codes' },
  { url: BADGES_PAGE, label: '二维码胸牌', hint: '给没有手机的居民', testid: 'to-badges' },
  { url: '/coordinator/pages/squad/index', label: '小分队', hint: '队员与邀请码', testid: 'to-squad' },
  { url: '/coordinator/pages/grids/index', label: '网格', hint: '楼栋、队员与工作量', testid: 'to-grids' },
  { url: '/coordinator/pages/robots/index', label: '群通知', hint: '群机器人与公告', testid: 'to-robots' },
  { url: '/coordinator/pages/catalog/index', label: '物资清单', hint: '标记暂缺', testid: 'to-catalog' },
  { url: '/coordinator/pages/ledger/index', label: '台账', hint: '查询与导出 Excel', testid: 'to-ledger' },
  { url: '/coordinator/pages/map/index', label: '楼栋图', hint: '各户状态一眼看', testid: 'to-map' },
  { url: '/coordinator/pages/import/index', label: '导入住户', hint: '用表格批量登记', testid: 'to-import' },
  { url: '/coordinator/pages/campaigns/index', label: '社区发放', hint: '每户一份，按单元送', testid: 'to-campaigns' },
  { url: '/coordinator/pages/audit/index', label: '操作记录', hint: '谁改了什么', testid: 'to-audit' },
]

/**
 * The figures cover every order of the community, so during a rush a change arrives every few ms:
 * they reload 1 s after changes stop, and at least every 5 s while they go on. Each reload reads the
 * last days' orders on the host's one thread (BENCHMARKS.md, coordinator-backlog: 0.3 s with 20,000
 * waiting), so reloading every second as the other pages do took a third of the host during a rush.
 */
const FIGURES_QUIET_MS = 1_000
const FIGURES_MAX_WAIT_MS = 5_000

export default function CoordinatorDashboard() {
  const me = useQuery('me.get', {})
  const stats = useQuery('coord.stats', {})
  const queue = useQuery('coord.followups', {})
  const squad = useQuery('squad.members', {})
  const communityId = me.data?.coordinator?.communityId
  const reload = () => {
    void stats.reload()
    void queue.reload()
  }
  useLiveReload(communityId ? { communityId } : null, reload, FIGURES_QUIET_MS, FIGURES_MAX_WAIT_MS)
  usePolling(reload, 30_000, true)

  if (stats.status === 'loading') return <PageRoot className='coordinator-dashboard'><PageLoading text='正在统计…' /><TabBar current='home' /></PageRoot>
  if (!stats.data) {
    return (
      <PageRoot className='coordinator-dashboard'>
        <PageError message={stats.error?.message ?? ''} code={stats.error?.code} onRetry={stats.reload} />
        <TabBar current='home' />
      </PageRoot>
    )
  }
  const s = stats.data
  const figure = (label: string, n: number | string, alert: boolean, testid: string) => (
    <View className={`figure ${alert ? 'figure--alert' : ''}`} data-testid={testid} data-value={String(n)}>
      <Text className='figure__n'>{n}</Text>
      <Text className='figure__label'>{label}</Text>
    </View>
  )

  return (
    <PageRoot className='coordinator-dashboard'>
      <Text className='page__title'>调度总览</Text>
      <Text className='page__subtitle'>{me.data?.coordinator?.communityName ?? ''} · 件件有着落、事事有回音</Text>

      <View className='figures'>
        {figure('待接单', s.waiting, s.waiting > 0, 'fig-waiting')}
        {figure('已超时', s.overdue, s.overdue > 0, 'fig-overdue')}
        {figure('配送中', s.inProgress, false, 'fig-progress')}
        {figure('今日送达', s.deliveredToday, false, 'fig-delivered')}
        {figure('今日下单', s.placedToday, false, 'fig-placed')}
        {figure(s.ratingCount ? `今日平均评分（${s.ratingCount}人评，满分5）` : '今日暂无评价', s.ratingAvg ?? '—', s.ratingAvg !== null && s.ratingAvg < 4, 'fig-rating')}
      </View>

      <Text className='dash__section'>近14天（按下单日统计）</Text>
      <RateTiles days={s.days} />
      <DaysChart days={s.days} />

      <View className='card buildings' data-testid='buildings'>
        {s.byBuilding.map((b) => (
          <View key={b.buildingId} className='buildings__row' data-testid='building-row' data-building={b.building}>
            <Text className='buildings__name'>{b.building}</Text>
            <Text className={b.waiting ? 'buildings__alert' : 'muted'}>待接 {b.waiting}</Text>
            <Text className='muted'>配送中 {b.inProgress}</Text>
            <Text className={b.overdue ? 'buildings__alert' : 'muted'}>超时 {b.overdue}</Text>
          </View>
        ))}
      </View>

      <Text className='dash__section'>需要跟进（{queue.data?.items.length ?? 0}）</Text>
      {queue.status === 'loading' ? (
        <PageLoading text='正在加载…' />
      ) : !queue.data ? (
        <PageError message={queue.error?.message ?? ''} code={queue.error?.code} onRetry={queue.reload} />
      ) : queue.data.items.length === 0 ? (
        <View className='card muted' data-testid='queue-empty'>
          没有需要跟进的订单：每单都有着落。
        </View>
      ) : (
        <View data-testid='queue'>
          {queue.data.items.map((i) => (
            <FollowupCard key={`${i.reason}-${i.order.id}`} item={i} members={squad.data?.members ?? null} onDone={reload} />
          ))}
        </View>
      )}

      <View className='links'>
        {LINKS.map((l) => (
          <View key={l.url} className='links__tile' onClick={() => void Taro.navigateTo({ url: l.url })} data-testid={l.testid}>
            <Text className='links__label'>{l.label}</Text>
            <Text className='muted links__hint'>{l.hint}</Text>
          </View>
        ))}
      </View>
      <TabBar current='home' />
    </PageRoot>
  )
}

function FollowupCard({ item, members, onDone }: { item: FollowupItem; members: SquadMembers['members'] | null; onDone: () => void }) {
  const o = item.order
  const resolve = useMutation('coord.resolveFollowup')
  const [note, setNote] = useState('')
  const done = async () => {
    if (await resolve.run({ id: o.id, note })) onDone()
  }
  return (
    <View className={`card followup followup--${item.reason}`} data-testid='followup' data-order-id={o.id} data-reason={item.reason}>
      <View className='followup__head'>
        <Text className='followup__tag'>{item.reason === 'low_rating' ? `差评 ${o.rating?.stars ?? ''}星` : '已超时'}</Text>
        <Text className='followup__door'>{doorLabel(o.address)}</Text>
      </View>
      <Text className='followup__what'>
        {kindLabel(o.kind)}：{orderSummary(o)}
      </Text>
      {item.reason === 'low_rating' && o.rating?.comment && <Text className='followup__comment'>“{o.rating.comment}”</Text>}
      {item.reason === 'overdue' && (
        <Text className='followup__comment'>
          {o.holder ? `${o.holder.name}负责 · ` : '还没人接 · '}
          {dueLabel(o, Date.now())}
        </Text>
      )}
      {o.residentPhone && (
        <Text className='followup__call' onClick={() => void Taro.makePhoneCall({ phoneNumber: o.residentPhone! })}>
          打电话给居民
        </Text>
      )}
      {item.reason === 'overdue' && canReassign(o) && <ReassignPanel order={o} members={members} onDone={onDone} />}
      {item.reason === 'low_rating' && (
        <View className='followup__resolve'>
          <Chips choices={NOTES.map((n) => ({ value: n, label: n }))} value={note} onChange={setNote} testid='followup-notes' />
          {resolve.error && <Text className='field-error'>{resolve.error.fields.note ?? resolve.error.message}</Text>}
          <Button type='primary' block loading={resolve.busy} disabled={!note} onClick={() => void done()} data-testid='followup-done'>
            记为已回访
          </Button>
        </View>
      )}
    </View>
  )
}

/**
 * The 14 days in six labelled tiles: each says what it counts and over which days, so a rate is
 * never read as a count ("1" is never both).
 */
function RateTiles({ days }: { days: readonly DayFigures[] }) {
  const sum = (k: 'placed' | 'delivered' | 'householdsServed') => days.reduce((n, d) => n + d[k], 0)
  // Rates over the 14 days, weighted by what each day could measure.
  const weighted = (rate: (d: DayFigures) => number | null, weight: (d: DayFigures) => number) => {
    let num = 0
    let den = 0
    for (const d of days) {
      const r = rate(d)
      if (r === null) continue
      num += r * weight(d)
      den += weight(d)
    }
    return den === 0 ? null : num / den
  }
  const response = weighted((d) => d.responseRate, (d) => d.placed - d.cancelled)
  const onTime = weighted((d) => d.onTimeRate, (d) => d.delivered)
  const happy = weighted((d) => d.satisfaction, (d) => d.ratings)
  const today = days[days.length - 1]
  const tile = (label: string, value: string, testid: string, alert = false) => (
    <View className={`figure ${alert ? 'figure--alert' : ''}`} data-testid={testid} data-value={value}>
      <Text className='figure__n figure__n--small'>{value}</Text>
      <Text className='figure__label'>{label}</Text>
    </View>
  )
  return (
    <View className='figures' data-testid='rate-tiles'>
      {tile('及时接单率', percentLabel(response), 'fig-response', response !== null && response < 0.9)}
      {tile('准时送达率', percentLabel(onTime), 'fig-ontime', onTime !== null && onTime < 0.9)}
      {tile('满意率（4星及以上）', percentLabel(happy), 'fig-happy', happy !== null && happy < 0.9)}
      {tile('今日接单用时（中位）', minutesLabel(today?.medianClaimMinutes ?? null), 'fig-claim-min')}
      {tile('今日送达用时（中位）', minutesLabel(today?.medianDeliverMinutes ?? null), 'fig-deliver-min')}
      {tile(`服务户次（14天，共${sum('delivered')}单送达）`, `${sum('householdsServed')}户次`, 'fig-served')}
    </View>
  )
}
