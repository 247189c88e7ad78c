/** The squad's two lists as a segmented switch at the top: 任务大厅 | 我的任务 (a redirect, no stack). */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import './shared.scss'

export const BOARD_PAGE = '/squad/pages/board/index'
export const TASKS_PAGE = '/squad/pages/tasks/index'
export const TASK_PAGE = '/squad/pages/task/index'
export const PROXY_PAGE = '/squad/pages/proxy/index'

export const taskUrl = (id: string) => `${TASK_PAGE}?id=${encodeURIComponent(id)}`

export function SquadNav({ current, boardCount, taskCount }: { current: 'board' | 'tasks'; boardCount?: number; taskCount?: number }) {
  const go = (to: 'board' | 'tasks') => {
    if (to === current) return
    void Taro.redirectTo({ url: to === 'board' ? BOARD_PAGE : TASKS_PAGE })
  }
  const item = (key: 'board' | 'tasks', label: string, count?: number) => (
    <View
      className={`squad-nav__item ${key === current ? 'squad-nav__item--on' : ''}`}
      onClick={() => go(key)}
      data-testid={`nav-${key}`}
      role='tab'
      aria-selected={key === current}
    >
      <Text>{label}</Text>
      {count !== undefined && count > 0 && <Text className='squad-nav__count'>{count}</Text>}
    </View>
  )
  return (
    <View className='squad-nav' role='tablist'>
      {item('board', '任务大厅', boardCount)}
      {item('tasks', '我的任务', taskCount)}
    </View>
  )
}
