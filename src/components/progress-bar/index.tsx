/** A progress bar for a campaign scope: delivered (green) and declined (grey) out of the total. */
import { Text, View } from '@tarojs/components'
import './index.scss'

export function ProgressBar(props: { total: number; done: number; declined: number; label?: string; testid?: string }) {
  const pct = (n: number) => (props.total > 0 ? `${(100 * n) / props.total}%` : '0%')
  return (
    <View className='progress' data-testid={props.testid} data-done={props.done} data-declined={props.declined} data-total={props.total}>
      {props.label !== undefined && (
        <View className='progress__head'>
          <Text className='progress__label'>{props.label}</Text>
          <Text className='progress__figures'>
            <Text className='progress__part'>已送 {props.done}/{props.total - props.declined}</Text>
            {props.declined > 0 && <Text className='progress__part'> · 不需要 {props.declined}</Text>}
          </Text>
        </View>
      )}
      <View className='progress__track'>
        <View className='progress__done' style={{ width: pct(props.done) }} />
        <View className='progress__declined' style={{ width: pct(props.declined) }} />
      </View>
    </View>
  )
}
