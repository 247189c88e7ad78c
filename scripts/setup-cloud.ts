/**
 * npm run setup:cloud — makes the cloud database match src/server/cloud/manifest.ts: creates each
 * missing collection and index, applies each collection's security rule and the storage rule.
 * Idempotent: a second run finds nothing to do and says so. What no API could do is printed as
 * console steps, and the script then exits 3.
 *
 * Needs ZJ_APPID, ZJ_CLOUD_ENV, TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY (see DEPLOY.md).
 */
import { DATABASE_MANIFEST, STORAGE_RULE } from '../src/server/cloud/manifest'
import { must, settingsOrExit } from './deploy/config'
import { runSetup, type CloudAdminApi } from './deploy/setup-exec'
import { main, managerNode } from './deploy/tools'

const settings = settingsOrExit('setup:cloud', {
  required: ['ZJ_APPID', 'ZJ_CLOUD_ENV', 'TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY'],
})

main('setup:cloud', async () => {
  const envId = must(settings, 'ZJ_CLOUD_ENV')
  console.log(`cloud env ${envId}: reading collections, indexes and rules …`)
  const api: CloudAdminApi = managerNode(settings)
  const result = await runSetup(api, { envId, appId: must(settings, 'ZJ_APPID') }, DATABASE_MANIFEST, STORAGE_RULE)
  return result.console.length > 0 ? 3 : 0
})
