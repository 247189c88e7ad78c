/** Loading, empty and error states, the same on every page: large text, one clear action. */
import { Text, View } from '@tarojs/components'
import { Button, Loading } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/loading/style/css'
import type { ReactNode } from 'react'
import './index.scss'

export function PageLoading({ text = '正在加载…' }: { text?: string }) {
  return (
    <View className='page-state page-state--loading' data-testid='loading'>
      <Loading type='circular' />
      <Text className='page-state__text'>{text}</Text>
    </View>
  )
}

export function PageError({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <View className='page-state page-state--error' data-testid='error'>
      <Text className='page-state__title'>没有加载出来</Text>
      <Text className='page-state__text'>{message}</Text>
      {onRetry && (
        <Button type='primary' size='large' onClick={onRetry}>
          再试一次
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
