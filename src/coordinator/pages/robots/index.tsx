/**
 * 群通知 (coordinator): a WeCom group robot per group — the community group, the staff group, each
 * building. Set or clear its webhook (shown masked; the full URL never comes back), send a test,
 * send a notice, or 复制群公告 for groups without a robot; and the log of what went where.
 */
import { Text, Textarea, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css'
import { useRef, useState } from 'react'
import { newRequestId } from '../../../client/call'
import { useMutation, useQuery } from '../../../client/use-query'
import type { DeliveryState } from '../../../core/notify/types'
import type { RobotView } from '../../../core/notify/views'
import { formatBeijing } from '../../../core/time'
import { Chips } from '../../../components/chips'
import { PageRoot } from '../../../components/large-text'
import { PageEmpty, PageError, PageLoading } from '../../../components/page-state'
import './index.scss'

const STATUS_LABEL: Record<DeliveryState, string> = { pending: '待发送', sent: '已发送', failed: '失败', skipped: '未发送' }
const FALLBACK: Record<NonNullable<RobotView['fallback']>, string> = {
  community: '未设置，消息发到社区群',
  local_sink: '未设置，本机演示：消息在 /dev/groups 查看',
}

export default function Robots() {
  const robots = useQuery('robot.list', {})
  const log = useQuery('robot.log', { limit: 30 })
  const set = useMutation('robot.set')
  const test = useMutation('robot.test')
  const notice = useMutation('robot.notice')
  const announce = useMutation('notify.announcement')
  const [editing, setEditing] = useState<string | null>(null)
  const [url, setUrl] = useState('')
  const [scope, setScope] = useState<string>('community')
  const [text, setText] = useState('')
  const [done, setDone] = useState('')
  // One request id per notice: a resend after a timeout posts it once (a new one after each success).
  const noticeRequest = useRef(newRequestId())

  const refresh = () => {
    void robots.reload()
    setTimeout(() => void log.reload(), 800) // the dispatcher posts right after queueing
  }
  const save = async (s: string, value: string) => {
    if (await set.run({ scope: s, url: value })) {
      setEditing(null)
      setUrl('')
      refresh()
    }
  }
  const sendTest = async (s: string) => {
    setDone('')
    if (await test.run({ scope: s })) {
      setDone('测试消息已发出')
      refresh()
    }
  }
  const sendNotice = async () => {
    setDone('')
    if (await notice.run({ scope, text, requestId: noticeRequest.current })) {
      noticeRequest.current = newRequestId()
      setDone('通知已发出')
      setText('')
      refresh()
    }
  }
  const copyNotice = async () => {
    setDone('')
    const r = await announce.run({ text })
    if (r) {
      await Taro.setClipboardData({ data: r.text })
      setDone('已复制，可以粘贴到微信群')
    }
  }

  if (robots.status === 'loading') return <PageRoot><PageLoading text='正在加载群设置…' /></PageRoot>
  if (!robots.data) return <PageRoot><PageError message={robots.error?.message ?? ''} code={robots.error?.code} onRetry={robots.reload} /></PageRoot>
  const noticeError = notice.error ?? announce.error

  return (
    <PageRoot className='robots'>
      <Text className='page__title'>群通知</Text>
      <Text className='page__subtitle'>每个群可以接一个企业微信群机器人。群消息里不会出现居民姓名、门牌号和电话。</Text>

      <View className='card' data-testid='robot-list'>
        {robots.data.robots.map((r) => (
          <View key={r.scope} className='robots__row' data-testid='robot' data-scope={r.scope} data-configured={r.configured}>
            <View className='robots__row-head'>
              <Text className='robots__label'>{r.label}</Text>
              <Text className={`robots__state ${r.configured ? 'robots__state--on' : ''}`}>{r.configured ? '已接机器人' : '未设置'}</Text>
            </View>
            <Text className='muted robots__url'>{r.configured ? r.url : r.fallback ? FALLBACK[r.fallback] : '未设置，这个群收不到消息'}</Text>
            {editing === r.scope ? (
              <View className='robots__edit'>
                <View className='robots__input'>
                  <Input value={url} onChange={setUrl} placeholder='粘贴机器人的 Webhook 地址' clearable data-testid='robot-url' />
                </View>
                {set.error && <Text className='field-error'>{set.error.fields.url ?? set.error.message}</Text>}
                <View className='robots__buttons'>
                  <Button type='primary' loading={set.busy} onClick={() => void save(r.scope, url)} data-testid='robot-save'>
                    保存
                  </Button>
                  <Button fill='outline' onClick={() => setEditing(null)}>
                    取消
                  </Button>
                </View>
              </View>
            ) : (
              <View className='robots__buttons'>
                <Button size='small' fill='outline' onClick={() => { set.clearError(); setUrl(''); setEditing(r.scope) }} data-testid='robot-edit'>
                  {r.configured ? '更换' : '设置'}
                </Button>
                {r.configured && (
                  <Button size='small' fill='outline' onClick={() => void save(r.scope, '')} data-testid='robot-clear'>
                    清除
                  </Button>
                )}
                {(r.configured || r.fallback === 'local_sink') && (
                  <Button size='small' type='primary' loading={test.busy} onClick={() => void sendTest(r.scope)} data-testid='robot-test'>
                    发测试消息
                  </Button>
                )}
              </View>
            )}
          </View>
        ))}
        {test.error && <Text className='field-error'>{test.error.message}</Text>}
      </View>

      <Text className='robots__section'>发通知</Text>
      <View className='card'>
        <Chips
          testid='notice-scope'
          choices={robots.data.robots.map((r) => ({ value: r.scope, label: r.label }))}
          value={scope}
          onChange={setScope}
        />
        <Textarea
          className='robots__textarea'
          value={text}
          maxlength={500}
          placeholder='例如：明天上午9点统一发放白菜，每户60斤，请在家等候'
          onInput={(e) => {
            setText(e.detail.value)
            notice.clearError()
            announce.clearError()
            setDone('')
          }}
          data-testid='notice-text'
        />
        {noticeError && (
          <Text className='field-error' data-testid='notice-error'>
            {noticeError.fields.text ?? noticeError.message}
          </Text>
        )}
        {done && (
          <Text className='robots__done' data-testid='notice-done'>
            {done}
          </Text>
        )}
        <View className='robots__buttons'>
          <Button type='primary' loading={notice.busy} disabled={!text.trim()} onClick={() => void sendNotice()} data-testid='notice-send'>
            发到群里
          </Button>
          <Button fill='outline' loading={announce.busy} disabled={!text.trim()} onClick={() => void copyNotice()} data-testid='notice-copy'>
            复制群公告
          </Button>
        </View>
      </View>

      <Text className='robots__section'>发送记录</Text>
      {log.status === 'loading' ? (
        <PageLoading text='正在加载记录…' />
      ) : !log.data ? (
        <PageError message={log.error?.message ?? ''} code={log.error?.code} onRetry={log.reload} />
      ) : log.data.entries.length === 0 ? (
        <PageEmpty title='还没有发过群消息' hint='发一条测试消息试试' />
      ) : (
        <View className='card' data-testid='robot-log'>
          {log.data.entries.map((e) => (
            <View key={e.id} className='robots__log' data-testid='log-entry' data-status={e.status} data-scope={e.scope}>
              <View className='robots__row-head'>
                <Text className='robots__log-where'>{e.label}</Text>
                <Text className={`robots__status robots__status--${e.status}`}>{STATUS_LABEL[e.status]}</Text>
              </View>
              <Text className='robots__log-text'>{e.text.replace(/\*\*|<[^>]+>|^> /gm, '')}</Text>
              <Text className='muted robots__log-meta'>
                {formatBeijing(e.doneAt ?? e.createdAt, 'M月D日 HH:mm')}
                {e.merged && e.merged > 1 ? ` · 合并${e.merged}条` : ''}
                {e.status === 'failed' && e.lastError ? ` · ${e.lastError}` : ''}
              </Text>
            </View>
          ))}
        </View>
      )}
    </PageRoot>
  )
}
