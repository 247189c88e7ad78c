/**
 * QR door badges (二维码胸牌): the coordinator prints a building's badges (issued on first print),
 * a squad member of the same community resolves a badge code to the household for 代下单; wrong
 * codes are limited; another community's badge, a resident, a household code: all refused.
 */
import { describe, expect, it } from 'vitest'
import { badgeCodeFrom, BADGE_ALPHABET, formatBadgeCode, isBadgeCode, normalizeBadgeInput } from '../../src/core/household/badge'
import { DEMO_PEOPLE, DEMO_SQUAD_INVITE } from '../../src/server/seed/demo'
import { makeApp, rid } from '../support/app'

const { coordinator, yuhong, wangnan, zhao, newWorker } = DEMO_PEOPLE

describe('badge codes (core)', () => {
  it('are 8 letters of the alphabet, read back from typed or scanned text', () => {
    const code = badgeCodeFrom(Array.from({ length: 16 }, (_, i) => i * 15))
    expect(code).toHaveLength(8)
    expect(isBadgeCode(code)).toBe(true)
    expect(normalizeBadgeInput(` ${formatBadgeCode(code).toLowerCase()} `)).toBe(code)
    expect(normalizeBadgeInput(`zjs:b:${code}`)).toBe(code)
    expect(isBadgeCode('K7M2Q9XI')).toBe(false) // no I
    expect(isBadgeCode('123456')).toBe(false)
  })

  it('skips bytes that would bias the alphabet (≥ 248)', () => {
    expect(badgeCodeFrom([255, 248, 0, 1, 2, 3, 4, 5, 6, 7])).toBe(BADGE_ALPHABET.slice(0, 8))
  })
})

describe('coord.householdBadges', () => {
  it('issues one distinct badge per household of the building, once; no names or phones, no door in the payload', async () => {
    const app = await makeApp()
    const first = await app.as(coordinator).call('coord.householdBadges', { buildingId: 'b1' })
    expect(first.building).toEqual({ id: 'b1', name: '1号楼' })
    expect(first.badges).toHaveLength(36)
    const codes = first.badges.map((b) => b.code)
    expect(new Set(codes).size).toBe(36)
    for (const b of first.badges) {
      expect(isBadgeCode(b.code)).toBe(true)
      expect(b.payload).toBe(`zjs:b:${b.code}`)
      expect(b.payload).not.toContain(b.room)
    }
    const household = (await app.store.households.get('h1-1-301'))!
    expect(household.badge).toBe(first.badges.find((b) => b.householdId === 'h1-1-301')!.code)
    expect(household.badge).not.toBe(household.code)
    const wire = JSON.stringify(first)
    expect(wire).not.toMatch(/1[3-9]\d{9}/)
    expect(wire).not.toContain('赵')
    expect(wire).not.toContain(household.code)
    // The second print shows the same badges: nothing is reissued.
    const again = await app.as(coordinator).call('coord.householdBadges', { buildingId: 'b1' })
    expect(again.badges).toEqual(first.badges)
  })

  it('only the coordinator; another building id is BUILDING.NOT_FOUND', async () => {
    const app = await makeApp()
    expect((await app.as(yuhong).refused('coord.householdBadges', {})).code).toBe('AUTH.FORBIDDEN')
    expect((await app.as(zhao).refused('coord.householdBadges', {})).code).toBe('AUTH.FORBIDDEN')
    expect((await app.as(coordinator).refused('coord.householdBadges', { buildingId: 'b9' })).code).toBe('BUILDING.NOT_FOUND')
    expect((await app.store.households.get('h1-1-301'))!.badge).toBeUndefined()
  })
})

describe('squad.badgeLookup', () => {
  async function printed() {
    const app = await makeApp()
    const { badges } = await app.as(coordinator).call('coord.householdBadges', { buildingId: 'b1' })
    const zhaoBadge = badges.find((b) => b.householdId === 'h1-1-301')!
    return { app, zhaoBadge }
  }

  it('a squad member of the community gets the household (door, needs; no names or phones) and can order for it', async () => {
    const { app, zhaoBadge } = await printed()
    for (const typed of [zhaoBadge.code, formatBadgeCode(zhaoBadge.code).toLowerCase(), zhaoBadge.payload]) {
      const h = await app.as(yuhong).call('squad.badgeLookup', { code: typed })
      expect(h).toMatchObject({ id: 'h1-1-301', label: '1号楼1单元301', isolated: true })
      expect(JSON.stringify(h)).not.toMatch(/1[3-9]\d{9}|赵/)
    }
    const order = await app
      .as(yuhong)
      .call('order.place', { requestId: rid(), householdId: 'h1-1-301', kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] })
    expect(order.placedBy.id).toBe(yuhong)
  })

  it('a badge code does not bind: household.join with it is refused and the person keeps no household', async () => {
    const { app, zhaoBadge } = await printed()
    const r = await app.as(DEMO_PEOPLE.newcomer).refused('household.join', { code: zhaoBadge.code, phone: '13800009999' })
    expect(r.code).toBe('REQUEST.INVALID_INPUT')
    expect((await app.store.people.get(DEMO_PEOPLE.newcomer))?.households ?? []).toEqual([])
  })

  it('residents, coordinators and people outside the squad are refused', async () => {
    const { app, zhaoBadge } = await printed()
    expect((await app.as(zhao).refused('squad.badgeLookup', { code: zhaoBadge.code })).code).toBe('AUTH.FORBIDDEN')
    expect((await app.as(coordinator).refused('squad.badgeLookup', { code: zhaoBadge.code })).code).toBe('AUTH.FORBIDDEN')
    expect((await app.as(newWorker).refused('squad.badgeLookup', { code: zhaoBadge.code })).code).toBe('AUTH.FORBIDDEN')
    // Once in the squad, the same person may.
    await app.as(newWorker).call('squad.join', { code: DEMO_SQUAD_INVITE })
    expect((await app.as(newWorker).call('squad.badgeLookup', { code: zhaoBadge.code })).id).toBe('h1-1-301')
  })

  it('another community’s squad is refused with BADGE.OTHER_COMMUNITY', async () => {
    const { app, zhaoBadge } = await printed()
    const other = (await app.store.people.get(wangnan))!
    await app.store.people.put({ ...other, squadOf: 'c-other' })
    const r = await app.as(wangnan).refused('squad.badgeLookup', { code: zhaoBadge.code })
    expect(r.code).toBe('BADGE.OTHER_COMMUNITY')
    expect(r.message).toContain('其他社区')
    expect(JSON.stringify(r)).not.toContain('301')
  })

  it('malformed input gets a Chinese field message', async () => {
    const { app } = await printed()
    const r = await app.as(yuhong).refused('squad.badgeLookup', { code: '12' })
    expect(r.code).toBe('REQUEST.INVALID_INPUT')
    expect(r.fields?.code).toContain('8位')
  })

  it('wrong codes count down, the fifth locks for ten minutes (a right code is refused meanwhile), then it works again', async () => {
    const { app, zhaoBadge } = await printed()
    const wrong = zhaoBadge.code === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA'
    for (let left = 4; left >= 1; left--) {
      const r = await app.as(yuhong).refused('squad.badgeLookup', { code: wrong })
      expect(r.code).toBe('BADGE.WRONG')
      expect(r.details?.attemptsLeft).toBe(left)
      expect(r.message).toContain(`还可以再试${left}次`)
    }
    const fifth = await app.as(yuhong).refused('squad.badgeLookup', { code: wrong })
    expect(fifth.code).toBe('BADGE.LOCKED')
    expect(fifth.message).toContain('10分钟')
    expect((await app.as(yuhong).refused('squad.badgeLookup', { code: zhaoBadge.code })).code).toBe('BADGE.LOCKED')
    // Another squad member is not locked out.
    expect((await app.as(DEMO_PEOPLE.chaolu).call('squad.badgeLookup', { code: zhaoBadge.code })).id).toBe('h1-1-301')
    app.advance(10 * 60_000 + 1)
    expect((await app.as(yuhong).call('squad.badgeLookup', { code: zhaoBadge.code })).id).toBe('h1-1-301')
    expect(app.log.lines.map((l) => JSON.stringify(l)).join('\n')).not.toContain(zhaoBadge.code)
  })
})

describe('coord.reissueBadge', () => {
  it('a new code finds the household, the old card finds nothing', async () => {
    const app = await makeApp()
    const { badges } = await app.as(coordinator).call('coord.householdBadges', { buildingId: 'b1' })
    const old = badges.find((b) => b.householdId === 'h1-1-301')!
    const fresh = await app.as(coordinator).call('coord.reissueBadge', { householdId: 'h1-1-301' })
    expect(fresh.code).not.toBe(old.code)
    expect((await app.as(yuhong).call('squad.badgeLookup', { code: fresh.code })).id).toBe('h1-1-301')
    expect((await app.as(yuhong).refused('squad.badgeLookup', { code: old.code })).code).toBe('BADGE.WRONG')
  })

  it('only the coordinator, only their own community’s households', async () => {
    const app = await makeApp()
    await app.store.households.put({ ...(await app.store.households.get('h1-1-101'))!, id: 'x-1', communityId: 'other', code: '111111' })
    expect((await app.as(coordinator).refused('coord.reissueBadge', { householdId: 'x-1' })).code).toBe('HOUSEHOLD.NOT_FOUND')
    expect((await app.store.households.get('x-1'))!.badge).toBeUndefined()
    expect((await app.as(yuhong).refused('coord.reissueBadge', { householdId: 'h1-1-301' })).code).toBe('AUTH.FORBIDDEN')
  })
})
