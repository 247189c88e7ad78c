/**
 * One order, live: when it will arrive (due time and window, the 加急 reason, for a hand-over the gate
 * time and the parcel hold countdown), the steps from 下单 to 已确认 with times, who has it, a call
 * button while it is active, cancel while nobody has claimed it, 收到啦 once delivered, then a 1–5
 * star rating. 再来一单 opens the order form filled from this order for review.
 */
import { Text, Textarea, View } from '@tarojs/components'
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro'
import { Button, Rate } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/rate/style/css'
import { useEffect, useState } from 'react'
import { Chips } from '../../../components/chips'
import { PageRoot } from '../../../components/large-text'
import { PageError, PageLoading } from '../../../components/page-state'
import { StatusTag } from '../../../components/status-tag'
import { arrivalLines, arrivalTicks } from '../../../core/order/arrival'
import { eventLabel, kindLabel } from '../../../core/order/labels'
import { orderSummary } from '../../../core/order/summary'
import { ACTIVE_STATUSES, type OrderEventName } from '../../../core/order/types'
import { formatBeijing } from '../../../core/time'
import type { OrderView } from '../../../core/views'
import { orderShareCard } from '../../../core/notify/share'
import { useLiveReload } from '../../../client/live'
import { usePolling } from '../../../client/use-polling'
import { useMutation, useQuery } from '../../../client/use-query'
import './index.scss'

/** Each milestone with the events that reach it (the doorstep protocol's last step delivers too). */
const MILESTONES: { event: OrderEventName; also?: OrderEventName[]; label: string }[] = [
  { event: 'place', label: '下单' },
  { event: 'claim', also: ['assign'], label: '已接单' },
  { event: 'depart', label: '配送中' },
  { event: 'call_resident', label: '请取物' },
  { event: 'deliver', also: ['disinfect_again'], label: '已送达' },
  { event: 'confirm', label: '已确认' },
]

function lastAt(o: OrderView, e: OrderEventName, also: readonly OrderEventName[] = []): number | undefined {
  for (let i = o.timeline.length - 1; i >= 0; i--) {
    const t = o.timeline[i]!
    if (t.event === e || also.includes(t.event)) return t.at
  }
  return undefined
}

export default function OrderDetail() {
  const { id = '' } = useRouter().params
  const q = useQuery('order.get', { id })
  // Forwarding to family: a card with the order's kind only, opening this page.
  useShareAppMessage(() => orderShareCard(id, q.data?.kind ?? 'supplies'))
  const active = q.data ? ACTIVE_STATUSES.includes(q.data.status) : false
  // Live: a status change (e.g. 已送达) shows at once; slow polling is the fallback.
  useLiveReload(q.data?.householdId ? { householdIds: [q.data.householdId] } : null, q.reload)
  usePolling(q.reload, 15_000, active)
  const cancel = useMutation('order.cancel')
  const confirm = useMutation('order.confirm')
  const rate = useMutation('order.rate')
  const [stars, setStars] = useState(0)
  const [comment, setComment] = useState('')
  // The arrival lines are relative to now: a hold countdown ticks every second, the rest every 30 s.
  const [now, setNow] = useState(Date.now())
  const ticks = q.data ? arrivalTicks(q.data, now) : false
  useEffect(() => {
    if (!active) return
    const t = setInterval(() => setNow(Date.now()), ticks ? 1000 : 30_000)
    return () => clearInterval(t)
  }, [active, ticks])

  if (q.status === 'loading') return <PageRoot><PageLoading /></PageRoot>
  if (!q.data) return <PageRoot><PageError message={q.error?.message ?? ''} code={q.error?.code} onRetry={q.reload} /></PageRoot>
  const o = q.data

  const doCancel = async () => {
    const ok = await Taro.showModal({ title: '取消订单', content: '确定不要了吗？', confirmText: '取消订单', cancelText: '再想想' })
    if (ok.confirm && (await cancel.run({ id }))) void q.reload()
  }
  const doConfirm = async () => {
    if (await confirm.run({ id })) void q.reload()
  }
  // 再来一单 goes through the form: the resident reviews it (普通, quantities editable) and submits.
  const doRepeat = () => void Taro.navigateTo({ url: `/resident/pages/order/index?kind=${o.kind}&repeat=${o.id}` })
  const doRate = async () => {
    if (await rate.run({ id, stars, comment })) void q.reload()
  }
  const reached = (i: number) => {
    // A later milestone implies the earlier ones (rating confirms receipt).
    const idx = MILESTONES.map((m) => lastAt(o, m.event, m.also) !== undefined || (m.event === 'confirm' && o.rating))
    return idx.slice(i).some(Boolean)
  }
  const error = cancel.error ?? confirm.error ?? (rate.error && !rate.error.fields.comment ? rate.error : null)
  const repeatable = !active
  const arrival = arrivalLines(o, Math.max(now, Date.now()))

  return (
    <PageRoot className='order-detail'>
      <View className='card'>
        <View className='order-detail__head'>
          <Text className='order-detail__kind'>
            {kindLabel(o.kind)}
            {o.urgency === 'urgent' ? ' · 加急' : ''}
          </Text>
          <StatusTag status={o.status} />
        </View>
        <Text className='order-detail__summary'>{orderSummary(o)}</Text>
        {o.notes && <Text className='muted'>备注：{o.notes}</Text>}
        {o.outcome === 'left_at_door' && <Text className='order-detail__note'>东西放在您家门口了，请开门取一下。</Text>}
        {o.outcome === 'partial' && o.missing?.length ? (
          <Text className='order-detail__note'>缺货没送到：{o.missing.join('、')}</Text>
        ) : null}
      </View>

      {arrival.length > 0 && (
        <View className='card arrival' data-testid='arrival'>
          <Text className='arrival__title'>什么时候送到</Text>
          {arrival.map((l) => (
            <Text key={l.key} className={`arrival__line ${l.tone === 'warn' ? 'arrival__line--warn' : ''}`} data-testid={`arrival-${l.key}`}>
              {l.text}
            </Text>
          ))}
        </View>
      )}

      {o.status === 'cancelled' ? (
        <View className='card' data-testid='cancelled'>
          <Text>订单已取消（{formatBeijing(lastAt(o, 'cancel') ?? o.updatedAt)}）</Text>
        </View>
      ) : (
        <View className='card steps' data-testid='steps'>
          {MILESTONES.map((m, i) => {
            const at = lastAt(o, m.event, m.also)
            const done = reached(i)
            const by = m.event === 'claim' && o.holder ? ` · 社工 ${o.holder.name}` : ''
            return (
              <View key={m.event} className={`step ${done ? 'step--done' : ''}`} data-done={done ? '1' : '0'}>
                <View className='step__dot' />
                <Text className='step__label'>
                  {m.label}
                  {done ? by : ''}
                </Text>
                <Text className='step__time'>{at ? formatBeijing(at, 'HH:mm') : ''}</Text>
              </View>
            )
          })}
        </View>
      )}

      {o.timeline.some((t) => t.event === 'no_answer' || t.event === 'release') && (
        <View className='card'>
          {o.timeline
            .filter((t) => t.event === 'no_answer' || t.event === 'release')
            .map((t) => (
              <Text key={t.at} className='muted order-detail__log'>
                {formatBeijing(t.at, 'HH:mm')} {t.event === 'no_answer' ? '社工敲门无人应答，稍后再送' : `${eventLabel(t.event)}：${t.note ?? ''}`}
              </Text>
            ))}
        </View>
      )}

      <View className='order-detail__actions'>
        {error && <Text className='field-error'>{error.message}</Text>}
        {active && o.holderPhone && (
          <Button size='large' block onClick={() => void Taro.makePhoneCall({ phoneNumber: o.holderPhone! })}>
            📞 给社工{o.holder?.name}打电话
          </Button>
        )}
        {o.status === 'pending' && (
          <Button size='large' block type='default' loading={cancel.busy} onClick={doCancel}>
            取消订单
          </Button>
        )}
        {o.status === 'delivered' && (
          <Button size='large' block type='primary' loading={confirm.busy} onClick={doConfirm}>
            收到啦
          </Button>
        )}
        {repeatable && (
          <Button size='large' block type='default' onClick={doRepeat}>
            再来一单
          </Button>
        )}
      </View>

      {(o.status === 'delivered' || o.status === 'confirmed') && !o.rating && (
        <View className='card' data-testid='rate'>
          <Text className='form__label'>给这次服务打个分</Text>
          <View className='rate-stars' data-testid='rate-stars'>
            <Rate className='stars' value={stars} count={5} onChange={setStars} />
          </View>
          {stars > 0 && stars <= 2 && (
            <View>
              <Chips
                choices={['送得太慢', '东西不对', '态度不好', '没打电话'].map((c) => ({ value: c, label: c }))}
                value={comment}
                onChange={setComment}
              />
              <Text className='muted rate-hint'>打2星及以下请说说原因，社区会回访。</Text>
            </View>
          )}
          <Textarea
            className='form__textarea'
            value={comment}
            maxlength={200}
            placeholder='想说的话（可不填）'
            onInput={(e) => setComment(e.detail.value)}
          />
          {rate.error?.fields.comment && <Text className='field-error'>{rate.error.fields.comment}</Text>}
          <Button type='primary' size='large' block disabled={stars === 0} loading={rate.busy} onClick={doRate}>
            提交评价
          </Button>
        </View>
      )}
      {o.rating && (
        <View className='card' data-testid='rated'>
          <Text className='form__label'>您的评价</Text>
          <Rate className='stars' value={o.rating.stars} readOnly />
          {o.rating.comment && <Text className='muted'>{o.rating.comment}</Text>}
          {o.followUp && <Text className='order-detail__note'>社区会尽快回访您。</Text>}
        </View>
      )}
    </PageRoot>
  )
}
