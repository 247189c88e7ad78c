/**
 * npm run preview — builds the mini program for ZJ_CLOUD_ENV and asks miniprogram-ci for a preview;
 * the QR code (scan it with WeChat on a phone of a 开发者/体验成员) is written as a PNG to
 * dist/preview-qrcode.png, and the path is printed.
 *
 * Needs ZJ_APPID, ZJ_CLOUD_ENV, ZJ_UPLOAD_KEY.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, settingsOrExit } from './deploy/config'
import { buildWeapp, ciProject, describeUpload, loadMiniprogramCi, main } from './deploy/tools'

const settings = settingsOrExit('preview', {
  required: ['ZJ_APPID', 'ZJ_CLOUD_ENV', 'ZJ_UPLOAD_KEY'],
  optional: ['ZJ_DESC', 'ZJ_VERSION'],
})

main('preview', async () => {
  buildWeapp(settings)
  const ci = loadMiniprogramCi()
  const qrcode = join(ROOT, 'dist', 'preview-qrcode.png')
  mkdirSync(join(ROOT, 'dist'), { recursive: true })
  await ci.preview({
    project: ciProject(ci, settings),
    // miniprogram-ci's typings require a version for a preview too; it is not shown anywhere.
    version: settings.ZJ_VERSION ?? '0.0.0',
    desc: describeUpload(settings),
    robot: 1,
    setting: { useProjectConfig: true },
    qrcodeFormat: 'image',
    qrcodeOutputDest: qrcode,
    onProgressUpdate: () => undefined,
  })
  console.log(`preview QR code: ${qrcode}`)
})
