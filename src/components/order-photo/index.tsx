/**
 * A photo on an order (the restored seal, a medicine box), shown through a short-lived link from
 * photo.url: the server checks the viewer may see the order before handing one out, so the files
 * themselves stay private (cloud storage: 仅创建者及管理员可读写). Tap to see it full size.
 * Remount with key={fileId} when the photo is retaken.
 */
import { Image, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useQuery } from '../../client/use-query'
import './index.scss'

export function OrderPhoto(props: { orderId: string; line?: number; className: string; testid: string }) {
  const q = useQuery('photo.url', props.line === undefined ? { id: props.orderId } : { id: props.orderId, line: props.line })
  if (q.status === 'loading') {
    return (
      <View className={`${props.className} order-photo order-photo--wait`} data-testid={`${props.testid}-loading`}>
        <Text>照片加载中…</Text>
      </View>
    )
  }
  if (!q.data) {
    return (
      <View className={`${props.className} order-photo order-photo--wait`} onClick={() => void q.reload()} data-testid={`${props.testid}-error`}>
        <Text>{q.error?.message ?? '照片没打开'}，点这里重试</Text>
      </View>
    )
  }
  const url = q.data.url
  return <Image className={props.className} src={url} mode='aspectFill' data-testid={props.testid} onClick={() => void Taro.previewImage({ urls: [url] })} />
}
