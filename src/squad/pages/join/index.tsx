/**
 * 加入送货小分队: a social worker types the invite code the community service centre gave them.
 * After joining, the app opens in the squad view (the server records it as the chosen view).
 */
import { Text, View } from '@tarojs/components'
import { Button, Input } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css'
import { useState } from 'react'
import * as v from 'valibot'
import { goHome } from '../../../client/navigate'
import { useMutation } from '../../../client/use-query'
import { fieldErrors, SquadJoinInput } from '../../../core/schemas'
import { PageRoot } from '../../../components/large-text'
import './index.scss'

export default function SquadJoin() {
  const [code, setCode] = useState('')
  const [local, setLocal] = useState('')
  const join = useMutation('squad.join')
  const error = local || join.error?.fields.code || join.error?.message || ''

  const submit = async () => {
    const checked = v.safeParse(SquadJoinInput, { code })
    if (!checked.success) return setLocal(fieldErrors(checked.issues).code ?? '邀请码不对')
    setLocal('')
    const me = await join.run({ code })
    if (me) await goHome(me, 'squad')
  }

  return (
    <PageRoot className='squad-join'>
      <Text className='page__title'>加入送货小分队</Text>
      <Text className='page__subtitle'>输入社区服务中心给您的6位邀请码（字母和数字，不分大小写）</Text>
      <View className='card'>
        <View className={`squad-join__input ${error ? 'squad-join__input--error' : ''}`}>
          <Input
            value={code}
            maxLength={8}
            placeholder='例如 ZJ7K2M'
            onChange={(s) => {
              setCode(s.toUpperCase())
              setLocal('')
              if (join.error) join.clearError()
            }}
            clearable
            data-testid='invite-code'
          />
        </View>
        {error && (
          <Text className='field-error' data-testid='invite-error'>
            {error}
          </Text>
        )}
      </View>
      <View className='squad-join__submit'>
        <Button type='primary' size='large' block loading={join.busy} disabled={join.busy} onClick={() => void submit()}>
          加入
        </Button>
      </View>
    </PageRoot>
  )
}
