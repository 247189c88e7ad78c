/**
 * 任务大厅: the community's open orders, by building; overdue first, then urgent, then by deadline
 * (the server's order, kept within each building). Claim one with the big 接单 button: the first to
 * claim owns it to the end (首接负责制). New orders appear by themselves (shared/live.ts).
 */
import { Text, View } from '@tarojs/components'
import Taro, { useShareAppMessage } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useState } from 'react'
import { call, CallError } from '../../../client/call'
import { useQuery } from '../../../client/use-query'
import { useBoardPages } from './use-board-pages'
import { Icon } from '../../../components/icon'
import { InboxLink, useInboxUnread } from '../../../components/inbox-link'
import { PageRoot } from '../../../components/large-text'
import { PageEmpty, PageError, PageLoading } from '../../../components/page-state'
import { TabBar } from '../../../components/tab-bar'
import {
  dayTimeLabel,
  groupByBuilding,
  inScope,
  isOverdue,
  KIND_FILTERS,
  matchesKind,
  overdueLabel,
  parcelState,
  unitLabel,
  type KindFilter,
  type ScopeFilter,
} from '../../../core/order/board'
import { kindLabel } from '../../../core/order/labels'
import { BOARD_SHARE_CARD } from '../../../core/notify/share'
import { orderSummary } from '../../../core/order/summary'
import type { OrderView } from '../../../core/views'
import { ErrorBar } from '../../shared/error-bar'
import { BOARD_POLL_MS, useSquadLive } from '../../shared/live'
import { BOARD_PAGE, PROXY_PAGE, SquadNav, taskUrl } from '../../shared/nav'
import { useNow } from '../../shared/use-now'
import './index.scss'

const SCOPE_KEY = 'zj.board.scope'

export default function SquadBoard() {
  const board = useBoardPages()
  useShareAppMessage(() => BOARD_SHARE_CARD)
  const tasks = useQuery('squad.tasks', {})
  const me = useQuery('me.get', {})
  const inbox = useInboxUnread(30_000)
  useSquadLive(me.data?.squad?.communityId, () => {
    void board.reload()
    inbox.reloadSoon()
  }, BOARD_POLL_MS)
  const now = useNow(1000)
  const [filter, setFilter] = useState<KindFilter>('all')
  const grid = me.data?.squad?.grid ?? null
  // 我的网格 / 全部: remembered on this phone (a view choice, not data).
  const [scope, setScopeState] = useState<ScopeFilter>(() => (Taro.getStorageSync(SCOPE_KEY) === 'grid' ? 'grid' : 'all'))
  const setScope = (s: ScopeFilter) => {
    setScopeState(s)
    Taro.setStorageSync(SCOPE_KEY, s)
  }
  const [claiming, setClaiming] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  const claim = async (o: OrderView) => {
    if (claiming) return
    setClaiming(o.id)
    setError(null)
    try {
      await call('order.claim', { id: o.id })
      void Taro.navigateTo({ url: taskUrl(o.id) })
    } catch (e) {
      // ORDER.ALREADY_CLAIMED names who has it; any other refusal says why in its own words.
      setError(e instanceof CallError ? e.message : '接单没有成功，请再试一次')
      void board.reload()
    } finally {
      setClaiming(null)
    }
  }

  const body = () => {
    if (board.status === 'loading') return <PageLoading text='正在查看待接的单子…' />
    if (!board.data) return <PageError message={board.error?.message ?? ''} code={board.error?.code} onRetry={board.reload} />
    const { orders: community, total, hasMore } = board.data
    const all = community.filter((o) => inScope(o, scope, grid))
    if (community.length === 0 && total === 0) {
      return <PageEmpty title='暂时没有待接的单子' hint='有新单子会自动出现在这里，不用刷新' />
    }
    const shown = all.filter((o) => matchesKind(o, filter))
    const gridOnly = scope === 'grid' && grid !== null
    // The community's counts come from the server (every waiting order, loaded or not); a grid's
    // from the pages loaded so far.
    const loadedOverdue = all.filter((o) => isOverdue(o, now)).length
    const overdue = gridOnly ? loadedOverdue : Math.max(board.data.overdue, loadedOverdue)
    return (
      <View>
        <View className='board__summary' data-testid='board-summary'>
          <Text>待接 {gridOnly ? all.length : total} 单</Text>
          {overdue > 0 && <Text className='board__summary-overdue'>已超时 {overdue} 单</Text>}
          {board.status === 'error' && <Text className='board__stale'>网络不太好，正在重试…</Text>}
        </View>
        {grid && (
          <View className='kind-filter scope-filter' data-testid='scope-filter' role='tablist'>
            {(['grid', 'all'] as const).map((s) => (
              <View
                key={s}
                className={`kind-filter__pill ${scope === s ? 'kind-filter__pill--on' : ''}`}
                onClick={() => setScope(s)}
                data-value={s}
                role='tab'
                aria-selected={scope === s}
              >
                <Text>{s === 'grid' ? `我的网格 · ${grid.label}` : `全社区 ${total}`}</Text>
              </View>
            ))}
          </View>
        )}
        <View className='kind-filter' data-testid='kind-filter' role='tablist'>
          {KIND_FILTERS.map((f) => {
            const n = all.filter((o) => matchesKind(o, f.value)).length
            return (
              <View
                key={f.value}
                className={`kind-filter__pill ${filter === f.value ? 'kind-filter__pill--on' : ''} ${n === 0 ? 'kind-filter__pill--none' : ''}`}
                onClick={() => setFilter(f.value)}
                data-value={f.value}
                role='tab'
                aria-selected={filter === f.value}
              >
                <Text>{f.label}</Text>
                {f.value !== 'all' && n > 0 && <Text className='kind-filter__n'>{n}</Text>}
              </View>
            )
          })}
        </View>
        {shown.length === 0 && (
          <View className='card muted board__none' data-testid='filter-empty'>
            {all.length === 0 ? `${grid?.label ?? ''}暂时没有待接的单子，其他楼的在「全社区」里` : '没有这一类的单子'}
          </View>
        )}
        {groupByBuilding(shown).map((g) => (
          <View key={g.buildingId} data-testid='building-group' data-building={g.building}>
            <View className='squad-group'>
              <Text className='squad-group__title'>{g.building}</Text>
              <Text className='squad-group__count'>{g.orders.length}单</Text>
            </View>
            {g.orders.map((o) => (
              <BoardCard key={o.id} order={o} now={now} busy={claiming === o.id} disabled={claiming !== null} onClaim={() => void claim(o)} />
            ))}
          </View>
        ))}
        <View className='board__more' data-testid='board-more'>
          <Text className='board__more-count' data-testid='board-count'>
            {hasMore ? `已显示 ${community.length} 单，共 ${total} 单` : `共 ${total} 单，已全部显示`}
          </Text>
          {hasMore && (
            <Button className='board__more-button' size='large' block loading={board.loadingMore} onClick={() => void board.loadMore()} data-testid='load-more'>
              加载更多
            </Button>
          )}
          {board.moreError && <Text className='board__more-error'>{board.moreError}</Text>}
        </View>
      </View>
    )
  }

  return (
    <PageRoot className='board'>
      <SquadNav current='board' boardCount={board.data?.total} taskCount={tasks.data?.orders.length} />
      {/* 新任务 from a coordinator and other messages: shown here only while unread; always under 我的. */}
      {inbox.unread > 0 && <InboxLink unread={inbox.unread} />}
      {body()}
      <View className='board__proxy' onClick={() => void Taro.navigateTo({ url: '/squad/pages/campaign/index' })} data-testid='to-campaigns'>
        <Text>社区发放：按单元逐户勾选已送达 ›</Text>
      </View>
      <View className='board__proxy' onClick={() => void Taro.navigateTo({ url: `${PROXY_PAGE}?badge=1` })} data-testid='to-badge'>
        <Text>扫胸牌代下单 ›</Text>
      </View>
      <View className='board__proxy' onClick={() => void Taro.navigateTo({ url: PROXY_PAGE })} data-testid='to-proxy'>
        <Text>没有智能手机的居民？替他下单 ›</Text>
      </View>
      <ErrorBar
        message={error}
        onClose={() => {
          setError(null)
          void board.reload()
        }}
        aboveTabBar
      />
      <TabBar current='home' home={BOARD_PAGE} />
    </PageRoot>
  )
}

function BoardCard({ order: o, now, busy, disabled, onClaim }: { order: OrderView; now: number; busy: boolean; disabled: boolean; onClaim: () => void }) {
  const overdue = isOverdue(o, now)
  const late = o.dueAt <= now
  const parcel = parcelState(o, now)
  return (
    <View
      className={`board-card ${overdue ? 'board-card--overdue' : o.urgency === 'urgent' ? 'board-card--urgent' : ''}`}
      data-testid='board-card'
      data-order-id={o.id}
      data-overdue={overdue ? '1' : '0'}
    >
      <View className='board-card__head'>
        <Text className='board-card__kind'>{kindLabel(o.kind)}</Text>
        <View className='board-card__badges'>
          {overdue && (
            <Text className='squad-badge squad-badge--overdue' data-testid='overdue'>
              {overdueLabel(o, now)}
            </Text>
          )}
          {o.urgency === 'urgent' && <Text className='squad-badge squad-badge--urgent'>加急</Text>}
        </View>
      </View>
      {o.urgency === 'urgent' && o.urgentReason && <Text className='board-card__reason'>加急原因：{o.urgentReason}</Text>}
      <Text className='board-card__summary'>{orderSummary(o)}</Text>
      {o.notes && <Text className='board-card__notes'>备注：{o.notes}</Text>}
      <View className='squad-meta board-card__meta'>
        <View className='squad-meta__item' data-testid='card-unit'>
          <Icon name='pin' />
          <Text>{unitLabel(o.address)}</Text>
          <Text className='squad-meta__aside'>（门牌接单后可见）</Text>
        </View>
        <View className={`squad-meta__item ${late ? 'squad-meta__due--overdue' : ''}`}>
          <Icon name='clock' color={late ? '#cf1322' : '#666666'} />
          <Text>{late ? `应在${dayTimeLabel(o.dueAt, now)}前送达` : `${dayTimeLabel(o.dueAt, now)}前送达`}</Text>
        </View>
      </View>
      {parcel.state === 'holding' && (
        <Text className='squad-badge squad-badge--hold board-card__parcel' data-testid='parcel-countdown'>
          {parcel.label}
        </Text>
      )}
      {parcel.state === 'ready' && (
        <Text className='squad-badge squad-badge--ready board-card__parcel' data-testid='parcel-ready'>
          已消杀 · {parcel.label}
        </Text>
      )}
      {parcel.state === 'not_disinfected' && o.handover && (
        <Text className='board-card__hint'>家属预计 {dayTimeLabel(o.handover.expectedAt, now)} 送到门岗，接单后登记消杀</Text>
      )}
      <View className='board-card__claim'>
        <Button type='primary' size='large' block loading={busy} disabled={disabled} onClick={onClaim} data-testid='claim'>
          接单
        </Button>
      </View>
    </View>
  )
}
