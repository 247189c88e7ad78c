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
import type { InviteView } from '../../../core/views'
import { PageRoot } from '../../../components/large-text'
import { PageEmpty, PageError, PageLoading } from '../../../components/page-state'
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

  return (
    <PageRoot className='coord-squad'>
      <Text className='page__title'>送货小分队</Text>

      <Text className='coord-squad__section'>队员</Text>
      {members.status === 'loading' ? (
        <PageLoading text='正在加载队员…' />
      ) : !members.data ? (
        <PageError message={members.error?.message ?? ''} onRetry={members.reload} />
      ) : members.data.members.length === 0 ? (
        <PageEmpty title='还没有队员' hint='生成邀请码发给社工，他们加入后会出现在这里' />
      ) : (
        <View className='card' data-testid='members'>
          {members.data.members.map((m) => (
            <View key={m.id} className='coord-squad__member' data-testid='member'>
              <Text className='coord-squad__avatar'>{m.name.slice(0, 1)}</Text>
              <Text className='coord-squad__name'>{m.name}</Text>
              <Text className='muted'>{m.gridLabel ? `网格：${m.gridLabel}` : '未分网格'}</Text>
            </View>
          ))}
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
          <PageError message={me.error?.message ?? ''} onRetry={me.reload} />
        )}
        {setHold.error && <Text className='field-error'>{setHold.error.fields.minutes ?? setHold.error.message}</Text>}
      </View>

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
      {invites.status === 'error' && !invites.data && <PageError message={invites.error?.message ?? ''} onRetry={invites.reload} />}
    </PageRoot>
  )
}
