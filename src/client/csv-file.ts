/**
 * Picking a CSV file and reading its bytes, as base64 for coord.importHouseholds (the server tells
 * UTF-8 from GBK, so the page never decodes). Returns null when the person cancelled.
 *
 * h5:    a file input opened by the tap; FileReader → ArrayBuffer.
 * weapp: Taro.chooseMessageFile (a file sent in a WeChat chat: how a spreadsheet reaches a phone)
 *        → the file system manager reads it as an ArrayBuffer.
 */
import Taro from '@tarojs/taro'
import { CallError } from './call'

const IS_H5 = process.env.TARO_ENV === 'h5'

export interface PickedFile {
  name: string
  base64: string
}

function toBase64(buf: ArrayBuffer): string {
  if (!IS_H5) return Taro.arrayBufferToBase64(buf)
  const bytes = new Uint8Array(buf)
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(bin)
}

function pickH5(): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = '.csv,text/csv'
    input.style.display = 'none'
    input.setAttribute('data-testid', 'csv-file-input')
    input.addEventListener('change', () => {
      resolve(input.files?.[0] ?? null)
      input.remove()
    })
    input.addEventListener('cancel', () => {
      resolve(null)
      input.remove()
    })
    document.body.appendChild(input)
    input.click()
  })
}

export async function pickCsvFile(): Promise<PickedFile | null> {
  if (IS_H5) {
    const file = await pickH5()
    if (!file) return null
    return { name: file.name, base64: toBase64(await file.arrayBuffer()) }
  }
  let picked: { path: string; name: string } | undefined
  try {
    const r = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['csv'] })
    picked = r.tempFiles[0]
  } catch (e) {
    if (/cancel/i.test((e as { errMsg?: string } | null)?.errMsg ?? '')) return null
    throw new CallError('INTERNAL', '没能打开聊天文件，请再试一次')
  }
  if (!picked) return null
  const path = picked.path
  const data = await new Promise<ArrayBuffer>((resolve, reject) =>
    Taro.getFileSystemManager().readFile({
      filePath: path,
      success: (r) => resolve(r.data as ArrayBuffer),
      fail: () => reject(new CallError('INTERNAL', '文件读不出来，请再选一次')),
    }),
  )
  return { name: picked.name, base64: toBase64(data) }
}

/** The template: H5 downloads it (UTF-8 with BOM, so Excel shows the Chinese); weapp copies the text. */
export async function offerTemplate(name: string, text: string): Promise<'downloaded' | 'copied'> {
  if (IS_H5) {
    const url = URL.createObjectURL(new Blob(['\ufeff' + text], { type: 'text/csv;charset=utf-8' }))
    const a = document.createElement('a')
    a.href = url
    a.download = name
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
    return 'downloaded'
  }
  await Taro.setClipboardData({ data: text })
  return 'copied'
}
