/**
 * 我的任务: every order I hold, batched by building ("3号楼 · 3单") in unit and floor order (the
 * server's sort), so one trip up a stairwell serves several doors. A card opens the 上门 page.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useQuery } from '../../../client/use-query'
import { Icon } from '../../../components/icon'
import { PageRoot } from '../../../components/large-text'
import { PageEmpty, PageError, PageLoading } from '../../../components/page-state'
import { StatusTag } from '../../../components/status-tag'
import { TabBar } from '../../../components/tab-bar'
import { dueLabel, groupByBuilding, isOverdue, parcelState, stepNumber } from '../../../core/order/board'
import { kindLabel } from '../../../core/order/labels'
import { arrivingAnnouncement } from '../../../core/notify/texts'
import { nextStep, stepLabel } from '../../../core/order/protocol'
import { orderSummary } from '../../../core/order/summary'
import type { OrderView } from '../../../core/views'
import { TASK_POLL_MS, useSquadLive } from '../../shared/live'
import { BOARD_PAGE, SquadNav, taskUrl } from '../../shared/nav'
import { useNow } from '../../shared/use-now'
import './index.scss'

/** What the holder does next, in a few words. */
function nextLabel(o: OrderView, now: number): string {
  if (o.status === 'claimed') {
    const p = parcelState(o, now)
    if (p.state === 'not_disinfected') return '下一步：物品消杀登记'
    if (p.state === 'holding') return p.label
    return '下一步：出发'
  }
  const step = nextStep(o)
  return step ? `下一步：${stepLabel(step)}（${stepNumber(o)}/6）` : '上门步骤已完成'
}

export default function SquadTasks() {
  const tasks = useQuery('squad.tasks', {})
  const board = useQuery('squad.board', {})
  const me = useQuery('me.get', {})
  useSquadLive(me.data?.squad?.communityId, () => {
    void tasks.reload()
    void board.reload()
  }, TASK_POLL_MS)
  const now = useNow(1000)

  const body = () => {
    if (tasks.status === 'loading') return <PageLoading text='正在查看我的任务…' />
    if (!tasks.data) return <PageError message={tasks.error?.message ?? ''} code={tasks.error?.code} onRetry={tasks.reload} />
    const all = tasks.data.orders
    if (all.length === 0) {
      return (
        <PageEmpty
          title='手上没有任务'
          hint='去任务大厅接一单吧'
          action={
            <Button type='primary' size='large' onClick={() => void Taro.redirectTo({ url: BOARD_PAGE })}>
              去任务大厅
            </Button>
          }
        />
      )
    }
    return groupByBuilding(all).map((g) => (
      <View key={g.buildingId} data-testid='task-group' data-building={g.building}>
        <View className='squad-group'>
          <Text className='squad-group__title' data-testid='task-group-title'>
            {g.building} · {g.orders.length}单
          </Text>
          <Text
            className='squad-group__copy'
            data-testid='copy-arriving'
            onClick={() =>
              void Taro.setClipboardData({ data: arrivingAnnouncement(g.building, g.orders.map((o) => o.address.unit)) })
            }
          >
            复制群公告
          </Text>
        </View>
        {g.orders.map((o) => (
          <TaskCard key={o.id} order={o} now={now} />
        ))}
      </View>
    ))
  }

  return (
    <PageRoot className='tasks'>
      <SquadNav current='tasks' boardCount={board.data?.total} taskCount={tasks.data?.orders.length} />
      {body()}
      <TabBar current='home' home={BOARD_PAGE} />
    </PageRoot>
  )
}

function TaskCard({ order: o, now }: { order: OrderView; now: number }) {
  const overdue = isOverdue(o, now)
  return (
    <View
      className={`task-card ${overdue ? 'task-card--overdue' : ''}`}
      onClick={() => void Taro.navigateTo({ url: taskUrl(o.id) })}
      data-testid='task-card'
      data-order-id={o.id}
    >
      <View className='task-card__head'>
        <Text className='task-card__door'>
          {o.address.unit}单元 {o.address.room || ''}
        </Text>
        <StatusTag status={o.status} />
      </View>
      <Text className='task-card__kind'>
        {kindLabel(o.kind)}
        {o.urgency === 'urgent' && <Text className='squad-badge squad-badge--urgent'>加急</Text>}
        {o.partner && <Text className='task-card__partner'>搭档 {o.partner.name}</Text>}
      </Text>
      <Text className='task-card__summary'>{orderSummary(o)}</Text>
      <View className='squad-meta'>
        <View className={`squad-meta__item ${overdue ? 'squad-meta__due--overdue' : ''}`}>
          <Icon name='clock' color={overdue ? '#cf1322' : '#666666'} />
          <Text>{dueLabel(o, now)}</Text>
        </View>
      </View>
      <View className='task-card__next'>
        <Text>{nextLabel(o, now)}</Text>
        <Text className='task-card__go'>上门 ›</Text>
      </View>
    </View>
  )
}
