/**
 * The world the authorization matrix runs in: the demo community plus a second community with its
 * own coordinator and resident, a deactivated squad member, and orders and a campaign in every
 * state an action needs (each action's allowed caller finds something it may act on). Built once
 * through the real dispatcher, kept as a SQLite image, and opened afresh (a temp file copy) for
 * every cell, so a cell's writes never reach another cell.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqlite } from '../../src/server/adapters/sqlite'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import type { Household } from '../../src/server/ports'
import { makeApp, rid, T0 } from './app'

const { zhao, zhang, newcomer, yuhong, wangnan, chaolu, coordinator } = DEMO_PEOPLE

/** Who calls, as a person id (the HTTP standings have none). */
export const WHO = {
  noHousehold: newcomer,
  resident: zhang,
  otherResident: zhao,
  squad: chaolu,
  holder: yuhong,
  partner: wangnan,
  deactivated: 'squad-gone',
  coordinator,
  otherCoordinator: 'coord-other',
} as const

/** The second community: one building, one isolated household with a resident of its own. */
export const OTHER = { community: 'other', building: 'ob1', household: 'o9-9-909', resident: 'res-other' } as const
export const OTHER_HOUSEHOLD: Household = {
  id: OTHER.household,
  communityId: OTHER.community,
  buildingId: OTHER.building,
  building: 'E栋',
  unit: 9,
  floor: 9,
  room: '909',
  code: '246813',
  isolation: 'home_isolation',
  specialNeeds: [],
  residentName: '钱多多',
  phone: '13700000909',
}

/** The order and campaign ids the actions aim at, one per state. */
export interface WorldIds {
  /** 张女士's supplies order, claimed by 于红 with 王楠 as partner. */
  claimed: string
  /** 张女士's, nobody's yet. */
  pending: string
  /** 张女士's, delivered by 于红, not yet confirmed or rated. */
  delivered: string
  /** 张女士's, 于红 on the doorstep (at_door). */
  atDoor: string
  /** 张女士's, 于红 on the way (delivering). */
  delivering: string
  /** 张女士's handover parcel, claimed by 于红, not yet at the gate. */
  parcel: string
  /** 张女士's second parcel, claimed by 于红 and 已到门岗 (ready to be disinfected). */
  parcelAtGate: string
  /** A 代下单 朝鲁门 placed for 张女士's household, nobody's yet. */
  proxy: string
  /** 张女士's household's QR door badge code. */
  badge: string
  /** 张女士's, rated 1 star: in the 回访 queue. */
  followup: string
  /** Building 1's campaign (张女士's household among its tasks). */
  campaign: string
  /** An item the demo coordinator added to the catalog. */
  extraItem: string
}

export const WORLD_NOW = T0 + 60 * 60_000

export async function buildWorld(): Promise<{ image: Buffer; ids: WorldIds }> {
  const store = openSqlite({ file: ':memory:' })
  const app = await makeApp({ store })
  const c = (who: string) => app.as(who)

  // The other community, its coordinator and resident.
  await store.communities.put({
    id: OTHER.community,
    name: '东苑社区',
    buildings: [{ id: OTHER.building, name: 'E栋', gridId: 'og1' }],
    grids: [{ id: 'og1', name: '东苑网格' }],
    parcelHoldMinutes: 60,
    createdAt: T0,
  })
  await store.households.put(OTHER_HOUSEHOLD)
  const base = { phone: '', squadOf: null, coordinatorOf: null, createdAt: T0 }
  await store.people.put({ ...base, id: WHO.otherCoordinator, name: '钱主任', phone: '13700000009', households: [], coordinatorOf: OTHER.community })
  await store.people.put({ ...base, id: OTHER.resident, name: '钱女士', phone: '13700000909', households: [OTHER.household] })
  // A squad member the coordinator took off the squad.
  await store.people.put({ ...base, id: WHO.deactivated, name: '停用队员', phone: '13900000077', households: [], squadOf: 'demo' })
  await c(coordinator).call('squad.deactivate', { personId: WHO.deactivated })

  const place = (extra: Record<string, unknown> = {}) =>
    c(zhang).call('order.place', { requestId: rid('w'), kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }], ...extra } as never)

  const claimed = await place()
  await c(yuhong).call('order.claim', { id: claimed.id })
  await c(yuhong).call('order.addPartner', { id: claimed.id, partnerId: wangnan })

  const pending = await place()

  const walkToDoor = async (id: string) => {
    await c(yuhong).call('order.claim', { id })
    await c(yuhong).call('order.advance', { id, event: 'depart' })
    await c(yuhong).call('order.step', { id, step: 'disinfect_corridor' })
    await c(yuhong).call('order.step', { id, step: 'remove_seal' })
    for (const step of ['call_resident', 'picked_up', 'restore_seal'] as const) await c(yuhong).call('order.step', { id, step })
  }
  const deliver = async (id: string) => {
    await walkToDoor(id)
    await c(yuhong).call('order.deliver', { id, outcome: 'handed' })
  }

  const delivered = await place()
  await deliver(delivered.id)
  const atDoor = await place()
  await walkToDoor(atDoor.id)
  const delivering = await place()
  await c(yuhong).call('order.claim', { id: delivering.id })
  await c(yuhong).call('order.advance', { id: delivering.id, event: 'depart' })
  const parcel = await c(zhang).call('order.place', {
    requestId: rid('w'),
    kind: 'handover',
    handover: { bringer: '父母', items: '水果', expectedAt: T0 + 2 * 3600_000 },
  })
  await c(yuhong).call('order.claim', { id: parcel.id })
  const parcelAtGate = await c(zhang).call('order.place', {
    requestId: rid('w'),
    kind: 'handover',
    handover: { bringer: '子女', items: '药', expectedAt: T0 + 2 * 3600_000 },
  })
  await c(yuhong).call('order.claim', { id: parcelAtGate.id })
  await c(yuhong).call('order.parcelArrived', { id: parcelAtGate.id })
  const proxy = await c(chaolu).call('order.place', { requestId: rid('w'), householdId: 'h1-2-502', kind: 'garbage' })
  const badges = await c(coordinator).call('coord.householdBadges', { buildingId: 'b1' })
  const badge = badges.badges.find((b) => b.householdId === 'h1-2-502')!.code
  const followup = await place()
  await deliver(followup.id)
  await c(zhang).call('order.rate', { id: followup.id, stars: 1, comment: '晚了' })

  const campaign = await c(coordinator).call('campaign.create', {
    requestId: rid('w'),
    title: '社区发放',
    item: '大米',
    qtyPerHousehold: 1,
    unit: '袋',
    buildingIds: ['b1'],
  })

  // A group robot for building 1, and an item of the community's own (both for the coordinator's actions).
  await c(coordinator).call('robot.set', { scope: 'b1', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=authz-robot-1' })
  const catalog = await c(coordinator).call('coord.addItem', { categoryId: 'grain', name: '小米', unit: '袋' })
  const extraItem = catalog.categories.flatMap((cat) => cat.items).find((i) => i.name === '小米')!.id

  const image = store.db.serialize()
  await store.close()
  return {
    image,
    ids: {
      claimed: claimed.id,
      pending: pending.id,
      delivered: delivered.id,
      atDoor: atDoor.id,
      delivering: delivering.id,
      parcel: parcel.id,
      parcelAtGate: parcelAtGate.id,
      proxy: proxy.id,
      badge,
      followup: followup.id,
      campaign: campaign.id,
      extraItem,
    },
  }
}

/** A fresh app on a copy of the world: its own SQLite file, the clock at WORLD_NOW. */
export async function openWorld(image: Buffer, opts: { setupCode?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'zhaijia-authz-'))
  const file = join(dir, 'world.db')
  writeFileSync(file, image)
  const store = openSqlite({ file })
  const app = await makeApp({ store, demo: false, now: WORLD_NOW, ...opts })
  return {
    ...app,
    db: store.db,
    async dispose() {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
