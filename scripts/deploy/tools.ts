/**
 * The official tools, loaded only after a script's settings passed their checks (loading them is
 * slow, and nothing may start before the checks), plus the build steps the scripts share.
 */
import { spawnSync, execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type CloudBaseType from '@cloudbase/manager-node'
import { ROOT, keyPath, must, type Settings } from './config'

const require = createRequire(import.meta.url)

export type MiniprogramCi = typeof import('miniprogram-ci')

export function loadMiniprogramCi(): MiniprogramCi {
  return require('miniprogram-ci') as MiniprogramCi
}

/** miniprogram-ci's Project for the repository root (project.config.json → miniprogramRoot dist/weapp/). */
export function ciProject(ci: MiniprogramCi, settings: Settings) {
  return new ci.Project({
    // The AppID comes from the settings; project.config.json keeps the placeholder (never committed).
    appid: must(settings, 'ZJ_APPID'),
    type: 'miniProgram',
    projectPath: ROOT,
    privateKeyPath: keyPath(must(settings, 'ZJ_UPLOAD_KEY')),
    ignores: ['node_modules/**/*', '.git/**/*', '.data/**/*', 'src/**/*', 'tests/**/*', 'test-results/**/*', 'dist/h5/**/*'],
  })
}

export function managerNode(settings: Settings): CloudBaseType {
  const CloudBase = require('@cloudbase/manager-node') as typeof CloudBaseType
  return new CloudBase({
    secretId: must(settings, 'TENCENTCLOUD_SECRETID'),
    secretKey: must(settings, 'TENCENTCLOUD_SECRETKEY'),
    envId: must(settings, 'ZJ_CLOUD_ENV'),
  })
}

/** Settings a build must never see: the build inlines what it reads, and these are secrets. */
export const BUILD_SECRETS = ['TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY', 'TENCENTCLOUD_SESSIONTOKEN', 'ZJ_UPLOAD_KEY', 'ZJ_SETUP_CODE'] as const

/** The environment of the weapp build: the caller's, less the secrets, plus the env id and AppID. */
export function weappBuildEnv(env: NodeJS.ProcessEnv, settings: Settings): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env }
  for (const name of BUILD_SECRETS) delete out[name]
  out.ZJ_CLOUD_ENV = must(settings, 'ZJ_CLOUD_ENV')
  out.ZJ_APPID = must(settings, 'ZJ_APPID')
  return out
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): void {
  const res = spawnSync(cmd, args, { cwd: ROOT, env, stdio: 'inherit' })
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${res.status ?? res.signal})`)
}

/** npm run build:weapp (it bundles the cloud function too) with the cloud env id and no secrets. */
export function buildWeapp(settings: Settings): void {
  console.log(`building the mini program for cloud env ${must(settings, 'ZJ_CLOUD_ENV')} …`)
  run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:weapp'], weappBuildEnv(process.env, settings))
}

/** scripts/build-cloud.mjs: src/server → cloudfunctions/api/index.js. */
export function buildCloudFunction(): void {
  const env = { ...process.env }
  for (const name of BUILD_SECRETS) delete env[name]
  run(process.execPath, [join(ROOT, 'scripts', 'build-cloud.mjs')], env)
}

/** ZJ_DESC, or the commit being shipped. */
export function describeUpload(settings: Settings): string {
  if (settings.ZJ_DESC) return settings.ZJ_DESC
  try {
    return execFileSync('git', ['log', '-1', '--format=%h %s'], { cwd: ROOT, encoding: 'utf8' }).trim().slice(0, 80)
  } catch {
    return 'zhaijia'
  }
}

/** Runs a script's body; an error ends it with exit 1 and one line (no stack for expected failures). */
export function main(script: string, body: () => Promise<number | void>): void {
  body().then(
    (code) => process.exit(code ?? 0),
    (e: unknown) => {
      console.error(`${script} failed: ${e instanceof Error ? e.message : String(e)}`)
      process.exit(1)
    },
  )
}
