/** The door and what it is: kind, status, due time, who holds it, and a call button while I do. */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { Icon } from '../../../components/icon'
import { StatusTag } from '../../../components/status-tag'
import { doorLabel, dueLabel, isOverdue } from '../../../core/order/board'
import { kindLabel } from '../../../core/order/labels'
import type { OrderView } from '../../../core/views'

export function callResident(o: OrderView) {
  if (o.residentPhone) void Taro.makePhoneCall({ phoneNumber: o.residentPhone })
}

export function TaskHead(p: { order: OrderView; now: number; myId: string; mine: boolean; active: boolean; onPickPartner: () => void }) {
  const { order: o, now, myId, mine, active } = p
  return (
    <View className={`card task__head ${isOverdue(o, now) && active ? 'task__head--overdue' : ''}`}>
      <View className='task__head-row'>
        <Text className='task__kind'>
          {kindLabel(o.kind)}
          {o.urgency === 'urgent' && <Text className='squad-badge squad-badge--urgent'>加急</Text>}
        </Text>
        <StatusTag status={o.status} />
      </View>
      <Text className='task__door' data-testid='task-door'>
        {doorLabel(o.address)}
      </Text>
      {o.address.floor > 0 && <Text className='task__floor'>{o.address.floor}楼</Text>}
      {o.urgency === 'urgent' && o.urgentReason && <Text className='task__reason'>加急原因：{o.urgentReason}</Text>}
      {active && (
        <View className={`squad-meta__item task__due ${isOverdue(o, now) ? 'task__due--overdue' : ''}`} data-testid='task-due'>
          <Icon name='clock' color={isOverdue(o, now) ? '#cf1322' : '#555555'} />
          <Text>{dueLabel(o, now)}</Text>
        </View>
      )}
      {(o.holder || o.partner) && (
        <View className='task__people-row'>
          <Text className='muted task__people' data-testid='task-people'>
            {o.holder ? `接单：${o.holder.name}` : ''}
            {o.partner ? `　搭档：${o.partner.name}` : ''}
          </Text>
          {o.holder?.id === myId && active && (
            <Text className='task__partner-link' onClick={p.onPickPartner} data-testid='pick-partner'>
              {o.partner ? '换搭档' : '＋ 找搭档'}
            </Text>
          )}
        </View>
      )}
      {o.residentPhone && mine && active && (
        <View className='task__call'>
          <Button size='large' block type='success' color='#389e0d' onClick={() => callResident(o)} data-testid='call'>
            <View className='task__call-label'>
              <Icon name='phone' color='#ffffff' size='l' />
              <Text>打电话给居民</Text>
            </View>
          </Button>
        </View>
      )}
    </View>
  )
}
