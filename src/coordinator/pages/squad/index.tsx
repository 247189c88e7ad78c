/**
 * 小分队 (coordinator): who is in the community's delivery squad, and invite codes for new members:
 * one tap makes a code (single use, 7 days), shown large so it can be read out over the phone, with
 * 复制 for sending it in a private chat. Used and expired codes stay listed with who used them.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useMutation, useQuery } from '../../../client/use-query'
import { inviteMessage } from '../../../core/invite'
import { holdLabel, PARCEL_HOLD_CHOICES } from '../../../core/order/protocol'
import { Chips } from '../../../components/chips'
import { formatBeijing } from '../../../core/time'
import type { DeactivateView, InviteView, SquadMembers } from '../../../core/views'
import { useState } from 'react'
import { PageRoot } from '../../../components/large-text'
import { PageEmpty, PageError, PageLoading } from '../../../components/page-state'
import { ServicePhone } from './service-phone'
import { Retention } from './retention'
import './index.scss'

const STATE_LABEL: Record<InviteView['state'], string> = { open: '可使用', used: '已使用', expired: '已过期' }

export default function CoordinatorSquad() {
  const members = useQuery('squad.members', {})
  const invites = useQuery('squad.invites', {})
  const issue = useMutation('squad.invite')
  const me = useQuery('me.get', {})
  const setHold = useMutation('coord.setParcelHold')
  const hold = me.data?.coordinator?.parcelHoldMinutes
  const pickHold = async (minutes: string) => {
    const m = Number(minutes) as (typeof PARCEL_HOLD_CHOICES)[number]
    if (m === hold || setHold.busy) return
    if (await setHold.run({ minutes: m })) {
      void me.reload()
      void Taro.showToast({ title: `已改为${holdLabel(m)}`, icon: 'success' })
    }
  }

  const newCode = async () => {
    const made = await issue.run({})
    if (made) void invites.reload()
  }
  const copy = (i: InviteView) => void Taro.setClipboardData({ data: inviteMessage(i.code, i.expiresAt) })

  const latest = invites.data?.invites.find((i) => i.state === 'open')
  const [results, setResults] = useState<Record<string, DeactivateView>>({})
  const onDeactivated = (r: DeactivateView) => {
    setResults((prev) => ({ ...prev, [r.personId]: r }))
    void members.reload()
  }

  return (
    <PageRoot className='coord-squad'>
      <Text className='page__title'>送货小分队</Text>

      <Text className='coord-squad__section'>队员</Text>
      {members.status === 'loading' ? (
        <PageLoading text='正在加载队员…' />
      ) : !members.data ? (
        <PageError message={members.error?.message ?? ''} code={members.error?.code} onRetry={members.reload} />
      ) : members.data.members.length === 0 ? (
        <PageEmpty title='还没有队员' hint='生成邀请码发给社工，他们加入后会出现在这里' />
      ) : (
        <View className='card' data-testid='members'>
          {members.data.members.map((m) => (
            <MemberRow key={m.id} member={m} done={results[m.id] ?? null} onDeactivated={onDeactivated} />
          ))}
          <View className='coord-squad__grids' onClick={() => void Taro.navigateTo({ url: '/coordinator/pages/grids/index' })} data-testid='to-grids'>
            调整网格：楼栋和队员
          </View>
        </View>
      )}

      <Text className='coord-squad__section'>家属送来的物品：消杀后静置多久</Text>
      <View className='card' data-testid='parcel-hold'>
        {me.data?.coordinator ? (
          <>
            <Chips
              choices={PARCEL_HOLD_CHOICES.map((m) => ({ value: String(m), label: holdLabel(m) }))}
              value={hold !== undefined ? String(hold) : null}
              onChange={(v) => void pickHold(v)}
              testid='hold-choices'
            />
            <Text className='muted'>对之后消杀的物品生效；已在静置的按原来的时间。</Text>
          </>
        ) : me.status === 'loading' ? (
          <Text className='muted'>正在加载…</Text>
        ) : (
          <PageError message={me.error?.message ?? ''} code={me.error?.code} onRetry={me.reload} />
        )}
        {setHold.error && <Text className='field-error'>{setHold.error.fields.minutes ?? setHold.error.message}</Text>}
      </View>

      <Text className='coord-squad__section'>社区服务中心电话</Text>
      {me.data?.coordinator && (
        <ServicePhone current={me.data.coordinator.servicePhone ?? null} onSaved={() => void me.reload()} />
      )}

      <Text className='coord-squad__section'>解除隔离后信息保留天数</Text>
      {me.data?.coordinator && (
        <Retention current={me.data.coordinator.retentionDays ?? 30} onSaved={() => void me.reload()} />
      )}

      <Text className='coord-squad__section'>邀请新队员</Text>
      <View className='card'>
        {latest ? (
          <View className='coord-squad__code-box' data-testid='latest-code'>
            <Text className='coord-squad__code'>{latest.code}</Text>
            <Text className='muted'>{formatBeijing(latest.expiresAt, 'M月D日 HH:mm')}前有效 · 只能用一次</Text>
            <View className='coord-squad__copy' onClick={() => copy(latest)} data-testid='copy-code'>
              复制邀请消息
            </View>
          </View>
        ) : (
          <Text className='muted'>还没有可用的邀请码</Text>
        )}
        {issue.error && <Text className='field-error'>{issue.error.message}</Text>}
        <View className='coord-squad__issue'>
          <Button type='primary' size='large' block loading={issue.busy} disabled={issue.busy} onClick={() => void newCode()}>
            生成新的邀请码
          </Button>
        </View>
      </View>

      {invites.data && invites.data.invites.length > 0 && (
        <>
          <Text className='coord-squad__section'>发出的邀请码</Text>
          <View className='card' data-testid='invites'>
            {invites.data.invites.map((i) => (
              <View key={i.code} className='coord-squad__invite' data-testid='invite' data-code={i.code} data-state={i.state}>
                <Text className='coord-squad__invite-code'>{i.code}</Text>
                <Text className={`coord-squad__state coord-squad__state--${i.state}`}>{STATE_LABEL[i.state]}</Text>
                <Text className='muted coord-squad__invite-note'>
                  {i.state === 'used' && i.usedAt
                    ? `${i.usedBy ?? ''} ${formatBeijing(i.usedAt, 'M月D日')}加入`
                    : `${formatBeijing(i.createdAt, 'M月D日')}生成`}
                </Text>
              </View>
            ))}
          </View>
        </>
      )}
      {invites.status === 'error' && !invites.data && <PageError message={invites.error?.message ?? ''} code={invites.error?.code} onRetry={invites.reload} />}
    </PageRoot>
  )
}

type Member = SquadMembers['members'][number]

/** What came of a deactivation, in words: 已停用，2单已退回任务大厅. */
function outcome(r: DeactivateView): string {
  const parts = [r.returned > 0 ? `${r.returned}单已退回任务大厅` : '没有要退回的订单']
  if (r.partnerDropped > 0) parts.push(`${r.partnerDropped}单已移除搭档`)
  return `已停用，${parts.join('，')}`
}

/** One member: name and grid; 停用 opens a confirm panel in place with two big buttons. */
function MemberRow(props: { member: Member; done: DeactivateView | null; onDeactivated: (r: DeactivateView) => void }) {
  const { member: m } = props
  const [asking, setAsking] = useState(false)
  const deactivate = useMutation('squad.deactivate')
  const confirm = async () => {
    const r = await deactivate.run({ personId: m.id })
    if (r) {
      setAsking(false)
      props.onDeactivated(r)
    }
  }
  const inactive = m.active === false
  return (
    <View className='coord-squad__member-block' data-testid='member' data-person-id={m.id} data-active={inactive ? '0' : '1'}>
      <View className='coord-squad__member'>
        <Text className={`coord-squad__avatar ${inactive ? 'coord-squad__avatar--off' : ''}`}>{m.name.slice(0, 1)}</Text>
        <View className='coord-squad__who'>
          <Text className='coord-squad__name'>{m.name}</Text>
          <Text className='muted'>
            {inactive
              ? `${m.deactivatedAt ? formatBeijing(m.deactivatedAt, 'M月D日') : ''}已停用，重新发邀请码可恢复`
              : m.gridLabel
                ? `网格：${m.gridLabel}`
                : '未分网格'}
          </Text>
        </View>
        {inactive ? (
          <Text className='coord-squad__off' data-testid='inactive'>
            已停用
          </Text>
        ) : (
          !asking && (
            <View className='coord-squad__stop' onClick={() => setAsking(true)} data-testid='deactivate-open'>
              停用
            </View>
          )
        )}
      </View>
      {asking && !inactive && (
        <View className='inline-panel' data-testid='deactivate-confirm-panel'>
          <Text className='inline-panel__ask'>
            停用{m.name}？停用后{m.name}不能再接单，手上还没送完的订单会退回任务大厅，由其他队员接手。
          </Text>
          {deactivate.error && <Text className='field-error'>{deactivate.error.message}</Text>}
          <View className='coord-squad__confirm'>
            <Button type='danger' size='large' block loading={deactivate.busy} disabled={deactivate.busy} onClick={() => void confirm()} data-testid='deactivate-confirm'>
              确定停用
            </Button>
            <Button size='large' block disabled={deactivate.busy} onClick={() => setAsking(false)} data-testid='deactivate-cancel'>
              先不停用
            </Button>
          </View>
        </View>
      )}
      {props.done && (
        <Text className='coord-squad__result' data-testid='deactivate-result'>
          {outcome(props.done)}
        </Text>
      )}
    </View>
  )
}
