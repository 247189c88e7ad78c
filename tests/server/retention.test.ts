/**
 * Retention through the real dispatcher and the timer's use case, on SQLite and on the cloud path
 * (CloudBase adapter over the real wx-server-sdk, tests/support/wx-sdk-db.ts): a released household
 * past the community's retention days loses every name, phone and note anywhere in the store, while
 * the coordinator's figures and ledger count exactly as before; a second run changes nothing.
 */
import { describe, expect, it } from 'vitest'
import { PROTOCOL_STEPS } from '../../src/core/order/protocol'
import { openCloudbase } from '../../src/server/adapters/cloudbase'
import { openSqlite } from '../../src/server/adapters/sqlite'
import { COLLECTIONS } from '../../src/server/cloud/manifest'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { runRetention } from '../../src/server/usecases/retention'
import { makeApp, rid } from '../support/app'
import { openSdkDatabase, SdkDbEngine } from '../support/wx-sdk-db'

const { zhao, zhang, yuhong, coordinator } = DEMO_PEOPLE
const DAY = 24 * 3600_000
const NOTE = '放鞋柜上面别敲门甲乙'
const URGENT = '家里老人发烧丙丁'
const COMMENT = '送得太慢了戊己'
const FOLLOWUP = '回访记录庚辛'

type Setup = { name: string; open(): Promise<{ store: ReturnType<typeof openSqlite> | ReturnType<typeof openCloudbase>; dumpAll(): string }> }

const SETUPS: Setup[] = [
  {
    name: 'sqlite',
    async open() {
      const store = openSqlite({ file: ':memory:' })
      return {
        store,
        dumpAll() {
          const tables = store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]
          return JSON.stringify(tables.map((t) => store.db.prepare(`SELECT * FROM "${t.name}"`).all()))
        },
      }
    },
  },
  {
    name: 'cloudbase (real wx-server-sdk)',
    async open() {
      const engine = new SdkDbEngine()
      const store = openCloudbase(await openSdkDatabase(engine))
      return { store, dumpAll: () => JSON.stringify(Object.values(COLLECTIONS).map((c) => engine.dump(c))) }
    },
  },
]

for (const setup of SETUPS) {
  describe(`retention: ${setup.name}`, () => {
    it('anonymises a released household past its days: nothing of its people left anywhere, figures unchanged, once', async () => {
      const { store, dumpAll } = await setup.open()
      const app = await makeApp({ store })
      const liu = app.as(coordinator)
      const before = (await store.households.get('h1-1-301'))!
      const zhaoPerson = (await store.people.get(zhao))!
      // Orders with everything personal an order can carry: notes, an urgent reason, a low rating's comment, a 回访 note.
      const o = await app.as(zhao).call('order.place', { requestId: rid(), kind: 'supplies', urgency: 'urgent', urgentReason: URGENT, notes: NOTE, lines: [{ itemId: 'rice', qty: 1 }] })
      const sq = app.as(yuhong)
      await sq.call('order.claim', { id: o.id })
      await sq.call('order.advance', { id: o.id, event: 'depart' })
      for (const step of PROTOCOL_STEPS) await sq.call('order.step', { id: o.id, step })
      await app.as(zhao).call('order.confirm', { id: o.id })
      await app.as(zhao).call('order.rate', { id: o.id, stars: 1, comment: COMMENT })
      await liu.call('coord.resolveFollowup', { id: o.id, note: FOLLOWUP })
      await app.as(zhao).call('order.place', { requestId: rid(), kind: 'garbage', notes: NOTE })
      // Another household's order, to show what stays.
      await app.as(zhang).call('order.place', { requestId: rid(), kind: 'garbage', notes: '张家的备注' })
      await store.notifications.relay(app.clock.now)

      // Released on the day; 张女士's household released only yesterday-ish stays under the days.
      await liu.call('coord.setHousehold', { id: 'h1-1-301', isolation: 'none', specialNeeds: ['低血糖'], startDate: '2026-11-08', endDate: '2026-11-22' })
      await liu.call('coord.setHousehold', { id: 'h1-2-502', isolation: 'none', specialNeeds: ['低血糖'], startDate: '2026-11-08', endDate: '2026-11-28' })
      expect((await liu.refused('coord.setRetention', { days: 6 })).fields).toEqual({ days: '保留天数至少7天' })
      expect((await liu.refused('coord.setRetention', { days: 366 })).fields).toEqual({ days: '保留天数最多365天' })
      expect((await liu.refused('coord.setRetention', { days: 7.5 })).fields).toEqual({ days: '保留天数必须是整数' })
      expect((await app.as(yuhong).refused('coord.setRetention', { days: 7 })).code).toBe('AUTH.FORBIDDEN')
      expect(await liu.call('coord.setRetention', { days: 7 })).toEqual({ days: 7 })

      const range = { from: '2026-11-22', to: '2026-11-22' }
      const figures = async () => {
        const stats = await liu.call('coord.stats', {})
        const ledger = await liu.call('coord.ledger', range)
        return { days: stats.days.filter((d) => d.date === '2026-11-22'), byBuilding: stats.byBuilding, ledger: ledger.rows.map((r) => ({ ...r })) }
      }

      // Not yet: 6 days after the end date.
      app.advance(6 * DAY)
      expect((await runRetention(app.deps)).households).toBe(0)
      const figuresBefore = await figures()
      expect(figuresBefore.ledger).toHaveLength(3)

      app.advance(2 * DAY)
      const run = await runRetention(app.deps)
      expect(run).toMatchObject({ households: 1, orders: 2 })

      // Counts, rates and ledger rows exactly as before.
      expect(await figures()).toEqual(figuresBefore)

      // Nothing of 赵先生's household anywhere: every table / collection, whole records.
      const all = dumpAll()
      for (const s of [before.residentName, before.phone, zhaoPerson.name, zhaoPerson.phone, NOTE, URGENT, COMMENT, FOLLOWUP]) {
        expect(s.length).toBeGreaterThan(1)
        expect(all, s).not.toContain(s)
      }
      // What stays: the door, the squad's names, 张女士's household and notes, stars.
      expect(all).toContain('张家的备注')
      expect((await store.households.get('h1-2-502'))!.residentName).not.toBe('')
      const h = (await store.households.get('h1-1-301'))!
      expect(h).toMatchObject({ residentName: '', phone: '', specialNeeds: [], isolation: 'none', endDate: '2026-11-22', code: before.code })
      const order = (await store.orders.get(o.id))!
      expect(order).toMatchObject({ placedBy: { name: '已匿名' }, notes: '', rating: { stars: 1, comment: '' }, holder: { name: '于红' }, status: 'confirmed' })
      expect(order.urgentReason).toBeUndefined()
      expect((await store.people.get(zhao))!).toMatchObject({ name: '已匿名', phone: '', households: [] })

      // The log says so, as 系统, naming the door only.
      const log = await liu.call('coord.audit', { kind: 'register' })
      expect(log.items[0]).toMatchObject({ system: true, actorName: '系统', actionLabel: '到期匿名', target: { kind: 'household', id: 'h1-1-301' } })
      expect(log.items[0]!.summary).toBe('1号楼1单元301 解除隔离满 7 天，已清除姓名、电话和备注（2 单订单保留计数）')

      // Idempotent: a second run finds nothing and changes nothing.
      const snapshot = dumpAll()
      expect(await runRetention(app.deps)).toEqual({ households: 0, orders: 0, messages: 0, people: 0 })
      expect(dumpAll()).toBe(snapshot)
    })

    it('a household isolated again after anonymising is anonymised again after its next release', async () => {
      const { store } = await setup.open()
      const app = await makeApp({ store })
      const liu = app.as(coordinator)
      await liu.call('coord.setHousehold', { id: 'h1-1-102', isolation: 'none', specialNeeds: [], startDate: '2026-10-01', endDate: '2026-10-10' })
      expect((await runRetention(app.deps)).households).toBe(1)
      expect((await store.households.get('h1-1-102'))!.anonymisedAt).toBeDefined()
      // Isolated again: in use again, so the mark goes (an import that enters a name does the same).
      await liu.call('coord.setHousehold', { id: 'h1-1-102', isolation: 'home_isolation', specialNeeds: [], startDate: '2026-11-20', endDate: '2026-12-04' })
      expect((await store.households.get('h1-1-102'))!.anonymisedAt).toBeUndefined()
      await liu.call('coord.setHousehold', { id: 'h1-1-102', isolation: 'none', specialNeeds: [], startDate: '2026-11-20', endDate: '2026-11-21' })
      expect((await runRetention(app.deps)).households).toBe(0)
      app.advance(31 * DAY)
      expect((await runRetention(app.deps)).households).toBe(1)
      const log = await liu.call('coord.audit', { kind: 'register' })
      expect(log.items.filter((e) => e.actionLabel === '到期匿名').map((e) => e.target.id)).toEqual(['h1-1-102', 'h1-1-102'])
    })

    it('works in bounded batches: 3 due households (default 30 days), batch 2, two runs', async () => {
      const { store } = await setup.open()
      const app = await makeApp({ store })
      for (const id of ['h1-1-101', 'h1-1-102', 'h1-1-201']) {
        await app.as(coordinator).call('coord.setHousehold', { id, isolation: 'none', specialNeeds: [], startDate: '2026-10-01', endDate: '2026-10-10' })
      }
      app.advance(DAY)
      expect((await runRetention(app.deps, { batch: 2 })).households).toBe(2)
      expect((await runRetention(app.deps, { batch: 2 })).households).toBe(1)
      expect((await runRetention(app.deps, { batch: 2 })).households).toBe(0)
      for (const id of ['h1-1-101', 'h1-1-102', 'h1-1-201']) expect((await store.households.get(id))!.anonymisedAt).toBeDefined()
    })
  })
}
