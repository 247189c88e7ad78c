/**
 * The bottom bar every role's home and 我的 render: 首页 / 我的. Pages live in subpackages, so WeChat's
 * native tabBar (main package only) cannot be used; switching is a reLaunch, like a tab: no stack grows.
 */
import { Image, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { lastHome, ME_PAGE } from '../../client/navigate'
import { ICONS } from './icons'
import './index.scss'

export type Tab = 'home' | 'me'

export function TabBar({ current, home }: { current: Tab; /** 首页's page; default: the home last opened. */ home?: string }) {
  const go = (tab: Tab) => {
    if (tab === current) return
    void Taro.reLaunch({ url: tab === 'me' ? ME_PAGE : (home ?? lastHome()) })
  }
  const item = (tab: Tab, label: string) => (
    <View
      className={`tab-bar__item ${tab === current ? 'tab-bar__item--on' : ''}`}
      onClick={() => go(tab)}
      data-testid={`tab-${tab}`}
      aria-selected={tab === current}
      role='tab'
    >
      <Image className='tab-bar__icon' src={ICONS[tab][tab === current ? 'on' : 'off']} />
      <Text className='tab-bar__label'>{label}</Text>
    </View>
  )
  return (
    <View className='tab-bar' role='tablist'>
      {item('home', '首页')}
      {item('me', '我的')}
    </View>
  )
}
