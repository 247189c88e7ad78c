/**
 * 操作记录 (coordinator): who changed what in the community, newest first (coord.audit): register
 * edits and imports, assignments, settings, robots, exports, the squad, code printing. Filter by
 * kind with a tap; 30 a page with 加载更多.
 */
import { Text, View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useEffect, useState } from 'react'
import { call, CallError } from '../../../client/call'
import { Chips } from '../../../components/chips'
import { PageRoot } from '../../../components/large-text'
import { PageError, PageLoading } from '../../../components/page-state'
import { AUDIT_KINDS, auditKindLabel, type AuditItemView, type AuditKind } from '../../../core/audit'
import { formatBeijing } from '../../../core/time'
import './index.scss'

type Filter = AuditKind | 'all'
const FILTERS: { value: Filter; label: string }[] = [{ value: 'all', label: '全部' }, ...AUDIT_KINDS.map((k) => ({ value: k, label: auditKindLabel(k) }))]

export default function AuditLog() {
  const [kind, setKind] = useState<Filter>('all')
  const [items, setItems] = useState<AuditItemView[] | null>(null)
  const [next, setNext] = useState<string | null>(null)
  const [error, setError] = useState<CallError | null>(null)
  const [busy, setBusy] = useState(false)

  const load = async (cursor: string | null) => {
    setBusy(true)
    setError(null)
    try {
      const page = await call('coord.audit', { ...(kind !== 'all' ? { kind } : {}), ...(cursor ? { cursor } : {}) })
      setItems((old) => (cursor && old ? [...old, ...page.items] : page.items))
      setNext(page.next)
    } catch (e) {
      setError(e instanceof CallError ? e : new CallError('INTERNAL', '出了点问题，请稍后再试'))
    } finally {
      setBusy(false)
    }
  }
  useEffect(() => {
    setItems(null)
    setNext(null)
    void load(null)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind])

  return (
    <PageRoot className='audit'>
      <Text className='page__title'>操作记录</Text>
      <View className='audit__filters card'>
        <Chips choices={FILTERS} value={kind} onChange={setKind} testid='audit-kind' />
      </View>
      {items === null && !error ? (
        <PageLoading text='正在读取记录…' />
      ) : error && items === null ? (
        <PageError message={error.message} onRetry={() => void load(null)} />
      ) : items && items.length === 0 ? (
        <View className='card muted' data-testid='audit-empty'>
          {kind === 'all' ? '还没有操作记录。' : `还没有「${auditKindLabel(kind)}」的记录。`}
        </View>
      ) : (
        <View data-testid='audit-rows'>
          {items!.map((e) => (
            <View key={e.id} className='card audit__row' data-testid='audit-row' data-kind={e.kind}>
              <View className='audit__head'>
                <Text className='audit__action'>{e.actionLabel}</Text>
                <Text className='muted'>{formatBeijing(e.at)}</Text>
              </View>
              <Text className='audit__summary' data-testid='audit-summary'>
                {e.summary}
              </Text>
              <Text className='muted'>
                {e.system ? '系统自动' : e.actorName} · {e.kindLabel}
              </Text>
            </View>
          ))}
          {error && <Text className='field-error'>{error.message}</Text>}
          {next && (
            <Button block size='large' loading={busy} disabled={busy} onClick={() => void load(next)} data-testid='audit-more'>
              加载更多
            </Button>
          )}
        </View>
      )}
    </PageRoot>
  )
}
