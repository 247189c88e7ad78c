/**
 * order.sealPhoto: the holder (or partner) attaches the photo of the restored door seal, once the
 * seal is restored (步骤「恢复封条」 recorded, or the order delivered). Not a status change: a
 * compare-and-set on the order's version, like every other write.
 */
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import { AppError } from '../../core/errors'
import { canView, relationsTo } from '../../core/order/policy'
import { sealPhotoFolder, sealRestored } from '../../core/photo'
import type { Order } from '../../core/order/types'
import type { OrderView } from '../../core/views'
import type { Deps } from '../deps'
import { publishOrderChange } from '../live/bus'
import { toView } from './order-view'

/** Links live this long: long enough to look, short enough that a forwarded link soon stops working. */
export const PHOTO_LINK_SECONDS = 10 * 60

/** photo.url: a short-lived link, only for someone who may see the order (others: ORDER.NOT_FOUND). */
export async function photoUrl(deps: Deps, actor: Actor, input: ParsedInputOf<'photo.url'>): Promise<{ url: string; expiresAt: number }> {
  const order = await deps.store.orders.get(input.id)
  if (!order || !canView(actor, order)) throw new AppError('ORDER.NOT_FOUND')
  const fileId = input.line === undefined ? order.sealPhoto?.fileId : order.lines[input.line]?.photo
  if (!fileId) throw new AppError('PHOTO.NONE')
  if (!deps.photos) throw new AppError('PHOTO.UNAVAILABLE')
  const expiresAt = deps.now() + PHOTO_LINK_SECONDS * 1000
  try {
    return { url: await deps.photos.link(fileId, PHOTO_LINK_SECONDS), expiresAt }
  } catch (e) {
    deps.log.error('photo.link_failed', { order: order.id, error: e instanceof Error ? e.message : 'unknown' })
    throw new AppError('PHOTO.UNAVAILABLE')
  }
}

export async function attachSealPhoto(deps: Deps, actor: Actor, input: ParsedInputOf<'order.sealPhoto'>): Promise<OrderView> {
  // A lost compare-and-set (another change to the order at the same moment) reads and checks again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const order = await deps.store.orders.get(input.id)
    if (!order || !canView(actor, order)) throw new AppError('ORDER.NOT_FOUND')
    if (!relationsTo(actor, order).has('holder')) throw new AppError('ORDER.NOT_HOLDER')
    if (!sealRestored(order)) throw new AppError('PHOTO.NOT_NOW')
    // A resend (network retry, double tap): this photo is attached already; answered as it is.
    if (order.sealPhoto?.fileId === input.fileId) return toView(deps, actor, order)
    // The file must exist and be this caller's upload for this order (cloud: under seal/<orderId>/).
    if (!deps.photos) throw new AppError('PHOTO.UNAVAILABLE')
    let uploaded: boolean
    try {
      uploaded = await deps.photos.uploaded(input.fileId, { folder: sealPhotoFolder(order.id), by: actor.id })
    } catch (e) {
      deps.log.error('photo.check_failed', { order: order.id, error: e instanceof Error ? e.message : 'unknown' })
      throw new AppError('PHOTO.UNAVAILABLE')
    }
    if (!uploaded) {
      deps.log.info('photo.not_uploaded', { order: order.id })
      throw new AppError('PHOTO.NOT_UPLOADED')
    }
    const now = deps.now()
    const next: Order = {
      ...order,
      sealPhoto: { fileId: input.fileId, at: now, by: { id: actor.id, name: actor.name, role: 'squad' } },
      updatedAt: now,
      version: order.version + 1,
    }
    if (!(await deps.store.orders.update(next, { status: order.status, version: order.version }))) continue
    deps.log.info('order.seal_photo', { order: order.id })
    publishOrderChange(deps, next)
    return toView(deps, actor, next)
  }
  throw new AppError('ORDER.CONFLICT')
}
