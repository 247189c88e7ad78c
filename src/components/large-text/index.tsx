/** Every page's root: applies large-text mode (body text 17 px → 20 px). */
import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { useLargeText } from '../../client/prefs'
import { H5Back } from '../h5-back'

export function PageRoot({ children, className = '' }: { children: ReactNode; className?: string }) {
  const large = useLargeText()
  return (
    <View className={`page ${large ? 'page--large' : ''} ${className}`}>
      <H5Back />
      {children}
    </View>
  )
}
