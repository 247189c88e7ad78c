/**
 * The six doorstep steps, one big tap each, the next one highlighted, each with its time once done.
 * Steps kept on the phone without signal (the offline queue) show as 待同步 with the time of the tap.
 */
import { Text, View } from '@tarojs/components'
import { Icon } from '../../../components/icon'
import { stepRecord } from '../../../core/order/board'
import { PROTOCOL_STEPS, stepLabel, type ProtocolStep } from '../../../core/order/protocol'
import { formatBeijing } from '../../../core/time'
import type { OrderView } from '../../../core/views'
import type { QueuedStep } from '../../../client/step-queue'
import { callResident } from './head'

export function StepsCard(p: {
  order: OrderView
  /** This order's steps still waiting on the phone. */
  queued: readonly QueuedStep[]
  /** The step to tap next (after any queued ones), when I am working the order. */
  due: ProtocolStep | null
  working: boolean
  busy: string | null
  onStep: (step: ProtocolStep) => void
  onSkip: (step: ProtocolStep) => void
}) {
  const { order: o, queued, due, working } = p
  return (
    <View className='card task__steps' data-testid='steps'>
      <Text className='task__section'>上门步骤</Text>
      {o.status === 'claimed' && <Text className='muted task__steps-hint'>出发后按顺序一步一步点；确实做不了的步骤可以填写原因跳过。</Text>}
      {queued.length > 0 && (
        <Text className='task__pending-hint' data-testid='steps-pending'>
          没有信号，{queued.length}个步骤已记在手机上（待同步），有信号后自动登记，不用再点。
        </Text>
      )}
      {PROTOCOL_STEPS.map((step, i) => {
        const waiting = queued.find((q) => q.step === step)
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
              onClick={() => isNext && p.onStep(step)}
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
                {isNext && <Text className='pstep__tap'>{p.busy === step ? '正在登记…' : '做完了点这里'}</Text>}
              </View>
              <Text className='pstep__time'>{rec ? formatBeijing(rec.at, 'HH:mm') : ''}</Text>
            </View>
            {isNext && (
              <View className='pstep__side'>
                {step === 'call_resident' && o.residentPhone && (
                  <View className='pstep__link pstep__link--call' onClick={() => callResident(o)} data-testid='step-call'>
                    <Icon name='phone' color='#ffffff' />
                    <Text>打电话</Text>
                  </View>
                )}
                <View className='pstep__link' onClick={() => p.onSkip(step)} data-testid='skip'>
                  <Text>跳过…</Text>
                </View>
              </View>
            )}
          </View>
        )
      })}
    </View>
  )
}
