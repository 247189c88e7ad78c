/** The order form's state and how it becomes an `order.place` input. Pure: no Taro here. */
import type { InputOf } from '../../../core/contract'
import type { DeliveryWindow, MealSlotName, OrderKind, Urgency } from '../../../core/order/types'
import { fromBeijing, addBeijingDays, beijingDate } from '../../../core/time'

export interface FreeLine {
  name: string
  qty: number
  prescription?: boolean
  /** Medicine only: the box photo, already uploaded (preview shows it on the form). */
  photo?: { fileId: string; preview: string }
}

export interface OrderForm {
  kind: OrderKind
  qty: Record<string, number>
  medicines: FreeLine[]
  others: FreeLine[]
  /** slot 'exact' comes with `time` ('HH:mm', Beijing). */
  meal: { dish: string; day: 'today' | 'tomorrow'; slot: MealSlotName | 'exact' | null; time: string | null; dietary: string[] }
  handover: { bringer: string; items: string[]; itemsNote: string; day: 'today' | 'tomorrow'; hour: number | null }
  urgency: Urgency
  urgentReason: string
  window: DeliveryWindow
  notes: string
}

export const emptyForm = (kind: OrderKind): OrderForm => ({
  kind,
  qty: {},
  medicines: [],
  others: [],
  meal: { dish: '', day: 'today', slot: null, time: null, dietary: [] },
  handover: { bringer: '', items: [], itemsNote: '', day: 'today', hour: null },
  urgency: 'normal',
  urgentReason: '',
  window: 'asap',
  notes: '',
})

export function toPlaceInput(f: OrderForm, requestId: string, now: number): InputOf<'order.place'> {
  const base = {
    requestId,
    kind: f.kind,
    urgency: f.urgency,
    ...(f.urgency === 'urgent' ? { urgentReason: f.urgentReason } : {}),
    window: f.window,
    notes: f.notes,
  }
  switch (f.kind) {
    case 'supplies':
      return {
        ...base,
        lines: [
          ...Object.entries(f.qty)
            .filter(([, q]) => q > 0)
            .map(([itemId, qty]) => ({ itemId, qty })),
          ...f.medicines.map((m) => ({ itemId: 'medicine', name: m.name, qty: m.qty, prescription: !!m.prescription, ...(m.photo ? { photo: m.photo.fileId } : {}) })),
          ...f.others.map((o) => ({ itemId: 'other', name: o.name, qty: o.qty })),
        ],
      }
    case 'meal':
      return {
        ...base,
        ...(f.meal.slot
          ? {
              meal: {
                dish: f.meal.dish,
                day: f.meal.day,
                slot: f.meal.slot,
                ...(f.meal.slot === 'exact' && f.meal.time ? { time: f.meal.time } : {}),
                dietary: f.meal.dietary as never[],
              },
            }
          : {}),
      }
    case 'handover': {
      const date = f.handover.day === 'today' ? beijingDate(now) : addBeijingDays(now, 1)
      const items = [...f.handover.items, f.handover.itemsNote.trim()].filter(Boolean).join('、')
      return {
        ...base,
        ...(f.handover.hour !== null
          ? { handover: { bringer: f.handover.bringer, items, expectedAt: fromBeijing(date, f.handover.hour) } }
          : {}),
      }
    }
    case 'garbage':
      return base
  }
}

/** How many things are in the basket (for the submit button). */
export function basketCount(f: OrderForm): number {
  return Object.values(f.qty).filter((q) => q > 0).length + f.medicines.length + f.others.length
}
