/**
 * 指派 / 改派 on an overdue order in the 回访 queue: pick a squad member by tapping a name, pick a
 * reason by tapping, confirm. A waiting order goes straight to that member (指派); a claimed or
 * delivering one changes hands (改派). At the door it stays with whoever is there.
 */
import { Text, View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useState } from 'react'
import { useMutation } from '../../../client/use-query'
import { Chips } from '../../../components/chips'
import { findTransition } from '../../../core/order/transitions'
import type { OrderView, SquadMembers } from '../../../core/views'

const REASONS = ['超时没人接', '队员忙不过来', '队员身体不适', '就近安排']

/** Whether the coordinator can still hand this order to someone: the transition table says. */
export const canReassign = (o: OrderView): boolean => !!(findTransition(o.status, 'assign') ?? findTransition(o.status, 'reassign'))

export function ReassignPanel(props: { order: OrderView; members: SquadMembers['members'] | null; onDone: () => void }) {
  const { order: o } = props
  const verb = findTransition(o.status, 'assign') ? '指派' : '改派'
  const [open, setOpen] = useState(false)
  const [to, setTo] = useState<string | null>(null)
  const [reason, setReason] = useState<string | null>(null)
  const reassign = useMutation('order.reassign')
  const confirm = async () => {
    if (!to) return
    if (await reassign.run({ id: o.id, toId: to, ...(reason ? { reason } : {}) })) {
      setOpen(false)
      props.onDone()
    }
  }
  if (!open) {
    return (
      <Text className='followup__action' onClick={() => setOpen(true)} data-testid='reassign-open'>
        {verb}给队员
      </Text>
    )
  }
  // Deactivated members (已停用) are listed for the coordinator but cannot take orders.
  const choices = (props.members ?? []).filter((m) => m.id !== o.holder?.id && m.active !== false)
  return (
    <View className='inline-panel' data-testid='reassign'>
      <Text className='inline-panel__ask'>{verb}给谁？</Text>
      {props.members === null ? (
        <Text className='muted'>正在加载队员…</Text>
      ) : choices.length === 0 ? (
        <Text className='muted'>小分队里没有别的队员，请先在「小分队」页邀请。</Text>
      ) : (
        <Chips
          choices={choices.map((m) => ({ value: m.id, label: m.name, ...(m.gridLabel ? { hint: m.gridLabel } : {}) }))}
          value={to}
          onChange={setTo}
          testid='reassign-to'
        />
      )}
      <Text className='inline-panel__ask'>原因（可不选）</Text>
      <Chips choices={REASONS.map((r) => ({ value: r, label: r }))} value={reason} onChange={(r) => setReason(r === reason ? null : r)} testid='reassign-reason' />
      {reassign.error && <Text className='field-error'>{reassign.error.fields.toId ?? reassign.error.message}</Text>}
      <Button type='primary' block loading={reassign.busy} disabled={!to} onClick={() => void confirm()} data-testid='reassign-confirm'>
        确认{verb}
      </Button>
      <Text className='inline-panel__cancel' onClick={() => setOpen(false)}>
        先不{verb}
      </Text>
    </View>
  )
}
