import { View, Text } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'

// Placeholder page: the real page is written later.
export default function SquadTask() {
  return (
    <View className='page'>
      <Text className='page__title'>任务详情</Text>
      <Button type='primary' block>提交</Button>
    </View>
  )
}
