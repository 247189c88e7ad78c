/**
 * npm run upload — builds the mini program for ZJ_CLOUD_ENV (npm run build:weapp) and uploads it
 * with miniprogram-ci as version ZJ_VERSION (robot 1). Then, in 微信公众平台 → 管理 → 版本管理,
 * choose it as 体验版 or submit it for review (DEPLOY.md).
 *
 * Needs ZJ_APPID, ZJ_CLOUD_ENV (a weapp built without it cannot reach the cloud), ZJ_UPLOAD_KEY, ZJ_VERSION.
 */
import { must, settingsOrExit } from './deploy/config'
import { buildWeapp, ciProject, describeUpload, loadMiniprogramCi, main } from './deploy/tools'

const settings = settingsOrExit('upload', {
  required: ['ZJ_APPID', 'ZJ_CLOUD_ENV', 'ZJ_UPLOAD_KEY', 'ZJ_VERSION'],
  optional: ['ZJ_DESC'],
})

main('upload', async () => {
  buildWeapp(settings)
  const ci = loadMiniprogramCi()
  const version = must(settings, 'ZJ_VERSION')
  const desc = describeUpload(settings)
  console.log(`uploading ${version} (${desc}) as robot 1 …`)
  const result = await ci.upload({
    project: ciProject(ci, settings),
    version,
    desc,
    robot: 1,
    setting: { useProjectConfig: true },
    onProgressUpdate: () => undefined,
  })
  for (const p of result.subPackageInfo ?? []) console.log(`  ${p.name}: ${p.size} bytes`)
  console.log(`uploaded ${version}. Next: 微信公众平台 → 管理 → 版本管理 → 开发版本 → 选为体验版 / 提交审核`)
})
