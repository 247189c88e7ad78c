/** The resident's "when will it arrive" lines (src/core/order/arrival.ts), Beijing time. */
import { describe, expect, it } from 'vitest'
import { arrivalLines, arrivalTicks, windowLabel } from '../../src/core/order/arrival'
import { fromBeijing } from '../../src/core/time'

const NOW = fromBeijing('2026-11-22', 9, 0)
const base = {
  kind: 'supplies' as const,
  status: 'pending' as const,
  urgency: 'normal' as const,
  window: 'afternoon' as const,
  dueAt: fromBeijing('2026-11-22', 18, 0),
}
const text = (o: Parameters<typeof arrivalLines>[0], now = NOW) => arrivalLines(o, now).map((l) => `${l.key}:${l.text}`)

describe('arrivalLines', () => {
  it('a normal order: due time and the chosen window', () => {
    expect(text(base)).toEqual(['due:预计今天 18:00前送达', 'window:您选的时段：下午（18:00前）'])
  })

  it('an urgent order: 加急 and its reason', () => {
    const lines = arrivalLines({ ...base, urgency: 'urgent', urgentReason: '低血糖', dueAt: NOW + 3_600_000 }, NOW)
    expect(lines.map((l) => l.text)).toEqual(['预计今天 10:00前送达', '您选的时段：加急，尽快送', '加急原因：低血糖'])
    expect(lines.find((l) => l.key === 'urgent')?.tone).toBe('warn')
  })

  it('tomorrow and overdue', () => {
    expect(text({ ...base, dueAt: fromBeijing('2026-11-23', 12, 0) })[0]).toBe('due:预计明天 12:00前送达')
    const late = arrivalLines({ ...base, dueAt: NOW - 65 * 60_000 }, NOW)[0]!
    expect(late).toEqual({ key: 'due', text: '已超时 1小时5分钟，社区正在催办', tone: 'warn' })
  })

  it('a hand-over: the gate time, then the hold countdown once disinfected, then ready', () => {
    const handover = {
      ...base,
      kind: 'handover' as const,
      status: 'claimed' as const,
      handover: { bringer: '子女', items: '衣物', expectedAt: fromBeijing('2026-11-22', 14, 0) },
      dueAt: fromBeijing('2026-11-22', 20, 0),
    }
    expect(text(handover)).toEqual([
      'due:预计今天 20:00前送达',
      'gate:家属预计 今天 14:00 送到小区门口',
      'hold:东西到门口后，社工先消杀、静置，再送上门',
    ])
    const disinfected = { ...handover, disinfectedAt: NOW, deliverableAt: NOW + 2 * 3_600_000 }
    const now = NOW + 30 * 60_000 + 5_000
    expect(text(disinfected, now)[2]).toBe('hold:东西已消杀，静置中，还需 1:29:55 才能送上门')
    expect(arrivalTicks(disinfected, now)).toBe(true)
    expect(text(disinfected, NOW + 3 * 3_600_000)[2]).toBe('hold:东西已消杀，静置完成，马上送上门')
    expect(arrivalTicks(disinfected, NOW + 3 * 3_600_000)).toBe(false)
  })

  it('says nothing once delivered or cancelled', () => {
    expect(arrivalLines({ ...base, status: 'delivered' }, NOW)).toEqual([])
    expect(arrivalLines({ ...base, status: 'cancelled' }, NOW)).toEqual([])
  })

  it('window words', () => {
    expect(['asap', 'morning', 'afternoon', 'evening'].map((w) => windowLabel(w as never))).toEqual([
      '尽快送',
      '上午（12:00前）',
      '下午（18:00前）',
      '晚上（21:00前）',
    ])
  })
})
