/**
 * npm run deploy:functions — builds the api function bundle (scripts/build-cloud.mjs), uploads it
 * (dependencies installed in the cloud), sets its timeout to 20 s and its environment variables,
 * and creates the timer trigger declared in cloudfunctions/api/config.json. Prints the setup code
 * the first coordinator needs when it generated one.
 *
 * Needs ZJ_APPID, ZJ_CLOUD_ENV, ZJ_UPLOAD_KEY, TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY;
 * reads ZJ_SUBSCRIBE_TEMPLATES, ZJ_MINIPROGRAM_STATE, ZJ_DAILY_HOUR, ZJ_SETUP_CODE when set.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, must, settingsOrExit, type SettingName } from './deploy/config'
import { DeployBlocked, runDeployFunction, type FunctionsAdminApi } from './deploy/functions-exec'
import { declaredTriggers, type FunctionSpec } from './deploy/functions-plan'
import { generateSetupCode } from './deploy/setup-code'
import { buildCloudFunction, ciProject, loadMiniprogramCi, main, managerNode } from './deploy/tools'

const FUNCTION_SETTINGS = ['ZJ_SUBSCRIBE_TEMPLATES', 'ZJ_MINIPROGRAM_STATE', 'ZJ_DAILY_HOUR'] as const satisfies readonly SettingName[]

const settings = settingsOrExit('deploy:functions', {
  required: ['ZJ_APPID', 'ZJ_CLOUD_ENV', 'ZJ_UPLOAD_KEY', 'TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY'],
  optional: [...FUNCTION_SETTINGS, 'ZJ_SETUP_CODE'],
})

main('deploy:functions', async () => {
  const functionRoot = join(ROOT, 'cloudfunctions')
  const envVariables: Record<string, string> = {}
  for (const name of FUNCTION_SETTINGS) {
    const v = settings[name]
    if (v) envVariables[name] = v
  }
  if (!settings.ZJ_SUBSCRIBE_TEMPLATES) console.log('note: ZJ_SUBSCRIBE_TEMPLATES is not set; residents get the in-app 消息 only')
  const spec: FunctionSpec = {
    name: 'api',
    runtime: 'Nodejs16.13',
    timeout: 20,
    envVariables,
    triggers: declaredTriggers(readFileSync(join(functionRoot, 'api', 'config.json'), 'utf8')),
  }

  buildCloudFunction()
  const ci = loadMiniprogramCi()
  const project = ciProject(ci, settings)
  const admin: FunctionsAdminApi = managerNode(settings)
  try {
    await runDeployFunction(
      { admin, ci: ci.cloud, project },
      { envId: must(settings, 'ZJ_CLOUD_ENV'), functionRoot },
      spec,
      { fromSettings: settings.ZJ_SETUP_CODE, generate: () => generateSetupCode() },
    )
  } catch (e) {
    if (e instanceof DeployBlocked) {
      console.error(e.message)
      return 4
    }
    throw e
  }
  console.log('deployed: api')
})
