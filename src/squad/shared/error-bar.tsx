/**
 * A refusal or failure, in Chinese, pinned near the bottom of the screen so it is seen wherever the
 * tap happened. Stays until closed or until the next action clears it.
 */
import { Text, View } from '@tarojs/components'
import './shared.scss'

export function ErrorBar({ message, onClose, aboveTabBar }: { message: string | null; onClose: () => void; aboveTabBar?: boolean }) {
  if (!message) return null
  return (
    <View className={`squad-error ${aboveTabBar ? 'squad-error--tabbar' : ''}`} data-testid='action-error' role='alert'>
      <Text className='squad-error__text'>{message}</Text>
      <Text className='squad-error__close' onClick={onClose} aria-label='关闭'>
        ✕
      </Text>
    </View>
  )
}
