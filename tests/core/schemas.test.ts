/** Input schemas: bad input gets a specific Chinese message on the field that caused it. */
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { fieldErrors, PlaceOrderInput, RateInput } from '../../src/core/schemas'
import { cleanText } from '../../src/core/text'

const place = (input: unknown) => {
  const r = v.safeParse(PlaceOrderInput, input)
  return r.success ? { ok: true as const, value: r.output } : { ok: false as const, fields: fieldErrors(r.issues) }
}
const base = { requestId: 'req-12345678', kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] }

describe('order.place input', () => {
  it('accepts a minimal order and fills defaults', () => {
    const r = place(base)
    expect(r).toMatchObject({ ok: true, value: { urgency: 'normal', window: 'asap', notes: '' } })
  })

  it.each([
    [{ lines: [{ itemId: 'rice', qty: 0 }] }, 'lines.0.qty', '数量至少为1'],
    [{ lines: [{ itemId: 'rice', qty: 100 }] }, 'lines.0.qty', '数量最多为99'],
    [{ lines: [{ itemId: 'rice', qty: 1.5 }] }, 'lines.0.qty', '数量必须是整数'],
    [{ lines: [{ itemId: 'rice', qty: '1' }] }, 'lines.0.qty', '数量必须是数字'],
    [{ lines: Array.from({ length: 21 }, () => ({ itemId: 'rice', qty: 1 })) }, 'lines', '一次最多20种物品'],
    [{ lines: [] }, 'lines', '请至少选择一样物品'],
    [{ urgency: 'urgent' }, 'urgentReason', '加急需要说明原因，比如药快吃完了'],
    [{ urgency: 'urgent', urgentReason: '   ' }, 'urgentReason', '加急需要说明原因，比如药快吃完了'],
    [{ notes: 'x'.repeat(201) }, 'notes', '备注不能超过200个字'],
    [{ requestId: 'short' }, 'requestId', '提交编号格式不正确'],
    [{ kind: 'weapons' }, 'kind', '请选择需求类型'],
    [{ kind: 'meal', lines: [] }, 'meal', '请选择饭菜和用餐时间'],
  ])('%j → %s: %s', (patch, field, message) => {
    const r = place({ ...base, ...patch })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.fields[field]).toBe(message)
  })

  it('removes control characters and trims before checking length', () => {
    const r = place({ ...base, notes: '  放门口\u0000\u0007就行\u200b  ' })
    expect(r).toMatchObject({ ok: true, value: { notes: '放门口就行' } })
    expect(cleanText('\u202e\u0001 a\r\nb ')).toBe('a\nb')
  })

  it('refuses fields it does not know (no smuggled openid or role)', () => {
    const r = place({ ...base, openid: 'someone-else' })
    expect(r.ok).toBe(false)
  })
})

describe('order.rate input', () => {
  it('requires a reason for 2 stars or less', () => {
    const r = v.safeParse(RateInput, { id: 'o1', stars: 2 })
    expect(r.success).toBe(false)
    if (!r.success) expect(fieldErrors(r.issues)).toEqual({ comment: '打2星及以下时请写一下原因，我们会回访' })
    expect(v.safeParse(RateInput, { id: 'o1', stars: 3 }).success).toBe(true)
    expect(v.safeParse(RateInput, { id: 'o1', stars: 6 }).success).toBe(false)
  })
})

describe('messages for keys', () => {
  it('a missing key and an unknown key get Chinese messages too', () => {
    const missing = place({ kind: 'garbage' })
    expect(missing).toMatchObject({ ok: false, fields: { requestId: '缺少必填内容' } })
    const unknown = place({ ...base, role: 'coordinator' })
    expect(unknown).toMatchObject({ ok: false, fields: { role: '包含不认识的内容' } })
  })
})
