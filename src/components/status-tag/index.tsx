import { View } from '@tarojs/components'
import { Tag } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/tag/style/css'
import { assertNever } from '../../core/errors'
import { statusLabel } from '../../core/order/labels'
import type { OrderStatus } from '../../core/order/types'
import './index.scss'

type TagType = 'default' | 'primary' | 'success' | 'warning' | 'danger' | 'info'

function tone(s: OrderStatus): TagType {
  switch (s) {
    case 'pending':
      return 'warning'
    case 'claimed':
    case 'delivering':
      return 'primary'
    case 'at_door':
      return 'danger'
    case 'delivered':
    case 'confirmed':
      return 'success'
    case 'cancelled':
      return 'default'
    default:
      return assertNever(s)
  }
}

export function StatusTag({ status }: { status: OrderStatus }) {
  return (
    // NutUI's Tag drops unknown props: the data attribute (tests, styles) sits on a wrapper.
    <View className='status-tag' data-status={status}>
      <Tag type={tone(status)}>{statusLabel(status)}</Tag>
    </View>
  )
}
