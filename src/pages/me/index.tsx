/**
 * 我的: who I am, my households, which view the app opens in (for people with more than one role),
 * large text, and on H5 signing out.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Switch } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/switch/style/css'
import { useState } from 'react'
import { call } from '../../client/call'
import { signOut } from '../../client/dev-auth'
import { currentView, goHome, homeFor, JOIN_PAGE, SQUAD_JOIN_PAGE, toSignIn, VIEW_LABEL, type ViewName } from '../../client/navigate'
import { setLargeText, useLargeText } from '../../client/prefs'
import { useQuery } from '../../client/use-query'
import type { MeView } from '../../core/views'
import { InboxLink, useInboxUnread } from '../../components/inbox-link'
import { PageRoot } from '../../components/large-text'
import { PageError, PageLoading } from '../../components/page-state'
import { TabBar } from '../../components/tab-bar'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'

function communityOf(me: MeView, view: ViewName): string {
  if (view === 'squad') return me.squad?.communityName ?? ''
  if (view === 'coordinator') return me.coordinator?.communityName ?? ''
  return me.households[0]?.communityName ?? ''
}

export default function Me() {
  const me = useQuery('me.get', {})
  const large = useLargeText()
  const [switching, setSwitching] = useState<ViewName | null>(null)
  const [viewError, setViewError] = useState('')
  const [prefsError, setPrefsError] = useState('')
  const inbox = useInboxUnread(30_000)

  if (me.status === 'loading') return <PageRoot><PageLoading /></PageRoot>
  if (me.status === 'error' && !me.data) {
    return <PageRoot><PageError message={me.error.message} code={me.error.code} onRetry={me.reload} /></PageRoot>
  }
  const data = me.data!
  const current = currentView(data)

  const switchTo = async (view: ViewName) => {
    if (switching) return
    if (view === current) return void goHome(data, view)
    setSwitching(view)
    setViewError('')
    try {
      await goHome(await call('me.setPrefs', { view }), view)
    } catch (e) {
      setViewError(e instanceof Error ? e.message : '切换没有成功，请再试一次')
      setSwitching(null)
    }
  }

  const toggleLarge = async (on: boolean) => {
    setLargeText(on) // this device: at once
    setPrefsError('')
    try {
      await call('me.setPrefs', { largeText: on }) // the account: follows the person to other devices
    } catch {
      setPrefsError('本机已切换，但没能保存到账户，换手机后需要重新设置')
    }
  }

  return (
    <PageRoot className='me'>
      <View className='me__head'>
        <Text className='me__avatar'>{data.name.slice(0, 1)}</Text>
        <View className='me__who'>
          <Text className='me__name' data-testid='me-name'>
            {data.name}
          </Text>
          <Text className='muted'>{[VIEW_LABEL[current], communityOf(data, current)].filter(Boolean).join(' · ')}</Text>
        </View>
      </View>

      <InboxLink unread={inbox.unread} />

      {(data.households.length > 0 || current === 'resident') && (
        <>
          <Text className='me__section'>我的住户</Text>
          <View className='card me__households' data-testid='me-households'>
            {data.households.map((h) => (
              <View key={h.id} className='me__household'>
                <Text className='me__household-label'>{h.label}</Text>
                <Text className='muted'>{h.communityName}</Text>
              </View>
            ))}
            {data.households.length === 0 && <Text className='muted'>还没有绑定住户</Text>}
            <View className='me__link' onClick={() => void Taro.navigateTo({ url: JOIN_PAGE })} data-testid='me-join'>
              {data.households.length === 0 ? '用住户码绑定住户 ›' : '再绑定一户 ›'}
            </View>
          </View>
        </>
      )}

      {data.views.length > 1 && (
        <>
          <Text className='me__section'>切换身份</Text>
          <View className='me__views' data-testid='me-views'>
            {data.views.map((v) => (
              <View
                key={v}
                className={`view-choice ${v === current ? 'view-choice--on' : ''}`}
                onClick={() => void switchTo(v)}
                data-testid={`view-${v}`}
                data-current={v === current}
              >
                <View className='view-choice__text'>
                  <Text className='view-choice__label'>{VIEW_LABEL[v]}</Text>
                  <Text className='view-choice__hint'>{communityOf(data, v) || '还没有绑定住户'}</Text>
                </View>
                <Text className='view-choice__mark'>
                  {switching === v ? '正在切换…' : v === current ? '✓ 当前' : '切换 ›'}
                </Text>
              </View>
            ))}
          </View>
          {viewError && <Text className='field-error'>{viewError}</Text>}
        </>
      )}

      {!data.squad && (
        <View className='me__link me__squad-join' onClick={() => void Taro.navigateTo({ url: SQUAD_JOIN_PAGE })} data-testid='me-squad-join'>
          我是社工，用邀请码加入送货小分队 ›
        </View>
      )}

      <Text className='me__section'>设置</Text>
      <View className='card me__setting'>
        {/* The words toggle too: a thumb aims at 大字模式, not at the small switch. */}
        <View className='me__setting-text' onClick={() => void toggleLarge(!large)} data-testid='large-text-label'>
          <Text className='me__setting-title'>大字模式</Text>
          <Text className='muted me__setting-hint'>字更大，看得更清楚</Text>
        </View>
        <Switch checked={large} onChange={(on) => void toggleLarge(on)} className='me__switch' data-testid='large-text-switch' />
      </View>
      {prefsError && <Text className='field-error'>{prefsError}</Text>}

      {IS_H5 && (
        <View className='me__signout'>
          <Button
            block
            size='large'
            fill='outline'
            onClick={() => {
              signOut()
              void toSignIn('signed-out')
            }}
          >
            退出登录
          </Button>
        </View>
      )}

      <TabBar current='me' home={homeFor(data)} />
    </PageRoot>
  )
}
