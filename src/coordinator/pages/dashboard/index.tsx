import { Text } from '@tarojs/components'
import { Cell } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css'
import { PageRoot } from '../../../components/large-text'
import { TabBar } from '../../../components/tab-bar'

// Placeholder page: the real page is written later. Keep the TabBar (首页 / 我的) when replacing it.
export default function CoordinatorDashboard() {
  return (
    <PageRoot className='coordinator-dashboard'>
      <Text className='page__title'>调度总览</Text>
      <Cell title='页面建设中' description='占位页面，稍后实现' />
      <TabBar current='home' />
    </PageRoot>
  )
}
