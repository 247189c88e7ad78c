/**
 * The last 14 days as a chart (ECharts through taro-react-echarts: a 2d canvas on weapp, a canvas
 * on H5): bars for orders placed and delivered per day, a line for the share answered in time.
 * Only the parts used are registered (echarts/core), to keep the coordinator subpackage small.
 * Under the chart, the same numbers as a table a screen reader (and a test) can read.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import Echarts from 'taro-react-echarts'
import * as echarts from 'echarts/core'
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import type { DayFigures } from '../../../core/figures'
import { percentLabel } from '../../figures-format'
import './index.scss'

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, CanvasRenderer])

const HEIGHT = 240

/**
 * The canvas gets its size from the window, not from layout: a page still sliding in measures
 * narrow, and ECharts would draw into that.
 */
function chartWidth(): number {
  const w = Taro.getSystemInfoSync().windowWidth
  return Math.max(280, Math.min(w, 720) - 40)
}

export function DaysChart({ days }: { days: readonly DayFigures[] }) {
  const width = chartWidth()
  const dates = days.map((d) => d.date.slice(5).replace('-', '/'))
  const option = {
    animation: false,
    grid: { left: 36, right: 36, top: 36, bottom: 28 },
    legend: { top: 0, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 12 } },
    xAxis: { type: 'category', data: dates, axisLabel: { fontSize: 10, interval: 1 } },
    yAxis: [
      { type: 'value', name: '单', minInterval: 1, axisLabel: { fontSize: 10 }, nameTextStyle: { fontSize: 10 } },
      { type: 'value', name: '%', min: 0, max: 100, axisLabel: { fontSize: 10 }, nameTextStyle: { fontSize: 10 } },
    ],
    series: [
      { name: '下单', type: 'bar', data: days.map((d) => d.placed), itemStyle: { color: '#91caff' } },
      { name: '送达', type: 'bar', data: days.map((d) => d.delivered), itemStyle: { color: '#07c160' } },
      {
        name: '及时接单率',
        type: 'line',
        yAxisIndex: 1,
        connectNulls: true,
        data: days.map((d) => (d.responseRate === null ? null : Math.round(d.responseRate * 100))),
        itemStyle: { color: '#fa8c16' },
      },
    ],
  }
  return (
    <View className='days-chart' data-testid='days-chart'>
      <Echarts echarts={echarts} option={option as never} opts={{ width, height: HEIGHT }} style={{ width: `${width}px`, height: `${HEIGHT}px` }} />
      <View className='days-table' data-testid='days-table'>
        <View className='days-table__row days-table__head'>
          <Text>日期</Text>
          <Text>下单(单)</Text>
          <Text>送达(单)</Text>
          <Text>及时接单率</Text>
          <Text>满意率</Text>
        </View>
        {[...days].reverse().slice(0, 7).map((d) => (
          <View key={d.date} className='days-table__row' data-testid='day-row' data-date={d.date}>
            <Text>{d.date.slice(5)}</Text>
            <Text>{d.placed}</Text>
            <Text>{d.delivered}</Text>
            <Text>{percentLabel(d.responseRate)}</Text>
            <Text>{percentLabel(d.satisfaction)}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}
