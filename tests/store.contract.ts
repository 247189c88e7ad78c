/**
 * The Store port's contract, run against every adapter by store.contract.test.ts.
 * adapters/sqlite.ts defines the reference semantics; each test gets a fresh, empty store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Order } from '../src/core/order/types'
import type { AttemptRepo, Page, SetupClaim, SquadInvite, Store } from '../src/server/ports'
import {
  makeCommunity,
  makeFullOrder,
  makeHousehold,
  makeOrder,
  makePerson,
  makePersonRef,
  nextId,
  T0,
} from './support/fixtures'
import { notifyStoreContract } from './store.notify-contract'
import { boardAt, compareBoard } from '../src/core/order/board-page'

/** Follows `next` until null; returns each page's size and all items. */
async function drain<T>(fetch: (cursor: string | null) => Promise<Page<T>>, maxPages = 50) {
  const sizes: number[] = []
  const items: T[] = []
  let cursor: string | null = null
  for (let i = 0; i < maxPages; i++) {
    const page: Page<T> = await fetch(cursor)
    sizes.push(page.items.length)
    items.push(...page.items)
    if (page.next === null) return { sizes, items }
    cursor = page.next
  }
  throw new Error(`more than ${maxPages} pages`)
}

/** Newest first, ties by id descending: the order list() must return. */
const newestFirst = (a: Order, b: Order) =>
  b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)

const ids = (xs: { id: string }[]) => xs.map((x) => x.id)

/** What an adapter does differently, by design (ports.ts says where). */
export interface AdapterTraits {
  /** Inbox notices in an order's outbox are delivered in the order's own write (SQLite), not queued. */
  inboxWithOrder: boolean
}

export function storeContract(name: string, makeStore: () => Promise<Store>, traits: AdapterTraits): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store

    beforeEach(async () => {
      store = await makeStore()
    })
    afterEach(async () => {
      await store.close()
    })

    // Notifications: outbox with orders, queue, inbox, robots, consents (store.notify-contract.ts).
    notifyStoreContract(() => store, traits)

    /** Inserts orders sequentially (insertion order must not matter to any query). */
    async function insertAll(orders: Order[]) {
      for (const o of orders) expect((await store.orders.insert(o)).created).toBe(true)
    }

    describe('orders: insert / get', () => {
      it('round-trips an order with every optional field', async () => {
        const order = makeFullOrder()
        const res = await store.orders.insert(order)
        expect(res.created).toBe(true)
        expect(res.order).toEqual(order)
        const got = await store.orders.get(order.id)
        expect(got).toEqual(order)
        expect(Object.keys(got!).sort()).toEqual(Object.keys(order).sort())
      })

      it('round-trips a minimal order without inventing fields', async () => {
        const order = makeOrder()
        await store.orders.insert(order)
        const got = await store.orders.get(order.id)
        expect(got).toEqual(order)
        expect(Object.keys(got!).sort()).toEqual(Object.keys(order).sort())
        expect(got!.holder).toBeNull()
      })

      it('returns null for a missing id', async () => {
        expect(await store.orders.get('o-missing')).toBeNull()
      })

      it('is idempotent on id: a second insert returns the stored order, created: false', async () => {
        const first = makeOrder({ notes: 'first' })
        await store.orders.insert(first)
        const again = { ...first, notes: 'second', version: 7, status: 'cancelled' as const }
        const res = await store.orders.insert(again)
        expect(res.created).toBe(false)
        expect(res.order).toEqual(first)
        expect(await store.orders.get(first.id)).toEqual(first)
      })

      it('concurrent inserts of the same id create it exactly once', async () => {
        const order = makeOrder()
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.orders.insert({ ...order, notes: `try ${i}` })),
        )
        expect(results.filter((r) => r.created)).toHaveLength(1)
        const stored = await store.orders.get(order.id)
        for (const r of results) expect(r.order).toEqual(stored)
      })
    })

    describe('orders: update (compare-and-set)', () => {
      it('writes when status and version match, then rejects the same expectation', async () => {
        const v1 = makeOrder()
        await store.orders.insert(v1)
        const holder = makePersonRef({ role: 'squad' })
        const v2: Order = { ...v1, status: 'claimed', holder, version: 2, updatedAt: T0 + 1000 }
        expect(await store.orders.update(v2, { status: 'pending', version: 1 })).toBe(true)
        expect(await store.orders.get(v1.id)).toEqual(v2)

        const v2b: Order = { ...v2, notes: 'lost race', version: 2 }
        expect(await store.orders.update(v2b, { status: 'pending', version: 1 })).toBe(false)
        expect(await store.orders.get(v1.id)).toEqual(v2)
      })

      it('fails with a stale version, leaving the stored order unchanged', async () => {
        const v3 = makeOrder({ status: 'claimed', version: 3 })
        await store.orders.insert(v3)
        const next = { ...v3, status: 'delivering' as const, version: 4 }
        expect(await store.orders.update(next, { status: 'claimed', version: 2 })).toBe(false)
        expect(await store.orders.get(v3.id)).toEqual(v3)
      })

      it('fails with the wrong status, leaving the stored order unchanged', async () => {
        const v1 = makeOrder({ status: 'pending', version: 1 })
        await store.orders.insert(v1)
        const next = { ...v1, status: 'delivering' as const, version: 2 }
        expect(await store.orders.update(next, { status: 'claimed', version: 1 })).toBe(false)
        expect(await store.orders.get(v1.id)).toEqual(v1)
      })

      it('returns false for an order that does not exist', async () => {
        const ghost = makeOrder()
        expect(await store.orders.update({ ...ghost, version: 2 }, { status: 'pending', version: 1 })).toBe(false)
        expect(await store.orders.get(ghost.id)).toBeNull()
      })

      it('replaces the whole order: dropped optional fields and nested keys disappear', async () => {
        const full = makeFullOrder({ status: 'delivered', version: 4 })
        await store.orders.insert(full)
        const { urgentReason: _u, rating: _r, missing: _m, outcome: _o, handover: _h, ...rest } = full
        const next: Order = {
          ...rest,
          status: 'confirmed',
          version: 5,
          // `at` dropped, slot changed: an object merge would keep the old `at`.
          meal: { dish: '白粥', date: '2022-04-11', slot: 'lunch', dietary: [] },
          lines: [{ itemId: 'rice-5kg', name: '大米', unit: '袋', qty: 3 }],
          address: { ...full.address, room: '603' },
          partner: null,
        }
        expect(await store.orders.update(next, { status: 'delivered', version: 4 })).toBe(true)
        const got = await store.orders.get(full.id)
        expect(got).toEqual(next)
        expect(Object.keys(got!).sort()).toEqual(Object.keys(next).sort())
        expect(Object.keys(got!.meal!).sort()).toEqual(['date', 'dietary', 'dish', 'slot'])
      })

      it('keeps 已到门岗 and a 重复下单 twin through insert and update, and drops them when the next order lacks them', async () => {
        const parcel = makeOrder({ kind: 'handover', lines: [], status: 'claimed', parcelArrivedAt: T0 + 60_000, version: 2 })
        await store.orders.insert(parcel)
        expect(await store.orders.get(parcel.id)).toEqual(parcel)
        const cancelled: Order = { ...parcel, status: 'cancelled', duplicateOf: 'o-kept-000001', version: 3 }
        expect(await store.orders.update(cancelled, { status: 'claimed', version: 2 })).toBe(true)
        expect(await store.orders.get(parcel.id)).toEqual(cancelled)
        const { parcelArrivedAt: _a, duplicateOf: _d, ...bare } = cancelled
        expect(await store.orders.update({ ...bare, version: 4 }, { status: 'cancelled', version: 3 })).toBe(true)
        const got = await store.orders.get(parcel.id)
        expect(got).toEqual({ ...bare, version: 4 })
        expect(got).not.toHaveProperty('parcelArrivedAt')
        expect(got).not.toHaveProperty('duplicateOf')
      })

      it('20 concurrent updates from the same expected version: exactly one wins', async () => {
        const v1 = makeOrder()
        await store.orders.insert(v1)
        const attempts = Array.from({ length: 20 }, (_, i): Order => ({
          ...v1,
          status: 'claimed',
          holder: makePersonRef({ id: `squad-${i}`, role: 'squad' }),
          version: 2,
        }))
        const results = await Promise.all(attempts.map((a) => store.orders.update(a, { status: 'pending', version: 1 })))
        expect(results.filter(Boolean)).toHaveLength(1)
        const winner = attempts[results.indexOf(true)]!
        expect(await store.orders.get(v1.id)).toEqual(winner)
      })
    })

    describe('orders: list', () => {
      it('filters by community, households, statuses and holder (holder or partner), as the use cases combine them', async () => {
        const squad = makePersonRef({ id: 'squad-a', role: 'squad' })
        const other = makePersonRef({ id: 'squad-b', role: 'squad' })
        let n = 0
        const o = (over: Partial<Order>) => makeOrder({ createdAt: T0 + ((n++ * 7) % 4) * 1000, ...over })
        const orders = [
          o({ communityId: 'c-1', householdId: 'h-1', status: 'pending' }),
          o({ communityId: 'c-1', householdId: 'h-2', status: 'claimed', holder: squad }),
          o({ communityId: 'c-1', householdId: 'h-3', status: 'delivering', holder: other, partner: squad }),
          o({ communityId: 'c-1', householdId: 'h-1', status: 'confirmed', holder: other }),
          o({ communityId: 'c-2', householdId: 'h-9', status: 'pending', holder: squad }),
          o({ communityId: 'c-2', householdId: 'h-8', status: 'cancelled' }),
        ]
        await insertAll(orders)
        const expectList = async (q: Parameters<Store['orders']['list']>[0], pick: (x: Order) => boolean) => {
          const page = await store.orders.list(q)
          expect(ids(page.items)).toEqual(ids(orders.filter(pick).sort(newestFirst)))
          expect(page.next).toBeNull()
        }
        const held = (who: string) => (x: Order) => x.holder?.id === who || x.partner?.id === who
        const every: Order['status'][] = ['pending', 'claimed', 'delivering', 'confirmed', 'cancelled']
        const working: Order['status'][] = ['claimed', 'delivering', 'confirmed']
        await expectList({ communityId: 'c-1' }, (x) => x.communityId === 'c-1')
        await expectList({ communityId: 'c-2' }, (x) => x.communityId === 'c-2')
        await expectList({ householdIds: ['h-1', 'h-9'] }, (x) => ['h-1', 'h-9'].includes(x.householdId))
        await expectList({ communityId: 'c-1', statuses: ['pending', 'claimed'] }, (x) => x.communityId === 'c-1' && ['pending', 'claimed'].includes(x.status))
        await expectList({ communityId: 'c-2', statuses: ['pending', 'claimed'] }, (x) => x.communityId === 'c-2' && x.status === 'pending')
        await expectList({ holderId: 'squad-a', statuses: every }, held('squad-a'))
        await expectList({ holderId: 'squad-b', statuses: every }, held('squad-b'))
        await expectList({ holderId: 'squad-a', statuses: working }, (x) => working.includes(x.status) && held('squad-a')(x))
        await expectList({ holderId: 'nobody', statuses: every }, () => false)
        await expectList({ householdIds: [] }, () => false)
        await expectList({ communityId: 'c-1', statuses: [] }, () => false)
      })

      it('orders newest first, ties broken by id descending', async () => {
        const orders = [
          makeOrder({ id: 'o-b', createdAt: T0 }),
          makeOrder({ id: 'o-d', createdAt: T0 + 5 }),
          makeOrder({ id: 'o-a', createdAt: T0 }),
          makeOrder({ id: 'o-c', createdAt: T0 }),
          makeOrder({ id: 'o-e', createdAt: T0 - 5 }),
        ]
        await insertAll(orders)
        const page = await store.orders.list({ communityId: 'c-1' })
        expect(ids(page.items)).toEqual(['o-d', 'o-c', 'o-b', 'o-a', 'o-e'])
      })

      it('pages through 250 orders 100 at a time: 100, 100, 50, no duplicates or gaps', async () => {
        // Groups of 7 share a createdAt, so page boundaries fall inside ties.
        const orders = Array.from({ length: 250 }, (_, i) => makeOrder({ createdAt: T0 + Math.floor(i / 7) * 1000 }))
        await insertAll([...orders].reverse())
        const { sizes, items } = await drain((cursor) => store.orders.list({ communityId: 'c-1', limit: 100, cursor }))
        expect(sizes).toEqual([100, 100, 50])
        expect(new Set(ids(items)).size).toBe(250)
        expect(ids(items)).toEqual(ids([...orders].sort(newestFirst)))
      })

      it('ends with next null when the last page is exactly full', async () => {
        await insertAll(Array.from({ length: 200 }, (_, i) => makeOrder({ createdAt: T0 + i })))
        const { sizes } = await drain((cursor) => store.orders.list({ communityId: 'c-1', limit: 100, cursor }))
        expect(sizes).toEqual([100, 100])
        const small = await drain((cursor) => store.orders.list({ communityId: 'c-1', limit: 40, cursor }))
        expect(small.sizes).toEqual([40, 40, 40, 40, 40])
      })

      it('pages with filters and a cursor together (holder or partner, statuses)', async () => {
        const squad = makePersonRef({ id: 'squad-p', role: 'squad' })
        const orders = Array.from({ length: 260 }, (_, i) =>
          makeOrder({
            createdAt: T0 + Math.floor(i / 3) * 1000,
            status: i % 4 === 0 ? 'pending' : 'claimed',
            holder: i % 2 === 0 ? squad : makePersonRef({ role: 'squad' }),
            partner: i % 5 === 0 ? squad : null,
          }),
        )
        await insertAll(orders)
        const pick = (x: Order) => x.status === 'claimed' && (x.holder?.id === 'squad-p' || x.partner?.id === 'squad-p')
        const expected = ids(orders.filter(pick).sort(newestFirst))
        expect(expected.length).toBeGreaterThan(60)
        const { sizes, items } = await drain((cursor) =>
          store.orders.list({ holderId: 'squad-p', statuses: ['claimed'], limit: 30, cursor }),
        )
        expect(ids(items)).toEqual(expected)
        expect(sizes.slice(0, -1).every((s) => s === 30)).toBe(true)
      })

      it("pages a community's orders of several statuses in a time range: ties across statuses, nothing missed or repeated", async () => {
        // Groups of 5 share a createdAt and hold different statuses, so a page boundary falls
        // between two statuses of the same instant; another community's orders interleave.
        const statuses: Order['status'][] = ['pending', 'claimed', 'delivering', 'at_door', 'delivered']
        const orders = Array.from({ length: 330 }, (_, i) =>
          makeOrder({
            communityId: i % 11 === 0 ? 'c-2' : 'c-1',
            createdAt: T0 + Math.floor(i / 5) * 1000,
            status: statuses[(i * 3) % 5]!,
          }),
        )
        await insertAll(orders)
        const open: Order['status'][] = ['pending', 'claimed', 'at_door']
        const cases: { q: Omit<Parameters<Store['orders']['list']>[0], 'cursor'>; pick: (x: Order) => boolean }[] = [
          { q: { communityId: 'c-1', statuses: open, limit: 30 }, pick: (x) => x.communityId === 'c-1' && open.includes(x.status) },
          {
            q: { communityId: 'c-1', statuses: open, createdFrom: T0 + 10_000, createdBefore: T0 + 50_000, limit: 17 },
            pick: (x) => x.communityId === 'c-1' && open.includes(x.status) && x.createdAt >= T0 + 10_000 && x.createdAt < T0 + 50_000,
          },
          { q: { communityId: 'c-2', statuses: ['delivered'], limit: 2 }, pick: (x) => x.communityId === 'c-2' && x.status === 'delivered' },
        ]
        for (const { q, pick } of cases) {
          const expected = ids(orders.filter(pick).sort(newestFirst))
          expect(expected.length).toBeGreaterThan(q.limit! * 2)
          const { sizes, items } = await drain((cursor) => store.orders.list({ ...q, cursor }))
          expect(ids(items)).toEqual(expected)
          expect(sizes.slice(0, -1).every((n) => n === q.limit)).toBe(true)
        }
      })

      it('clamps the limit to 100 (and defaults to 100)', async () => {
        await insertAll(Array.from({ length: 150 }, (_, i) => makeOrder({ createdAt: T0 + i })))
        const big = await store.orders.list({ communityId: 'c-1', limit: 500 })
        expect(big.items).toHaveLength(100)
        expect(big.next).not.toBeNull()
        const dflt = await store.orders.list({ communityId: 'c-1' })
        expect(dflt.items).toHaveLength(100)
        const rest = await store.orders.list({ communityId: 'c-1', limit: 500, cursor: big.next })
        expect(rest.items).toHaveLength(50)
        expect(rest.next).toBeNull()
        expect((await store.orders.list({ communityId: 'c-1', limit: 0 })).items).toHaveLength(1)
      })

      it('returns an empty page for an empty store', async () => {
        expect(await store.orders.list({ communityId: 'c-none' })).toEqual({ items: [], next: null })
      })
    })

    describe('orders: board (the squad board, paged in the store)', () => {
      const MIN = 60_000
      /** A mix around `T0`: overdue and not, urgent and not, claim deadlines and none, ties on boardAt. */
      const boardMix = (n: number, communityId = 'c-1') =>
        Array.from({ length: n }, (_, i) => {
          const due = T0 + ((i * 37) % 23 - 11) * 10 * MIN
          return makeOrder({
            communityId,
            urgency: i % 3 === 0 ? 'urgent' : 'normal',
            dueAt: due,
            // Every 4th order predates claim deadlines; the others are due to be claimed before dueAt.
            ...(i % 4 === 0 ? {} : { claimDueAt: due - ((i % 5) * 20 * MIN) }),
            createdAt: T0 - 3600_000 + i,
          })
        })

      it('lists pending orders only: overdue first, then urgent, then by board deadline, then id', async () => {
        const orders = boardMix(40)
        const claimed = makeOrder({ status: 'claimed', dueAt: T0 - 99 * MIN, urgency: 'urgent' })
        const elsewhere = makeOrder({ communityId: 'c-2', dueAt: T0 - 99 * MIN })
        await insertAll([...orders, claimed, elsewhere])
        const page = await store.orders.board({ communityId: 'c-1', now: T0, limit: 100 })
        const expected = [...orders].sort(compareBoard(T0))
        expect(ids(page.items)).toEqual(ids(expected))
        expect(page.next).toBeNull()
        expect(page.total).toBe(40)
        expect(page.overdue).toBe(orders.filter((o) => boardAt(o) <= T0).length)
        // The split is by the board deadline: an order whose claim deadline passed leads even with dueAt ahead.
        const claimLate = orders.find((o) => o.claimDueAt !== undefined && o.claimDueAt <= T0 && o.dueAt > T0)
        expect(claimLate).toBeDefined()
        expect(ids(page.items).indexOf(claimLate!.id)).toBeLessThan(page.overdue)
        // Sanity of the mix: every segment is present.
        const seg = (o: Order) => `${boardAt(o) <= T0 ? 'late' : 'ok'}-${o.urgency}`
        expect(new Set(orders.map(seg)).size).toBe(4)
      })

      it('pages 250 orders 30 at a time: same order, no duplicates or gaps, next only while more', async () => {
        const orders = boardMix(250)
        await insertAll([...orders].reverse())
        const { sizes, items } = await drain((cursor) => store.orders.board({ communityId: 'c-1', now: T0, limit: 30, cursor }))
        expect(sizes).toEqual([30, 30, 30, 30, 30, 30, 30, 30, 10])
        expect(new Set(ids(items)).size).toBe(250)
        expect(ids(items)).toEqual(ids([...orders].sort(compareBoard(T0))))
        const full = await drain((cursor) => store.orders.board({ communityId: 'c-1', now: T0, limit: 100, cursor }))
        expect(full.sizes).toEqual([100, 100, 50])
        expect(ids(full.items)).toEqual(ids(items))
      })

      it('ends with next null on an exactly full last page; clamps the limit to 100', async () => {
        await insertAll(boardMix(200))
        const { sizes } = await drain((cursor) => store.orders.board({ communityId: 'c-1', now: T0, limit: 50, cursor }))
        expect(sizes).toEqual([50, 50, 50, 50])
        const big = await store.orders.board({ communityId: 'c-1', now: T0, limit: 500 })
        expect(big.items).toHaveLength(100)
        expect(big.next).not.toBeNull()
        expect(big.total).toBe(200)
      })

      it('later pages keep the first page’s instant: an order crossing its deadline meanwhile is neither repeated nor skipped', async () => {
        const orders = boardMix(60)
        await insertAll(orders)
        const first = await store.orders.board({ communityId: 'c-1', now: T0, limit: 20 })
        // Read the rest an hour later (some orders have crossed their deadline): the cursor's instant still splits.
        expect(orders.some((o) => boardAt(o) > T0 && boardAt(o) <= T0 + 3600_000)).toBe(true)
        const items = [...first.items]
        let cursor = first.next
        while (cursor) {
          const p = await store.orders.board({ communityId: 'c-1', now: T0 + 3600_000, limit: 20, cursor })
          items.push(...p.items)
          cursor = p.next
        }
        expect(ids(items)).toEqual(ids([...orders].sort(compareBoard(T0))))
      })

      it('follows writes: a claimed order leaves the board, a released one comes back', async () => {
        const [a, b] = [makeOrder({ dueAt: T0 - MIN, urgency: 'urgent' }), makeOrder({ dueAt: T0 + MIN })]
        await insertAll([a!, b!])
        expect(await store.orders.update({ ...a!, status: 'claimed', version: 2 }, a!)).toBe(true)
        let page = await store.orders.board({ communityId: 'c-1', now: T0 })
        expect(ids(page.items)).toEqual([b!.id])
        expect([page.total, page.overdue]).toEqual([1, 0])
        // Back on the board with a new claim deadline already past: it leads again.
        const back = { ...a!, status: 'pending' as const, claimDueAt: T0 - 2 * MIN, dueAt: T0 + 60 * MIN, version: 3 }
        expect(await store.orders.update(back, { status: 'claimed', version: 2 })).toBe(true)
        page = await store.orders.board({ communityId: 'c-1', now: T0 })
        expect(ids(page.items)).toEqual([a!.id, b!.id])
        expect([page.total, page.overdue]).toEqual([2, 1])
        // What the board hands back is the order as stored, nothing added.
        expect(page.items[0]).toEqual(back)
      })

      it('returns an empty page (total 0) for a community with nothing waiting; a foreign cursor starts over', async () => {
        expect(await store.orders.board({ communityId: 'c-none', now: T0 })).toEqual({ items: [], next: null, total: 0, overdue: 0 })
        await insertAll(boardMix(3))
        expect((await store.orders.board({ communityId: 'c-1', now: T0, cursor: 'not-a-cursor' })).items).toHaveLength(3)
      })
    })

    describe('orders: listDue (the timer job)', () => {
      it('lists open orders whose watchAt has come, across communities, earliest first; not the others', async () => {
        const due1 = makeOrder({ communityId: 'c-a', watchAt: T0 - 2000 })
        const due2 = makeOrder({ communityId: 'c-b', status: 'claimed', watchAt: T0 - 1000 })
        const exactly = makeOrder({ communityId: 'c-b', status: 'at_door', watchAt: T0 })
        const later = makeOrder({ watchAt: T0 + 1 })
        const unwatched = makeOrder({})
        const closed = makeOrder({ status: 'delivered', watchAt: T0 - 5000 })
        await insertAll([later, due2, closed, unwatched, exactly, due1])
        expect(ids(await store.orders.listDue(T0, 100))).toEqual([due1.id, due2.id, exactly.id])
        expect(ids(await store.orders.listDue(T0, 2))).toEqual([due1.id, due2.id])
        // An update that moves watchAt (or drops it) takes the order off the list.
        expect(await store.orders.update({ ...due1, watchAt: T0 + 60_000, version: 2 }, due1)).toBe(true)
        const { watchAt: _w, ...noWatch } = due2
        expect(await store.orders.update({ ...noWatch, version: 2 }, due2)).toBe(true)
        expect(ids(await store.orders.listDue(T0, 100))).toEqual([exactly.id])
      })

    })

    describe('households', () => {
      it('put / get / findByCode, and null when missing', async () => {
        const h = makeHousehold({ code: 'ZJ-0001' })
        await store.households.put(h)
        expect(await store.households.get(h.id)).toEqual(h)
        expect(await store.households.findByCode('ZJ-0001')).toEqual(h)
        expect(await store.households.findByCode('ZJ-none')).toBeNull()
        expect(await store.households.get('h-missing')).toBeNull()
      })

      it('put upserts: the second put replaces the household, code lookups follow', async () => {
        const h = makeHousehold({ code: 'ZJ-old', specialNeeds: ['独居老人', '低血糖'] })
        await store.households.put(h)
        const changed = { ...h, code: 'ZJ-new', isolation: 'health_monitoring' as const, specialNeeds: ['不会做饭'] }
        await store.households.put(changed)
        expect(await store.households.get(h.id)).toEqual(changed)
        expect(await store.households.findByCode('ZJ-new')).toEqual(changed)
        expect(await store.households.findByCode('ZJ-old')).toBeNull()
      })

      it('findByBadge finds the current badge only: none before one is set, none after a reissue', async () => {
        const h = makeHousehold({ code: 'ZJ-B001' })
        await store.households.put(h)
        expect(await store.households.findByBadge('K7M2Q9XA')).toBeNull()
        const badged = { ...h, badge: 'K7M2Q9XA' }
        await store.households.put(badged)
        expect(await store.households.findByBadge('K7M2Q9XA')).toEqual(badged)
        const reissued = { ...h, badge: 'Z3N4P5R6' }
        await store.households.put(reissued)
        expect(await store.households.findByBadge('Z3N4P5R6')).toEqual(reissued)
        expect(await store.households.findByBadge('K7M2Q9XA')).toBeNull()
        // A household code is not a badge code.
        expect(await store.households.findByBadge('ZJ-B001')).toBeNull()
      })

      it('listByCommunity pages by id ascending, only that community', async () => {
        const mine = Array.from({ length: 230 }, () => makeHousehold({ communityId: 'c-list' }))
        const others = Array.from({ length: 5 }, () => makeHousehold({ communityId: 'c-other' }))
        for (const h of [...others, ...[...mine].reverse()]) await store.households.put(h)
        const expected = ids(mine).sort()

        const full = await drain((cursor) => store.households.listByCommunity('c-list', { limit: 100, cursor }))
        expect(full.sizes).toEqual([100, 100, 30])
        expect(ids(full.items)).toEqual(expected)

        const small = await drain((cursor) => store.households.listByCommunity('c-list', { limit: 7, cursor }))
        expect(ids(small.items)).toEqual(expected)
        expect(small.sizes).toHaveLength(33)

        const dflt = await store.households.listByCommunity('c-list')
        expect(dflt.items).toHaveLength(100)
        expect(dflt.next).toBe(expected[99])
        expect(await store.households.listByCommunity('c-empty')).toEqual({ items: [], next: null })
      })

      it('listByCommunity ends with next null on an exactly full last page', async () => {
        for (let i = 0; i < 100; i++) await store.households.put(makeHousehold({ communityId: 'c-100' }))
        const page = await store.households.listByCommunity('c-100', { limit: 100 })
        expect(page.items).toHaveLength(100)
        expect(page.next).toBeNull()
      })
    })

    describe('people', () => {
      it('put / get, null when missing', async () => {
        const p = makePerson({ households: ['h-1', 'h-2'], squadOf: 'c-1' })
        await store.people.put(p)
        expect(await store.people.get(p.id)).toEqual(p)
        expect(await store.people.get('u-missing')).toBeNull()
      })

      it('listByHousehold follows changes to a person’s households', async () => {
        const a = makePerson({ households: ['h-x', 'h-y'] })
        const b = makePerson({ households: ['h-y'] })
        const c = makePerson({ households: [] })
        for (const p of [c, b, a]) await store.people.put(p)
        expect(ids(await store.people.listByHousehold('h-y'))).toEqual([a.id, b.id])
        expect(ids(await store.people.listByHousehold('h-x'))).toEqual([a.id])
        expect(await store.people.listByHousehold('h-none')).toEqual([])

        const a2 = { ...a, households: ['h-z'], name: '改名' }
        await store.people.put(a2)
        expect(await store.people.listByHousehold('h-y')).toEqual([b])
        expect(await store.people.listByHousehold('h-x')).toEqual([])
        expect(await store.people.listByHousehold('h-z')).toEqual([a2])
        expect(await store.people.get(a.id)).toEqual(a2)
      })

      it('listByHousehold returns every member, past the 100-per-request ceiling', async () => {
        const members = Array.from({ length: 230 }, () => makePerson({ households: ['h-big', nextId('h')] }))
        for (const p of [...members].reverse()) await store.people.put(p)
        await store.people.put(makePerson({ households: ['h-small'] }))
        const got = await store.people.listByHousehold('h-big')
        expect(ids(got)).toEqual(ids(members).sort())
      })
    })

    describe('people: the squad', () => {
      it('listSquad: members of that community only, by id, following changes, past 100', async () => {
        const squad = Array.from({ length: 130 }, () => makePerson({ squadOf: 'c-sq' }))
        for (const p of [...squad].reverse()) await store.people.put(p)
        const other = makePerson({ squadOf: 'c-other' })
        await store.people.put(other)
        await store.people.put(makePerson({ squadOf: null }))
        expect(ids(await store.people.listSquad('c-sq'))).toEqual(ids(squad).sort())
        await store.people.put({ ...other, squadOf: 'c-sq' })
        expect(ids(await store.people.listSquad('c-sq'))).toContain(other.id)
        expect(await store.people.listSquad('c-other')).toEqual([])
      })
    })

    describe('invites', () => {
      const invite = (code: string, over: Partial<SquadInvite> = {}): SquadInvite => ({
        code,
        communityId: 'c-1',
        createdBy: 'u-coord',
        createdAt: T0,
        expiresAt: T0 + 7 * 86_400_000,
        usedBy: null,
        usedAt: null,
        ...over,
      })

      it('insert / get; a duplicate code is not inserted and changes nothing', async () => {
        expect(await store.invites.insert(invite('K7M2Q9'))).toBe(true)
        expect(await store.invites.insert(invite('K7M2Q9', { communityId: 'c-2' }))).toBe(false)
        expect(await store.invites.get('K7M2Q9')).toEqual(invite('K7M2Q9'))
        expect(await store.invites.get('NOPE00')).toBeNull()
      })

      it('use: once, only before it expires', async () => {
        await store.invites.insert(invite('USE001'))
        expect(await store.invites.use('USE001', 'u-a', T0 + 1)).toBe(true)
        expect(await store.invites.use('USE001', 'u-b', T0 + 2)).toBe(false)
        expect(await store.invites.get('USE001')).toMatchObject({ usedBy: 'u-a', usedAt: T0 + 1 })

        await store.invites.insert(invite('OLD001', { expiresAt: T0 + 10 }))
        expect(await store.invites.use('OLD001', 'u-a', T0 + 10)).toBe(false)
        expect(await store.invites.get('OLD001')).toMatchObject({ usedBy: null, usedAt: null })
        expect(await store.invites.use('MISSING', 'u-a', T0)).toBe(false)
      })

      it('use: 20 people at once, exactly one gets the code', async () => {
        await store.invites.insert(invite('RACE01'))
        const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => store.invites.use('RACE01', `u-${i}`, T0 + 1)))
        expect(wins.filter(Boolean)).toHaveLength(1)
        const winner = `u-${wins.indexOf(true)}`
        expect((await store.invites.get('RACE01'))?.usedBy).toBe(winner)
      })

      it('listByCommunity: newest first, that community only, limited', async () => {
        for (let i = 0; i < 5; i++) await store.invites.insert(invite(`L0000${i}`, { createdAt: T0 + i }))
        await store.invites.insert(invite('OTHER1', { communityId: 'c-2', createdAt: T0 + 9 }))
        const got = await store.invites.listByCommunity('c-1', 3)
        expect(got.map((i) => i.code)).toEqual(['L00004', 'L00003', 'L00002'])
        expect((await store.invites.listByCommunity('c-1')).length).toBe(5)
      })
    })

    describe('communities', () => {
      it('put / get / upsert, null when missing', async () => {
        const c = makeCommunity()
        await store.communities.put(c)
        expect(await store.communities.get(c.id)).toEqual(c)
        const c2 = { ...c, name: '新名字', buildings: [c.buildings[0]!], parcelHoldMinutes: 60 }
        await store.communities.put(c2)
        expect(await store.communities.get(c.id)).toEqual(c2)
        // The 暂缺 list comes and goes with the document (set replaces, no stale field left behind).
        await store.communities.put({ ...c2, soldOut: ['rice', 'egg'] })
        expect((await store.communities.get(c.id))?.soldOut).toEqual(['rice', 'egg'])
        await store.communities.put(c2)
        expect(await store.communities.get(c.id)).toEqual(c2)
        expect(await store.communities.get('c-missing')).toBeNull()
      })

      it('list: by id, at most the limit, with the service phone', async () => {
        for (const id of ['c-lb', 'c-la', 'c-lc']) await store.communities.put(makeCommunity({ id, servicePhone: '0471-6281234' }))
        const all = (await store.communities.list()).map((c) => c.id).filter((id) => id.startsWith('c-l'))
        expect(all).toEqual(['c-la', 'c-lb', 'c-lc'])
        const two = await store.communities.list(2)
        expect(two).toHaveLength(2)
        expect(two.map((c) => c.id)).toEqual([...two.map((c) => c.id)].sort())
        expect((await store.communities.list()).find((c) => c.id === 'c-la')?.servicePhone).toBe('0471-6281234')
      })

      it('update: a compare-and-set on the revision (absent counts as 0); a stale one writes nothing; dropped fields go', async () => {
        const c = makeCommunity({ id: 'c-rev', soldOut: ['rice'] })
        await store.communities.put(c)
        const { soldOut: _gone, ...withoutSoldOut } = c
        const r1 = { ...withoutSoldOut, revision: 1, servicePhone: '0471-1' }
        expect(await store.communities.update(r1, 0)).toBe(true)
        expect(await store.communities.get('c-rev')).toEqual(r1)
        // Someone who read revision 0 too: refused, the stored document unchanged.
        expect(await store.communities.update({ ...c, revision: 1, name: '旧的' }, 0)).toBe(false)
        expect(await store.communities.get('c-rev')).toEqual(r1)
        const r2 = { ...r1, revision: 2, parcelHoldMinutes: 30 }
        expect(await store.communities.update(r2, 1)).toBe(true)
        expect(await store.communities.get('c-rev')).toEqual(r2)
        expect(await store.communities.update({ ...r2, id: 'c-none', revision: 1 }, 0)).toBe(false)
        expect(await store.communities.get('c-none')).toBeNull()
      })

      it('update: ten writers with the same revision at once, exactly one wins', async () => {
        const c = makeCommunity({ id: 'c-race' })
        await store.communities.put(c)
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.communities.update({ ...c, revision: 1, name: `社区${i}` }, 0)),
        )
        expect(results.filter(Boolean)).toHaveLength(1)
        expect((await store.communities.get('c-race'))?.name).toBe(`社区${results.indexOf(true)}`)
      })
    })

    describe('setup claims', () => {
      const claim = (personId: string, over: Partial<SetupClaim> = {}): SetupClaim => ({
        codeHash: 'a'.repeat(64),
        personId,
        claimedAt: T0,
        communityId: `c-${personId}`,
        plan: { name: '幸福里社区', buildings: [{ name: '1号楼', units: 2, floors: 6, roomsPerFloor: 2 }] },
        ...over,
      })

      it('claim / get round-trip; null when missing', async () => {
        expect(await store.setup.get('a'.repeat(64))).toBeNull()
        expect(await store.setup.claim(claim('p-1'))).toBe(true)
        expect(await store.setup.get('a'.repeat(64))).toEqual(claim('p-1'))
      })

      it('a second claim of the same code is refused and changes nothing; another code is its own', async () => {
        expect(await store.setup.claim(claim('p-1'))).toBe(true)
        expect(await store.setup.claim(claim('p-2', { claimedAt: T0 + 5, plan: { name: '别的', buildings: [] } }))).toBe(false)
        expect(await store.setup.get('a'.repeat(64))).toEqual(claim('p-1'))
        expect(await store.setup.claim(claim('p-2', { codeHash: 'b'.repeat(64) }))).toBe(true)
        expect((await store.setup.get('b'.repeat(64)))?.personId).toBe('p-2')
      })

      it('20 claims of one code at once: exactly one wins, and it is the stored one', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setup.claim(claim(`p-${i}`))))
        expect(results.filter(Boolean)).toHaveLength(1)
        const winner = results.indexOf(true)
        expect((await store.setup.get('a'.repeat(64)))?.personId).toBe(`p-${winner}`)
      })
    })

    attemptsContract(() => store.attempts)
  })
}

/** The AttemptRepo contract: the store's attempts on every adapter, and the host's memory counters. */
export function attemptsContract(repo: () => AttemptRepo): void {
  describe('attempts', () => {
    const MIN = 60_000
    const sum = (cs: { count: number }[]) => cs.reduce((n, c) => n + c.count, 0)

    it('counts per key and bucket; add and list return buckets ≥ since, oldest first', async () => {
      expect(await repo().list('k', 0)).toEqual([])
      expect(await repo().add('k', T0, 1, T0)).toEqual([{ bucket: T0, count: 1 }])
      expect(await repo().add('k', T0, 1, 0)).toEqual([{ bucket: T0, count: 2 }])
      expect(await repo().add('k', T0 + MIN, 1, 0)).toEqual([
        { bucket: T0, count: 2 },
        { bucket: T0 + MIN, count: 1 },
      ])
      expect(await repo().add('k', T0 + MIN, 1, T0 + MIN)).toEqual([{ bucket: T0 + MIN, count: 2 }])
      // Other keys, including ones that look alike, are separate counters.
      expect(await repo().add('k_1', T0, 5, 0)).toEqual([{ bucket: T0, count: 5 }])
      expect(await repo().add('k.x', T0 + MIN, 7, 0)).toEqual([{ bucket: T0 + MIN, count: 7 }])
      expect(await repo().list('k', 0)).toEqual([
        { bucket: T0, count: 2 },
        { bucket: T0 + MIN, count: 2 },
      ])
      expect(await repo().list('k', T0 + 2 * MIN)).toEqual([])
      expect(await repo().list('nobody', 0)).toEqual([])
    })

    it('takes attempts back with a negative delta; a counter back at 0 is still listed', async () => {
      await repo().add('k', T0, 1, T0)
      await repo().add('k', T0, 1, T0)
      expect(await repo().add('k', T0, -1, T0)).toEqual([{ bucket: T0, count: 1 }])
      expect(await repo().add('k', T0, -1, T0)).toEqual([{ bucket: T0, count: 0 }])
      expect(await repo().list('k', 0)).toEqual([{ bucket: T0, count: 0 }])
    })

    it('20 concurrent adds on a fresh counter: none lost, each sees at least its own position', async () => {
      const seen = await Promise.all(Array.from({ length: 20 }, () => repo().add('k-race', T0, 1, T0)))
      expect(await repo().list('k-race', 0)).toEqual([{ bucket: T0, count: 20 }])
      // The i-th add to land sees at least i: so at most 5 of them can see 5 or fewer.
      const totals = seen.map(sum).sort((a, b) => a - b)
      totals.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(i + 1))
      expect(totals.filter((t) => t <= 5).length).toBeLessThanOrEqual(5)
      expect(Math.max(...totals)).toBe(20)
    })

    it('concurrent adds and take-backs over two buckets, all at once, settle exactly', async () => {
      // Take-backs first, so some land before the counter exists; then the two buckets alternate.
      const ops: [number, number][] = Array.from({ length: 10 }, (): [number, number] => [T0, -1])
      for (let i = 0; i < 30; i++) ops.push([T0, 1], ...(i < 20 ? [[T0 + MIN, 1] as [number, number]] : []))
      await Promise.all(ops.map(([bucket, delta]) => repo().add('k-mix', bucket, delta, 0)))
      expect(await repo().list('k-mix', 0)).toEqual([
        { bucket: T0, count: 20 },
        { bucket: T0 + MIN, count: 20 },
      ])
    })

    it('lists at most 100 counters: the newest, oldest first', async () => {
      for (let i = 0; i < 120; i++) await repo().add('k-many', T0 + i * MIN, 1, T0)
      const got = await repo().list('k-many', 0)
      expect(got).toHaveLength(100)
      expect(got[0]).toEqual({ bucket: T0 + 20 * MIN, count: 1 })
      expect(got[99]).toEqual({ bucket: T0 + 119 * MIN, count: 1 })
      expect(await repo().add('k-many', T0 + 119 * MIN, 1, 0)).toHaveLength(100)
    })
  })
}
