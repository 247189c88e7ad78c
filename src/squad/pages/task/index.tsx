/**
 * 上门: one order I hold. The door, what to bring, a call button while I hold it, then the work in
 * order: (parcels: 已消杀 and the hold) → 出发 → the six doorstep steps, one big tap each, the next
 * one highlighted, each with its time once done; 跳过 needs a reason. Other endings: 无人应答 (try
 * again later), 放门口 and 部分缺货 (the last step with an explicit outcome). 退回 while claimed.
 * Every refusal shows the server's Chinese message.
 */
import { Input, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useState } from 'react'
import { call, CallError } from '../../../client/call'
import type { ActionName, InputOf } from '../../../core/contract'
import { pickPhoto } from '../../../client/photo'
import { useQuery } from '../../../client/use-query'
import { isOfflineError } from '../../../client/step-queue'
import { useStepQueue } from '../../../client/use-step-queue'
import { sealPhotoFolder, sealRestored } from '../../../core/photo'
import { Chips } from '../../../components/chips'
import { Icon } from '../../../components/icon'
import { OrderPhoto } from '../../../components/order-photo'
import { PageRoot } from '../../../components/large-text'
import { PageError, PageLoading } from '../../../components/page-state'
import { StatusTag } from '../../../components/status-tag'
import { dayTimeLabel, doorLabel, dueLabel, isOverdue, parcelState, stepRecord } from '../../../core/order/board'
import { kindLabel } from '../../../core/order/labels'
import { DEFAULT_PARCEL_HOLD_MINUTES, holdLabel, nextStep, PROTOCOL_STEPS, stepLabel, type ProtocolStep } from '../../../core/order/protocol'
import { MEAL_SLOTS } from '../../../core/order/schedule'
import { ACTIVE_STATUSES, type DeliveryOutcome } from '../../../core/order/types'
import { formatBeijing } from '../../../core/time'
import type { OrderView } from '../../../core/views'
import { ErrorBar } from '../../shared/error-bar'
import { TASK_POLL_MS, useSquadLive } from '../../shared/live'
import { BOARD_PAGE, TASKS_PAGE } from '../../shared/nav'
import { useNow } from '../../shared/use-now'
import './index.scss'

const SKIP_REASONS = ['居民不在家', '居民要求放门口', '其他']
const RELEASE_REASONS = ['临时有急事', '手上单子太多', '物资不够', '其他']
const OUTCOME_LABEL: Record<DeliveryOutcome, string> = { handed: '当面交付', left_at_door: '放门口', partial: '部分缺货' }
/** Refusals after which what we show is out of date: fetch the order again. */
const STALE_CODES = ['ORDER.CONFLICT', 'ORDER.INVALID_TRANSITION', 'ORDER.STEP_OUT_OF_ORDER', 'ORDER.NOT_HOLDER', 'ORDER.ALREADY_CLAIMED']

type OrderAction =
  | 'order.claim'
  | 'order.advance'
  | 'order.step'
  | 'order.deliver'
  | 'order.release'
  | 'order.disinfectParcel'
  | 'order.addPartner'
  | 'order.sealPhoto'
type Sheet = { type: 'skip'; step: ProtocolStep } | { type: 'release' } | { type: 'partial' } | { type: 'partner' } | null

/** A reason from chips plus free text: the text wins for 其他 and is appended otherwise. */
function reasonOf(choice: string, text: string): string {
  const t = text.trim()
  if (choice === '其他' || !choice) return t || choice
  return t ? `${choice}：${t}` : choice
}

export default function SquadTask() {
  const { id = '' } = useRouter().params
  const q = useQuery('order.get', { id })
  const me = useQuery('me.get', {})
  const squad = useQuery('squad.members', {})
  const holdMinutes = me.data?.squad?.parcelHoldMinutes ?? DEFAULT_PARCEL_HOLD_MINUTES
  const [fresh, setFresh] = useState<OrderView | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [sheet, setSheet] = useState<Sheet>(null)
  const [choice, setChoice] = useState('')
  const [text, setText] = useState('')
  const [missing, setMissing] = useState<string[]>([])
  // Steps tapped without signal: kept on the phone (待同步) and sent when the connection returns.
  const sq = useStepQueue({
    onSent: (v) => {
      setFresh((f) => (v.id === id && (!f || v.version >= f.version) ? v : f))
      // Reopened without signal: the page could not load; now it can.
      if (q.status === 'error') void q.reload()
      if (!me.data) void me.reload()
    },
    onRefused: (r) => {
      setError(r.message)
      void q.reload()
    },
  })

  // The newer of what the page fetched and what the last action answered.
  const o = fresh && (!q.data || fresh.version >= q.data.version) ? fresh : q.data
  const active = o ? ACTIVE_STATUSES.includes(o.status) : false
  useSquadLive(me.data?.squad?.communityId, q.reload, TASK_POLL_MS, active && sheet === null)
  const now = useNow(1000)

  if (q.status === 'loading' || me.status === 'loading') return <PageRoot><PageLoading /></PageRoot>
  if (!o) return <PageRoot><PageError message={q.error?.message ?? ''} onRetry={q.reload} /></PageRoot>
  if (!me.data) return <PageRoot><PageError message={me.error?.message ?? ''} onRetry={me.reload} /></PageRoot>

  const myId = me.data.id
  const mine = o.holder?.id === myId || o.partner?.id === myId
  const parcel = parcelState(o, now)
  // Queued steps not yet on the server count as done here; the next step follows the last of them.
  const queued = sq.items.filter((p) => p.orderId === id && !stepRecord(o, p.step))
  const lastQueued = queued.at(-1)
  const due = lastQueued ? (PROTOCOL_STEPS[PROTOCOL_STEPS.indexOf(lastQueued.step) + 1] ?? null) : nextStep(o)
  const working = mine && (o.status === 'delivering' || o.status === 'at_door')

  async function run<A extends OrderAction>(key: string, action: A, input: InputOf<A & ActionName>): Promise<OrderView | null> {
    if (busy) return null
    setBusy(key)
    setError(null)
    try {
      const v = (await call(action, input)) as OrderView
      setFresh(v)
      return v
    } catch (e) {
      const err = e instanceof CallError ? e : new CallError('INTERNAL', '出了点问题，请稍后再试')
      const field = Object.values(err.fields)[0]
      setError(field && err.code === 'REQUEST.INVALID_INPUT' ? field : err.message)
      if (STALE_CODES.includes(err.code)) void q.reload()
      return null
    } finally {
      setBusy(null)
    }
  }

  const openSheet = (s: Sheet) => {
    setChoice('')
    setText('')
    setMissing([])
    setError(null)
    setSheet(s)
  }

  /**
   * A step: sent at once; without signal (or behind steps still waiting) kept in the queue with
   * the time of the tap. True when it was recorded or queued.
   */
  async function tapStep(step: ProtocolStep, skipReason?: string): Promise<boolean> {
    const item = { orderId: id, step, tappedAt: Date.now(), ...(skipReason ? { skipReason } : {}) }
    if (queued.length > 0) {
      sq.add(item)
      void sq.flush()
      return true
    }
    if (busy) return false
    setBusy(skipReason ? `skip-${step}` : step)
    setError(null)
    try {
      setFresh(await call('order.step', { id, step, ...(skipReason ? { skipReason } : {}) }))
      return true
    } catch (e) {
      if (isOfflineError(e)) {
        sq.add(item)
        return true
      }
      const err = e instanceof CallError ? e : new CallError('INTERNAL', '出了点问题，请稍后再试')
      const field = Object.values(err.fields)[0]
      setError(field && err.code === 'REQUEST.INVALID_INPUT' ? field : err.message)
      if (STALE_CODES.includes(err.code)) void q.reload()
      return false
    } finally {
      setBusy(null)
    }
  }
  const doStep = (step: ProtocolStep) => void tapStep(step)
  const confirmSkip = async (step: ProtocolStep) => {
    const skipReason = reasonOf(choice, text)
    if (!skipReason) return setError('请选择或填写跳过的原因')
    if (await tapStep(step, skipReason)) setSheet(null)
  }
  const confirmRelease = async () => {
    const reason = reasonOf(choice, text)
    if (!reason) return setError('请选择或填写退回的原因')
    if (await run('release', 'order.release', { id, reason })) {
      setSheet(null)
      void Taro.showToast({ title: '已退回任务大厅', icon: 'none' })
      void Taro.redirectTo({ url: BOARD_PAGE })
    }
  }
  const confirmPartial = async () => {
    if (missing.length === 0) return setError('请勾选缺了哪些物品')
    if (await run('partial', 'order.deliver', { id, outcome: 'partial', missing })) setSheet(null)
  }
  const leaveAtDoor = async () => {
    const ok = await Taro.showModal({ title: '放门口', content: `东西放在门口，已${stepLabel('disinfect_again')}？居民会收到通知。`, confirmText: '放好了' })
    if (ok.confirm) void run('left_at_door', 'order.deliver', { id, outcome: 'left_at_door' })
  }
  const noAnswer = async () => {
    const ok = await Taro.showModal({ title: '无人应答', content: '居民会收到通知，这单留在您手上，稍后再送。', confirmText: '确定' })
    if (ok.confirm) void run('no_answer', 'order.advance', { id, event: 'no_answer' })
  }
  const pickPartner = async (partnerId: string) => {
    if (await run(`partner-${partnerId}`, 'order.addPartner', { id, partnerId })) setSheet(null)
  }
  const sealPhoto = async () => {
    if (busy) return
    setError(null)
    let fileId: string | null
    setBusy('photo')
    try {
      fileId = (await pickPhoto(sealPhotoFolder(id)))?.fileId ?? null
    } catch (e) {
      setError(e instanceof CallError ? e.message : '照片没传上去，请再试一次')
      return
    } finally {
      setBusy(null)
    }
    if (fileId) await run('photo', 'order.sealPhoto', { id, fileId })
  }
  const phone = () => {
    if (o.residentPhone) void Taro.makePhoneCall({ phoneNumber: o.residentPhone })
  }

  return (
    <PageRoot className='task'>
      {/* The door and what it is. */}
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
              <Text className='task__partner-link' onClick={() => openSheet({ type: 'partner' })} data-testid='pick-partner'>
                {o.partner ? '换搭档' : '＋ 找搭档'}
              </Text>
            )}
          </View>
        )}
        {o.residentPhone && mine && active && (
          <View className='task__call'>
            <Button size='large' block type='success' color='#389e0d' onClick={phone} data-testid='call'>
              <View className='task__call-label'>
                <Icon name='phone' color='#ffffff' size='l' />
                <Text>打电话给居民</Text>
              </View>
            </Button>
          </View>
        )}
      </View>

      {!mine && <NotMine order={o} busy={busy === 'claim'} onClaim={() => void run('claim', 'order.claim', { id })} />}

      <Details order={o} now={now} />

      {/* Parcels: 已消杀, then the hold. */}
      {o.kind === 'handover' && (active || o.disinfectedAt) && (
        <View className='card task__parcel' data-testid='parcel'>
          <Text className='task__section'>物品消杀</Text>
          {parcel.state === 'not_disinfected' && (
            <>
              <Text className='muted'>家属送来的物品先在门岗消杀，静置{holdLabel(holdMinutes)}后才能送上楼。</Text>
              {mine && o.status === 'claimed' && (
                <View className='task__btn'>
                  <Button
                    size='large'
                    block
                    type='primary'
                    loading={busy === 'disinfect'}
                    onClick={() => void run('disinfect', 'order.disinfectParcel', { id })}
                    data-testid='disinfect-parcel'
                  >
                    已消杀，开始静置
                  </Button>
                </View>
              )}
            </>
          )}
          {o.disinfectedAt !== undefined && <Text className='muted'>{formatBeijing(o.disinfectedAt, 'HH:mm')} 已消杀</Text>}
          {parcel.state === 'holding' && (
            <Text className='task__countdown' data-testid='parcel-countdown'>
              {parcel.label}
            </Text>
          )}
          {parcel.state === 'ready' && (
            <Text className='task__ready' data-testid='parcel-ready'>
              {parcel.label}
            </Text>
          )}
        </View>
      )}

      {/* Claimed: set off, or hand it back. */}
      {mine && o.status === 'claimed' && (
        <View className='task__actions'>
          {o.timeline.some((t) => t.event === 'no_answer') && (
            <Text className='task__note'>上次敲门无人应答，再出发时从「{stepLabel(PROTOCOL_STEPS[0])}」重新开始。</Text>
          )}
          <Button
            size='xlarge'
            block
            type={parcel.state === 'holding' || parcel.state === 'not_disinfected' ? 'default' : 'primary'}
            disabled={parcel.state === 'holding' || parcel.state === 'not_disinfected'}
            loading={busy === 'depart'}
            onClick={() => void run('depart', 'order.advance', { id, event: 'depart' })}
            data-testid='depart'
          >
            {parcel.state === 'holding' ? `静置中，${parcel.label.replace('还需静置 ', '')}后可出发` : '出发'}
          </Button>
          <Button size='large' block fill='outline' onClick={() => openSheet({ type: 'release' })} data-testid='release'>
            退回
          </Button>
        </View>
      )}

      {/* The six doorstep steps. */}
      {o.status !== 'pending' && o.status !== 'cancelled' && (
        <View className='card task__steps' data-testid='steps'>
          <Text className='task__section'>上门步骤</Text>
          {o.status === 'claimed' && <Text className='muted task__steps-hint'>出发后按顺序一步一步点；确实做不了的步骤可以填写原因跳过。</Text>}
          {queued.length > 0 && (
            <Text className='task__pending-hint' data-testid='steps-pending'>
              没有信号，{queued.length}个步骤已记在手机上（待同步），有信号后自动登记，不用再点。
            </Text>
          )}
          {PROTOCOL_STEPS.map((step, i) => {
            const waiting = queued.find((p) => p.step === step)
            const rec = stepRecord(o, step) ?? (waiting ? { at: waiting.tappedAt, skipReason: waiting.skipReason } : undefined)
            const isNext = working && due === step
            return (
              <View
                key={step}
                className={`pstep ${rec ? (rec.skipReason ? 'pstep--skipped' : 'pstep--done') : ''} ${waiting ? 'pstep--pending' : ''} ${isNext ? 'pstep--next' : ''}`}
                data-testid={`step-${step}`}
                data-state={waiting ? 'pending' : rec ? (rec.skipReason ? 'skipped' : 'done') : isNext ? 'next' : 'todo'}
              >
                <View
                  className='pstep__main'
                  onClick={() => isNext && doStep(step)}
                  role='button'
                  aria-disabled={!isNext}
                >
                  <Text className='pstep__num'>{rec ? (rec.skipReason ? '–' : '✓') : i + 1}</Text>
                  <View className='pstep__text'>
                    <Text className='pstep__label'>
                      {stepLabel(step)}
                      {isNext && step === 'disinfect_again' ? ' · 当面交付' : ''}
                    </Text>
                    {rec?.skipReason && <Text className='pstep__skip'>已跳过：{rec.skipReason}</Text>}
                    {waiting && (
                      <Text className='pstep__pending' data-testid={`pending-${step}`}>
                        待同步
                      </Text>
                    )}
                    {isNext && <Text className='pstep__tap'>{busy === step ? '正在登记…' : '做完了点这里'}</Text>}
                  </View>
                  <Text className='pstep__time'>{rec ? formatBeijing(rec.at, 'HH:mm') : ''}</Text>
                </View>
                {isNext && (
                  <View className='pstep__side'>
                    {step === 'call_resident' && o.residentPhone && (
                      <View className='pstep__link pstep__link--call' onClick={phone} data-testid='step-call'>
                        <Icon name='phone' color='#ffffff' />
                        <Text>打电话</Text>
                      </View>
                    )}
                    <View className='pstep__link' onClick={() => openSheet({ type: 'skip', step })} data-testid='skip'>
                      <Text>跳过…</Text>
                    </View>
                  </View>
                )}
              </View>
            )
          })}
        </View>
      )}

      {/* Other endings at the door. */}
      {working && o.status === 'at_door' && due === 'picked_up' && (
        <View className='task__actions'>
          <Button size='large' block fill='outline' color='#d46b08' loading={busy === 'no_answer'} onClick={() => void noAnswer()} data-testid='no-answer'>
            无人应答，稍后再送
          </Button>
        </View>
      )}
      {working && queued.length === 0 && due === 'disinfect_again' && (
        <View className='task__actions task__endings'>
          <Text className='muted'>{stepLabel('disinfect_again')}后，没当面交给居民？选一种：</Text>
          <View className='task__ending-row'>
            <Button size='large' fill='outline' loading={busy === 'left_at_door'} onClick={() => void leaveAtDoor()} data-testid='left-at-door'>
              放门口
            </Button>
            {o.lines.length > 0 && (
              <Button size='large' fill='outline' onClick={() => openSheet({ type: 'partial' })} data-testid='partial'>
                部分缺货
              </Button>
            )}
          </View>
        </View>
      )}

      {mine && sealRestored(o) && (
        <View className='card task__photo' data-testid='seal-photo'>
          <Text className='task__section'>封条照片（可选）</Text>
          {o.sealPhoto ? (
            <OrderPhoto key={o.sealPhoto.fileId} orderId={o.id} className='task__photo-img' testid='seal-photo-img' />
          ) : (
            <Text className='muted'>拍一张恢复好的门封，社区可以看到。</Text>
          )}
          <Button size='large' block fill='outline' loading={busy === 'photo'} onClick={() => void sealPhoto()} data-testid='take-seal-photo'>
            {o.sealPhoto ? '重拍' : '拍封条照片'}
          </Button>
        </View>
      )}

      {(o.status === 'delivered' || o.status === 'confirmed') && (
        <View className='card task__done' data-testid='done'>
          <Text className='task__done-title'>✓ 已送达 · {OUTCOME_LABEL[o.outcome ?? 'handed']}</Text>
          {o.missing && o.missing.length > 0 && <Text className='task__note'>缺货：{o.missing.join('、')}</Text>}
          {o.status === 'confirmed' && <Text className='muted'>居民已确认收到</Text>}
          <View className='task__done-actions'>
            <Button size='large' type='primary' onClick={() => void Taro.reLaunch({ url: BOARD_PAGE })} data-testid='back-board'>
              回任务大厅
            </Button>
            <Button size='large' fill='outline' onClick={() => void Taro.redirectTo({ url: TASKS_PAGE })}>
              我的任务
            </Button>
          </View>
        </View>
      )}
      {o.status === 'cancelled' && (
        <View className='card'>
          <Text>居民已取消这个订单。</Text>
        </View>
      )}

      {sheet && (
        <View className='sheet' data-testid='sheet'>
          <View className='sheet__mask' onClick={() => setSheet(null)} />
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
                <Button size='large' block type='primary' loading={busy === `skip-${sheet.step}`} onClick={() => void confirmSkip(sheet.step)} data-testid='confirm-skip'>
                  确认跳过
                </Button>
              </>
            )}
            {sheet.type === 'partner' && (
              <>
                <Text className='sheet__title'>和谁一起送？</Text>
                <Text className='muted sheet__hint'>搭档也能看到门牌和电话，帮您一起完成上门步骤。</Text>
                {squad.status === 'loading' && <PageLoading text='正在加载队员…' />}
                {squad.status === 'error' && !squad.data && <PageError message={squad.error?.message ?? ''} onRetry={squad.reload} />}
                {squad.data && (
                  <Chips
                    choices={squad.data.members
                      .filter((m) => !m.me)
                      .map((m) => ({ value: m.id, label: m.name, ...(m.gridLabel ? { hint: m.gridLabel } : {}), disabled: m.id === o.partner?.id }))}
                    value={o.partner?.id ?? null}
                    onChange={(pid) => void pickPartner(pid)}
                    testid='partner-choices'
                  />
                )}
                {squad.data && squad.data.members.filter((m) => !m.me).length === 0 && (
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
                <Button size='large' block type='danger' loading={busy === 'release'} onClick={() => void confirmRelease()} data-testid='confirm-release'>
                  确认退回
                </Button>
              </>
            )}
            {sheet.type === 'partial' && (
              <>
                <Text className='sheet__title'>哪些物品缺货没送到？</Text>
                <Chips
                  choices={o.lines.map((l) => ({ value: l.name, label: `${l.name}×${l.qty}${l.unit}` }))}
                  value={missing}
                  onChange={(n) => setMissing((m) => (m.includes(n) ? m.filter((x) => x !== n) : [...m, n]))}
                  testid='missing-lines'
                />
                <Text className='muted sheet__hint'>其余物品已送到，已{stepLabel('disinfect_again')}。居民会看到缺了什么。</Text>
                <Button size='large' block type='primary' loading={busy === 'partial'} onClick={() => void confirmPartial()} data-testid='confirm-partial'>
                  送达（部分缺货）
                </Button>
              </>
            )}
            <View className='sheet__cancel' onClick={() => setSheet(null)}>
              <Text>取消</Text>
            </View>
          </View>
        </View>
      )}

      {/* Closing a refusal also fetches the order again: what it said is usually that the order moved on. */}
      <ErrorBar
        message={error}
        onClose={() => {
          setError(null)
          void q.reload()
        }}
      />
    </PageRoot>
  )
}

/** Orders I do not hold: who does, or (still open) a 接单 button. */
function NotMine({ order: o, busy, onClaim }: { order: OrderView; busy: boolean; onClaim: () => void }) {
  if (o.status === 'pending') {
    return (
      <View className='card task__notmine'>
        <Text>这个订单还没有人接。</Text>
        <View className='task__btn'>
          <Button size='large' block type='primary' loading={busy} onClick={onClaim} data-testid='claim'>
            接单
          </Button>
        </View>
      </View>
    )
  }
  return (
    <View className='card task__notmine' data-testid='not-mine'>
      <Text>{o.holder ? `这个订单由${o.holder.name}负责，您只能查看。` : '这个订单不在您手上。'}</Text>
    </View>
  )
}

/** What to bring: lines, the meal, the parcel, notes. */
function Details({ order: o, now }: { order: OrderView; now: number }) {
  return (
    <View className='card task__details' data-testid='details'>
      <Text className='task__section'>要送的东西</Text>
      {o.kind === 'supplies' &&
        o.lines.map((l, i) => (
          <View key={i} className='line'>
            <Text className='line__name'>
              {l.name}
              {l.prescription && <Text className='squad-badge squad-badge--hold'>处方药，带上处方</Text>}
            </Text>
            <Text className='line__qty'>
              ×{l.qty}
              {l.unit}
            </Text>
            {l.note && <Text className='line__note'>{l.note}</Text>}
            {l.photo && (
              <View className='line__photo-row'>
                <OrderPhoto key={l.photo} orderId={o.id} line={i} className='line__photo' testid={`line-photo-${i}`} />
                <Text className='line__note'>居民拍的药盒，照着买；点开看大图</Text>
              </View>
            )}
          </View>
        ))}
      {o.kind === 'meal' && o.meal && (
        <View>
          <Text className='task__kv'>饭菜：{o.meal.dish}</Text>
          <Text className='task__kv'>
            用餐：
            {o.meal.at ? dayTimeLabel(o.meal.at, now) : o.meal.date}
            {o.meal.slot !== 'exact' ? ` ${MEAL_SLOTS[o.meal.slot].label}` : ''}
          </Text>
          {o.meal.dietary.length > 0 && <Text className='task__kv'>忌口：{o.meal.dietary.join('、')}</Text>}
        </View>
      )}
      {o.kind === 'handover' && o.handover && (
        <View>
          <Text className='task__kv'>谁送来：{o.handover.bringer}</Text>
          <Text className='task__kv'>物品：{o.handover.items}</Text>
          <Text className='task__kv'>预计到门岗：{dayTimeLabel(o.handover.expectedAt, now)}</Text>
        </View>
      )}
      {o.kind === 'garbage' && <Text className='task__kv'>上门收走生活垃圾（居民放在门口）</Text>}
      {o.notes && <Text className='task__notes'>备注：{o.notes}</Text>}
      {o.placedBy.role === 'squad' && <Text className='muted task__kv'>{o.placedBy.name}代下单</Text>}
    </View>
  )
}
