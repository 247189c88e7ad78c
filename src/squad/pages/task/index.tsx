/**
 * 上门: one order I hold. The door, what to bring, a call button while I hold it, then the work in
 * order: (parcels: 已到门岗, 已消杀 and the hold) → 出发 → the six doorstep steps, one big tap each, the
 * next one highlighted, each with its time once done; 跳过 needs a reason. Other endings: 无人应答
 * (try again later), 放门口 and 部分缺货 (the last step with an explicit outcome). 退回 while claimed.
 * A 代下单 may be taken back: 取消代下单 (the placer, unclaimed) or 重复下单 (proxy-cancel.tsx); with
 * `placed=1` this page is the proxy-order confirmation. Every refusal shows the server's Chinese message.
 *
 * The pieces: head.tsx (the door), details.tsx (what to bring / 接单), parcel.tsx, steps.tsx,
 * endings.tsx, proxy-cancel.tsx, sheets.tsx; actions run through useOrderAction (client/use-query.ts).
 */
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useState } from 'react'
import { CallError } from '../../../client/call'
import { pickPhoto } from '../../../client/photo'
import { useOrderAction, useQuery } from '../../../client/use-query'
import { isOfflineError } from '../../../client/step-queue'
import { useStepQueue } from '../../../client/use-step-queue'
import { sealPhotoFolder, sealRestored } from '../../../core/photo'
import { PageRoot } from '../../../components/large-text'
import { PageError, PageLoading } from '../../../components/page-state'
import { parcelState, stepRecord } from '../../../core/order/board'
import { orderNo } from '../../../core/order/duplicate'
import { DEFAULT_PARCEL_HOLD_MINUTES, nextStep, PROTOCOL_STEPS, type ProtocolStep } from '../../../core/order/protocol'
import { stepLabel } from '../../../core/order/labels'
import { ACTIVE_STATUSES } from '../../../core/order/types'
import { ErrorBar } from '../../shared/error-bar'
import { TASK_POLL_MS, useSquadLive } from '../../shared/live'
import { BOARD_PAGE } from '../../shared/nav'
import { useNow } from '../../shared/use-now'
import { Details, NotMine } from './details'
import { CancelledCard, DoneCard, NoAnswer, OtherEndings, SealPhotoCard } from './endings'
import { TaskHead } from './head'
import { ParcelCard } from './parcel'
import { ProxyCancelCard } from './proxy-cancel'
import type { ProxyCancelReason, Sheet } from './reasons'
import { TaskSheet } from './sheets'
import { StepsCard } from './steps'
import './index.scss'

export default function SquadTask() {
  const params = useRouter().params
  const id = params.id ?? ''
  const placed = params.placed === '1'
  const q = useQuery('order.get', { id })
  const me = useQuery('me.get', {})
  const squad = useQuery('squad.members', {})
  const holdMinutes = me.data?.squad?.parcelHoldMinutes ?? DEFAULT_PARCEL_HOLD_MINUTES
  const act = useOrderAction(id, { onStale: () => void q.reload() })
  const [sheet, setSheet] = useState<Sheet>(null)
  // Steps tapped without signal: kept on the phone (待同步) and sent when the connection returns.
  const sq = useStepQueue({
    onSent: (v) => {
      act.accept(v)
      // Reopened without signal: the page could not load; now it can.
      if (q.status === 'error') void q.reload()
      if (!me.data) void me.reload()
    },
    onRefused: (r) => {
      act.setError(r.message)
      void q.reload()
    },
  })

  // The newer of what the page fetched and what the last action answered.
  const o = act.latest(q.data)
  const active = o ? ACTIVE_STATUSES.includes(o.status) : false
  useSquadLive(me.data?.squad?.communityId, q.reload, TASK_POLL_MS, active && sheet === null)
  const now = useNow(1000)

  if (q.status === 'loading' || me.status === 'loading') return <PageRoot><PageLoading /></PageRoot>
  if (!o) return <PageRoot><PageError message={q.error?.message ?? ''} code={q.error?.code} onRetry={q.reload} /></PageRoot>
  if (!me.data) return <PageRoot><PageError message={me.error?.message ?? ''} code={me.error?.code} onRetry={me.reload} /></PageRoot>

  const myId = me.data.id
  const mine = o.holder?.id === myId || o.partner?.id === myId
  const parcel = parcelState(o, now)
  // Queued steps not yet on the server count as done here; the next step follows the last of them.
  const queued = sq.items.filter((p) => p.orderId === id && !stepRecord(o, p.step))
  const lastQueued = queued.at(-1)
  const due = lastQueued ? (PROTOCOL_STEPS[PROTOCOL_STEPS.indexOf(lastQueued.step) + 1] ?? null) : nextStep(o)
  const working = mine && (o.status === 'delivering' || o.status === 'at_door')
  const busy = act.busy

  const openSheet = (s: Sheet) => {
    act.setError(null)
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
    let kept = false
    const v = await act.run(skipReason ? `skip-${step}` : step, 'order.step', { id, step, ...(skipReason ? { skipReason } : {}) }, {
      intercept: (err) => {
        if (!isOfflineError(err)) return false
        sq.add(item)
        kept = true
        return true
      },
    })
    return v !== null || kept
  }
  const confirmSkip = async (step: ProtocolStep, skipReason: string) => {
    if (await tapStep(step, skipReason)) setSheet(null)
  }
  const confirmRelease = async (reason: string) => {
    if (await act.run('release', 'order.release', { id, reason })) {
      setSheet(null)
      void Taro.showToast({ title: '已退回任务大厅', icon: 'none' })
      void Taro.redirectTo({ url: BOARD_PAGE })
    }
  }
  const confirmPartial = async (missing: string[]) => {
    if (await act.run('partial', 'order.deliver', { id, outcome: 'partial', missing })) setSheet(null)
  }
  const confirmCancelProxy = async (reason: ProxyCancelReason) => {
    const v = await act.run(`cancel-${reason}`, 'order.cancelProxy', { id, reason })
    if (!v) return
    setSheet(null)
    void Taro.showToast({ title: v.duplicateOf ? `已取消，保留订单${orderNo(v.duplicateOf)}` : '已取消代下单', icon: 'none' })
  }
  const leaveAtDoor = async () => {
    const ok = await Taro.showModal({ title: '放门口', content: `东西放在门口，已${stepLabel('disinfect_again')}？居民会收到通知。`, confirmText: '放好了' })
    if (ok.confirm) void act.run('left_at_door', 'order.deliver', { id, outcome: 'left_at_door' })
  }
  const noAnswer = async () => {
    const ok = await Taro.showModal({ title: '无人应答', content: '居民会收到通知，这单留在您手上，稍后再送。', confirmText: '确定' })
    if (ok.confirm) void act.run('no_answer', 'order.advance', { id, event: 'no_answer' })
  }
  const pickPartner = async (partnerId: string) => {
    if (await act.run(`partner-${partnerId}`, 'order.addPartner', { id, partnerId })) setSheet(null)
  }
  const sealPhoto = async () => {
    if (busy) return
    act.setError(null)
    let fileId: string | null
    act.setBusy('photo')
    try {
      fileId = (await pickPhoto(sealPhotoFolder(id)))?.fileId ?? null
    } catch (e) {
      act.setError(e instanceof CallError ? e.message : '照片没传上去，请再试一次')
      return
    } finally {
      act.setBusy(null)
    }
    if (fileId) await act.run('photo', 'order.sealPhoto', { id, fileId })
  }

  return (
    <PageRoot className='task'>
      <TaskHead order={o} now={now} myId={myId} mine={mine} active={active} onPickPartner={() => openSheet({ type: 'partner' })} />

      <ProxyCancelCard order={o} myId={myId} placed={placed} onOpen={(reason) => openSheet({ type: 'cancel', reason })} />

      {!mine && <NotMine order={o} busy={busy === 'claim'} onClaim={() => void act.run('claim', 'order.claim', { id })} />}

      <Details order={o} now={now} />

      {o.kind === 'handover' && (active || o.disinfectedAt !== undefined || o.parcelArrivedAt !== undefined) && (
        <ParcelCard
          order={o}
          parcel={parcel}
          holdMinutes={holdMinutes}
          canAct={mine && o.status === 'claimed'}
          busy={busy}
          onArrived={() => void act.run('arrived', 'order.parcelArrived', { id })}
          onDisinfected={() => void act.run('disinfect', 'order.disinfectParcel', { id })}
        />
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
            onClick={() => void act.run('depart', 'order.advance', { id, event: 'depart' })}
            data-testid='depart'
          >
            {parcel.state === 'holding' ? `静置中，${parcel.label.replace('还需静置 ', '')}后可出发` : '出发'}
          </Button>
          <Button size='large' block fill='outline' onClick={() => openSheet({ type: 'release' })} data-testid='release'>
            退回
          </Button>
        </View>
      )}

      {o.status !== 'pending' && o.status !== 'cancelled' && (
        <StepsCard
          order={o}
          queued={queued}
          due={due}
          working={working}
          busy={busy}
          onStep={(step) => void tapStep(step)}
          onSkip={(step) => openSheet({ type: 'skip', step })}
        />
      )}

      {working && o.status === 'at_door' && due === 'picked_up' && <NoAnswer busy={busy === 'no_answer'} onNoAnswer={() => void noAnswer()} />}
      {working && queued.length === 0 && due === 'disinfect_again' && (
        <OtherEndings order={o} busy={busy} onLeftAtDoor={() => void leaveAtDoor()} onPartial={() => openSheet({ type: 'partial' })} />
      )}

      {mine && sealRestored(o) && <SealPhotoCard order={o} busy={busy === 'photo'} onTake={() => void sealPhoto()} />}

      {(o.status === 'delivered' || o.status === 'confirmed') && <DoneCard order={o} />}
      {o.status === 'cancelled' && <CancelledCard order={o} />}

      {sheet && (
        <TaskSheet
          key={JSON.stringify(sheet)}
          sheet={sheet}
          order={o}
          busy={busy}
          squad={squad}
          onClose={() => setSheet(null)}
          onProblem={(m) => act.setError(m)}
          onSkip={(step, reason) => void confirmSkip(step, reason)}
          onRelease={(reason) => void confirmRelease(reason)}
          onPartial={(missing) => void confirmPartial(missing)}
          onPartner={(pid) => void pickPartner(pid)}
          onCancelProxy={(reason) => void confirmCancelProxy(reason)}
        />
      )}

      {/* Closing a refusal also fetches the order again: what it said is usually that the order moved on. */}
      <ErrorBar
        message={act.error?.message ?? null}
        onClose={() => {
          act.setError(null)
          void q.reload()
        }}
      />
    </PageRoot>
  )
}
