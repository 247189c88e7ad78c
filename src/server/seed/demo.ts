/**
 * The demo community seeded on the local host's first run. Ids and household codes are fixed and
 * listed in the README, so scripts and tests can rely on them. All names and phones are invented.
 */
import { createHash } from 'node:crypto'
import type { Community, Household, Person, Store } from '../ports'

export const DEMO_COMMUNITY_ID = 'demo'

export const DEMO_PEOPLE = {
  zhao: 'res-zhao',
  zhang: 'res-zhang',
  newcomer: 'res-sun',
  yuhong: 'squad-yuhong',
  wangnan: 'squad-wangnan',
  chaolu: 'squad-chaolu',
  coordinator: 'coord-liu',
  /** A social worker not yet in the squad: joins with DEMO_SQUAD_INVITE. */
  newWorker: 'vol-chen',
} as const

/** A squad invite code seeded with the community (valid 7 days from the first start). */
export const DEMO_SQUAD_INVITE = 'ZJ7K2M'

interface IsolatedSeed {
  id: string
  code: string
  residentName: string
  phone: string
  specialNeeds: string[]
}

/** The ten households under home isolation. */
export const DEMO_ISOLATED: readonly IsolatedSeed[] = [
  { id: 'h1-1-301', code: '483920', residentName: '赵建国', phone: '13800000301', specialNeeds: [] },
  { id: 'h1-2-502', code: '571846', residentName: '张丽', phone: '13800000502', specialNeeds: ['低血糖', '不会做饭'] },
  { id: 'h2-1-201', code: '392705', residentName: '李秀英', phone: '13800000201', specialNeeds: ['独居老人', '没有智能手机'] },
  { id: 'h1-1-102', code: '820417', residentName: '王强', phone: '13800000102', specialNeeds: [] },
  { id: 'h1-3-401', code: '164358', residentName: '刘洋', phone: '13800000401', specialNeeds: ['婴儿'] },
  { id: 'h2-2-302', code: '735291', residentName: '孙敏', phone: '13800000302', specialNeeds: [] },
  { id: 'h2-3-601', code: '258063', residentName: '周杰', phone: '13800000601', specialNeeds: [] },
  { id: 'h1-2-201', code: '907134', residentName: '吴芳', phone: '13800001201', specialNeeds: ['慢性病'] },
  { id: 'h2-1-502', code: '346972', residentName: '郑伟', phone: '13800001502', specialNeeds: [] },
  { id: 'h2-3-102', code: '619485', residentName: '陈静', phone: '13800001102', specialNeeds: ['孕妇'] },
]

export interface DemoPersonCard {
  id: string
  name: string
  /** Shown on the dev sign-in screen. */
  role: string
}

export function demoPeople(now: number): Person[] {
  const base = { squadOf: null, coordinatorOf: null, createdAt: now }
  return [
    { ...base, id: DEMO_PEOPLE.zhao, name: '赵先生', phone: '13800000301', households: ['h1-1-301'] },
    { ...base, id: DEMO_PEOPLE.zhang, name: '张女士', phone: '13800000502', households: ['h1-2-502'] },
    { ...base, id: DEMO_PEOPLE.newcomer, name: '孙女士', phone: '13800000302', households: [] },
    { ...base, id: DEMO_PEOPLE.yuhong, name: '于红', phone: '13900000001', households: [], squadOf: DEMO_COMMUNITY_ID, squadGridId: 'g1' },
    { ...base, id: DEMO_PEOPLE.wangnan, name: '王楠', phone: '13900000002', households: [], squadOf: DEMO_COMMUNITY_ID, squadGridId: 'g2' },
    { ...base, id: DEMO_PEOPLE.chaolu, name: '朝鲁门', phone: '13900000003', households: [], squadOf: DEMO_COMMUNITY_ID },
    { ...base, id: DEMO_PEOPLE.newWorker, name: '陈晨', phone: '13900000004', households: [] },
    { ...base, id: DEMO_PEOPLE.coordinator, name: '刘主任', phone: '13900000009', households: [], coordinatorOf: DEMO_COMMUNITY_ID },
  ]
}

export function demoCommunity(now: number): Community {
  return {
    id: DEMO_COMMUNITY_ID,
    name: '风水山社区',
    buildings: [
      { id: 'b1', name: '1号楼', gridId: 'g1' },
      { id: 'b2', name: '2号楼', gridId: 'g2' },
    ],
    grids: [
      { id: 'g1', name: '1号楼网格' },
      { id: 'g2', name: '2号楼网格' },
    ],
    parcelHoldMinutes: 120,
    servicePhone: '0471-6281234',
    createdAt: now,
  }
}

/** 2 buildings × 3 units × 6 floors × 2 rooms = 72 households; ten under isolation. */
export function demoHouseholds(): Household[] {
  const isolated = new Map(DEMO_ISOLATED.map((h) => [h.id, h]))
  const out: Household[] = []
  for (const b of [1, 2])
    for (const unit of [1, 2, 3])
      for (let floor = 1; floor <= 6; floor++)
        for (const r of [1, 2]) {
          const room = `${floor}0${r}`
          const id = `h${b}-${unit}-${room}`
          const iso = isolated.get(id)
          out.push({
            id,
            communityId: DEMO_COMMUNITY_ID,
            buildingId: `b${b}`,
            building: `${b}号楼`,
            unit,
            floor,
            room,
            code: iso?.code ?? derivedCode(id),
            isolation: iso ? 'home_isolation' : 'none',
            specialNeeds: iso?.specialNeeds ?? [],
            residentName: iso?.residentName ?? '',
            phone: iso?.phone ?? '',
          })
        }
  return out
}

/** Codes of households not under isolation: stable, 6 digits, prefixed 9 so they never clash with the list above. */
function derivedCode(id: string): string {
  const n = parseInt(createHash('sha256').update(`demo:${id}`).digest('hex').slice(0, 8), 16) % 100000
  return '9' + String(n).padStart(5, '0')
}

/** Seeds the demo community unless it exists. Returns whether it seeded. */
export async function seedDemo(store: Store, now: number): Promise<boolean> {
  if (await store.communities.get(DEMO_COMMUNITY_ID)) return false
  for (const h of demoHouseholds()) await store.households.put(h)
  for (const p of demoPeople(now)) await store.people.put(p)
  await store.invites.insert({
    code: DEMO_SQUAD_INVITE,
    communityId: DEMO_COMMUNITY_ID,
    createdBy: DEMO_PEOPLE.coordinator,
    createdAt: now,
    expiresAt: now + 7 * 24 * 60 * 60 * 1000,
    usedBy: null,
    usedAt: null,
  })
  await store.communities.put(demoCommunity(now))
  return true
}

export function demoCards(): DemoPersonCard[] {
  const role = (p: Person) =>
    p.coordinatorOf
      ? '社区服务中心'
      : p.squadOf
        ? '送货小分队'
        : p.households.length
          ? '居家隔离居民'
          : p.id === DEMO_PEOPLE.newWorker
            ? '社工（还没加入小分队）'
            : '居民（未绑定住户）'
  return demoPeople(0).map((p) => ({ id: p.id, name: p.name, role: role(p) }))
}
