/**
 * Carries out the deploy plan of a cloud function with the two official tools:
 *
 *   miniprogram-ci (upload key):   cloud.uploadFunction (code, remote npm install), cloud.createTimeTrigger
 *   @cloudbase/manager-node (API keys): functions.getFunctionDetail (what exists), createFunction
 *     (first deploy only), updateFunctionConfig (timeout, environment variables),
 *     deleteFunctionTrigger (a trigger whose schedule changed), waitFunctionActive
 *
 * miniprogram-ci cannot set a timeout or environment variables, cannot read a function or delete a
 * trigger, and creates a missing function on the Nodejs8.9 runtime (hard-coded in its
 * uploadFunction), which cannot run this bundle. So the first deploy creates the function with
 * manager-node on a current runtime, and later deploys upload the code with miniprogram-ci.
 */
import type { ExistingFunction, FunctionSpec, FunctionStep, FunctionPlan, TriggerSpec } from './functions-plan'
import { describeFunctionStep, planFunctionDeploy } from './functions-plan'

export interface FunctionsAdminApi {
  functions: {
    getFunctionDetail(name: string): Promise<{
      Runtime: string
      Timeout: number
      Environment?: { Variables?: { Key: string; Value: string }[] }
      Triggers?: { TriggerName?: string; Type?: string; TriggerDesc?: string }[]
    }>
    createFunction(param: {
      func: {
        name: string
        runtime: string
        timeout: number
        envVariables: Record<string, string>
        installDependency: boolean
        handler: string
        ignore: string[]
      }
      functionRootPath: string
      force: boolean
    }): Promise<unknown>
    updateFunctionConfig(func: { name: string; timeout: number; envVariables: Record<string, string> }): Promise<unknown>
    deleteFunctionTrigger(name: string, triggerName: string): Promise<unknown>
    waitFunctionActive(name: string): Promise<void>
  }
}

/** The part of miniprogram-ci's `cloud` namespace used here (project: a miniprogram-ci Project). */
export interface CiCloudApi<P> {
  uploadFunction(options: { project: P; env: string; name: string; path: string; remoteNpmInstall: boolean }): Promise<{
    filesCount: number
    packSize: number
  }>
  createTimeTrigger(options: { project: P; envId: string; functionName: string; triggersConfig: TriggerSpec[] }): Promise<string>
}

export interface DeployTarget {
  envId: string
  /** cloudfunctions/ (the parent of the function's folder). */
  functionRoot: string
}

/** What miniprogram-ci's createTimeTrigger answers on success (it answers another string on failure). */
export const TRIGGER_CREATED = '创建定时触发器成功'

/** A timer's TriggerDesc reads `{"cron":"0 * * * * * *"}` (SCF GetFunction); older answers hold the cron itself. */
export function triggerConfig(desc: string | undefined): string {
  if (!desc) return ''
  try {
    const parsed = JSON.parse(desc) as { cron?: unknown }
    if (typeof parsed?.cron === 'string') return parsed.cron
  } catch {
    // not JSON: the cron expression itself
  }
  return desc
}

function isNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code
  return typeof code === 'string' && code.startsWith('ResourceNotFound')
}

export async function readFunction(api: FunctionsAdminApi, name: string): Promise<ExistingFunction | null> {
  try {
    const info = await api.functions.getFunctionDetail(name)
    const envVariables: Record<string, string> = {}
    for (const v of info.Environment?.Variables ?? []) envVariables[v.Key] = v.Value
    return {
      runtime: info.Runtime,
      timeout: info.Timeout,
      envVariables,
      triggers: (info.Triggers ?? []).map((t) => ({ name: t.TriggerName ?? '', type: t.Type ?? '', config: triggerConfig(t.TriggerDesc) })),
    }
  } catch (e) {
    if (isNotFound(e)) return null
    throw e
  }
}

export interface DeployResult {
  plan: FunctionPlan
  done: FunctionStep[]
}

export class DeployBlocked extends Error {}

export async function runDeployFunction<P>(
  deps: { admin: FunctionsAdminApi; ci: CiCloudApi<P>; project: P },
  target: DeployTarget,
  spec: FunctionSpec,
  setupCode: { fromSettings?: string; generate: () => string },
  log: (s: string) => void = console.log,
): Promise<DeployResult> {
  const { admin, ci, project } = deps
  const existing = await readFunction(admin, spec.name)
  const plan = planFunctionDeploy(spec, existing, setupCode)
  const blocked = plan.steps.find((s) => s.kind === 'blocked')
  if (blocked && blocked.kind === 'blocked') throw new DeployBlocked(blocked.reason)

  const done: FunctionStep[] = []
  for (const step of plan.steps) {
    log(`${describeFunctionStep(spec.name, step)} …`)
    switch (step.kind) {
      case 'create-function':
        await admin.functions.createFunction({
          func: {
            name: spec.name,
            runtime: step.runtime,
            timeout: step.timeout,
            envVariables: step.envVariables,
            installDependency: true,
            handler: 'index.main',
            ignore: ['node_modules', 'node_modules/**/*'],
          },
          functionRootPath: target.functionRoot,
          force: false,
        })
        break
      case 'upload-code': {
        const res = await ci.uploadFunction({
          project,
          env: target.envId,
          name: spec.name,
          path: `${target.functionRoot}/${spec.name}`,
          remoteNpmInstall: true,
        })
        log(`  ${res.filesCount} files, ${res.packSize} bytes`)
        break
      }
      case 'update-config':
        await admin.functions.waitFunctionActive(spec.name)
        await admin.functions.updateFunctionConfig({ name: spec.name, timeout: step.timeout, envVariables: step.envVariables })
        break
      case 'delete-trigger':
        await admin.functions.deleteFunctionTrigger(spec.name, step.name)
        break
      case 'create-trigger': {
        const answer = await ci.createTimeTrigger({ project, envId: target.envId, functionName: spec.name, triggersConfig: [step.trigger] })
        if (answer !== TRIGGER_CREATED) throw new Error(`trigger ${step.trigger.name} was not created: miniprogram-ci answered "${answer}"`)
        break
      }
      case 'blocked':
        break
    }
    done.push(step)
  }
  if (plan.setupCode.source === 'generated') log(`setup code: ${plan.setupCode.code}`)
  else if (plan.setupCode.source === 'settings') log('setup code: the one in ZJ_SETUP_CODE')
  else log('setup code: unchanged (already set on the function: 云函数 → api → 版本与配置 → 环境变量 ZJ_SETUP_CODE)')
  return { plan, done }
}
