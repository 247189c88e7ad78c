/**
 * Taking a photo and storing it where the platform keeps files; returns the file id the api takes
 * (core/photo.ts), or null when the person cancelled.
 *
 * `folder`: 'medicine', or core/photo.ts sealPhotoFolder(orderId) for a seal photo; the server accepts a
 * seal photo only from that order's folder (and, on the local host, only from the person who uploaded it).
 *
 * weapp: Taro.chooseMedia (camera or album, compressed) → Taro.cloud.uploadFile into cloud storage at
 *        `<folder>/<time>-<random>.jpg` → its fileID (cloud://…).
 * h5:    a file picker (Taro.chooseImage) → POST /api/upload?folder=<folder> on the local host → local:<sha>.<ext>.
 * Either way the file is private; pages show it through photo.url (components/order-photo).
 */
import Taro from '@tarojs/taro'
import type { Result } from '../core/contract'
import { CallError } from './call'
import { getSessionToken } from './session'

const IS_H5 = process.env.TARO_ENV === 'h5'

function cancelled(e: unknown): boolean {
  const msg = (e as { errMsg?: string } | null)?.errMsg ?? ''
  return /cancel/i.test(msg)
}

/**
 * A photo just taken: the file id for the api, and a preview the page can show right away (H5: the
 * picker's blob: URL; weapp: the local temp file), before any link to the stored file exists.
 */
export interface PickedPhoto {
  fileId: string
  preview: string
}

export async function pickPhoto(folder: string): Promise<PickedPhoto | null> {
  if (IS_H5) {
    let path: string
    try {
      const picked = await Taro.chooseImage({ count: 1, sizeType: ['compressed'], sourceType: ['album', 'camera'] })
      path = picked.tempFilePaths[0] ?? ''
    } catch (e) {
      if (cancelled(e)) return null
      throw new CallError('INTERNAL', '没能打开相机，请再试一次')
    }
    if (!path) return null
    const blob = await (await fetch(path)).blob()
    const token = getSessionToken()
    let res: Result<{ fileId: string }>
    try {
      const r = await fetch(`/api/upload?folder=${encodeURIComponent(folder)}`, {
        method: 'POST',
        headers: { 'content-type': blob.type || 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: blob,
      })
      res = (await r.json()) as Result<{ fileId: string }>
    } catch {
      throw new CallError('NETWORK.UNREACHABLE', '网络不太好，照片没传上去，请再试一次')
    }
    if (!res.ok) throw new CallError(res.code, res.message)
    return { fileId: res.data.fileId, preview: path }
  }
  let tempPath: string
  try {
    const picked = await Taro.chooseMedia({ count: 1, mediaType: ['image'], sizeType: ['compressed'], sourceType: ['camera', 'album'] })
    tempPath = picked.tempFiles[0]?.tempFilePath ?? ''
  } catch (e) {
    if (cancelled(e)) return null
    throw new CallError('INTERNAL', '没能打开相机，请再试一次')
  }
  if (!tempPath) return null
  try {
    const up = await Taro.cloud.uploadFile({ cloudPath: `${folder}/${Date.now()}-${Math.random().toString(36).slice(2, 8)}.jpg`, filePath: tempPath })
    return { fileId: up.fileID, preview: tempPath }
  } catch {
    throw new CallError('NETWORK.UNREACHABLE', '网络不太好，照片没传上去，请再试一次')
  }
}
