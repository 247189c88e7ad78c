/**
 * 扫胸牌代下单: the top of the 代下单 page. weapp: 扫胸牌 opens the camera (Taro.scanCode); both
 * weapp and H5 (no camera): type the 8-character code printed under the QR. squad.badgeLookup
 * answers the household (its own community only) and the page goes on as if it had been tapped.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css'
import { useState } from 'react'
import * as v from 'valibot'
import { useMutation } from '../../../client/use-query'
import { BadgeLookupInput } from '../../../core/household/schemas'
import { fieldErrors } from '../../../core/schemas'
import type { CommunityHousehold } from '../../../core/views'

const IS_WEAPP = process.env.TARO_ENV === 'weapp'

export function BadgeBox({ onFound, autoFocus }: { onFound: (h: CommunityHousehold) => void; autoFocus?: boolean }) {
  const [code, setCode] = useState('')
  const [local, setLocal] = useState('')
  const lookup = useMutation('squad.badgeLookup')
  const error = local || lookup.error?.fields.code || lookup.error?.message || ''

  const find = async (raw: string) => {
    const checked = v.safeParse(BadgeLookupInput, { code: raw })
    if (!checked.success) return setLocal(fieldErrors(checked.issues).code ?? '胸牌码不对')
    setLocal('')
    const h = await lookup.run({ code: raw })
    if (h) onFound(h)
  }

  const scan = async () => {
    try {
      const r = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })
      setCode(r.result)
      await find(r.result)
    } catch {
      // Cancelled: nothing to say.
    }
  }

  return (
    <View className='card proxy__badge' data-testid='badge-box'>
      <Text className='proxy__badge-title'>扫胸牌代下单</Text>
      <Text className='muted proxy__hint'>居民戴着社区发的二维码胸牌？{IS_WEAPP ? '扫一下' : '输入二维码下面的8位码'}，直接为这一户下单。</Text>
      {IS_WEAPP && (
        <View className='proxy__badge-scan'>
          <Button type='primary' size='large' block onClick={() => void scan()} loading={lookup.busy}>
            扫胸牌
          </Button>
        </View>
      )}
      <View className={`proxy__badge-input ${error ? 'proxy__badge-input--error' : ''}`}>
        <Input
          value={code}
          maxLength={12}
          placeholder={IS_WEAPP ? '扫不出来？输入8位码' : '例如 K7M2-Q9XA'}
          autoFocus={autoFocus}
          onChange={(s) => {
            setCode(s.toUpperCase())
            setLocal('')
            if (lookup.error) lookup.clearError()
          }}
          clearable
          data-testid='badge-code-input'
        />
        <Button size='large' type={IS_WEAPP ? 'default' : 'primary'} disabled={lookup.busy} onClick={() => void find(code)} data-testid='badge-find'>
          查找
        </Button>
      </View>
      {error && (
        <Text className='field-error' data-testid='badge-error'>
          {error}
        </Text>
      )}
    </View>
  )
}
