/** Loading, empty and error states, the same on every page: large text, one clear action. */
import { Text, View } from '@tarojs/components'
import { Button, Loading } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/loading/style/css'
import Taro from '@tarojs/taro'
import type { ReactNode } from 'react'
import { isRetryable } from '../../core/error-kind'
import type { ErrorCode } from '../../core/errors'
import './index.scss'

export function PageLoading({ text = '正在加载…' }: { text?: string }) {
  return (
    <View className='page-state page-state--loading' data-testid='loading'>
      <Loading type='circular' />
      <Text className='page-state__text'>{text}</Text>
    </View>
  )
}

/** The launch page works out the person's home from what the server says they are now. */
const LAUNCH_PAGE = '/pages/index/index'

/**
 * `code`: the error's code. 再试一次 only for errors that may pass on a retry (core/error-kind.ts);
 * for the rest (no permission, not your order, not found…) 回到首页 instead.
 */
export function PageError({ message, code, onRetry }: { message: string; code?: ErrorCode; onRetry?: () => void }) {
  const retry = isRetryable(code)
  return (
    <View className='page-state page-state--error' data-testid='error' data-code={code ?? ''}>
      <Text className='page-state__title'>{retry ? '没有加载出来' : '打不开这一页'}</Text>
      <Text className='page-state__text'>{message}</Text>
      {retry && onRetry && (
        <Button type='primary' size='large' onClick={onRetry} data-testid='retry'>
          再试一次
        </Button>
      )}
      {!retry && (
        <Button type='primary' size='large' onClick={() => void Taro.reLaunch({ url: LAUNCH_PAGE })} data-testid='go-home'>
          回到首页
        </Button>
      )}
    </View>
  )
}

export function PageEmpty({ title, hint, action }: { title: string; hint?: string; action?: ReactNode }) {
  return (
    <View className='page-state page-state--empty' data-testid='empty'>
      {/* Not NutUI's Empty: it loads its picture from a remote server (broken offline, and a domain to whitelist on weapp). */}
      <View className='page-state__empty-mark' />
      <Text className='page-state__title'>{title}</Text>
      {hint && <Text className='page-state__text'>{hint}</Text>}
      {action}
    </View>
  )
}
