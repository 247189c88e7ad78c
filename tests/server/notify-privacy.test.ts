/**
 * Privacy: run the whole demo community through every kind of group message — arrivals, urgent
 * and overdue alerts, the daily summary, tests and notices, with and without robots — then scan
 * every group post (as the robot server received it and as stored) and every log line for every
 * name, phone and room number of the demo data, and the health details residents gave.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEMO_ISOLATED, DEMO_PEOPLE, demoHouseholds, demoPeople } from '../../src/server/seed/demo'
import { rid, T0 } from '../support/app'
import { makeNotifyApp } from '../support/notify'
import { startRobotServer, type RobotServer } from '../support/robot-server'

const { yuhong, wangnan, coordinator, zhao, zhang } = DEMO_PEOPLE

let robots: RobotServer
let clock = { now: T0 }
beforeEach(async () => {
  clock = { now: T0 }
  robots = await startRobotServer(() => clock.now)
})
afterEach(async () => {
  await robots.close()
})

const HEALTH = ['降压药', '低血糖', '发烧', ...new Set(DEMO_ISOLATED.flatMap((h) => h.specialNeeds))]

describe('no group message and no log line carries personal data', () => {
  it('scans every post and log line of a full demo run', async () => {
    const a = await makeNotifyApp({ robots, now: T0 })
    clock = a.clock
    const tick = (jobs = false) => a.dispatcher.drain({ jobs })
    await a.as(coordinator).call('robot.set', { scope: 'b1', url: robots.url('grp-b1') })
    await a.as(coordinator).call('robot.set', { scope: 'community', url: robots.url('grp-community') })
    await a.as(coordinator).call('robot.set', { scope: 'coordinators', url: robots.url('grp-staff') })

    // Every isolated household orders (the two with the app themselves, the others through the squad).
    const orders: string[] = []
    for (const [i, h] of DEMO_ISOLATED.entries()) {
      const who = h.id === 'h1-1-301' ? zhao : h.id === 'h1-2-502' ? zhang : yuhong
      const urgent = i % 2 === 0
      const o = await a.as(who).call('order.place', {
        requestId: rid(),
        ...(who === yuhong ? { householdId: h.id } : {}),
        kind: i % 4 === 3 ? 'garbage' : 'supplies',
        ...(i % 4 === 3 ? {} : { lines: [{ itemId: 'medicine', name: '硝苯地平', qty: 1, prescription: true }] }),
        ...(urgent ? { urgency: 'urgent' as const, urgentReason: `${HEALTH[i % HEALTH.length]}，${h.residentName}家里没人` } : {}),
        notes: `${h.residentName} ${h.phone} 门牌${h.id}`,
      })
      orders.push(o.id)
      a.advance(30_000)
      await tick()
    }
    for (const [i, id] of orders.entries()) {
      const holder = i % 2 ? wangnan : yuhong
      if (i % 3 === 2) {
        await a.run(holder, id, { type: 'claim' }) // left to go overdue
      } else {
        await a.toDoor(holder, id)
        if (i % 3 === 0) await a.finish(holder, id)
        else await a.run(holder, id, { type: 'no_answer' })
      }
      a.advance(45_000)
      await tick()
    }
    for (const scope of ['b1', 'b2', 'community', 'coordinators']) await a.as(coordinator).call('robot.test', { scope })
    await a.as(coordinator).call('robot.notice', { scope: 'community', text: '明天上午9点核酸检测，请按楼栋顺序下楼，注意间隔' })
    a.advance(4 * 3600_000)
    await tick(true)
    a.clock.now = Date.UTC(2026, 10, 22, 12, 30) // 20:30 Beijing: the daily summary
    await tick(true)
    for (let i = 0; i < 5; i++) {
      a.advance(60_000)
      await tick(true)
    }

    // The run produced every kind of group message.
    const stored = (await a.all()).filter((n) => n.channel === 'robot')
    expect(new Set(stored.map((n) => n.kind))).toEqual(new Set(['urgent', 'arriving', 'overdue', 'daily', 'test', 'notice']))
    expect(stored.every((n) => n.status === 'sent')).toBe(true)
    expect(robots.posts.length).toBeGreaterThan(10)
    expect(robots.posts.every((p) => p.problems.length === 0)).toBe(true)

    const groupTexts = [...robots.posts.map((p) => p.content), ...stored.map((n) => n.body)]
    const logText = a.log.lines
    expect(logText.length).toBeGreaterThan(50)

    const names = [...DEMO_ISOLATED.map((h) => h.residentName), ...demoPeople(T0).map((p) => p.name)]
    const phones = [...DEMO_ISOLATED.map((h) => h.phone), ...demoPeople(T0).map((p) => p.phone)]
    const households = demoHouseholds()
    const problems: string[] = []
    const check = (where: string, text: string, bareRooms: boolean) => {
      for (const n of names) if (text.includes(n)) problems.push(`${where}: name ${n}`)
      for (const p of phones) if (text.includes(p)) problems.push(`${where}: phone ${p}`)
      for (const h of households) {
        const forms = [`${h.unit}单元${h.room}`, `${h.room}室`, `"${h.room}"`, `-${h.unit}-${h.room}`]
        if (forms.some((f) => text.includes(f))) problems.push(`${where}: room ${h.id}`)
        if (bareRooms && new RegExp(`(?<!\\d)${h.room}(?!\\d)`).test(text)) problems.push(`${where}: room number ${h.room}`)
      }
      for (const w of HEALTH) if (text.includes(w)) problems.push(`${where}: health ${w}`)
    }
    for (const t of groupTexts) check('group', t, true)
    for (const l of logText) check('log', l, false)
    expect(problems).toEqual([])
    // And no webhook URL in any log line, whole or as its secret part.
    for (const l of logText) expect(l).not.toMatch(/\/dev\/robot\/grp-/)
  })
})
