/**
 * Deployment settings: read from the environment, then from a git-ignored `.env` at the repository
 * root (the environment wins). `ZJ_ENV_FILE` points at another file (the tests use an empty one).
 *
 * Each script names the settings it needs (`check(settings, NEEDS)`) and refuses, listing every
 * missing or malformed one, before it builds anything or opens a connection (`refuseIfInvalid`).
 * Nothing here touches the network; the key file is only read from disk.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseTemplates } from '../../src/server/notify/config'
import { SUBSCRIBE_KINDS } from '../../src/core/notify/types'
import { SETUP_CODE_PATTERN } from './setup-code'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Every setting a deploy script may read, with the one-line meaning used in messages. */
export const SETTINGS = {
  ZJ_APPID: 'the mini program AppID (微信公众平台 → 开发管理 → 开发设置), wx + 16 hex characters',
  ZJ_CLOUD_ENV: 'the cloud environment id (云开发控制台 → 设置 → 环境ID); the mini program is built with it and cannot reach the cloud without it',
  ZJ_UPLOAD_KEY: 'path to the code upload private key (微信公众平台 → 开发管理 → 开发设置 → 小程序代码上传密钥)',
  TENCENTCLOUD_SECRETID: 'Tencent Cloud API SecretId (腾讯云控制台 → 访问管理 → API密钥管理)',
  TENCENTCLOUD_SECRETKEY: 'Tencent Cloud API SecretKey (same page as the SecretId)',
  ZJ_SUBSCRIBE_TEMPLATES: 'JSON: subscribe-message template id and field keys per kind (optional)',
  ZJ_MINIPROGRAM_STATE: 'formal | trial | developer: which version a subscribe message opens (optional)',
  ZJ_DAILY_HOUR: 'Beijing hour 0-23 of the daily summary to the groups (optional, default 20)',
  ZJ_SETUP_CODE: 'one-time code for the first coordinator (optional; generated when absent)',
  ZJ_VERSION: 'version of the upload, e.g. 1.0.3',
  ZJ_DESC: 'description of the upload or preview (optional; defaults to the commit)',
} as const

export type SettingName = keyof typeof SETTINGS
export type Settings = Partial<Record<SettingName, string>>

/** Parses dotenv text: `KEY=value`, `export KEY=value`, `#` comments, '…' and "…" quotes. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line)
    if (!m) continue
    const key = m[1]!
    let value = m[2]!
    const quote = value[0]
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.lastIndexOf(quote) > 0) {
      value = value.slice(1, value.lastIndexOf(quote))
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"')
    } else {
      value = value.replace(/\s+#.*$/, '').trim()
    }
    out[key] = value
  }
  return out
}

/** The .env file the scripts read: ZJ_ENV_FILE, or `.env` at the repository root. */
export function envFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const p = env.ZJ_ENV_FILE
  return p ? resolve(p) : join(ROOT, '.env')
}

/** Settings from the environment, falling back to the .env file; empty values count as absent. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env, file = envFilePath(env)): Settings {
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file, 'utf8')) : {}
  const out: Settings = {}
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const v = (env[name] ?? '').trim() || (fromFile[name] ?? '').trim()
    if (v) out[name] = v
  }
  return out
}

export interface Problem {
  name: SettingName
  message: string
}

type Validator = (value: string) => string | null

const APPID = /^wx[0-9a-f]{16}$/
const ENV_ID = /^[A-Za-z0-9][A-Za-z0-9-]{1,63}$/
const VERSION = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/

/** The upload key path as the scripts use it: relative paths are from the repository root. */
export function keyPath(value: string): string {
  return isAbsolute(value) ? value : resolve(ROOT, value)
}

const VALIDATORS: Record<SettingName, Validator> = {
  ZJ_APPID: (v) => (APPID.test(v) ? null : `"${v}" is not an AppID: it must be wx followed by 16 hex characters`),
  ZJ_CLOUD_ENV: (v) => (ENV_ID.test(v) ? null : `"${v}" is not a cloud env id (letters, digits and -, e.g. prod-4gabc123)`),
  ZJ_UPLOAD_KEY: (v) => {
    const p = keyPath(v)
    if (!existsSync(p)) return `key file ${p} does not exist`
    if (!statSync(p).isFile()) return `${p} is not a file`
    const text = readFileSync(p, 'utf8')
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return `${p} is not a private key (no "-----BEGIN … PRIVATE KEY-----" line)`
    return null
  },
  TENCENTCLOUD_SECRETID: (v) => (/^\S+$/.test(v) ? null : 'must not contain spaces'),
  TENCENTCLOUD_SECRETKEY: (v) => (/^\S+$/.test(v) ? null : 'must not contain spaces'),
  ZJ_SUBSCRIBE_TEMPLATES: (v) => {
    let raw: unknown
    try {
      raw = JSON.parse(v)
    } catch {
      return 'is not valid JSON (in .env, wrap it in single quotes)'
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'must be a JSON object keyed by kind'
    const kinds = Object.keys(raw)
    const unknown = kinds.filter((k) => !(SUBSCRIBE_KINDS as readonly string[]).includes(k))
    if (unknown.length) return `unknown kind(s) ${unknown.join(', ')}; kinds are ${SUBSCRIBE_KINDS.join(', ')}`
    const parsed = parseTemplates(v)
    const dropped = kinds.filter((k) => !(k in parsed))
    if (dropped.length) return `entry ${dropped.join(', ')} has no valid template id ({"id": "<template id>", "fields": {…}})`
    return null
  },
  ZJ_MINIPROGRAM_STATE: (v) => (['formal', 'trial', 'developer'].includes(v) ? null : `"${v}" must be formal, trial or developer`),
  ZJ_DAILY_HOUR: (v) => (/^\d{1,2}$/.test(v) && Number(v) <= 23 ? null : `"${v}" must be a whole hour 0-23`),
  ZJ_SETUP_CODE: (v) => (SETUP_CODE_PATTERN.test(v) ? null : 'must be 8-32 capital letters and digits'),
  ZJ_VERSION: (v) => (VERSION.test(v) ? null : `"${v}" must look like 1.0.3`),
  ZJ_DESC: (v) => (v.length <= 200 ? null : 'must be at most 200 characters'),
}

export interface Needs {
  required: readonly SettingName[]
  optional?: readonly SettingName[]
}

/** Every problem with what a script needs: missing required settings, malformed present ones. */
export function check(settings: Settings, needs: Needs): Problem[] {
  const problems: Problem[] = []
  for (const name of needs.required) {
    const v = settings[name]
    if (!v) problems.push({ name, message: `missing: ${SETTINGS[name]}` })
    else {
      const bad = VALIDATORS[name](v)
      if (bad) problems.push({ name, message: bad })
    }
  }
  for (const name of needs.optional ?? []) {
    const v = settings[name]
    if (!v) continue
    const bad = VALIDATORS[name](v)
    if (bad) problems.push({ name, message: bad })
  }
  return problems
}

export function formatProblems(script: string, problems: Problem[], file: string): string {
  const lines = problems.map((p) => `  ${p.name}: ${p.message}`)
  return [
    `${script}: refusing to start, ${problems.length} setting(s) missing or invalid:`,
    ...lines,
    `Set them in the environment or in ${file} (see .env.example and DEPLOY.md). Nothing was built or sent.`,
  ].join('\n')
}

/** Loads and checks the settings; on any problem prints them all and exits 2. */
export function settingsOrExit(script: string, needs: Needs, env: NodeJS.ProcessEnv = process.env): Settings {
  const file = envFilePath(env)
  const settings = loadSettings(env, file)
  const problems = check(settings, needs)
  if (problems.length) {
    console.error(formatProblems(script, problems, file))
    process.exit(2)
  }
  return settings
}

/** Returns a setting that `check` has already proved present. */
export function must(settings: Settings, name: SettingName): string {
  const v = settings[name]
  if (!v) throw new Error(`${name} is not set`)
  return v
}
