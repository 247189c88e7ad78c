import { View, Text } from '@tarojs/components'
import { Cell } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css'

// Placeholder page: the real page is written later.
export default function CoordinatorHouseholds() {
  return (
    <View className='page'>
      <Text className='page__title'>居家户管理</Text>
      <Cell title='页面建设中' description='占位页面，稍后实现' />
    </View>
  )
}
