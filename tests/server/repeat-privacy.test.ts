/**
 * order.repeat is for the household and for the squad member who placed the order for it (代下单).
 * Anyone else of the squad sees an order on the board without its door; a repeat placed in their
 * name used to hand them the door with the order's lines (found by the authorization matrix).
 */
import { expect, it } from 'vitest'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp, rid } from '../support/app'
import { sqliteDigest } from '../support/store-digest'
import { openSqlite } from '../../src/server/adapters/sqlite'

const { zhang, yuhong, chaolu, coordinator } = DEMO_PEOPLE

it('the rest of the squad and the coordinator may not repeat a household\'s order; nothing is written', async () => {
  const store = openSqlite({ file: ':memory:' })
  const app = await makeApp({ store })
  const o = await app.as(zhang).call('order.place', { requestId: rid(), kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }], notes: '放门口' })
  for (const [who, code] of [[chaolu, 'AUTH.FORBIDDEN'], [yuhong, 'AUTH.FORBIDDEN'], [coordinator, 'HOUSEHOLD.NOT_MEMBER']] as const) {
    const orders = sqliteDigest(store.db, { table: 'attempts', skip: () => true })
    const r = await app.as(who).refused('order.repeat', { id: o.id, requestId: rid() })
    expect(r.code).toBe(code)
    expect(JSON.stringify(r)).not.toContain('h1-2-502')
    expect(sqliteDigest(store.db, { table: 'attempts', skip: () => true })).toEqual(orders)
  }
  // The household itself still can.
  const again = await app.as(zhang).call('order.repeat', { id: o.id, requestId: rid() })
  expect(again).toMatchObject({ householdId: 'h1-2-502', notes: '放门口', status: 'pending' })
})

it('the squad member who placed an order for a household (代下单) may repeat it', async () => {
  const app = await makeApp()
  const o = await app.as(yuhong).call('order.place', { requestId: rid(), householdId: 'h2-1-201', kind: 'supplies', lines: [{ itemId: 'water20', qty: 1 }] })
  const again = await app.as(yuhong).call('order.repeat', { id: o.id, requestId: rid() })
  expect(again).toMatchObject({ householdId: 'h2-1-201', placedBy: { id: yuhong } })
  expect((await app.as(chaolu).refused('order.repeat', { id: o.id, requestId: rid() })).code).toBe('AUTH.FORBIDDEN')
})
