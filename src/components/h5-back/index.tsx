/**
 * H5 only: a visible 返回 control at the top of every non-root page (routes.ts), at least 44 px
 * tall. Back in the stack when there is one, else (deep link, reload) to the role's home.
 */
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { backHomeOf, isRootRoute, routeOf } from './routes'
import './index.scss'

/** 绑定住户 is the home of a person with nothing bound yet (opened by reLaunch: alone in the stack). */
const JOIN = '/resident/pages/join/index'

export function H5Back() {
  const path = useRouter().path ?? ''
  const [alone] = useState(() => Taro.getCurrentPages().length <= 1)
  if (process.env.TARO_ENV !== 'h5' || !path || isRootRoute(path)) return null
  if (routeOf(path) === JOIN && alone) return null
  const back = () => {
    // This page's own place in the stack: more than one page means there is one to go back to.
    if (Taro.getCurrentPages().length > 1) void Taro.navigateBack()
    else void Taro.reLaunch({ url: backHomeOf(path) })
  }
  return (
    <View className='h5-back' onClick={back} data-testid='h5-back' role='button' aria-label='返回'>
      <Text className='h5-back__arrow'>‹</Text>
      <Text className='h5-back__label'>返回</Text>
    </View>
  )
}
