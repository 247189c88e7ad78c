/**
 * Photos (the restored door seal, a medicine box): which file references an order may carry. On WeChat a photo is
 * a cloud-storage fileID (cloud://…), uploaded by the mini program itself; on the local host it is
 * `local:<sha256>.<ext>`, a file the host stored under .data/uploads. Pure.
 */
import * as v from 'valibot'
import { protocolOf } from './order/protocol'
import type { Order } from './order/types'

export const MAX_PHOTO_BYTES = 2 * 1024 * 1024

const CLOUD_FILE = /^cloud:\/\/[A-Za-z0-9._-]{1,120}\/[A-Za-z0-9._\/-]{1,200}$/
/** The local host's stored file name: content hash and type. */
const LOCAL_NAME = /^[0-9a-f]{64}\.(jpg|png)$/
const LOCAL_PREFIX = 'local:'

export const isLocalPhotoName = (name: string): boolean => LOCAL_NAME.test(name)
/** The stored file name behind a local host file id, or null for anything else. */
export const localPhotoName = (fileId: string): string | null =>
  fileId.startsWith(LOCAL_PREFIX) && isLocalPhotoName(fileId.slice(LOCAL_PREFIX.length)) ? fileId.slice(LOCAL_PREFIX.length) : null
export const localPhotoId = (name: string): string => LOCAL_PREFIX + name

export const isPhotoId = (s: string): boolean => CLOUD_FILE.test(s) || localPhotoName(s) !== null

/**
 * Where the photo of an order's restored seal is uploaded: the cloud path prefix on WeChat
 * (`seal/<orderId>/<time>-<random>.jpg`) and the upload folder the local host records. order.sealPhoto
 * accepts only a file uploaded there (server/usecases/photos.ts), so one order's photo cannot be
 * attached to another, and a file id that was never uploaded is refused.
 */
export const sealPhotoFolder = (orderId: string): string => `seal/${orderId}`

/** Upload folders the local host records: `medicine` (before the order exists) or `seal/<orderId>`. */
const UPLOAD_FOLDER = /^(medicine|seal\/[A-Za-z0-9_-]{1,64})$/
export const isUploadFolder = (s: string): boolean => UPLOAD_FOLDER.test(s)

/** The path inside the bucket of a cloud file id (`cloud://<env>.<bucket>/<path>`), or null. */
export function cloudPhotoPath(fileId: string): string | null {
  if (!CLOUD_FILE.test(fileId)) return null
  const rest = fileId.slice('cloud://'.length)
  return rest.slice(rest.indexOf('/') + 1)
}

export const PhotoId = v.pipe(v.string('请先拍照'), v.check(isPhotoId, '照片没有上传成功，请重拍'))

/** The image type from the first bytes: JPEG or PNG, anything else null. */
export function imageType(bytes: Uint8Array): 'jpg' | 'png' | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg'
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) return 'png'
  return null
}

/** A seal photo may be attached once the door seal is restored: 恢复封条 recorded, or delivered. */
export function sealRestored(order: Pick<Order, 'status' | 'protocol'>): boolean {
  if (order.status === 'delivered' || order.status === 'confirmed') return true
  return order.status === 'at_door' && protocolOf(order).some((r) => r.step === 'restore_seal')
}
