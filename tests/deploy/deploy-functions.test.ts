/**
 * deploy:functions: the planner (create / upload, timeout, environment variables, trigger, setup
 * code) and the executor against in-memory miniprogram-ci and manager-node that keep the
 * function's state.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { declaredTriggers, planFunctionDeploy, type ExistingFunction, type FunctionSpec } from '../../scripts/deploy/functions-plan'
import { DeployBlocked, runDeployFunction, triggerConfig } from '../../scripts/deploy/functions-exec'
import { FakeFunctions } from './fake-cloud'

const ROOT = join(__dirname, '..', '..')
const TRIGGERS = declaredTriggers(readFileSync(join(ROOT, 'cloudfunctions', 'api', 'config.json'), 'utf8'))

const SPEC: FunctionSpec = {
  name: 'api',
  runtime: 'Nodejs16.13',
  timeout: 20,
  envVariables: { ZJ_DAILY_HOUR: '19', ZJ_MINIPROGRAM_STATE: 'trial' },
  triggers: TRIGGERS,
}

const fixed = (code: string) => ({ generate: () => code })

describe('the declared trigger', () => {
  it('is the every-minute timer of cloudfunctions/api/config.json', () => {
    expect(TRIGGERS).toEqual([{ name: 'dispatch', type: 'timer', config: '0 * * * * * *' }])
  })

  it('a trigger without its config is refused', () => {
    expect(() => declaredTriggers('{"triggers":[{"name":"x","type":"timer"}]}')).toThrow(/trigger 0 needs a name, a type and a config/)
  })

  it('reads a timer back from SCF TriggerDesc', () => {
    expect(triggerConfig('{"cron":"0 * * * * * *"}')).toBe('0 * * * * * *')
    expect(triggerConfig('0 0 2 1 * * *')).toBe('0 0 2 1 * * *')
  })
})

describe('planFunctionDeploy', () => {
  it('no function yet: create it on a current runtime with timeout and variables, then the trigger', () => {
    const plan = planFunctionDeploy(SPEC, null, fixed('ABCDEFGH'))
    expect(plan.steps).toEqual([
      { kind: 'create-function', runtime: 'Nodejs16.13', timeout: 20, envVariables: { ZJ_DAILY_HOUR: '19', ZJ_MINIPROGRAM_STATE: 'trial', ZJ_SETUP_CODE: 'ABCDEFGH' } },
      { kind: 'create-trigger', trigger: { name: 'dispatch', type: 'timer', config: '0 * * * * * *' } },
    ])
    expect(plan.setupCode).toEqual({ code: 'ABCDEFGH', source: 'generated' })
  })

  it('an existing function as WeChat DevTools leaves it: upload, then timeout 20 s and the variables, then the trigger', () => {
    const existing: ExistingFunction = { runtime: 'Nodejs16.13', timeout: 3, envVariables: { SET_BY_HAND: '1' }, triggers: [] }
    const plan = planFunctionDeploy(SPEC, existing, fixed('ABCDEFGH'))
    expect(plan.steps).toEqual([
      { kind: 'upload-code' },
      {
        kind: 'update-config',
        timeout: 20,
        // SCF replaces the whole set: a variable set by hand is sent back, not lost
        envVariables: { SET_BY_HAND: '1', ZJ_DAILY_HOUR: '19', ZJ_MINIPROGRAM_STATE: 'trial', ZJ_SETUP_CODE: 'ABCDEFGH' },
      },
      { kind: 'create-trigger', trigger: TRIGGERS[0] },
    ])
  })

  it('fully configured: only the code upload; the setup code on the function is kept', () => {
    const existing: ExistingFunction = {
      runtime: 'Nodejs16.13',
      timeout: 20,
      envVariables: { ZJ_DAILY_HOUR: '19', ZJ_MINIPROGRAM_STATE: 'trial', ZJ_SETUP_CODE: 'KEEPME23' },
      triggers: [{ name: 'dispatch', type: 'timer', config: '0 * * * * * *' }],
    }
    const plan = planFunctionDeploy(SPEC, existing, { generate: () => 'NEWCODE2' })
    expect(plan.steps).toEqual([{ kind: 'upload-code' }])
    expect(plan.setupCode).toEqual({ code: 'KEEPME23', source: 'kept' })
  })

  it('ZJ_SETUP_CODE in the settings replaces the one on the function', () => {
    const existing: ExistingFunction = { runtime: 'Nodejs16.13', timeout: 20, envVariables: { ZJ_SETUP_CODE: 'OLDCODE2' }, triggers: TRIGGERS }
    const plan = planFunctionDeploy({ ...SPEC, envVariables: {} }, existing, { fromSettings: 'CHOSEN23', generate: () => 'NEWCODE2' })
    expect(plan.steps).toEqual([{ kind: 'upload-code' }, { kind: 'update-config', timeout: 20, envVariables: { ZJ_SETUP_CODE: 'CHOSEN23' } }])
    expect(plan.setupCode.source).toBe('settings')
  })

  it('a trigger with another schedule is replaced', () => {
    const existing: ExistingFunction = {
      runtime: 'Nodejs16.13',
      timeout: 20,
      envVariables: { ...SPEC.envVariables, ZJ_SETUP_CODE: 'KEEPME23' },
      triggers: [{ name: 'dispatch', type: 'timer', config: '0 */5 * * * * *' }],
    }
    expect(planFunctionDeploy(SPEC, existing, fixed('X')).steps).toEqual([
      { kind: 'upload-code' },
      { kind: 'delete-trigger', name: 'dispatch' },
      { kind: 'create-trigger', trigger: TRIGGERS[0] },
    ])
  })

  it('a function on a runtime too old for the bundle blocks the deploy before anything changes', () => {
    const existing: ExistingFunction = { runtime: 'Nodejs8.9', timeout: 3, envVariables: {}, triggers: [] }
    const plan = planFunctionDeploy(SPEC, existing, fixed('X'))
    expect(plan.steps).toHaveLength(1)
    expect(plan.steps[0]!.kind).toBe('blocked')
  })
})

describe('runDeployFunction against in-memory tools', () => {
  const target = { envId: 'prod-4gabc123', functionRoot: join(ROOT, 'cloudfunctions') }

  it('first deploy creates the function and prints the setup code once; the second only uploads', async () => {
    const cloud = new FakeFunctions(target.envId)
    const deps = { admin: cloud.admin, ci: cloud.ci, project: cloud.project }
    const log1: string[] = []
    await runDeployFunction(deps, target, SPEC, fixed('QRST2345'), (s) => log1.push(s))
    expect(cloud.writes).toEqual(['createFunction api Nodejs16.13', 'createTrigger api.dispatch'])
    const fn = cloud.fns.get('api')!
    expect(fn.runtime).toBe('Nodejs16.13')
    expect(fn.timeout).toBe(20)
    expect(fn.env).toEqual({ ZJ_DAILY_HOUR: '19', ZJ_MINIPROGRAM_STATE: 'trial', ZJ_SETUP_CODE: 'QRST2345' })
    expect(log1.filter((l) => l.startsWith('setup code:'))).toEqual(['setup code: QRST2345'])

    cloud.writes = []
    const log2: string[] = []
    await runDeployFunction(deps, target, SPEC, fixed('ZZZZ9999'), (s) => log2.push(s))
    expect(cloud.writes).toEqual(['uploadFunction api'])
    expect(fn.env.ZJ_SETUP_CODE).toBe('QRST2345')
    expect(log2.join('\n')).not.toContain('QRST2345')
    expect(log2.join('\n')).toContain('setup code: unchanged')
  })

  it('a function made in WeChat DevTools (timeout 3 s, no variables, no trigger) is configured', async () => {
    const cloud = new FakeFunctions(target.envId)
    cloud.fns.set('api', { runtime: 'Nodejs16.13', timeout: 3, env: {}, triggers: [], codeUploads: 1 })
    await runDeployFunction({ admin: cloud.admin, ci: cloud.ci, project: cloud.project }, target, SPEC, fixed('QRST2345'), () => undefined)
    expect(cloud.writes).toEqual(['uploadFunction api', 'updateFunctionConfig api', 'createTrigger api.dispatch'])
    expect(cloud.fns.get('api')).toMatchObject({ timeout: 20, codeUploads: 2, env: { ZJ_SETUP_CODE: 'QRST2345', ZJ_DAILY_HOUR: '19' } })
  })

  it('a function on Nodejs8.9 stops the deploy before any upload', async () => {
    const cloud = new FakeFunctions(target.envId)
    cloud.fns.set('api', { runtime: 'Nodejs8.9', timeout: 3, env: {}, triggers: [], codeUploads: 1 })
    await expect(runDeployFunction({ admin: cloud.admin, ci: cloud.ci, project: cloud.project }, target, SPEC, fixed('X'), () => undefined)).rejects.toThrow(DeployBlocked)
    expect(cloud.writes).toEqual([])
  })

  it("a trigger miniprogram-ci did not create fails the deploy (its answer is a string, not an error)", async () => {
    const cloud = new FakeFunctions(target.envId)
    cloud.fns.set('api', { runtime: 'Nodejs16.13', timeout: 20, env: { ZJ_SETUP_CODE: 'KEEPME23', ...SPEC.envVariables }, triggers: [], codeUploads: 1 })
    const spec = { ...SPEC, triggers: [TRIGGERS[0]!, TRIGGERS[0]!] }
    await expect(runDeployFunction({ admin: cloud.admin, ci: cloud.ci, project: cloud.project }, target, spec, fixed('X'), () => undefined)).rejects.toThrow(
      /trigger dispatch was not created: miniprogram-ci answered "请检查传入的 triggersConfig 是否符合格式"/,
    )
  })
})
