/**
 * The task page's bottom sheets: skip a step (with a reason), pick a partner, hand it back (退回, with
 * a reason), 部分缺货 (which lines), and the confirmation of 取消代下单 / 重复下单. The sheet keeps its
 * own choices; the page passes what to do with them.
 */
import { Input, Text, View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useState } from 'react'
import type { OutputOf } from '../../../core/contract'
import { Chips } from '../../../components/chips'
import { PageError, PageLoading } from '../../../components/page-state'
import { stepLabel, type ProtocolStep } from '../../../core/order/protocol'
import type { OrderView } from '../../../core/views'
import type { QueryState } from '../../../client/use-query'
import { reasonOf, RELEASE_REASONS, SKIP_REASONS, type ProxyCancelReason, type Sheet } from './reasons'

export function TaskSheet(p: {
  sheet: NonNullable<Sheet>
  order: OrderView
  busy: string | null
  squad: QueryState<OutputOf<'squad.members'>> & { reload: () => Promise<void> }
  onClose: () => void
  /** A message of the sheet's own (a missing reason). */
  onProblem: (message: string) => void
  onSkip: (step: ProtocolStep, reason: string) => void
  onRelease: (reason: string) => void
  onPartial: (missing: string[]) => void
  onPartner: (partnerId: string) => void
  onCancelProxy: (reason: ProxyCancelReason) => void
}) {
  const { sheet } = p
  const [choice, setChoice] = useState('')
  const [text, setText] = useState('')
  const [missing, setMissing] = useState<string[]>([])
  const confirmSkip = (step: ProtocolStep) => {
    const reason = reasonOf(choice, text)
    if (!reason) return p.onProblem('请选择或填写跳过的原因')
    p.onSkip(step, reason)
  }
  const confirmRelease = () => {
    const reason = reasonOf(choice, text)
    if (!reason) return p.onProblem('请选择或填写退回的原因')
    p.onRelease(reason)
  }
  const confirmPartial = () => {
    if (missing.length === 0) return p.onProblem('请勾选缺了哪些物品')
    p.onPartial(missing)
  }
  return (
    <View className='sheet' data-testid='sheet'>
      <View className='sheet__mask' onClick={p.onClose} />
      <View className='sheet__body'>
        {sheet.type === 'skip' && (
          <>
            <Text className='sheet__title'>跳过「{stepLabel(sheet.step)}」</Text>
            <Text className='muted sheet__hint'>跳过要写明原因，社区会看到。</Text>
            <Chips choices={SKIP_REASONS.map((r) => ({ value: r, label: r }))} value={choice} onChange={setChoice} testid='skip-reasons' />
            <Input className='sheet__input' value={text} maxlength={40} placeholder={choice === '其他' ? '请写原因' : '补充说明（可不填）'} onInput={(e) => setText(e.detail.value)} />
            {sheet.step === 'picked_up' && choice === '居民要求放门口' && (
              <Text className='muted sheet__hint'>最后一步选「放门口」完成送达。</Text>
            )}
            <Button size='large' block type='primary' loading={p.busy === `skip-${sheet.step}`} onClick={() => confirmSkip(sheet.step)} data-testid='confirm-skip'>
              确认跳过
            </Button>
          </>
        )}
        {sheet.type === 'partner' && (
          <>
            <Text className='sheet__title'>和谁一起送？</Text>
            <Text className='muted sheet__hint'>搭档也能看到门牌和电话，帮您一起完成上门步骤。</Text>
            {p.squad.status === 'loading' && <PageLoading text='正在加载队员…' />}
            {p.squad.status === 'error' && !p.squad.data && <PageError message={p.squad.error?.message ?? ''} code={p.squad.error?.code} onRetry={p.squad.reload} />}
            {p.squad.data && (
              <Chips
                choices={p.squad.data.members
                  .filter((m) => !m.me)
                  .map((m) => ({ value: m.id, label: m.name, ...(m.gridLabel ? { hint: m.gridLabel } : {}), disabled: m.id === p.order.partner?.id }))}
                value={p.order.partner?.id ?? null}
                onChange={(pid) => p.onPartner(pid)}
                testid='partner-choices'
              />
            )}
            {p.squad.data && p.squad.data.members.filter((m) => !m.me).length === 0 && (
              <Text className='muted'>小分队里还没有别的队员</Text>
            )}
          </>
        )}
        {sheet.type === 'release' && (
          <>
            <Text className='sheet__title'>退回这个订单</Text>
            <Text className='muted sheet__hint'>退回后订单回到任务大厅，别的队员可以接。</Text>
            <Chips choices={RELEASE_REASONS.map((r) => ({ value: r, label: r }))} value={choice} onChange={setChoice} testid='release-reasons' />
            <Input className='sheet__input' value={text} maxlength={40} placeholder={choice === '其他' ? '请写原因' : '补充说明（可不填）'} onInput={(e) => setText(e.detail.value)} />
            <Button size='large' block type='danger' loading={p.busy === 'release'} onClick={() => confirmRelease()} data-testid='confirm-release'>
              确认退回
            </Button>
          </>
        )}
        {sheet.type === 'partial' && (
          <>
            <Text className='sheet__title'>哪些物品缺货没送到？</Text>
            <Chips
              choices={p.order.lines.map((l) => ({ value: l.name, label: `${l.name}×${l.qty}${l.unit}` }))}
              value={missing}
              onChange={(n) => setMissing((m) => (m.includes(n) ? m.filter((x) => x !== n) : [...m, n]))}
              testid='missing-lines'
            />
            <Text className='muted sheet__hint'>其余物品已送到，已{stepLabel('disinfect_again')}。居民会看到缺了什么。</Text>
            <Button size='large' block type='primary' loading={p.busy === 'partial'} onClick={() => confirmPartial()} data-testid='confirm-partial'>
              送达（部分缺货）
            </Button>
          </>
        )}
        {sheet.type === 'cancel' && sheet.reason === 'withdrawn' && (
          <>
            <Text className='sheet__title'>取消这个代下单？</Text>
            <Text className='muted sheet__hint'>还没有人接单，取消后订单从任务大厅撤下，居民会收到通知。</Text>
            <Button size='large' block type='danger' loading={p.busy === 'cancel-withdrawn'} onClick={() => p.onCancelProxy('withdrawn')} data-testid='confirm-cancel-proxy'>
              确认取消代下单
            </Button>
          </>
        )}
        {sheet.type === 'cancel' && sheet.reason === 'duplicate' && (
          <>
            <Text className='sheet__title'>重复下单，取消这一单？</Text>
            <Text className='muted sheet__hint'>这一户还有另一个没完成的订单，保留那一单、取消这一单。居民会收到「重复订单已取消」的通知。</Text>
            <Button size='large' block type='danger' loading={p.busy === 'cancel-duplicate'} onClick={() => p.onCancelProxy('duplicate')} data-testid='confirm-cancel-duplicate'>
              确认按重复下单取消
            </Button>
          </>
        )}
        <View className='sheet__cancel' onClick={p.onClose}>
          <Text>取消</Text>
        </View>
      </View>
    </View>
  )
}
