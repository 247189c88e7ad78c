/**
 * 创建社区 (the first coordinator): the one-time setup code, the community's name and its buildings,
 * added by taps (a row per building with steppers for 单元 / 层 / 每层户数), the total households as a
 * preview, one submit (community.setup). Checked here with the server's schema first; every problem
 * shows next to its field. On success the person is the coordinator and lands on 调度总览.
 */
import { Text, View } from '@tarojs/components'
import { Button, Input, InputNumber } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/inputnumber/style/css'
import { useState } from 'react'
import * as v from 'valibot'
import { goHome } from '../../../client/navigate'
import { setLargeText } from '../../../client/prefs'
import { useMutation } from '../../../client/use-query'
import { PageRoot } from '../../../components/large-text'
import {
  DEFAULT_BUILDING,
  householdsOf,
  nextBuildingName,
  SETUP_LIMITS,
  totalHouseholds,
  type BuildingPlan,
} from '../../../core/community-setup'
import type { ErrorCode } from '../../../core/errors'
import { fieldErrors, SetupInput } from '../../../core/schemas'
import './index.scss'

/** Refusals about the code itself: shown under the code field. */
const CODE_ERRORS: readonly ErrorCode[] = ['SETUP.CODE_WRONG', 'SETUP.CODE_USED', 'SETUP.LOCKED']

const STEPPERS: { key: 'units' | 'floors' | 'roomsPerFloor'; label: string; max: number }[] = [
  { key: 'units', label: '单元', max: SETUP_LIMITS.unitsMax },
  { key: 'floors', label: '层数', max: SETUP_LIMITS.floorsMax },
  { key: 'roomsPerFloor', label: '每层户数', max: SETUP_LIMITS.roomsPerFloorMax },
]

export default function CommunitySetup() {
  const [code, setCode] = useState('')
  const [name, setName] = useState('')
  const [buildings, setBuildings] = useState<BuildingPlan[]>([{ ...DEFAULT_BUILDING }])
  const [local, setLocal] = useState<Record<string, string>>({})
  const setup = useMutation('community.setup')

  const server = setup.error
  const fieldError = (f: string): string | undefined =>
    local[f] ?? server?.fields[f] ?? (f === 'code' && server && CODE_ERRORS.includes(server.code) ? server.message : undefined)
  /** The first problem with building i (name, then its steppers). */
  const buildingError = (i: number): string | undefined =>
    ['name', 'units', 'floors', 'roomsPerFloor'].map((k) => fieldError(`buildings.${i}.${k}`)).find(Boolean)
  const formError =
    server && Object.keys(server.fields).length === 0 && !CODE_ERRORS.includes(server.code) ? server.message : ''

  const clear = (f: string) => {
    if (local[f]) setLocal(({ [f]: _, ...rest }) => rest)
    if (setup.error) setup.clearError()
  }
  const editBuilding = (i: number, patch: Partial<BuildingPlan>) => {
    setBuildings((bs) => bs.map((b, j) => (j === i ? { ...b, ...patch } : b)))
    for (const k of Object.keys(patch)) clear(`buildings.${i}.${k}`)
    clear('buildings')
  }
  const addBuilding = () => {
    if (buildings.length >= SETUP_LIMITS.buildingsMax) return
    const last = buildings[buildings.length - 1] ?? DEFAULT_BUILDING
    setBuildings([...buildings, { ...last, name: nextBuildingName(buildings.map((b) => b.name)) }])
    clear('buildings')
  }
  const removeBuilding = (i: number) => {
    setBuildings(buildings.filter((_, j) => j !== i))
    // Row errors are indexed: drop them all rather than show one under the wrong row.
    setLocal((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !k.startsWith('buildings'))))
    if (setup.error) setup.clearError()
  }

  const total = totalHouseholds(buildings)

  const submit = async () => {
    const input = { code, name, buildings }
    const checked = v.safeParse(SetupInput, input)
    if (!checked.success) return setLocal(fieldErrors(checked.issues))
    setLocal({})
    const res = await setup.run(input)
    if (res) {
      setLargeText(res.me.prefs.largeText)
      await goHome(res.me)
    }
  }

  return (
    <PageRoot className='setup'>
      <Text className='page__title'>创建社区</Text>
      <Text className='page__subtitle'>建好以后，您就是这个社区的协调员，可以打印住户码发给各户</Text>

      <View className='card'>
        <Text className='setup__label'>设置码</Text>
        <View className={`setup__input ${fieldError('code') ? 'setup__input--error' : ''}`} data-testid='setup-code'>
          <Input
            value={code}
            onChange={(s) => {
              setCode(s)
              clear('code')
            }}
            placeholder='系统管理员给您的设置码'
            maxLength={64}
            clearable
          />
        </View>
        {fieldError('code') && (
          <Text className='field-error' data-testid='error-code'>
            {fieldError('code')}
          </Text>
        )}
      </View>

      <View className='card'>
        <Text className='setup__label'>社区名称</Text>
        <View className={`setup__input ${fieldError('name') ? 'setup__input--error' : ''}`} data-testid='setup-name'>
          <Input
            value={name}
            onChange={(s) => {
              setName(s)
              clear('name')
            }}
            placeholder='例如：幸福里社区'
            maxLength={SETUP_LIMITS.nameMax}
            clearable
          />
        </View>
        {fieldError('name') && (
          <Text className='field-error' data-testid='error-name'>
            {fieldError('name')}
          </Text>
        )}
      </View>

      <Text className='setup__section'>楼栋</Text>
      {buildings.map((b, i) => (
        <View key={i} className='card setup__building' data-testid='building-row' data-index={i}>
          <View className='setup__building-head'>
            <View className={`setup__input setup__input--small ${fieldError(`buildings.${i}.name`) ? 'setup__input--error' : ''}`} data-testid='building-name'>
              <Input value={b.name} onChange={(s) => editBuilding(i, { name: s })} placeholder='楼栋名称' maxLength={SETUP_LIMITS.buildingNameMax} />
            </View>
            {buildings.length > 1 && (
              <View className='setup__remove' onClick={() => removeBuilding(i)} data-testid='remove-building'>
                <Text>删除</Text>
              </View>
            )}
          </View>
          {STEPPERS.map((st) => (
            <View key={st.key} className='setup__stepper' data-testid={`stepper-${st.key}`}>
              <Text className='setup__stepper-label'>{st.label}</Text>
              <InputNumber
                min={1}
                max={st.max}
                value={b[st.key]}
                onChange={(n) => editBuilding(i, { [st.key]: Math.min(st.max, Math.max(1, Math.floor(Number(n)) || 1)) })}
              />
            </View>
          ))}
          <Text className='setup__building-total' data-testid='building-total'>
            {b.name || '这栋楼'}：{b.units}个单元 × {b.floors}层 × 每层{b.roomsPerFloor}户 = {householdsOf(b)}户
          </Text>
          {buildingError(i) && (
            <Text className='field-error' data-testid='error-building'>
              {buildingError(i)}
            </Text>
          )}
        </View>
      ))}
      {fieldError('buildings') && (
        <Text className='field-error setup__buildings-error' data-testid='error-buildings'>
          {fieldError('buildings')}
        </Text>
      )}
      {buildings.length < SETUP_LIMITS.buildingsMax && (
        <View className='setup__add' data-testid='add-building'>
          <Button size='large' block onClick={addBuilding}>
            ＋ 添加楼栋
          </Button>
        </View>
      )}

      <View className={`setup__total ${total > SETUP_LIMITS.householdsMax ? 'setup__total--over' : ''}`} data-testid='setup-total' data-value={String(total)}>
        <Text>
          共 {buildings.length} 栋楼，{total} 户
        </Text>
        {total > SETUP_LIMITS.householdsMax && <Text className='setup__total-hint'>最多{SETUP_LIMITS.householdsMax}户</Text>}
      </View>

      {formError && (
        <Text className='setup__form-error' data-testid='error-form'>
          {formError}
        </Text>
      )}

      <View className='setup__submit' data-testid='setup-submit'>
        <Button type='primary' size='large' block loading={setup.busy} disabled={setup.busy} onClick={() => void submit()}>
          {setup.busy ? '正在创建…' : '创建社区'}
        </Button>
      </View>
    </PageRoot>
  )
}
