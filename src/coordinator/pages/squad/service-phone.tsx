/**
 * 社区服务中心电话 (coord.setServicePhone): told to a resident locked out after wrong household
 * codes. Checked here with the server's schema, so a typo shows before any request.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css'
import { useState } from 'react'
import * as v from 'valibot'
import { useMutation } from '../../../client/use-query'
import { ServicePhoneInput } from '../../../core/household/schemas'
import { fieldErrors } from '../../../core/schemas'

export function ServicePhone({ current, onSaved }: { current: string | null; onSaved: () => void }) {
  const [phone, setPhone] = useState(current ?? '')
  const [local, setLocal] = useState('')
  const save = useMutation('coord.setServicePhone')
  const error = local || save.error?.fields.phone || save.error?.message || ''
  const submit = async () => {
    const checked = v.safeParse(ServicePhoneInput, { phone })
    if (!checked.success) return setLocal(fieldErrors(checked.issues).phone ?? '电话不对')
    setLocal('')
    const me = await save.run({ phone })
    if (me) {
      setPhone(me.coordinator?.servicePhone ?? phone)
      onSaved()
      void Taro.showToast({ title: '已保存', icon: 'success' })
    }
  }
  return (
    <View className='card' data-testid='service-phone'>
      <View className={`coord-squad__phone ${error ? 'coord-squad__phone--error' : ''}`}>
        <Input
          value={phone}
          maxLength={20}
          placeholder='例如 0471-6281234'
          onChange={(s) => {
            setPhone(s)
            setLocal('')
            if (save.error) save.clearError()
          }}
          data-testid='service-phone-input'
        />
        <Button type='primary' disabled={save.busy} onClick={() => void submit()} data-testid='service-phone-save'>
          保存
        </Button>
      </View>
      {error && <Text className='field-error'>{error}</Text>}
      <Text className='muted'>居民住户码输错5次被锁定时，会看到这个电话。</Text>
    </View>
  )
}
