/** The order form's state and how it becomes an `order.place` input. Pure: no Taro here. */
import type { InputOf } from '../../../core/contract'
import type { DeliveryWindow, MealSlotName, Order, OrderKind, Urgency } from '../../../core/order/types'
import { fromBeijing, addBeijingDays, beijingDate } from '../../../core/time'
import { MAX_NOTES } from '../../../core/schemas'
import { cleanText } from '../../../core/text'

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

/** What formFromOrder needs of the catalog: each item's id, name, whether it takes a free name, whether it is out. */
export interface CatalogLookup {
  categories: { items: { id: string; name: string; freeName?: boolean; soldOut?: boolean }[] }[]
}

/** Choices the hand-over and meal pickers offer as chips (the rest of a free text goes to the note). */
export const HANDOVER_ITEMS = ['衣物', '饭菜', '药品', '日用品', '水果']

/**
 * 再来一单: the form filled from a past order, for the resident to review before submitting.
 * Always 普通 with no 加急 reason (an old reason must not raise a new staff alert); the window,
 * notes and quantities are kept. Catalog items that are gone or 暂缺 are left out and named in
 * `dropped`. Medicine box photos are not carried over (take a new one if needed). Meals and
 * hand-overs keep what and who, but the day and time are chosen again (they were relative to then).
 */
export function formFromOrder(
  o: Pick<Order, 'kind' | 'lines' | 'window' | 'notes' | 'meal' | 'handover'>,
  catalog: CatalogLookup | null,
): { form: OrderForm; dropped: string[] } {
  const form = emptyForm(o.kind)
  const dropped: string[] = []
  const items = new Map((catalog?.categories ?? []).flatMap((c) => c.items).map((i) => [i.id, i]))
  if (o.kind === 'supplies') {
    for (const l of o.lines) {
      if (l.itemId === 'medicine') form.medicines.push({ name: l.name, qty: l.qty, ...(l.prescription ? { prescription: true } : {}) })
      else if (l.itemId === 'other') form.others.push({ name: l.name, qty: l.qty })
      else {
        const item = items.get(l.itemId)
        if (catalog && (!item || item.soldOut || item.freeName)) dropped.push(l.name)
        else form.qty[l.itemId] = (form.qty[l.itemId] ?? 0) + l.qty
      }
    }
  }
  if (o.kind === 'meal' && o.meal) form.meal = { ...form.meal, dish: o.meal.dish, dietary: [...o.meal.dietary] }
  if (o.kind === 'handover' && o.handover) {
    const parts = o.handover.items.split('、').map((s) => s.trim()).filter(Boolean)
    form.handover = {
      ...form.handover,
      bringer: o.handover.bringer,
      items: parts.filter((p) => HANDOVER_ITEMS.includes(p)),
      itemsNote: parts.filter((p) => !HANDOVER_ITEMS.includes(p)).join('、'),
    }
  }
  form.window = o.window
  form.notes = o.notes
  return { form, dropped }
}

/**
 * The 备注 counter: characters as the server counts them (cleanText, then length; MAX_NOTES), and
 * what runs over, to show marked. Over the limit the form keeps the text and refuses to submit.
 */
export function notesCount(notes: string): { count: number; over: number; overflow: string; message: string } {
  const clean = cleanText(notes)
  const count = clean.length
  const over = Math.max(0, count - MAX_NOTES)
  return {
    count,
    over,
    overflow: over > 0 ? clean.slice(MAX_NOTES) : '',
    message: over > 0 ? `备注最多${MAX_NOTES}个字，现在${count}个字，请删掉${over}个字再提交` : '',
  }
}
