/**
 * 台账 (coordinator): every order of the community by date, building, type and status, chosen by
 * taps; 50 rows a page with 加载更多; 导出 Excel makes the XLSX of the same filter and opens it
 * (H5: the browser downloads it; weapp: downloadFile + openDocument, where it can be forwarded).
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useEffect, useState } from 'react'
import { call, CallError } from '../../../client/call'
import { useMutation, useQuery } from '../../../client/use-query'
import { Chips } from '../../../components/chips'
import { PageRoot } from '../../../components/large-text'
import { PageError, PageLoading } from '../../../components/page-state'
import type { LedgerFilters, LedgerRow } from '../../../core/ledger'
import type { OrderKind, OrderStatus } from '../../../core/order/types'
import { addBeijingDays, beijingDate } from '../../../core/time'
import './index.scss'

type Span = 'today' | 'week' | 'month'
const SPANS: { value: Span; label: string; days: number }[] = [
  { value: 'today', label: '今天', days: 1 },
  { value: 'week', label: '近7天', days: 7 },
  { value: 'month', label: '近30天', days: 30 },
]
const KINDS: { value: OrderKind | 'all'; label: string }[] = [
  { value: 'all', label: '全部类型' },
  { value: 'supplies', label: '生活物资' },
  { value: 'meal', label: '订餐' },
  { value: 'handover', label: '家属送物' },
  { value: 'garbage', label: '清运垃圾' },
]
const STATUSES: { value: OrderStatus | 'all'; label: string }[] = [
  { value: 'all', label: '全部状态' },
  { value: 'pending', label: '待接单' },
  { value: 'claimed', label: '已接单' },
  { value: 'delivering', label: '配送中' },
  { value: 'delivered', label: '已送达' },
  { value: 'confirmed', label: '已确认' },
  { value: 'cancelled', label: '已取消' },
]

export default function Ledger() {
  const stats = useQuery('coord.stats', {})
  const [span, setSpan] = useState<Span>('week')
  const [building, setBuilding] = useState('all')
  const [kind, setKind] = useState<OrderKind | 'all'>('all')
  const [status, setStatus] = useState<OrderStatus | 'all'>('all')
  const [rows, setRows] = useState<LedgerRow[] | null>(null)
  const [next, setNext] = useState<string | null>(null)
  const [error, setError] = useState<CallError | null>(null)
  const [busy, setBusy] = useState(false)
  const exporter = useMutation('coord.exportLedger')
  const [exported, setExported] = useState('')

  const now = Date.now()
  const filters: LedgerFilters = {
    from: addBeijingDays(now, -(SPANS.find((s) => s.value === span)!.days - 1)),
    to: beijingDate(now),
    ...(building !== 'all' ? { buildingId: building } : {}),
    ...(kind !== 'all' ? { kind } : {}),
    ...(status !== 'all' ? { status } : {}),
  }
  const key = JSON.stringify(filters)

  const load = async (cursor: string | null) => {
    setBusy(true)
    setError(null)
    try {
      const page = await call('coord.ledger', { ...filters, ...(cursor ? { cursor } : {}) })
      setRows((r) => (cursor && r ? [...r, ...page.rows] : page.rows))
      setNext(page.next)
    } catch (e) {
      setError(e instanceof CallError ? e : new CallError('INTERNAL', '出了点问题，请稍后再试'))
    } finally {
      setBusy(false)
    }
  }
  useEffect(() => {
    setRows(null)
    setExported('')
    void load(null)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])

  const exportXlsx = async () => {
    setExported('')
    const r = await exporter.run(filters)
    if (!r) return
    if (process.env.TARO_ENV === 'h5') {
      const a = document.createElement('a')
      a.href = r.url
      a.download = r.fileName
      a.click()
    } else {
      const file = await Taro.downloadFile({ url: r.url })
      await Taro.openDocument({ filePath: file.tempFilePath, fileType: 'xlsx', showMenu: true })
    }
    setExported(`已导出 ${r.rows} 单：${r.fileName}`)
  }

  const buildings = stats.data?.byBuilding ?? []

  return (
    <PageRoot className='ledger'>
      <Text className='page__title'>台账</Text>
      <View className='ledger__filters card'>
        <Chips choices={SPANS.map((s) => ({ value: s.value, label: s.label }))} value={span} onChange={setSpan} testid='ledger-span' />
        <Chips
          choices={[{ value: 'all', label: '全部楼栋' }, ...buildings.map((b) => ({ value: b.buildingId, label: b.building }))]}
          value={building}
          onChange={setBuilding}
          testid='ledger-building'
        />
        <Chips choices={KINDS} value={kind} onChange={setKind} testid='ledger-kind' />
        <Chips choices={STATUSES} value={status} onChange={setStatus} testid='ledger-status' />
      </View>

      <Button type='primary' block size='large' loading={exporter.busy} disabled={exporter.busy || rows?.length === 0} onClick={() => void exportXlsx()} data-testid='ledger-export'>
        导出 Excel
      </Button>
      {exporter.error && <Text className='field-error'>{exporter.error.message}</Text>}
      {exported && (
        <Text className='ledger__exported' data-testid='ledger-exported'>
          {exported}
        </Text>
      )}

      {rows === null && !error ? (
        <PageLoading text='正在查询…' />
      ) : error && rows === null ? (
        <PageError message={error.message} code={error.code} onRetry={() => void load(null)} />
      ) : rows && rows.length === 0 ? (
        <View className='card muted' data-testid='ledger-empty'>
          这段时间没有符合条件的订单。
        </View>
      ) : (
        <View data-testid='ledger-rows'>
          <Text className='muted ledger__count'>
            {filters.from} 至 {filters.to} · 已显示 {rows!.length} 单{next ? '（还有更多）' : ''}
          </Text>
          {rows!.map((r) => (
            <View key={r.id} className='card ledger__row' data-testid='ledger-row' data-order-id={r.id}>
              <View className='ledger__head'>
                <Text className='ledger__door'>
                  {r.building}
                  {r.unit}单元{r.room}
                </Text>
                <Text className='ledger__status'>{r.status}</Text>
              </View>
              <Text>
                {r.kind}：{r.items}
                {r.urgent && <Text className='ledger__urgent'> 加急</Text>}
              </Text>
              <Text className='muted'>
                下单 {r.placedAt.slice(5)}
                {r.claimedAt && ` · 接单 ${r.claimedAt.slice(11)}`}
                {r.deliveredAt && ` · 送达 ${r.deliveredAt.slice(11)}`}
                {r.worker && ` · ${r.worker}`}
                {r.rating && ` · ${r.rating}`}
              </Text>
            </View>
          ))}
          {error && <Text className='field-error'>{error.message}</Text>}
          {next && (
            <Button block size='large' loading={busy} disabled={busy} onClick={() => void load(next)} data-testid='ledger-more'>
              加载更多
            </Button>
          )}
        </View>
      )}
    </PageRoot>
  )
}
