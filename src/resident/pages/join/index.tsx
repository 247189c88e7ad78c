/**
 * 绑定住户: the 6-digit household code from the isolation notice, a contact phone, optionally a name.
 * Checked here with the same schema the server uses, so most mistakes show before any request.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css'
import { useState } from 'react'
import * as v from 'valibot'
import { goHome, SETUP_PAGE, SQUAD_JOIN_PAGE } from '../../../client/navigate'
import { useMutation, useQuery } from '../../../client/use-query'
import { fieldErrors, JoinInput } from '../../../core/schemas'
import { CodeInput } from '../../../components/code-input'
import { PageRoot } from '../../../components/large-text'
import { TabBar } from '../../../components/tab-bar'
import './index.scss'

type Field = 'code' | 'phone' | 'name'

export default function Join() {
  const [code, setCode] = useState('')
  const [phone, setPhone] = useState('')
  const [name, setName] = useState('')
  const [local, setLocal] = useState<Record<string, string>>({})
  const join = useMutation('household.join')
  // A person with no role at all may instead be the first coordinator of a new community.
  const me = useQuery('me.get', {})
  const noRole = !!me.data && me.data.households.length === 0 && !me.data.squad && !me.data.coordinator
  // Opened as the person's home (nothing bound yet, no other role): keep 我的 reachable.
  const [isRoot] = useState(() => Taro.getCurrentPages().length <= 1)

  const server = join.error
  const fieldError = (f: Field): string | undefined =>
    local[f] ??
    server?.fields[f] ??
    (f === 'code' && server?.code === 'HOUSEHOLD.CODE_WRONG' ? codeWrong(server.message, server.details) : undefined)
  // Locked out: said once, big, above the button (locked, for how long, whom to call).
  const locked = server?.code === 'HOUSEHOLD.JOIN_LOCKED' ? server.message : ''
  const formError =
    server && !locked && !['code', 'phone', 'name'].some((f) => server.fields[f]) && server.code !== 'HOUSEHOLD.CODE_WRONG'
      ? server.message
      : ''

  const edit = (f: Field, set: (s: string) => void) => (s: string) => {
    set(s)
    if (local[f]) setLocal(({ [f]: _, ...rest }) => rest)
    if (join.error) join.clearError()
  }

  const submit = async () => {
    const input = { code, phone, ...(name.trim() ? { name } : {}) }
    const checked = v.safeParse(JoinInput, input)
    if (!checked.success) return setLocal(fieldErrors(checked.issues))
    setLocal({})
    const res = await join.run(input)
    if (res) await goHome(res.me, 'resident')
  }

  return (
    <PageRoot className='join'>
      {noRole && (
        <View className='join__who' data-testid='who-are-you'>
          <Text className='join__who-title'>您是？</Text>
          <View className='join__who-choices'>
            <View className='join__who-choice join__who-choice--on' data-testid='choose-resident'>
              <Text className='join__who-main'>我是居民</Text>
              <Text className='join__who-sub'>绑定住户（就在下面）</Text>
            </View>
            <View
              className='join__who-choice'
              onClick={() => void Taro.navigateTo({ url: SQUAD_JOIN_PAGE })}
              data-testid='choose-squad'
            >
              <Text className='join__who-main'>我是社工</Text>
              <Text className='join__who-sub'>加入小分队（邀请码）›</Text>
            </View>
          </View>
        </View>
      )}
      <Text className='page__title'>绑定住户</Text>
      <Text className='page__subtitle'>输入隔离通知单上的住户码，绑定后就能下单买东西</Text>

      {locked && (
        <View className='join__locked' data-testid='error-locked'>
          <Text>{locked}</Text>
        </View>
      )}

      <View className='card'>
        <Text className='join__label'>住户码（6位数字）</Text>
        <CodeInput value={code} onChange={edit('code', setCode)} error={!!fieldError('code')} testid='join-code' />
        {fieldError('code') && (
          <Text className='field-error' data-testid='error-code'>
            {fieldError('code')}
          </Text>
        )}
      </View>

      <View className='card'>
        <Text className='join__label'>联系电话</Text>
        <View className={`join__input ${fieldError('phone') ? 'join__input--error' : ''}`}>
          <Input
            type='number'
            maxLength={11}
            value={phone}
            onChange={edit('phone', setPhone)}
            placeholder='11位手机号码'
            clearable
            data-testid='join-phone'
          />
        </View>
        <Text className='join__hint'>社工送到门口时会打这个电话</Text>
        {fieldError('phone') && (
          <Text className='field-error' data-testid='error-phone'>
            {fieldError('phone')}
          </Text>
        )}
      </View>

      <View className='card'>
        <Text className='join__label'>怎么称呼您（可不填）</Text>
        <View className={`join__input ${fieldError('name') ? 'join__input--error' : ''}`}>
          <Input value={name} onChange={edit('name', setName)} placeholder='例如：赵先生' maxLength={20} clearable data-testid='join-name' />
        </View>
        {fieldError('name') && <Text className='field-error'>{fieldError('name')}</Text>}
      </View>

      {formError && (
        <Text className='join__form-error' data-testid='error-form'>
          {formError}
        </Text>
      )}

      <View className='join__submit' data-testid='join-submit'>
        <Button type='primary' size='large' block loading={join.busy} disabled={join.busy} onClick={() => void submit()}>
          {join.busy ? '正在绑定…' : '绑定'}
        </Button>
      </View>

      {noRole && (
        <View className='card join__setup' data-testid='setup-entry'>
          <Text className='join__label'>社区服务中心的工作人员？</Text>
          <Text className='join__hint join__setup-hint'>第一次使用、还没有社区：用系统管理员给的设置码创建社区，您就是它的协调员</Text>
          <View className='join__setup-button' data-testid='to-setup'>
            <Button size='large' block onClick={() => void Taro.navigateTo({ url: SETUP_PAGE })}>
              创建社区（首位协调员）
            </Button>
          </View>
        </View>
      )}

      {isRoot && <TabBar current='home' />}
    </PageRoot>
  )
}

/** The server's message, plus how many tries are left when it says. */
function codeWrong(message: string, details: Record<string, unknown>): string {
  const left = details.attemptsLeft
  return typeof left === 'number' && left > 0 && left <= 3 ? `${message}（还可以再试${left}次）` : message
}
