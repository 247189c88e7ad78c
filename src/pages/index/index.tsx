/**
 * Launch page. weapp: WeChat is the identity, so ask the server who this is and go to their home.
 * H5 (local host): with a session, the same; without one, the dev sign-in screen: pick a demo person
 * (when the host has the demo community), or sign in as a new person under a name (新用户登录; the
 * main thing on the screen when there are no demo people).
 */
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css'
import { useCallback, useEffect, useState } from 'react'
import { call } from '../../client/call'
import { devSignIn, listDemoPeople, SignInError, type DemoPerson } from '../../client/dev-auth'
import { goHome, isSignedOutError } from '../../client/navigate'
import { setLargeText } from '../../client/prefs'
import { getSessionToken, setSessionToken } from '../../client/session'
import { PageRoot } from '../../components/large-text'
import { PageError, PageLoading } from '../../components/page-state'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'

/** Who am I → apply my saved large-text choice on this device → my home. */
async function enter(): Promise<void> {
  const me = await call('me.get', {})
  setLargeText(me.prefs.largeText)
  await goHome(me)
}

const GROUPS = ['居家隔离居民', '送货小分队', '社区服务中心'] as const
const groupOf = (role: string): string =>
  GROUPS.find((g) => role === g) ?? (role.startsWith('居民') ? GROUPS[0] : '其他')

const NOTICES: Record<string, string> = {
  expired: '登录已过期，请重新选择',
  'signed-out': '已退出登录',
}

/** busyId while a new person signs in (person ids never start with '#'). */
const NEW = '#new'

type State =
  | { step: 'entering' }
  | { step: 'error'; message: string; retry: () => void }
  | { step: 'people'; people: DemoPerson[] }

export default function Launch() {
  const reason = useRouter().params.reason
  const [state, setState] = useState<State>({ step: 'entering' })
  const [notice, setNotice] = useState(reason ? NOTICES[reason] ?? '' : '')
  const [busyId, setBusyId] = useState<string | null>(null)
  const [name, setName] = useState('')
  const [nameError, setNameError] = useState('')

  const showPeople = useCallback(async () => {
    setState({ step: 'entering' })
    try {
      setState({ step: 'people', people: await listDemoPeople() })
    } catch (e) {
      // The host answered but its dev sign-in is off (not loopback): say so rather than "unreachable".
      const message = e instanceof SignInError ? e.message : '连不上本地服务，请确认服务已启动'
      setState({ step: 'error', message, retry: () => void showPeople() })
    }
  }, [])

  const start = useCallback(async () => {
    if (IS_H5 && !getSessionToken()) return showPeople()
    setState({ step: 'entering' })
    try {
      await enter()
    } catch (e) {
      if (IS_H5 && isSignedOutError(e)) {
        setSessionToken(null)
        setNotice(NOTICES.expired!)
        return showPeople()
      }
      const message = e instanceof Error ? e.message : '出了点问题，请稍后再试'
      setState({ step: 'error', message, retry: () => void start() })
    }
  }, [showPeople])

  useEffect(() => {
    void start()
  }, [start])

  const pick = async (p: DemoPerson) => {
    if (busyId) return
    setBusyId(p.id)
    setNotice('')
    try {
      await devSignIn({ personId: p.id })
      await enter()
    } catch (e) {
      setSessionToken(null)
      setNotice(`没能登录：${e instanceof Error ? e.message : '请再试一次'}`)
      setBusyId(null)
    }
  }

  const signInNew = async () => {
    if (busyId) return
    setBusyId(NEW)
    setNotice('')
    setNameError('')
    try {
      await devSignIn({ name })
      await enter()
    } catch (e) {
      setSessionToken(null)
      if (e instanceof SignInError && e.fields.name) setNameError(e.fields.name)
      else setNotice(`没能登录：${e instanceof Error ? e.message : '请再试一次'}`)
      setBusyId(null)
    }
  }

  if (state.step === 'entering') return <PageRoot><PageLoading text='正在进入…' /></PageRoot>
  if (state.step === 'error') return <PageRoot><PageError message={state.message} onRetry={state.retry} /></PageRoot>

  const groups = [...GROUPS, '其他']
    .map((g) => ({ title: g, people: state.people.filter((p) => groupOf(p.role) === g) }))
    .filter((g) => g.people.length > 0)
  const demo = groups.length > 0

  const newUser = (
    <View className={`sign-in__new card ${demo ? '' : 'sign-in__new--main'}`} data-testid='new-user'>
      <Text className='sign-in__group-title'>新用户登录</Text>
      <Text className='sign-in__label'>怎么称呼您</Text>
      <View className={`sign-in__input ${nameError ? 'sign-in__input--error' : ''}`} data-testid='new-name'>
        <Input
          value={name}
          onChange={(s) => {
            setName(s)
            if (nameError) setNameError('')
          }}
          placeholder='例如：王阿姨'
          maxLength={20}
          clearable
        />
      </View>
      {nameError && (
        <Text className='field-error' data-testid='error-name'>
          {nameError}
        </Text>
      )}
      <View className='sign-in__submit' data-testid='new-sign-in'>
        <Button type='primary' size='large' block loading={busyId === NEW} disabled={!!busyId} onClick={() => void signInNew()}>
          {busyId === NEW ? '正在登录…' : '登录'}
        </Button>
      </View>
    </View>
  )

  return (
    <PageRoot className='sign-in'>
      <View className='sign-in__head'>
        <Text className='sign-in__brand'>宅家送</Text>
        <Text className='sign-in__intro'>
          {demo ? '本地演示：选择一位演示用户登录，或在下面用新名字登录' : '输入您的称呼就能登录，第一次用会为您新建账号'}
        </Text>
      </View>
      {notice && (
        <Text className='sign-in__notice' data-testid='sign-in-notice'>
          {notice}
        </Text>
      )}
      {!demo && newUser}
      {groups.map((g) => (
        <View key={g.title} className='sign-in__group' data-testid='sign-in-group'>
          <Text className='sign-in__group-title'>{g.title}</Text>
          <View className='sign-in__people'>
            {g.people.map((p) => (
              <View
                key={p.id}
                className={`person ${busyId === p.id ? 'person--busy' : ''} ${busyId && busyId !== p.id ? 'person--idle' : ''}`}
                onClick={() => void pick(p)}
                data-testid='demo-person'
                data-person-id={p.id}
              >
                <Text className='person__avatar'>{p.name.slice(0, 1)}</Text>
                <View className='person__text'>
                  <Text className='person__name'>{p.name}</Text>
                  {busyId === p.id ? (
                    <Text className='person__hint'>正在登录…</Text>
                  ) : (
                    p.role !== g.title && <Text className='person__hint'>{p.role.replace(/^居民（(.*)）$/, '$1')}</Text>
                  )}
                </View>
              </View>
            ))}
          </View>
        </View>
      ))}
      {demo && newUser}
    </PageRoot>
  )
}
