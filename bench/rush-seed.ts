/**
 * The people of the HTTP benches, written into the host's data folder before it starts (the way a
 * community that has been running for a while looks): the demo community plus building 3号楼 with
 * `households` households, one resident each, and `squad` more squad members. Sessions are signed
 * with the host's own secret file and signSession (exactly what POST /api/dev/sign-in answers), so
 * thousands of people are signed in without thousands of sign-in calls.
 *
 * Enough people that the real rate limits (60 actions/min/person, 10 orders/min/household) are
 * never what stops the load: each client rotates over its own share of them.
 */
import { join } from 'node:path'
import { openSqlite } from '../src/server/adapters/sqlite'
import { DEMO_COMMUNITY_ID, seedDemo } from '../src/server/seed/demo'
import { loadOrCreateSecret, signSession } from '../src/server/host/session'

export interface SeededPerson {
  id: string
  token: string
}

export interface Seeded {
  residents: SeededPerson[]
  squad: SeededPerson[]
}

export async function seedRush(dataDir: string, counts: { households: number; squad: number }): Promise<Seeded> {
  const store = openSqlite({ file: join(dataDir, 'zhaijia.db') })
  const now = Date.now()
  await seedDemo(store, now)
  const community = (await store.communities.get(DEMO_COMMUNITY_ID))!
  await store.communities.put({ ...community, buildings: [...community.buildings, { id: 'b3', name: '3号楼', gridId: 'g3' }] })
  const residents: string[] = []
  const squad: string[] = []
  store.db.exec('BEGIN')
  for (let i = 0; i < counts.households; i++) {
    const unit = 1 + (i % 8)
    const floor = 1 + (Math.floor(i / 8) % 40)
    const room = `${floor}${String(1 + Math.floor(i / 320)).padStart(2, '0')}`
    const id = `h3-${String(i).padStart(5, '0')}`
    await store.households.put({ id, communityId: DEMO_COMMUNITY_ID, buildingId: 'b3', building: '3号楼', unit, floor, room, code: `8${String(i).padStart(5, '0')}`, isolation: 'home_isolation', specialNeeds: [], residentName: `住户${i}`, phone: `139${String(i).padStart(8, '0')}` })
    const pid = `bench-res-${i}`
    await store.people.put({ id: pid, name: `住户${i}`, phone: `139${String(i).padStart(8, '0')}`, households: [id], squadOf: null, coordinatorOf: null, createdAt: now })
    residents.push(pid)
  }
  for (let i = 0; i < counts.squad; i++) {
    const pid = `bench-squad-${i}`
    await store.people.put({ id: pid, name: `队员${i}`, phone: `137${String(i).padStart(8, '0')}`, households: [], squadOf: DEMO_COMMUNITY_ID, coordinatorOf: null, createdAt: now })
    squad.push(pid)
  }
  store.db.exec('COMMIT')
  await store.close()
  const secret = loadOrCreateSecret(join(dataDir, 'session.secret'))
  const sign = (id: string): SeededPerson => ({ id, token: signSession(secret, id, now).token })
  return { residents: residents.map(sign), squad: squad.map(sign) }
}
