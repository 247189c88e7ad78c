/**
 * What the resident's order page says about when it will arrive (送达预计). Pure: every function
 * takes `now`; times are Beijing wall-clock through board.ts's labels.
 *
 * - an active order: its due time (dueAt, schedule.ts) and the window the resident chose, or how
 *   long it is overdue; the 加急 reason when urgent;
 * - a hand-over (家属送物): when the family expects to be at the gate, 已到门岗 with its time once the
 *   squad has recorded it, then, once the squad has recorded 已消杀, the hold countdown (protocol.ts deliverableAt) and 可以送上门 when it is over;
 * - a finished or cancelled order: nothing (the timeline says what happened).
 */
import { clockLabel, dayTimeLabel, dueLabel, isOverdue, parcelState } from './board'
import { ACTIVE_STATUSES, type DeliveryWindow, type Order } from './types'

export interface ArrivalLine {
  /** Stable per line, for tests and styles: due | window | urgent | gate | arrived | hold. */
  key: 'due' | 'window' | 'urgent' | 'gate' | 'arrived' | 'hold'
  text: string
  /** warn: overdue or urgent (shown in orange). */
  tone?: 'warn'
}

/** The resident's window in words, with the hour it ends (schedule.ts: 12, 18, 21). */
export function windowLabel(w: DeliveryWindow): string {
  switch (w) {
    case 'asap':
      return '尽快送'
    case 'morning':
      return '上午（12:00前）'
    case 'afternoon':
      return '下午（18:00前）'
    case 'evening':
      return '晚上（21:00前）'
  }
}

type ArrivalOrder = Pick<
  Order,
  'kind' | 'status' | 'urgency' | 'urgentReason' | 'window' | 'dueAt' | 'handover' | 'disinfectedAt' | 'deliverableAt' | 'meal'
> &
  Partial<Pick<Order, 'parcelArrivedAt'>>

export function arrivalLines(o: ArrivalOrder, now: number): ArrivalLine[] {
  if (!ACTIVE_STATUSES.includes(o.status)) return []
  const out: ArrivalLine[] = []
  const late = isOverdue({ dueAt: o.dueAt }, now)
  out.push({
    key: 'due',
    text: late ? `${dueLabel(o, now)}，社区正在催办` : `预计${dueLabel(o, now)}`,
    ...(late ? { tone: 'warn' as const } : {}),
  })
  if (o.kind === 'supplies' || o.kind === 'garbage') {
    out.push({ key: 'window', text: `您选的时段：${o.urgency === 'urgent' ? '加急，尽快送' : windowLabel(o.window)}` })
  }
  if (o.urgency === 'urgent') {
    out.push({ key: 'urgent', text: `加急原因：${o.urgentReason?.trim() || '未填写'}`, tone: 'warn' })
  }
  if (o.kind === 'handover') {
    if (o.handover) {
      out.push({ key: 'gate', text: `家属预计 ${dayTimeLabel(o.handover.expectedAt, now)} 送到小区门口` })
    }
    if (o.parcelArrivedAt !== undefined) {
      out.push({ key: 'arrived', text: `${dayTimeLabel(o.parcelArrivedAt, now)} 已到门岗` })
    }
    const p = parcelState(o, now)
    if (p.state === 'holding') {
      out.push({ key: 'hold', text: `东西已消杀，静置中，还需 ${clockLabel(p.left)} 才能送上门` })
    } else if (p.state === 'ready' && o.disinfectedAt !== undefined) {
      out.push({ key: 'hold', text: '东西已消杀，静置完成，马上送上门' })
    } else if (o.parcelArrivedAt !== undefined) {
      out.push({ key: 'hold', text: '东西已到门岗，社工消杀后静置，再送上门' })
    } else {
      out.push({ key: 'hold', text: '东西到门口后，社工先消杀、静置，再送上门' })
    }
  }
  return out
}

/** Whether the page must tick every second (a hold countdown is running). */
export function arrivalTicks(o: Pick<Order, 'kind' | 'status' | 'deliverableAt'>, now: number): boolean {
  return ACTIVE_STATUSES.includes(o.status) && parcelState(o, now).state === 'holding'
}
