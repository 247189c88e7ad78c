/**
 * 网格 (coordinator): each grid with its workload (进行中, 今日送达), its buildings and its workers,
 * moved between grids by taps. In a grid's card every building and every squad member is a big
 * chip: tap one that is elsewhere and it moves into this grid; tap one that is here and it leaves
 * (to 未分网格). A building is in exactly one grid. New grids by name.
 */
import { Input, Text, View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { useState } from 'react'
import { useMutation, useQuery } from '../../../client/use-query'
import { Chips } from '../../../components/chips'
import type { GridsView } from '../../../core/views'
import { PageRoot } from '../../../components/large-text'
import { PageError, PageLoading } from '../../../components/page-state'
import './index.scss'

type Grid = GridsView['grids'][number]
type Ref = { id: string; name: string }

export default function CoordinatorGrids() {
  const q = useQuery('coord.grids', {})
  const save = useMutation('coord.setGrid')
  const [view, setView] = useState<GridsView | null>(null)
  const [newName, setNewName] = useState('')
  const data = view ?? q.data

  const run = async (input: { gridId?: string; name: string; buildingIds: string[]; workerIds: string[] }) => {
    const next = await save.run(input)
    if (next) setView(next)
    return next
  }

  if (!data) {
    return (
      <PageRoot className='coord-grids'>
        {q.status === 'loading' ? <PageLoading text='正在加载网格…' /> : <PageError message={q.error?.message ?? ''} code={q.error?.code} onRetry={q.reload} />}
      </PageRoot>
    )
  }

  const buildings: Ref[] = [...data.grids.flatMap((g) => g.buildings), ...data.unassigned.buildings].sort((a, b) =>
    a.name.localeCompare(b.name, 'zh-CN', { numeric: true }),
  )
  const workers: Ref[] = [...data.grids.flatMap((g) => g.workers), ...data.unassigned.workers]
  const gridOf = (list: (g: Grid) => Ref[], id: string) => data.grids.find((g) => list(g).some((x) => x.id === id))
  const toggle = (ids: string[], id: string) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id])

  const moveBuilding = (g: Grid, id: string) =>
    void run({ gridId: g.id, name: g.name, buildingIds: toggle(g.buildings.map((b) => b.id), id), workerIds: g.workers.map((w) => w.id) })
  const moveWorker = (g: Grid, id: string) =>
    void run({ gridId: g.id, name: g.name, buildingIds: g.buildings.map((b) => b.id), workerIds: toggle(g.workers.map((w) => w.id), id) })
  const create = async () => {
    if (await run({ name: newName, buildingIds: [], workerIds: [] })) setNewName('')
  }

  return (
    <PageRoot className='coord-grids'>
      <Text className='page__title'>网格</Text>
      <Text className='muted coord-grids__hint'>点一下楼栋或队员，就把它放进这个网格；再点一下移出。</Text>
      {save.error && !save.error.fields.name && <Text className='field-error'>{save.error.message}</Text>}

      {data.grids.map((g) => (
        <View key={g.id} className='card coord-grids__grid' data-testid='grid' data-grid-id={g.id}>
          <View className='coord-grids__head'>
            <Text className='coord-grids__name'>{g.name}</Text>
            <Text className='coord-grids__load' data-testid='grid-load'>
              进行中 <Text className={g.open > 0 ? 'coord-grids__num--open' : ''}>{g.open}</Text> 单 · 今日送达 {g.deliveredToday} 单
            </Text>
          </View>
          <Text className='coord-grids__label'>楼栋</Text>
          <Chips
            choices={buildings.map((b) => {
              const at = gridOf((x) => x.buildings, b.id)
              return { value: b.id, label: b.name, ...(at && at.id !== g.id ? { hint: `在${at.name}` } : !at ? { hint: '未分网格' } : {}) }
            })}
            value={g.buildings.map((b) => b.id)}
            onChange={(id) => !save.busy && moveBuilding(g, id)}
            testid='grid-buildings'
          />
          <Text className='coord-grids__label'>队员</Text>
          {workers.length === 0 ? (
            <Text className='muted'>小分队还没有队员</Text>
          ) : (
            <Chips
              choices={workers.map((w) => {
                const at = gridOf((x) => x.workers, w.id)
                return { value: w.id, label: w.name, ...(at && at.id !== g.id ? { hint: `在${at.name}` } : !at ? { hint: '未分网格' } : {}) }
              })}
              value={g.workers.map((w) => w.id)}
              onChange={(id) => !save.busy && moveWorker(g, id)}
              testid='grid-workers'
            />
          )}
        </View>
      ))}

      <View className='card coord-grids__grid' data-testid='unassigned'>
        <View className='coord-grids__head'>
          <Text className='coord-grids__name'>未分网格</Text>
          <Text className='coord-grids__load'>
            进行中 {data.unassigned.open} 单 · 今日送达 {data.unassigned.deliveredToday} 单
          </Text>
        </View>
        <Text className='muted'>
          楼栋：{data.unassigned.buildings.map((b) => b.name).join('、') || '无'}；队员：{data.unassigned.workers.map((w) => w.name).join('、') || '无'}
        </Text>
      </View>

      <View className='card' data-testid='new-grid'>
        <Text className='coord-grids__label'>新建网格</Text>
        <Input className='text-input' value={newName} maxlength={20} placeholder='网格名称，如 东片网格' onInput={(e) => setNewName(e.detail.value)} />
        {save.error?.fields.name && <Text className='field-error'>{save.error.fields.name}</Text>}
        <View className='coord-grids__create'>
          <Button type='primary' size='large' block loading={save.busy} disabled={save.busy || !newName.trim()} onClick={() => void create()} data-testid='new-grid-create'>
            新建
          </Button>
        </View>
      </View>
    </PageRoot>
  )
}
