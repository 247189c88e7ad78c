/**
 * What a coordinator sets for their community, on its one document:
 * - the catalog residents order from: the default (core/catalog.ts) plus items the coordinator added,
 *   with 暂缺 items marked (mark 暂缺 / 有货, add an item to a category, remove one they added);
 * - how long parcels from outside wait after disinfection.
 */
import { createHash } from 'node:crypto'
import type { Actor } from '../../core/actor'
import { communityCatalog, findItem, MAX_EXTRA_ITEMS } from '../../core/catalog'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import type { CatalogView, DeadlinesView, MeView } from '../../core/views'
import type { DeadlineSettings } from '../../core/order/schedule'
import type { Deps } from '../deps'
import type { Community } from '../ports'
import { changeCommunity } from './community-change'
import { getMe } from './me'

/** The community whose catalog a caller sees: their household's, else the one they serve. */
async function catalogCommunity(deps: Deps, actor: Actor): Promise<string | null> {
  const first = actor.households[0]
  if (first) return (await deps.store.households.get(first))?.communityId ?? null
  return actor.squadOf ?? actor.coordinatorOf
}

export async function getCatalog(deps: Deps, actor: Actor): Promise<CatalogView> {
  const id = await catalogCommunity(deps, actor)
  const community = id ? await deps.store.communities.get(id) : null
  return { categories: communityCatalog(community ?? {}) }
}

/** A catalog change to the coordinator's community (community-change.ts), answered with the catalog. */
async function save(deps: Deps, actor: Actor, event: string, change: (c: Community) => Community | null): Promise<CatalogView> {
  let changed = false
  const next = await changeCommunity(deps, actor.coordinatorOf!, (c) => {
    const n = change(c)
    changed = n !== null
    return n
  })
  if (changed) deps.log.info(event, { community: next.id })
  return { categories: communityCatalog(next) }
}

/**
 * coord.setParcelHold: the community's hold after a parcel is disinfected. Applies to parcels
 * disinfected from now on; a parcel already waiting keeps the time it was given.
 */
export async function setParcelHold(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.setParcelHold'>): Promise<MeView> {
  const community = await changeCommunity(deps, actor.coordinatorOf!, (c) => ({ ...c, parcelHoldMinutes: input.minutes }))
  deps.log.info('community.parcel_hold', { community: community.id, minutes: input.minutes })
  return getMe(deps, actor)
}

const invalid = (field: string, message: string) => new AppError('REQUEST.INVALID_INPUT', { fields: { [field]: message } })

/** coord.setSoldOut: 暂缺 / 有货 for one item. Medicine and 其他 are ordered by name and always open. */
export async function setSoldOut(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.setSoldOut'>): Promise<CatalogView> {
  return save(deps, actor, 'catalog.sold_out', (community) => {
    const item = findItem(communityCatalog(community), input.itemId)
    if (!item) throw invalid('itemId', '没有这种物品')
    if (item.freeName) throw invalid('itemId', '药品和其他物品按名称下单，不能标暂缺')
    const rest = (community.soldOut ?? []).filter((id) => id !== item.id)
    return { ...community, soldOut: input.soldOut ? [...rest, item.id] : rest }
  })
}

/** coord.addItem: a new item in one of the categories ordered by item; names are unique in the catalog. */
export async function addItem(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.addItem'>): Promise<CatalogView> {
  return save(deps, actor, 'catalog.item_added', (community) => {
    const extras = community.extraItems ?? []
    // A resend (same name, category and unit, added already): answered with the catalog as it is.
    if (extras.some((x) => x.name === input.name && x.categoryId === input.categoryId && x.unit === input.unit)) return null
    const taken = communityCatalog(community).some((c) => c.items.some((i) => i.name === input.name))
    if (taken) throw invalid('name', `清单里已经有「${input.name}」了`)
    if (extras.length >= MAX_EXTRA_ITEMS) throw invalid('name', `自己添加的物品最多${MAX_EXTRA_ITEMS}样，请先删掉不用的`)
    // The id follows from the name, so two of the same call at once write the same item.
    const item = { id: `x${createHash('sha256').update(`${input.categoryId}\u0000${input.name}`).digest('hex').slice(0, 10)}`, categoryId: input.categoryId, name: input.name, unit: input.unit }
    return { ...community, extraItems: [...extras, item] }
  })
}

/** coord.removeItem: only items the coordinator added; default items are marked 暂缺 instead. */
export async function removeItem(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.removeItem'>): Promise<CatalogView> {
  return save(deps, actor, 'catalog.item_removed', (community) => {
    const extras = community.extraItems ?? []
    if (!extras.some((x) => x.id === input.itemId)) {
      throw invalid('itemId', findItem(communityCatalog(community), input.itemId) ? '默认物品不能删除，没货时请标「暂缺」' : '没有这种物品')
    }
    return { ...community, extraItems: extras.filter((x) => x.id !== input.itemId), soldOut: (community.soldOut ?? []).filter((id) => id !== input.itemId) }
  })
}

/**
 * coord.setDeadlines: the community's claim and delivery deadlines (the schema has already refused
 * zero, negative, fractional and claim ≥ deliver). Orders placed from now on get them; an order
 * keeps the deadlines it was placed with.
 */
export async function setDeadlines(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.setDeadlines'>): Promise<DeadlinesView> {
  const deadlines: DeadlineSettings = {
    urgentClaimMinutes: input.urgentClaimMinutes,
    urgentDeliverMinutes: input.urgentDeliverMinutes,
    normalClaimMinutes: input.normalClaimMinutes,
    normalDeliverMinutes: input.normalDeliverMinutes,
  }
  const community = await changeCommunity(deps, actor.coordinatorOf!, (c) => ({ ...c, deadlines }))
  deps.log.info('community.deadlines', { community: community.id, ...deadlines })
  return deadlines
}

/**
 * coord.setRetention: days after a released household's end date before retention anonymises it
 * (core/retention.ts; the schema has refused anything but a whole number of 7–365 days).
 */
export async function setRetention(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.setRetention'>): Promise<{ days: number }> {
  const community = await changeCommunity(deps, actor.coordinatorOf!, (c) => ({ ...c, retentionDays: input.days }))
  deps.log.info('community.retention', { community: community.id, days: input.days })
  return { days: input.days }
}
