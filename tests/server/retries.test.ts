/**
 * Idempotent retries of EVERY mutating action of the contract (issue 12), over the real local host
 * (HTTP, signed sessions, the SQLite file). Each action is sent twice in a row, and, on a fresh host,
 * twice at once. What "one effect" means is read from the database itself: every table but the rate
 * counters is dumped before and after.
 *
 *  - 'same':    both answers are ok and equal, and the second call changes nothing (sequential);
 *               two at once change the database exactly as one call does (rows added / changed /
 *               removed per table, and document versions moved).
 *  - 'refused': by nature not repeatable (a rating, a one-time code, a disinfection): the second
 *               call is refused with a stable code and changes nothing; two at once: one ok, one
 *               refused, and one call's effect.
 *  - 'additive': each call is a request for one more thing, with no key to recognise a resend
 *               (a new invite code, a new export file, one more subscribe allowance): the second
 *               call answers ok and adds exactly what the first added, nothing else.
 *
 * The mutating actions are the contract's actions that are not reads (core/rate-limit.ts
 * RATE_EXEMPT); a new one without a case here fails the first test.
 */
import Database from 'better-sqlite3'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ACTION_NAMES, type ActionName, type Result } from '../../src/core/contract'
import type { ErrorCode } from '../../src/core/errors'
import { isRateExempt } from '../../src/core/rate-limit'
import { sealPhotoFolder } from '../../src/core/photo'
import type { OrderView } from '../../src/core/views'
import { cloudNotifyConfig } from '../../src/server/notify/config'
import { createDispatcher } from '../../src/server/notify/dispatcher'
import { DEMO_PEOPLE, DEMO_SQUAD_INVITE } from '../../src/server/seed/demo'
import { startHost, type RunningHost } from '../support/host'
import { TEMPLATES } from '../support/notify'

const { zhao, zhang, newcomer, yuhong, wangnan, chaolu, coordinator, newWorker } = DEMO_PEOPLE

type Expectation = { kind: 'same'; effect?: false } | { kind: 'refused'; code: ErrorCode } | { kind: 'additive' }
type Answer = Result<unknown>

interface Call {
  who: string
  input: unknown
}

interface Case {
  expect: Expectation
  /** Why it is not 'same' (for 'refused' and 'additive'). */
  why?: string
  host?: Parameters<typeof startHost>[0]
  /**
   * 'same': how a resend's answer relates to the first (default: equal). Where the answer says
   * truthfully that the work was done already, this names the one field that says so.
   */
  sameAnswer?: (first: Answer, again: Answer) => void
  /** Brings the host to the state before the call; returns who sends what. */
  setup: (h: Harness) => Promise<Call>
}

interface Harness {
  host: RunningHost
  ok<T = OrderView>(who: string, action: ActionName, input: unknown): Promise<T>
}

let hosts: RunningHost[] = []
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.stop()
})

async function harness(opts: Case['host']): Promise<Harness> {
  const host = await startHost(opts)
  hosts.push(host)
  // Subscribe templates configured, as on a real deployment (notify.consent counts only known ones).
  host.deps.notify = { config: cloudNotifyConfig({ ZJ_SUBSCRIBE_TEMPLATES: JSON.stringify(TEMPLATES) }), kick: () => {} }
  return {
    host,
    async ok<T>(who: string, action: ActionName, input: unknown) {
      const r = await host.api<T>(host.session(who), action, input)
      if (!r.ok) throw new Error(`${action}: ${r.code} ${r.message}`)
      return r.data
    },
  }
}

let seq = 0
const rid = () => `retry-${Date.now().toString(36)}-${++seq}`.padEnd(12, '0')
const garbage = (h: Harness, who = zhao) => h.ok(who, 'order.place', { requestId: rid(), kind: 'garbage' })
async function claimed(h: Harness): Promise<string> {
  const o = await garbage(h)
  await h.ok(yuhong, 'order.claim', { id: o.id })
  return o.id
}
const STEPS = ['disinfect_corridor', 'remove_seal', 'call_resident', 'picked_up', 'restore_seal'] as const
async function atDoor(h: Harness, steps = 5): Promise<string> {
  const id = await claimed(h)
  await h.ok(yuhong, 'order.advance', { id, event: 'depart' })
  for (const step of STEPS.slice(0, steps)) await h.ok(yuhong, 'order.step', { id, step })
  return id
}
async function delivered(h: Harness): Promise<string> {
  const id = await atDoor(h)
  await h.ok(yuhong, 'order.step', { id, step: 'disinfect_again' })
  return id
}
async function householdCode(h: Harness, householdId: string): Promise<string> {
  const codes = await h.ok<{ rows: { householdId: string; code: string }[] }>(coordinator, 'coord.householdCodes', { buildingId: 'b1' })
  return codes.rows.find((r) => r.householdId === householdId)!.code
}
const CABBAGE = { title: '社区发放白菜', item: '白菜', qtyPerHousehold: 60, unit: '斤', buildingIds: ['b1'] }
const ROBOT = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=retry-0001'
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

const CASES: Record<string, Case> = {
  'me.setPrefs': { expect: { kind: 'same' }, setup: async () => ({ who: zhao, input: { largeText: true } }) },
  'household.join': {
    expect: { kind: 'same' },
    setup: async (h) => ({ who: newcomer, input: { code: await householdCode(h, 'h1-1-302'), phone: '13800000302', name: '孙女士' } }),
  },
  'community.setup': {
    expect: { kind: 'refused', code: 'SETUP.ALREADY_COORDINATOR' },
    why: 'a one-time setup code makes one community; the caller is then its coordinator',
    host: { demo: false, setupCode: 'RETRY234' },
    setup: async (h) => {
      const r = await fetch(`${h.host.url}/api/dev/sign-in`, { method: 'POST', body: JSON.stringify({ name: '周主任' }), headers: { 'content-type': 'application/json' } })
      const who = ((await r.json()) as { data: { personId: string } }).data.personId
      return { who, input: { code: 'RETRY234', name: '东湖社区', buildings: [{ name: '1号楼', units: 1, floors: 2, roomsPerFloor: 2 }] } }
    },
  },
  'order.place': {
    expect: { kind: 'same' },
    setup: async () => ({ who: zhao, input: { requestId: rid(), kind: 'supplies', lines: [{ itemId: 'rice', qty: 2 }] } }),
  },
  'order.cancel': { expect: { kind: 'same' }, setup: async (h) => ({ who: zhao, input: { id: (await garbage(h)).id, reason: '不需要了' } }) },
  'order.confirm': { expect: { kind: 'same' }, setup: async (h) => ({ who: zhao, input: { id: await delivered(h) } }) },
  'order.rate': {
    expect: { kind: 'refused', code: 'ORDER.ALREADY_RATED' },
    why: 'a rating is given once',
    setup: async (h) => ({ who: zhao, input: { id: await delivered(h), stars: 5, comment: '很及时' } }),
  },
  'order.repeat': { expect: { kind: 'same' }, setup: async (h) => ({ who: zhao, input: { id: await delivered(h), requestId: rid() } }) },
  'order.claim': { expect: { kind: 'same' }, setup: async (h) => ({ who: yuhong, input: { id: (await garbage(h)).id } }) },
  'order.release': { expect: { kind: 'same' }, setup: async (h) => ({ who: yuhong, input: { id: await claimed(h), reason: '临时有事' } }) },
  'order.advance': { expect: { kind: 'same' }, setup: async (h) => ({ who: yuhong, input: { id: await claimed(h), event: 'depart' } }) },
  'order.deliver': { expect: { kind: 'same' }, setup: async (h) => ({ who: yuhong, input: { id: await atDoor(h), outcome: 'left_at_door' } }) },
  // The step a phone resends is the offline queue's, which carries tappedAt (step-time.ts).
  'order.step': {
    expect: { kind: 'same' },
    setup: async (h) => ({ who: yuhong, input: { id: await atDoor(h, 0), step: 'disinfect_corridor', tappedAt: Date.now() } }),
  },
  'order.addPartner': { expect: { kind: 'same' }, setup: async (h) => ({ who: yuhong, input: { id: await claimed(h), partnerId: chaolu } }) },
  'order.disinfectParcel': {
    expect: { kind: 'refused', code: 'ORDER.PARCEL_ALREADY_DISINFECTED' },
    why: 'the disinfection starts the hold once; a second one would move the hold',
    setup: async (h) => {
      const o = await h.ok(zhao, 'order.place', {
        requestId: rid(),
        kind: 'handover',
        handover: { bringer: '父母', items: '水果', expectedAt: Date.now() + 2 * 3600_000 },
      })
      await h.ok(yuhong, 'order.claim', { id: o.id })
      await h.ok(yuhong, 'order.parcelArrived', { id: o.id })
      return { who: yuhong, input: { id: o.id } }
    },
  },
  'order.parcelArrived': {
    expect: { kind: 'refused', code: 'ORDER.PARCEL_ALREADY_ARRIVED' },
    why: 'the parcel reaches the gate once; its time is when the hold may start',
    setup: async (h) => {
      const o = await h.ok(zhao, 'order.place', {
        requestId: rid(),
        kind: 'handover',
        handover: { bringer: '父母', items: '水果', expectedAt: Date.now() + 2 * 3600_000 },
      })
      await h.ok(yuhong, 'order.claim', { id: o.id })
      return { who: yuhong, input: { id: o.id } }
    },
  },
  // 于红 withdraws the 代下单 she placed for 赵先生 while nobody has claimed it.
  'order.cancelProxy': {
    expect: { kind: 'same' },
    setup: async (h) => {
      const o = await h.ok(yuhong, 'order.place', { requestId: rid(), householdId: 'h1-1-301', kind: 'garbage' })
      return { who: yuhong, input: { id: o.id, reason: 'withdrawn' } }
    },
  },
  // A looked-up badge changes nothing (only a wrong code is counted, in the rate table).
  'squad.badgeLookup': {
    expect: { kind: 'same', effect: false },
    setup: async (h) => {
      const b = await h.ok<{ badges: { householdId: string; code: string }[] }>(coordinator, 'coord.householdBadges', { buildingId: 'b1' })
      return { who: yuhong, input: { code: b.badges.find((x) => x.householdId === 'h1-1-301')!.code } }
    },
  },
  'order.sealPhoto': {
    expect: { kind: 'same' },
    setup: async (h) => {
      const id = await atDoor(h)
      const res = await fetch(`${h.host.url}/api/upload?folder=${encodeURIComponent(sealPhotoFolder(id))}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.host.session(yuhong)}`, 'content-type': 'image/png' },
        body: PNG,
      })
      const fileId = ((await res.json()) as { data: { fileId: string } }).data.fileId
      return { who: yuhong, input: { id, fileId } }
    },
  },
  'order.reassign': {
    expect: { kind: 'refused', code: 'ORDER.ALREADY_HOLDER' },
    why: 'after the first, the named member holds it; the second is told so (改派 to someone else stays possible)',
    setup: async (h) => ({ who: coordinator, input: { id: await claimed(h), toId: wangnan } }),
  },
  'inbox.markRead': {
    expect: { kind: 'same' },
    setup: async (h) => {
      await h.ok(yuhong, 'order.claim', { id: (await garbage(h)).id })
      // One dispatcher round puts 已接单 into 赵先生's inbox.
      await createDispatcher({ deps: h.host.deps, config: h.host.deps.notify!.config, subscribe: null, postRobot: async () => ({ ok: true }) }).drain()
      expect((await h.ok<{ unread: number }>(zhao, 'inbox.list', {})).unread).toBeGreaterThan(0)
      return { who: zhao, input: { all: true } }
    },
  },
  'notify.consent': {
    expect: { kind: 'additive' },
    why: "each 'accept' of wx.requestSubscribeMessage allows one message (WeChat's own count), up to a cap",
    setup: async () => ({ who: zhao, input: { results: { errMsg: 'requestSubscribeMessage:ok', [TEMPLATES.claimed.id]: 'accept' } } }),
  },
  'squad.invite': {
    expect: { kind: 'additive' },
    why: 'each call asks for a new one-time code; an unused one expires in 7 days',
    setup: async () => ({ who: coordinator, input: {} }),
  },
  'squad.join': {
    expect: { kind: 'refused', code: 'SQUAD.ALREADY_MEMBER' },
    why: 'the invite code is used once; the second call hears that the caller is already on the squad',
    setup: async () => ({ who: newWorker, input: { code: DEMO_SQUAD_INVITE } }),
  },
  'coord.setParcelHold': { expect: { kind: 'same' }, setup: async () => ({ who: coordinator, input: { minutes: 60 } }) },
  'coord.setSoldOut': { expect: { kind: 'same' }, setup: async () => ({ who: coordinator, input: { itemId: 'rice', soldOut: true } }) },
  'coord.addItem': { expect: { kind: 'same' }, setup: async () => ({ who: coordinator, input: { categoryId: 'grain', name: '小米', unit: '袋' } }) },
  'coord.removeItem': {
    expect: { kind: 'refused', code: 'REQUEST.INVALID_INPUT' },
    why: 'the item is gone after the first; the second is told 没有这种物品 (the same as for an id that never was)',
    setup: async (h) => {
      await h.ok(coordinator, 'coord.addItem', { categoryId: 'grain', name: '小米', unit: '袋' })
      const catalog = await h.ok<{ categories: { items: { id: string; name: string }[] }[] }>(coordinator, 'catalog.get', {})
      const item = catalog.categories.flatMap((c) => c.items).find((i) => i.name === '小米')!
      return { who: coordinator, input: { itemId: item.id } }
    },
  },
  'coord.setHousehold': {
    expect: { kind: 'same' },
    setup: async () => ({ who: coordinator, input: { id: 'h1-1-301', isolation: 'home_isolation', specialNeeds: ['独居老人'] } }),
  },
  // Printing is recorded in 操作记录 once; a resend of it is not recorded again.
  'coord.householdCodes': { expect: { kind: 'same' }, setup: async () => ({ who: coordinator, input: { buildingId: 'b1' } }) },
  // The first print issues the building's badge codes; a resend lists the same ones.
  'coord.householdBadges': { expect: { kind: 'same' }, setup: async () => ({ who: coordinator, input: { buildingId: 'b1' } }) },
  'coord.reissueBadge': {
    expect: { kind: 'additive' },
    why: 'each call replaces a lost card with a new code (the previous card stops working), and is recorded',
    setup: async (h) => {
      await h.ok(coordinator, 'coord.householdBadges', { buildingId: 'b1' })
      return { who: coordinator, input: { householdId: 'h1-1-301' } }
    },
  },
  'coord.setServicePhone': { expect: { kind: 'same' }, setup: async () => ({ who: coordinator, input: { phone: '0471-6281235' } }) },
  'coord.setRetention': { expect: { kind: 'same' }, setup: async () => ({ who: coordinator, input: { days: 60 } }) },
  'coord.exportLedger': {
    expect: { kind: 'additive' },
    why: 'each export is a new file behind a new 10-minute link; nothing in the database changes',
    setup: async (h) => {
      await garbage(h)
      return { who: coordinator, input: {} }
    },
  },
  'coord.importHouseholds': {
    expect: { kind: 'same' },
    setup: async () => ({
      who: coordinator,
      input: { csv: '楼栋,单元,房号,隔离状态,开始日期,结束日期,特殊情况,联系人,电话\n1号楼,1,301,居家隔离,2026-11-20,2026-12-04,,赵先生,13800000301\n' },
    }),
  },
  'coord.resolveFollowup': {
    expect: { kind: 'refused', code: 'FOLLOWUP.ALREADY_DONE' },
    why: 'a 回访 is recorded once, with its note',
    setup: async (h) => {
      const id = await delivered(h)
      await h.ok(zhao, 'order.rate', { id, stars: 1, comment: '东西放错门口了' })
      return { who: coordinator, input: { id, note: '已电话回访，居民满意' } }
    },
  },
  'coord.setDeadlines': {
    expect: { kind: 'same' },
    setup: async () => ({ who: coordinator, input: { urgentClaimMinutes: 20, urgentDeliverMinutes: 90, normalClaimMinutes: 60, normalDeliverMinutes: 240 } }),
  },
  'squad.deactivate': {
    expect: { kind: 'same' },
    // The resend changes nothing and says so: nothing more returned to the board, alreadyInactive.
    sameAnswer: (first, again) =>
      expect(again).toEqual(ok(first, (d: object) => ({ ...d, returned: 0, partnerDropped: 0, alreadyInactive: true }))),
    setup: async (h) => {
      const id = await claimed(h)
      await h.ok(coordinator, 'order.reassign', { id, toId: wangnan })
      return { who: coordinator, input: { personId: wangnan } }
    },
  },
  'coord.setGrid': {
    expect: { kind: 'same' },
    setup: async () => ({ who: coordinator, input: { gridId: 'g1', name: '东片网格', buildingIds: ['b1', 'b2'], workerIds: [yuhong, chaolu] } }),
  },
  'robot.set': { expect: { kind: 'same' }, setup: async () => ({ who: coordinator, input: { scope: 'community', url: ROBOT } }) },
  'robot.test': {
    expect: { kind: 'additive' },
    why: '发送测试消息: each press posts one test message to the group, which is what the button is for',
    setup: async (h) => {
      await h.ok(coordinator, 'robot.set', { scope: 'community', url: ROBOT })
      return { who: coordinator, input: { scope: 'community' } }
    },
  },
  'robot.notice': {
    expect: { kind: 'same' },
    // The page sends one request id per notice: the resend is the same record, not queued again.
    sameAnswer: (first, again) => expect(again).toEqual(ok(first, (d: object) => ({ ...d, queued: false }))),
    setup: async () => ({ who: coordinator, input: { scope: 'community', text: '今晚八点发放蔬菜', requestId: rid() } }),
  },
  'notify.announcement': { expect: { kind: 'same', effect: false }, setup: async () => ({ who: coordinator, input: { text: '今晚八点发放蔬菜' } }) },
  'campaign.create': { expect: { kind: 'same' }, setup: async () => ({ who: coordinator, input: { ...CABBAGE, requestId: rid() } }) },
  'campaign.tick': {
    expect: { kind: 'same' },
    setup: async (h) => {
      const c = await h.ok<{ id: string }>(coordinator, 'campaign.create', CABBAGE)
      return { who: yuhong, input: { id: c.id, householdId: 'h1-1-301' } }
    },
  },
  'campaign.untick': {
    expect: { kind: 'same' },
    setup: async (h) => {
      const c = await h.ok<{ id: string }>(coordinator, 'campaign.create', CABBAGE)
      await h.ok(yuhong, 'campaign.tick', { id: c.id, householdId: 'h1-1-301' })
      return { who: yuhong, input: { id: c.id, householdId: 'h1-1-301' } }
    },
  },
  'campaign.decline': {
    expect: { kind: 'same' },
    setup: async (h) => {
      const c = await h.ok<{ id: string }>(coordinator, 'campaign.create', CABBAGE)
      return { who: zhang, input: { id: c.id } }
    },
  },
}

const MUTATING = ACTION_NAMES.filter((a) => !isRateExempt(a))

/** Every table but the rate counters, row by row (primary key → row as JSON). */
type Dump = Map<string, Map<string, string>>
function dump(h: Harness): Dump {
  const db = new Database(`${h.host.dataDir}/zhaijia.db`, { readonly: true })
  try {
    const out: Dump = new Map()
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'attempts'`).all() as { name: string }[]
    for (const { name } of tables) {
      const rows = db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]
      const cols = (db.prepare(`SELECT name, pk FROM pragma_table_info(?)`).all(name) as { name: string; pk: number }[]).filter((c) => c.pk > 0)
      const key = (r: Record<string, unknown>) => (cols.length ? cols.map((c) => String(r[c.name])).join('|') : JSON.stringify(r))
      out.set(name, new Map(rows.map((r) => [key(r), JSON.stringify(r)])))
    }
    // Files the host keeps beside the database (uploads, exports).
    const files = readdirSync(h.host.dataDir, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && !f.name.startsWith('zhaijia.db') && f.name !== 'session.secret')
      .map((f) => join(f.parentPath, f.name))
    out.set('files', new Map(files.map((f) => [f, String(statSync(f).size)])))
    return out
  } finally {
    db.close()
  }
}

/** What changed between two dumps, table by table: rows added, changed, removed, and versions moved. */
function effect(a: Dump, b: Dump): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [table, after] of b) {
    const before = a.get(table) ?? new Map<string, string>()
    let added = 0
    let changed = 0
    let versions = 0
    for (const [k, row] of after) {
      const was = before.get(k)
      if (was === undefined) added++
      else if (was !== row) {
        changed++
        versions += versionOf(row) - versionOf(was)
      }
    }
    const removed = [...before.keys()].filter((k) => !after.has(k)).length
    if (added + changed + removed > 0) out[table] = `+${added} ~${changed} -${removed} v+${versions}`
  }
  return out
}
function versionOf(row: string): number {
  const r = JSON.parse(row) as { version?: number; doc?: string }
  if (typeof r.version === 'number') return r.version
  const doc = r.doc ? (JSON.parse(r.doc) as { version?: unknown }) : {}
  return typeof doc.version === 'number' ? doc.version : 0
}

/** An ok answer with its data changed by `f`. */
function ok(r: Answer, f: (d: object) => object): Answer {
  if (!r.ok) throw new Error('expected an ok answer')
  return { ok: true, data: f(r.data as object) }
}
const sameAnswer = (c: Case, first: Answer, again: Answer) => (c.sameAnswer ? c.sameAnswer(first, again) : expect(again).toEqual(first))

describe('idempotent retries of every mutating action', () => {
  it('every mutating action of the contract has a retry case', () => {
    expect(Object.keys(CASES).sort()).toEqual([...MUTATING].sort())
    for (const [action, c] of Object.entries(CASES)) if (c.expect.kind !== 'same') expect(c.why, action).toBeTruthy()
  })

  it.each(MUTATING.map((a) => [a] as const))('%s: the same call twice, in a row and at once', async (action) => {
    const c = CASES[action]
    expect(c, `no retry case for ${action}`).toBeDefined()

    // Twice in a row.
    const h = await harness(c!.host)
    const call = await c!.setup(h)
    const token = h.host.session(call.who)
    const d0 = dump(h)
    const first = await h.host.api(token, action, call.input)
    const d1 = dump(h)
    const second = await h.host.api(token, action, call.input)
    const d2 = dump(h)
    expect(first.ok, JSON.stringify(first)).toBe(true)
    const one = effect(d0, d1)
    if (c!.expect.kind === 'same' && c!.expect.effect === false) expect(one).toEqual({})
    else expect(Object.keys(one).length, `${action} changed nothing`).toBeGreaterThan(0)
    switch (c!.expect.kind) {
      case 'same':
        sameAnswer(c!, first, second)
        expect(effect(d1, d2)).toEqual({})
        break
      case 'refused':
        expect(second).toMatchObject({ ok: false, code: c!.expect.code })
        expect(effect(d1, d2)).toEqual({})
        break
      case 'additive': {
        // One more of what the first made, in the same tables (or files), nothing else.
        expect(second.ok).toBe(true)
        const more = effect(d1, d2)
        expect(Object.keys(more).sort()).toEqual(Object.keys(one).sort())
        break
      }
    }

    // Twice at once, on a fresh host: the effect of one call (or of two, for an additive one).
    const g = await harness(c!.host)
    const call2 = await c!.setup(g)
    const token2 = g.host.session(call2.who)
    const e0 = dump(g)
    const both = await Promise.all([g.host.api(token2, action, call2.input), g.host.api(token2, action, call2.input)])
    const e1 = dump(g)
    switch (c!.expect.kind) {
      case 'same': {
        expect(both.map((r) => r.ok)).toEqual([true, true])
        expect(effect(e0, e1)).toEqual(one)
        // Whichever was written first, the other is its resend.
        const [a, b] = both as [Answer, Answer]
        try {
          sameAnswer(c!, a, b)
        } catch {
          sameAnswer(c!, b, a)
        }
        break
      }
      case 'refused':
        expect(both.filter((r) => r.ok)).toHaveLength(1)
        expect(both.find((r) => !r.ok)).toMatchObject({ code: c!.expect.code })
        expect(effect(e0, e1)).toEqual(one)
        break
      case 'additive':
        expect(both.map((r) => r.ok)).toEqual([true, true])
        break
    }
  }, 30_000)
})
