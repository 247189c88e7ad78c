/** The squad board's pure helpers: scope (我的网格), type filter, grouping, overdue, parcel countdown. */
import { describe, expect, it } from 'vitest'
import { groupByBuilding, inScope, isOverdue, matchesKind, overdueLabel, parcelState } from '../../src/core/order/board'

const at = (buildingId: string, building: string, id = buildingId) => ({ id, address: { buildingId, building } })

describe('board scope (我的网格 / 全部)', () => {
  const grid = { buildingIds: ['b1', 'b3'] }
  it('my grid keeps only its buildings', () => {
    const orders = [at('b1', '1号楼'), at('b2', '2号楼'), at('b3', '3号楼')]
    expect(orders.filter((o) => inScope(o, 'grid', grid)).map((o) => o.id)).toEqual(['b1', 'b3'])
  })
  it('全部 keeps everything, and so does a member without a grid', () => {
    expect(inScope(at('b2', '2号楼'), 'all', grid)).toBe(true)
    expect(inScope(at('b2', '2号楼'), 'grid', null)).toBe(true)
  })
})

describe('grouping and filters', () => {
  it('groups by building in numeric order, keeping the server order inside a group', () => {
    const g = groupByBuilding([at('b10', '10号楼', 'x'), at('b2', '2号楼', 'y'), at('b10', '10号楼', 'z')])
    expect(g.map((x) => [x.building, x.orders.map((o) => o.id)])).toEqual([
      ['2号楼', ['y']],
      ['10号楼', ['x', 'z']],
    ])
  })
  it('type filter', () => {
    expect(matchesKind({ kind: 'meal' }, 'all')).toBe(true)
    expect(matchesKind({ kind: 'meal' }, 'meal')).toBe(true)
    expect(matchesKind({ kind: 'meal' }, 'garbage')).toBe(false)
  })
  it('overdue only once the due time has passed', () => {
    expect(isOverdue({ dueAt: 1000 }, 999)).toBe(false)
    expect(isOverdue({ dueAt: 1000 }, 1001)).toBe(true)
  })
  it('a waiting order is overdue from its claim deadline; the badge says which deadline passed', () => {
    const o = { dueAt: 100 * 60_000, claimDueAt: 30 * 60_000, status: 'pending' as const }
    expect(isOverdue(o, 30 * 60_000 - 1)).toBe(false)
    expect(isOverdue(o, 30 * 60_000)).toBe(true)
    expect(overdueLabel(o, 50 * 60_000)).toBe('超时未接 20分钟')
    // Claimed: only the delivery deadline counts.
    expect(isOverdue({ ...o, status: 'claimed' as const }, 50 * 60_000)).toBe(false)
    expect(overdueLabel({ ...o, status: 'claimed' as const }, 50 * 60_000)).toBeNull()
    expect(overdueLabel(o, 165 * 60_000)).toBe('已超时 1小时5分钟')
  })
  it('a disinfected parcel counts down, then is 可配送', () => {
    const t = Date.UTC(2026, 10, 22, 1, 0)
    expect(parcelState({ kind: 'supplies' }, t)).toEqual({ state: 'not_parcel' })
    expect(parcelState({ kind: 'handover' }, t)).toEqual({ state: 'not_disinfected' })
    const held = parcelState({ kind: 'handover', deliverableAt: t + 90 * 60_000 }, t)
    expect(held).toMatchObject({ state: 'holding', left: 90 * 60_000 })
    expect(parcelState({ kind: 'handover', deliverableAt: t }, t + 1)).toEqual({ state: 'ready', label: '可配送' })
  })
})
