/**
 * Settings saved at the same moment by different coordinators (or tabs) all stay: each is a
 * compare-and-set on the community's revision (usecases/community-change.ts), on SQLite and on
 * CloudBase through the real SDK. Before, each wrote the whole document it had read, and the last
 * one dropped the others' changes.
 */
import { describe, expect, it } from 'vitest'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import { openSqlite } from '../../src/server/adapters/sqlite'
import type { Store } from '../../src/server/ports'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp } from '../support/app'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'

const stores: [string, () => Promise<Store>][] = [
  ['SQLite', async () => openSqlite({ file: ':memory:' })],
  ['CloudBase (real SDK)', async () => openCloudbase(await openSdkDatabase(new SdkDbEngine()))],
]

describe.each(stores)('community settings at once on %s', (_name, open) => {
  it('a service phone, deadlines, a retention, a parcel hold, 暂缺 and a new item saved together: all six kept, one revision per change', async () => {
    const app = await makeApp({ store: await open() })
    const liu = app.as(DEMO_PEOPLE.coordinator)
    const before = (await app.store.communities.get('demo'))!
    const deadlines = { urgentClaimMinutes: 10, urgentDeliverMinutes: 60, normalClaimMinutes: 60, normalDeliverMinutes: 300 }
    await Promise.all([
      liu.call('coord.setServicePhone', { phone: '0471-6281234' }),
      liu.call('coord.setDeadlines', deadlines),
      liu.call('coord.setRetention', { days: 90 }),
      liu.call('coord.setParcelHold', { minutes: 30 }),
      liu.call('coord.setSoldOut', { itemId: 'rice', soldOut: true }),
      liu.call('coord.addItem', { categoryId: 'grain', name: '小米', unit: '袋' }),
    ])
    const after = (await app.store.communities.get('demo'))!
    expect(after.servicePhone).toBe('0471-6281234')
    expect(after.deadlines).toEqual(deadlines)
    expect(after.retentionDays).toBe(90)
    expect(after.parcelHoldMinutes).toBe(30)
    expect(after.soldOut).toEqual(['rice'])
    expect(after.extraItems?.map((x) => x.name)).toEqual(['小米'])
    // One revision per setting that was not already in force (a value already set writes nothing).
    const changed = [
      before.servicePhone !== after.servicePhone,
      JSON.stringify(before.deadlines) !== JSON.stringify(after.deadlines),
      before.retentionDays !== after.retentionDays,
      before.parcelHoldMinutes !== after.parcelHoldMinutes,
      JSON.stringify(before.soldOut ?? []) !== JSON.stringify(after.soldOut),
      (before.extraItems ?? []).length !== (after.extraItems ?? []).length,
    ].filter(Boolean).length
    expect(changed).toBeGreaterThanOrEqual(5)
    expect(after.revision).toBe((before.revision ?? 0) + changed)
    // They did race: some writes found the community changed under them and were applied again.
    const lines = (app.deps.log as unknown as { lines: string[] }).lines
    expect(lines.filter((l) => l.includes('community.write_conflict')).length).toBeGreaterThan(0)
    // Everything else as it was.
    expect(after.buildings).toEqual(before.buildings)
    expect(after.name).toBe(before.name)
  })
})
