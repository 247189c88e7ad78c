import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/core/errors'
import {
  applyDeltas,
  decideTask,
  moveDeltas,
  planCampaign,
  recount,
  slotFitsDay,
  unitSlots,
  writeDeltas,
  zeroCounters,
  type TaskCommand,
} from '../../src/core/campaign/rules'
import * as v from 'valibot'
import { CampaignCreateInput } from '../../src/core/campaign/schemas'
import { cardLine, dayLabel, groupNotice, shareTitle } from '../../src/core/campaign/texts'
import type { CampaignTask, PlanBuilding, TaskStatus } from '../../src/core/campaign/types'
import { findPrivateData, privacyIndex } from '../../src/core/notify/privacy'
import { demoHouseholds } from '../../src/server/seed/demo'

const plan: PlanBuilding[] = [
  { buildingId: 'b1', name: '1号楼', units: [1, 2] },
  { buildingId: 'b2', name: '2号楼', units: [1] },
]
type T = Pick<CampaignTask, 'buildingId' | 'unit' | 'status'>
const task = (buildingId: string, unit: number, status: TaskStatus = 'pending'): T => ({ buildingId, unit, status })

/** given tasks → when commands → then counters (and they equal a recount). */
function run(tasks: T[], commands: [number, TaskCommand][]) {
  let counters = applyDeltas(zeroCounters(plan), writeDeltas(tasks))
  const now = tasks.map((t) => ({ ...t }))
  for (const [i, cmd] of commands) {
    const t = now[i]!
    const d = decideTask(cmd, t.status)
    if (d.kind === 'move') {
      counters = applyDeltas(counters, moveDeltas(t, d.from, d.to))
      t.status = d.to
    }
  }
  return { counters, tasks: now }
}

const codeOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (e) {
    return e instanceof AppError ? e.code : 'not an AppError'
  }
  return 'no error'
}

describe('campaign task decisions', () => {
  it('tick: pending → done, done again changes nothing, declined is refused', () => {
    expect(decideTask('tick', 'pending')).toEqual({ kind: 'move', from: 'pending', to: 'done' })
    expect(decideTask('tick', 'done')).toEqual({ kind: 'noop' })
    expect(codeOf(() => decideTask('tick', 'declined'))).toBe('CAMPAIGN.TASK_DECLINED')
  })

  it('decline: pending → declined, idempotent, refused once delivered', () => {
    expect(decideTask('decline', 'pending')).toEqual({ kind: 'move', from: 'pending', to: 'declined' })
    expect(decideTask('decline', 'declined')).toEqual({ kind: 'noop' })
    expect(codeOf(() => decideTask('decline', 'done'))).toBe('CAMPAIGN.ALREADY_DELIVERED')
  })

  it('untick: done → pending, pending stays, declined is refused', () => {
    expect(decideTask('untick', 'done')).toEqual({ kind: 'move', from: 'done', to: 'pending' })
    expect(decideTask('untick', 'pending')).toEqual({ kind: 'noop' })
    expect(codeOf(() => decideTask('untick', 'declined'))).toBe('CAMPAIGN.TASK_DECLINED')
  })
})

describe('campaign counters', () => {
  const tasks = [task('b1', 1), task('b1', 1), task('b1', 2), task('b2', 1)]

  it('writing tasks counts totals per campaign, building and unit', () => {
    const { counters } = run(tasks, [])
    expect(counters.counts).toEqual({ total: 4, done: 0, declined: 0 })
    expect(counters.buildings.b1).toEqual({ total: 3, done: 0, declined: 0, units: { u1: { total: 2, done: 0, declined: 0 }, u2: { total: 1, done: 0, declined: 0 } } })
    expect(counters.buildings.b2!.units.u1).toEqual({ total: 1, done: 0, declined: 0 })
  })

  it('a double tick counts once; a decline counts in its unit; both equal a recount', () => {
    const { counters, tasks: after } = run(tasks, [[0, 'tick'], [0, 'tick'], [2, 'decline'], [2, 'decline'], [3, 'tick']])
    expect(counters.counts).toEqual({ total: 4, done: 2, declined: 1 })
    expect(counters.buildings.b1!.units.u1).toEqual({ total: 2, done: 1, declined: 0 })
    expect(counters.buildings.b1!.units.u2).toEqual({ total: 1, done: 0, declined: 1 })
    expect(counters).toEqual(recount(plan, after))
  })

  it('tick then untick returns the counters to where they were', () => {
    const { counters } = run(tasks, [[1, 'tick'], [1, 'untick']])
    expect(counters).toEqual(recount(plan, tasks))
    expect(counters.counts.done).toBe(0)
  })

  it('a move between equal counters produces no deltas', () => {
    expect(moveDeltas({ buildingId: 'b1', unit: 1 }, 'pending', 'pending')).toEqual([])
    expect(moveDeltas({ buildingId: 'b1', unit: 1 }, 'pending', 'done')).toHaveLength(3)
  })
})

describe('campaign plan and slots', () => {
  const households = demoHouseholds()

  it('plans the chosen buildings in order with the units their households live in', () => {
    const r = planCampaign([{ id: 'b1', name: '1号楼' }, { id: 'b2', name: '2号楼' }], ['b2'], households)
    expect(r).toEqual({ planned: 36, plan: [{ buildingId: 'b2', name: '2号楼', units: [1, 2, 3] }] })
    expect(planCampaign([{ id: 'b9', name: '9号楼' }], ['b9'], households).planned).toBe(0)
  })

  it('gives each unit its own slot, in order, and knows when the day runs out', () => {
    const slots = unitSlots(plan, { start: '14:00', minutesPerUnit: 60 })!
    expect([...slots]).toEqual([
      ['b1/1', '14:00-15:00'],
      ['b1/2', '15:00-16:00'],
      ['b2/1', '16:00-17:00'],
    ])
    expect(unitSlots(plan, null)).toBeNull()
    expect(slotFitsDay(plan, { start: '21:00', minutesPerUnit: 60 })).toBe(true)
    expect(slotFitsDay(plan, { start: '21:01', minutesPerUnit: 60 })).toBe(false)
  })
})

describe('campaign texts', () => {
  const c = { title: '白菜发放', item: '白菜', qtyPerHousehold: 60, unit: '斤', date: '2026-11-22' }
  const at = Date.UTC(2026, 10, 22, 1, 0)

  it('the card says what, how much and when', () => {
    expect(cardLine({ ...c, slot: '14:00-15:00' }, at)).toBe('社区发放：白菜 60斤/户，今天 14:00-15:00 送到门口')
    expect(shareTitle({ ...c, qtyPerHousehold: 2.5 })).toBe('社区发放：白菜 2.5斤/户')
  })

  it('the group notice passes the privacy guard against the demo register', () => {
    const text = groupNotice({ ...c, slot: { start: '14:00' } }, ['1号楼', '2号楼'], at)
    expect(text).toContain('1号楼、2号楼每户白菜60斤')
    const index = privacyIndex(demoHouseholds().map((h) => ({ ...h, residentName: h.residentName || '赵建国' })))
    expect(findPrivateData(text, index)).toBeNull()
  })
})

describe('campaign.create input', () => {
  const base = { title: '白菜发放', item: '白菜', qtyPerHousehold: 60, unit: '斤', buildingIds: ['b1'] }
  const issues = (input: unknown) => {
    const r = v.safeParse(CampaignCreateInput, input)
    return r.success ? [] : r.issues.map((i) => `${i.path?.map((p) => p.key).join('.')}: ${i.message}`)
  }

  it('takes quantities with one decimal, up to 1000, and a unit of 1–4 characters', () => {
    expect(issues({ ...base, qtyPerHousehold: 0.3 })).toEqual([])
    expect(issues({ ...base, qtyPerHousehold: 1000, unit: '大袋' })).toEqual([])
    expect(issues({ ...base, qtyPerHousehold: 0.25 })).toEqual(['qtyPerHousehold: 每户数量最多一位小数'])
    expect(issues({ ...base, qtyPerHousehold: 0 })).toEqual(['qtyPerHousehold: 每户数量要大于0'])
    expect(issues({ ...base, qtyPerHousehold: 1001 })).toEqual(['qtyPerHousehold: 每户数量最多1000'])
    expect(issues({ ...base, unit: '' })).toEqual(['unit: 请填写单位'])
  })

  it('refuses no buildings, repeated buildings, a bad slot and unknown fields', () => {
    expect(issues({ ...base, buildingIds: [] })).toEqual(['buildingIds: 请至少选择一栋楼'])
    expect(issues({ ...base, buildingIds: ['b1', 'b1'] })).toEqual(['buildingIds: 楼栋选重复了'])
    expect(issues({ ...base, slot: { start: '25:00', minutesPerUnit: 5 } })).toEqual([
      'slot.start: 时间格式应为 时:分',
      'slot.minutesPerUnit: 每个单元至少10分钟',
    ])
    expect(issues({ ...base, householdIds: ['h1'] })).toHaveLength(1)
  })
})

describe('campaign day labels', () => {
  it('today, tomorrow, then a date that cannot run into the time after it', () => {
    const now = Date.UTC(2026, 10, 22, 1, 0) // 11-22 09:00 Beijing
    expect(dayLabel('2026-11-22', now)).toBe('今天')
    expect(dayLabel('2026-11-23', now)).toBe('明天')
    expect(dayLabel('2026-12-05', now)).toBe('12月5日')
    expect(`${dayLabel('2026-12-05', now)}14:00起`).toBe('12月5日14:00起')
  })
})
