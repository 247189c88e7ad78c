/**
 * New order: supplies, a meal, a family hand-over or garbage pickup. The address is the
 * household's and is never typed. One request id per visit: a double tap or a retry after a
 * network error returns the same order instead of creating a second one.
 *
 * 再来一单: `repeat=<orderId>` fills the form from that order (formFromOrder: 普通, no 加急 reason,
 * 暂缺 items left out) for the resident to review; submitting places a new order with this visit's id.
 *
 * 代下单: the squad opens this page with `for=<householdId>&label=<door>` (squad/pages/proxy); the
 * server checks the household is in the member's community and records who placed the order.
 */
import { Text, Textarea, View, Input } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useEffect, useRef, useState } from 'react'
import { Chips } from '../../../components/chips'
import { PageRoot } from '../../../components/large-text'
import { PageError, PageLoading } from '../../../components/page-state'
import { kindLabel } from '../../../core/order/labels'
import type { DeliveryWindow, OrderKind, Urgency } from '../../../core/order/types'
import { newRequestId } from '../../../client/call'
import { askOnTap } from '../../../client/subscribe'
import { useMutation, useQuery } from '../../../client/use-query'
import { basketCount, emptyForm, formFromOrder, notesCount, toPlaceInput, type OrderForm } from './form'
import { MAX_NOTES } from '../../../core/schemas'
import { HandoverForm } from './handover'
import { MealPicker } from './meal'
import { SuppliesPicker } from './supplies'
import './index.scss'

const KINDS: OrderKind[] = ['supplies', 'meal', 'handover', 'garbage']
const URGENT_REASONS = ['药快吃完了', '婴儿奶粉', '低血糖', '身体不舒服']
const WINDOWS: { value: DeliveryWindow; label: string }[] = [
  { value: 'asap', label: '尽快' },
  { value: 'morning', label: '上午' },
  { value: 'afternoon', label: '下午' },
  { value: 'evening', label: '晚上' },
]

export default function NewOrder() {
  const params = useRouter().params
  const kind = KINDS.includes(params.kind as OrderKind) ? (params.kind as OrderKind) : 'supplies'
  const proxyFor = params.for ? decodeURIComponent(params.for) : null
  const proxyLabel = params.label ? decodeURIComponent(params.label) : ''
  const repeatId = params.repeat ? decodeURIComponent(params.repeat) : null
  const [form, setForm] = useState<OrderForm>(() => emptyForm(kind))
  const requestId = useRef(newRequestId())
  const me = useQuery('me.get', {})
  const catalog = useQuery('catalog.get', {}, { enabled: kind === 'supplies' })
  const source = useQuery('order.get', { id: repeatId ?? '' }, { enabled: !!repeatId })
  const [filled, setFilled] = useState<{ dropped: string[] } | null>(null)
  // 再来一单: fill once, when the old order (and for supplies the catalog, to leave out 暂缺) is here.
  useEffect(() => {
    if (filled || !source.data || (kind === 'supplies' && catalog.status !== 'ready')) return
    const r = formFromOrder(source.data, catalog.data ?? null)
    setForm(r.form)
    setFilled({ dropped: r.dropped })
  }, [filled, source.data, catalog.status, catalog.data, kind])
  const place = useMutation('order.place')
  // Subscribe-message templates to ask consent for on the 提交 tap (weapp only; none on H5).
  const templates = useQuery('notify.templates', {})
  const set = (f: (prev: OrderForm) => OrderForm) => {
    setForm(f)
    place.clearError()
  }
  const fieldError = (path: string) => place.error?.fields[path]

  const notes = notesCount(form.notes)
  const [notesRefused, setNotesRefused] = useState(false)

  const submit = async () => {
    // Too long a note: kept as pasted, marked, and not sent until it is shortened.
    if (notes.over > 0) return setNotesRefused(true)
    setNotesRefused(false)
    askOnTap(templates.data?.askOnOrder)
    const input = toPlaceInput(form, requestId.current, Date.now())
    const order = await place.run(proxyFor ? { ...input, householdId: proxyFor } : input)
    if (order && proxyFor) {
      // The confirmation is the squad's task page: 回任务大厅, or take it back (取消代下单 / 重复下单).
      void Taro.showToast({ title: '已代下单', icon: 'success' })
      void Taro.redirectTo({ url: `/squad/pages/task/index?id=${encodeURIComponent(order.id)}&placed=1` })
    } else if (order) {
      void Taro.showToast({ title: '已提交', icon: 'success' })
      void Taro.redirectTo({ url: `/resident/pages/detail/index?id=${order.id}&placed=1` })
    }
  }

  if (me.status === 'loading' || (repeatId && source.status === 'loading')) return <PageRoot><PageLoading /></PageRoot>
  if (me.status === 'error') return <PageRoot><PageError message={me.error.message} code={me.error.code} onRetry={me.reload} /></PageRoot>
  const household = me.data.households[0]
  const count = basketCount(form)

  return (
    <PageRoot className='order-form'>
      <Text className='page__title'>{kindLabel(kind)}</Text>
      <Text className='page__subtitle' data-testid='deliver-to'>
        {proxyFor
          ? `代下单 · 送到：${proxyLabel}`
          : `送到：${household ? `${household.communityName} ${household.label}` : '未绑定住户'}`}
      </Text>
      {filled && (
        <View className='card order-form__repeat' data-testid='repeat-note'>
          <Text>照上次的订单填好了，请核对数量，再点下面的「提交」。</Text>
          {filled.dropped.length > 0 && <Text className='order-form__dropped'>暂缺，没有带上：{filled.dropped.join('、')}</Text>}
        </View>
      )}
      {repeatId && source.status === 'error' && <Text className='field-error'>上次的订单没找到，请直接选择：{source.error.message}</Text>}

      {kind === 'supplies' &&
        (catalog.status === 'ready' ? (
          <SuppliesPicker categories={catalog.data.categories} form={form} set={set} fieldError={fieldError} />
        ) : catalog.status === 'error' ? (
          <PageError message={catalog.error.message} code={catalog.error.code} onRetry={catalog.reload} />
        ) : (
          <PageLoading text='正在加载物品清单…' />
        ))}
      {kind === 'meal' && <MealPicker form={form} set={set} fieldError={fieldError} now={Date.now()} />}
      {kind === 'handover' && <HandoverForm form={form} set={set} fieldError={fieldError} />}
      {kind === 'garbage' && (
        <View className='card'>
          <Text>请把垃圾袋扎紧放在门口，社工上门时会电话通知您。</Text>
        </View>
      )}

      <View className='card'>
        <Text className='form__label'>紧急程度</Text>
        <Chips<Urgency>
          testid='urgency'
          choices={[
            { value: 'normal', label: '普通' },
            { value: 'urgent', label: '加急' },
          ]}
          value={form.urgency}
          onChange={(u) => set((f) => ({ ...f, urgency: u }))}
        />
        {form.urgency === 'urgent' && (
          <View className='urgent-reason'>
            <Text className='form__label'>为什么急</Text>
            <Chips
              testid='urgent-reason'
              choices={URGENT_REASONS.map((r) => ({ value: r, label: r }))}
              value={form.urgentReason}
              onChange={(r) => set((f) => ({ ...f, urgentReason: r }))}
            />
            <Input
              className='form__input'
              value={URGENT_REASONS.includes(form.urgentReason) ? '' : form.urgentReason}
              maxlength={30}
              placeholder='其他原因'
              onInput={(e) => set((f) => ({ ...f, urgentReason: e.detail.value }))}
            />
            {fieldError('urgentReason') && <Text className='field-error'>{fieldError('urgentReason')}</Text>}
          </View>
        )}
      </View>

      {kind !== 'meal' && kind !== 'handover' && (
        <View className='card'>
          <Text className='form__label'>希望什么时候送到</Text>
          <Chips testid='window' choices={WINDOWS} value={form.window} onChange={(w) => set((f) => ({ ...f, window: w }))} />
        </View>
      )}

      <View className='card'>
        <Text className='form__label'>备注（可不填）</Text>
        <Textarea
          className={`form__textarea ${notes.over > 0 ? 'form__textarea--over' : ''}`}
          value={form.notes}
          maxlength={5000}
          placeholder='比如：放门口就行 / 大米要5斤装的'
          onInput={(e) => set((f) => ({ ...f, notes: e.detail.value }))}
          data-testid='notes'
        />
        <View className='form__counter-row'>
          <Text className={`form__counter ${notes.over > 0 ? 'form__counter--over' : ''}`} data-testid='notes-counter'>
            {notes.count}/{MAX_NOTES}
          </Text>
        </View>
        {notes.over > 0 && (
          <View className='form__overflow' data-testid='notes-overflow'>
            <Text className='field-error'>{notes.message}</Text>
            <Text className='form__overflow-label'>多出来的部分：</Text>
            <Text className='form__overflow-text'>{notes.overflow}</Text>
          </View>
        )}
        {fieldError('notes') && <Text className='field-error'>{fieldError('notes')}</Text>}
      </View>

      <View className='order-form__submit'>
        {notesRefused && notes.over > 0 && (
          <Text className='field-error' data-testid='notes-refused'>
            没有提交：{notes.message}
          </Text>
        )}
        {place.error && (
          <Text className='field-error' data-testid='submit-error'>
            {/* The same request id goes again: a second tap can never make a second order. */}
            {place.error.code === 'NETWORK.UNREACHABLE'
              ? '网络不太好，请再点一次「提交」，不会重复下单'
              : place.error.code === 'CLOUD.TIMEOUT'
                ? '服务响应太慢，请再点一次「提交」，不会重复下单'
                : place.error.message}
          </Text>
        )}
        <Button type='primary' size='large' block loading={place.busy} disabled={place.busy} onClick={submit}>
          {kind === 'supplies' ? (count ? `提交订单（${count}样）` : '提交订单') : '提交'}
        </Button>
      </View>
    </PageRoot>
  )
}
