/**
 * What `npm run deploy:functions` must do for the `api` function, computed from the wanted
 * configuration and what the environment already has. Pure apart from the setup-code generator,
 * which is passed in.
 */

export interface TriggerSpec {
  name: string
  type: string
  /** For a timer: the 7-field cron expression of cloudfunctions/<name>/config.json. */
  config: string
}

export interface FunctionSpec {
  name: string
  /** Used only when the function is created (the runtime of an existing function cannot change). */
  runtime: string
  timeout: number
  /** Variables from the settings; variables already on the function and not named here are kept. */
  envVariables: Record<string, string>
  triggers: TriggerSpec[]
}

export interface ExistingFunction {
  runtime: string
  timeout: number
  envVariables: Record<string, string>
  triggers: TriggerSpec[]
}

export type FunctionStep =
  | { kind: 'create-function'; runtime: string; timeout: number; envVariables: Record<string, string> }
  | { kind: 'upload-code' }
  | { kind: 'update-config'; timeout: number; envVariables: Record<string, string> }
  | { kind: 'delete-trigger'; name: string }
  | { kind: 'create-trigger'; trigger: TriggerSpec }
  /** Stops the deploy before anything changes. */
  | { kind: 'blocked'; reason: string }

export type SetupCodeSource = 'settings' | 'kept' | 'generated'

export interface FunctionPlan {
  steps: FunctionStep[]
  setupCode: { code: string; source: SetupCodeSource }
}

/** Node major versions the bundle (esbuild target node16) runs on. */
export const MIN_NODE_MAJOR = 16

export function runtimeMajor(runtime: string): number | null {
  const m = /^Nodejs(\d+)/i.exec(runtime)
  return m ? Number(m[1]) : null
}

const sameEnv = (a: Record<string, string>, b: Record<string, string>) => {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k])
}

export function planFunctionDeploy(
  spec: FunctionSpec,
  existing: ExistingFunction | null,
  setupCode: { fromSettings?: string; generate: () => string },
): FunctionPlan {
  const kept = existing?.envVariables.ZJ_SETUP_CODE
  const code = setupCode.fromSettings
    ? { code: setupCode.fromSettings, source: 'settings' as const }
    : kept
      ? { code: kept, source: 'kept' as const }
      : { code: setupCode.generate(), source: 'generated' as const }
  const wantedEnv = { ...spec.envVariables, ZJ_SETUP_CODE: code.code }
  const steps: FunctionStep[] = []

  if (!existing) {
    steps.push({ kind: 'create-function', runtime: spec.runtime, timeout: spec.timeout, envVariables: wantedEnv })
    for (const trigger of spec.triggers) steps.push({ kind: 'create-trigger', trigger })
    return { steps, setupCode: code }
  }

  const major = runtimeMajor(existing.runtime)
  if (major !== null && major < MIN_NODE_MAJOR) {
    return {
      steps: [
        {
          kind: 'blocked',
          reason:
            `${spec.name} runs on ${existing.runtime}, but the bundle needs Node ${MIN_NODE_MAJOR} or later and a runtime cannot be changed. ` +
            `Delete it (云开发控制台 → 云函数 → ${spec.name} → 删除) and run npm run deploy:functions again: it is created on ${spec.runtime}.`,
        },
      ],
      setupCode: code,
    }
  }

  steps.push({ kind: 'upload-code' })
  const mergedEnv = { ...existing.envVariables, ...wantedEnv }
  if (existing.timeout !== spec.timeout || !sameEnv(existing.envVariables, mergedEnv)) {
    steps.push({ kind: 'update-config', timeout: spec.timeout, envVariables: mergedEnv })
  }
  for (const trigger of spec.triggers) {
    const have = existing.triggers.find((t) => t.name === trigger.name)
    if (have && have.type === trigger.type && have.config.trim() === trigger.config.trim()) continue
    if (have) steps.push({ kind: 'delete-trigger', name: trigger.name })
    steps.push({ kind: 'create-trigger', trigger })
  }
  return { steps, setupCode: code }
}

export function describeFunctionStep(name: string, step: FunctionStep): string {
  switch (step.kind) {
    case 'create-function':
      return `create ${name} (${step.runtime}, timeout ${step.timeout} s, ${Object.keys(step.envVariables).length} environment variables, dependencies installed in the cloud)`
    case 'upload-code':
      return `upload the code of ${name} (dependencies installed in the cloud)`
    case 'update-config':
      return `set ${name}: timeout ${step.timeout} s, environment variables ${Object.keys(step.envVariables).sort().join(', ')}`
    case 'delete-trigger':
      return `delete trigger ${step.name} of ${name} (its schedule differs)`
    case 'create-trigger':
      return `create ${step.trigger.type} trigger ${step.trigger.name} (${step.trigger.config}) on ${name}`
    case 'blocked':
      return step.reason
  }
}

/** The triggers declared next to the function (what WeChat DevTools would upload as 触发器). */
export function declaredTriggers(configJson: string): TriggerSpec[] {
  const config = JSON.parse(configJson) as { triggers?: unknown }
  if (!Array.isArray(config.triggers)) return []
  return config.triggers.map((t: { name?: unknown; type?: unknown; config?: unknown }, i: number) => {
    if (typeof t.name !== 'string' || typeof t.type !== 'string' || typeof t.config !== 'string') {
      throw new Error(`cloudfunctions/api/config.json: trigger ${i} needs a name, a type and a config`)
    }
    return { name: t.name, type: t.type, config: t.config }
  })
}
