/**
 * Steps no available API could carry out, written as what to click in the cloud console (menu
 * names as the console shows them) plus the exact JSON to paste.
 */
import type { IndexSpec, SecurityRule } from '../../src/server/cloud/manifest'
import type { ExistingIndex } from './setup-plan'

export interface ConsoleStep {
  title: string
  lines: string[]
  /** Text to paste, printed as is. */
  paste?: string
}

const CONSOLE = '微信开发者工具 → 云开发 (打开云开发控制台)'

export const ruleJson = (rule: SecurityRule) => JSON.stringify(rule, null, 2)

export function collectionRuleStep(collection: string, rule: SecurityRule, why: string): ConsoleStep {
  return {
    title: `security rule of ${collection} (${why})`,
    lines: [`${CONSOLE} → 数据库 → 集合「${collection}」→ 数据权限 → 自定义安全规则 → 粘贴下面的 JSON → 保存`],
    paste: ruleJson(rule),
  }
}

export function storageRuleStep(rule: SecurityRule, why: string): ConsoleStep {
  return {
    title: `storage rule (${why})`,
    lines: [`${CONSOLE} → 存储 → 权限设置 → 自定义安全规则 → 粘贴下面的 JSON → 保存`],
    paste: ruleJson(rule),
  }
}

const indexFields = (index: { keys: IndexSpec['keys'] }) =>
  index.keys.map((k) => `${k.field} ${k.direction === 1 ? '升序' : '降序'}`).join('，')

export function indexStep(collection: string, index: IndexSpec, why: string): ConsoleStep {
  return {
    title: `index ${index.name} on ${collection} (${why})`,
    lines: [
      `${CONSOLE} → 数据库 → 集合「${collection}」→ 索引管理 → 添加索引`,
      `索引名称 ${index.name}；索引属性 ${index.unique ? '唯一' : '非唯一'}；索引字段 ${indexFields(index)} → 确定`,
    ],
  }
}

export function indexConflictStep(collection: string, index: IndexSpec, existing: ExistingIndex): ConsoleStep {
  return {
    title: `index ${index.name} on ${collection} differs from the manifest`,
    lines: [
      `It exists with ${indexFields(existing)}${existing.unique ? ' (唯一)' : ''}; the manifest wants ${indexFields(index)}${index.unique ? ' (唯一)' : ''}.`,
      `Not dropped automatically. ${CONSOLE} → 数据库 → 集合「${collection}」→ 索引管理 → 删除索引 ${index.name}, then run npm run setup:cloud again.`,
    ],
  }
}

export function functionConfigStep(name: string, timeout: number, env: Record<string, string>, why: string): ConsoleStep {
  return {
    title: `configuration of the ${name} function (${why})`,
    lines: [
      `${CONSOLE} → 云函数 → ${name} → 版本与配置 → 配置`,
      `超时时间 ${timeout} 秒；环境变量: add each key and value below → 确定`,
    ],
    paste: Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  }
}

export function printConsoleSteps(steps: ConsoleStep[], log: (s: string) => void): void {
  if (steps.length === 0) return
  log('')
  log(`${steps.length} step(s) to do by hand in the cloud console:`)
  steps.forEach((s, i) => {
    log(`\n${i + 1}. ${s.title}`)
    for (const line of s.lines) log(`   ${line}`)
    if (s.paste) log(s.paste.split('\n').map((l) => `   ${l}`).join('\n'))
  })
}
