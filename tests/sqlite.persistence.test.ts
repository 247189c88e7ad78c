import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqlite } from '../src/server/adapters/sqlite'
import { makeCommunity, makeFullOrder, makeHousehold, makePerson } from './support/fixtures'

describe('sqlite adapter on a real file', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zhaijia-sqlite-'))
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps data across close and reopen', async () => {
    const file = join(dir, 'nested', 'zhaijia.db')
    const order = makeFullOrder()
    const household = makeHousehold({ id: order.householdId, code: 'ZJ-PERSIST' })
    const person = makePerson({ households: [household.id] })
    const community = makeCommunity({ id: order.communityId })

    const first = openSqlite({ file })
    await first.orders.insert(order)
    await first.households.put(household)
    await first.people.put(person)
    await first.communities.put(community)
    await first.close()

    const second = openSqlite({ file })
    try {
      expect(await second.orders.get(order.id)).toEqual(order)
      expect(await second.households.findByCode('ZJ-PERSIST')).toEqual(household)
      expect(await second.people.listByHousehold(household.id)).toEqual([person])
      expect(await second.communities.get(community.id)).toEqual(community)
      expect((await second.orders.list({ communityId: order.communityId })).items).toEqual([order])
    } finally {
      await second.close()
    }
  })

  it('runs migrations once: user_version and schema are unchanged on reopen', async () => {
    const file = join(dir, 'zhaijia.db')
    const schemaOf = (db: ReturnType<typeof openSqlite>['db']) =>
      db.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY type, name`).all()

    const first = openSqlite({ file })
    const version = first.db.pragma('user_version', { simple: true }) as number
    const schema = schemaOf(first.db)
    await first.orders.insert(makeFullOrder())
    await first.close()
    expect(version).toBeGreaterThan(0)

    for (let i = 0; i < 2; i++) {
      const again = openSqlite({ file })
      try {
        expect(again.db.pragma('user_version', { simple: true })).toBe(version)
        expect(schemaOf(again.db)).toEqual(schema)
        expect((await again.orders.list({})).items).toHaveLength(1)
      } finally {
        await again.close()
      }
    }
  })
})
