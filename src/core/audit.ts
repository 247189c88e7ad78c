/**
 * The audit log (操作记录): which actions are recorded, under which kind and coordinator-visible
 * label, and the entry each successful call makes (target + a short Chinese summary). Pure.
 *
 * The dispatcher (server/api/dispatch.ts) writes one entry right after an audited action's handler
 * succeeded; a refused call (validation, authorization, a use case's AppError) writes none. The
 * summary names doors, items and squad members, never a resident's name, phone or health notes,
 * never a robot URL or an invite code.
 */
import type { ActionName, OutputOf, ParsedInputOf } from './contract'
import { assertNever } from './errors'
import { isolationLabel } from './household/register'

/** What an entry is about; the page filters by it. */
export const AUDIT_KINDS = ['register', 'assignment', 'settings', 'robot', 'export', 'squad', 'community'] as const
export type AuditKind = (typeof AUDIT_KINDS)[number]

export function auditKindLabel(k: AuditKind): string {
  switch (k) {
    case 'register':
      return '住户登记'
    case 'assignment':
      return '指派改派'
    case 'settings':
      return '社区设置'
    case 'robot':
      return '群机器人'
    case 'export':
      return '导出'
    case 'squad':
      return '小分队'
    case 'community':
      return '建社区'
    default:
      return assertNever(k)
  }
}

export type AuditTargetKind = 'household' | 'building' | 'community' | 'order' | 'item' | 'grid' | 'robot' | 'person' | 'invite'

/** One recorded change. `createdAt` is when it happened (epoch ms); ids sort with it for paging. */
export interface AuditEntry {
  id: string
  communityId: string
  createdAt: number
  /** Who: a person's id and display name, or SYSTEM_ACTOR for timer jobs. */
  actorId: string
  actorName: string
  /** The contract action, or a system job's name (e.g. 'retention.anonymise'). */
  action: string
  kind: AuditKind
  target: { kind: AuditTargetKind; id: string }
  summary: string
}

export const SYSTEM_ACTOR = { id: 'system', name: '系统' } as const

/** The actions the log records, each with its kind and the label the coordinator's page shows. */
export const AUDITED_ACTIONS = {
  'coord.setHousehold': { kind: 'register', label: '修改住户登记' },
  'coord.importHouseholds': { kind: 'register', label: '导入住户' },
  'coord.householdCodes': { kind: 'register', label: '打印住户码' },
  'coord.householdBadges': { kind: 'register', label: '打印二维码胸牌' },
  'coord.reissueBadge': { kind: 'register', label: '补发胸牌' },
  'order.reassign': { kind: 'assignment', label: '指派/改派订单' },
  'coord.setSoldOut': { kind: 'settings', label: '物资有货/暂缺' },
  'coord.addItem': { kind: 'settings', label: '新增物资' },
  'coord.removeItem': { kind: 'settings', label: '删除物资' },
  'coord.setParcelHold': { kind: 'settings', label: '静置时间' },
  'coord.setDeadlines': { kind: 'settings', label: '接单送达时限' },
  'coord.setGrid': { kind: 'settings', label: '网格' },
  'coord.setRetention': { kind: 'settings', label: '信息保留天数' },
  'coord.setServicePhone': { kind: 'settings', label: '服务中心电话' },
  'robot.set': { kind: 'robot', label: '群机器人' },
  'coord.exportLedger': { kind: 'export', label: '导出台账' },
  'squad.invite': { kind: 'squad', label: '小分队邀请码' },
  'squad.deactivate': { kind: 'squad', label: '停用队员' },
  'community.setup': { kind: 'community', label: '创建社区' },
} as const satisfies Partial<Record<ActionName, { kind: AuditKind; label: string }>>

export type AuditedAction = keyof typeof AUDITED_ACTIONS

/**
 * Actions each call of which is a new thing (a new file, a new code, a replaced card), so a repeat
 * of the latest entry is recorded again; for the rest a repeat within a moment is a resend
 * (usecases/audit.ts).
 */
export const EVERY_CALL_RECORDED: ReadonlySet<AuditedAction> = new Set<AuditedAction>(['coord.exportLedger', 'squad.invite', 'coord.reissueBadge'])

export const isAudited = (a: ActionName): a is AuditedAction => Object.prototype.hasOwnProperty.call(AUDITED_ACTIONS, a)

/** What the entry says: the community it belongs to, its target and summary; null: nothing changed (a preview). */
export interface AuditFacts {
  communityId: string
  target: AuditEntry['target']
  summary: string
}

const door = (a: { building: string; unit: number; room: string }) => `${a.building}${a.unit}单元${a.room}`

/**
 * The entry for a successful call of an audited action. `communityId` is the caller's community as
 * the server knows it (the coordinator's); community.setup takes the one it made.
 */
export function auditFacts<A extends AuditedAction>(
  action: A,
  communityId: string | null,
  input: ParsedInputOf<A>,
  output: OutputOf<A>,
): AuditFacts | null {
  const a = action as AuditedAction
  const inCommunity = (target: AuditEntry['target'], summary: string): AuditFacts | null =>
    communityId === null ? null : { communityId, target, summary }
  switch (a) {
    case 'coord.setHousehold': {
      const o = output as OutputOf<'coord.setHousehold'>
      return inCommunity({ kind: 'household', id: o.id }, `修改了 ${o.label} 的登记信息（隔离状态：${isolationLabel(o.isolation)}）`)
    }
    case 'coord.importHouseholds': {
      const o = output as OutputOf<'coord.importHouseholds'>
      if (o.dryRun) return null
      const added = o.buildingsCreated.length ? `，新建楼栋 ${o.buildingsCreated.join('、')}` : ''
      return inCommunity({ kind: 'community', id: communityId ?? '' }, `导入住户 ${o.rows} 行：新增 ${o.created} 户，更新 ${o.updated} 户${added}`)
    }
    case 'coord.householdCodes': {
      const o = output as OutputOf<'coord.householdCodes'>
      return inCommunity({ kind: 'building', id: o.building.id }, `查看并打印了 ${o.building.name} 的住户码（${o.rows.length} 户）`)
    }
    case 'coord.householdBadges': {
      const o = output as OutputOf<'coord.householdBadges'>
      return inCommunity({ kind: 'building', id: o.building.id }, `查看并打印了 ${o.building.name} 的二维码胸牌（${o.badges.length} 户）`)
    }
    case 'coord.reissueBadge': {
      // The new code finds the door: the log names the door, never the code.
      const o = output as OutputOf<'coord.reissueBadge'>
      return inCommunity({ kind: 'household', id: o.householdId }, `补发了 ${o.unit}单元${o.room} 的二维码胸牌（旧胸牌作废）`)
    }
    case 'order.reassign': {
      const o = output as OutputOf<'order.reassign'>
      const who = o.holder?.name ?? '队员'
      return inCommunity({ kind: 'order', id: o.id }, `把 ${door(o.address)} 的订单交给 ${who} 负责`)
    }
    case 'coord.setSoldOut': {
      const i = input as ParsedInputOf<'coord.setSoldOut'>
      const o = output as OutputOf<'coord.setSoldOut'>
      const name = o.categories.flatMap((c) => c.items).find((it) => it.id === i.itemId)?.name ?? i.itemId
      return inCommunity({ kind: 'item', id: i.itemId }, `把「${name}」设为${i.soldOut ? '暂缺' : '有货'}`)
    }
    case 'coord.addItem': {
      const i = input as ParsedInputOf<'coord.addItem'>
      const o = output as OutputOf<'coord.addItem'>
      const item = o.categories.flatMap((c) => c.items).find((it) => it.added && it.name === i.name)
      return inCommunity({ kind: 'item', id: item?.id ?? i.name }, `新增物资「${i.name}」（单位：${i.unit}）`)
    }
    case 'coord.removeItem': {
      const i = input as ParsedInputOf<'coord.removeItem'>
      return inCommunity({ kind: 'item', id: i.itemId }, `删除了新增的物资（编号 ${i.itemId}）`)
    }
    case 'coord.setParcelHold': {
      const i = input as ParsedInputOf<'coord.setParcelHold'>
      return inCommunity({ kind: 'community', id: communityId ?? '' }, `把家属送物的静置时间设为 ${i.minutes} 分钟`)
    }
    case 'coord.setDeadlines': {
      const o = output as OutputOf<'coord.setDeadlines'>
      return inCommunity(
        { kind: 'community', id: communityId ?? '' },
        `把时限设为：加急 ${o.urgentClaimMinutes} 分钟内接单、${o.urgentDeliverMinutes} 分钟内送达；普通 ${o.normalClaimMinutes} 分钟内接单、${o.normalDeliverMinutes} 分钟内送达`,
      )
    }
    case 'coord.setGrid': {
      const i = input as ParsedInputOf<'coord.setGrid'>
      const o = output as OutputOf<'coord.setGrid'>
      const grid = i.gridId ? o.grids.find((g) => g.id === i.gridId) : o.grids.find((g) => g.name === i.name)
      return inCommunity(
        { kind: 'grid', id: grid?.id ?? i.gridId ?? i.name },
        `${i.gridId ? '修改' : '新建'}了网格「${i.name}」：${i.buildingIds.length} 栋楼、${i.workerIds.length} 名队员`,
      )
    }
    case 'coord.setRetention': {
      const o = output as OutputOf<'coord.setRetention'>
      return inCommunity({ kind: 'community', id: communityId ?? '' }, `把解除隔离住户信息的保留天数设为 ${o.days} 天`)
    }
    case 'coord.setServicePhone':
      // A public number the centre chose to give out, not a resident's.
      return inCommunity({ kind: 'community', id: communityId ?? '' }, '修改了社区服务中心电话')
    case 'robot.set': {
      // The URL is a secret: only whether one is set goes into the log.
      const o = output as OutputOf<'robot.set'>
      return inCommunity({ kind: 'robot', id: o.scope }, o.configured ? `设置了「${o.label}」的群机器人` : `移除了「${o.label}」的群机器人`)
    }
    case 'coord.exportLedger': {
      const i = input as ParsedInputOf<'coord.exportLedger'>
      const o = output as OutputOf<'coord.exportLedger'>
      const range = i.from || i.to ? `（${i.from ?? '最早'} 至 ${i.to ?? '今天'}）` : ''
      return inCommunity({ kind: 'community', id: communityId ?? '' }, `导出了台账 ${o.rows} 行${range}`)
    }
    case 'squad.invite': {
      // The code itself lets someone join the squad: the log does not repeat it.
      const o = output as OutputOf<'squad.invite'>
      return inCommunity({ kind: 'invite', id: String(o.createdAt) }, '生成了一个小分队邀请码')
    }
    case 'squad.deactivate': {
      const o = output as OutputOf<'squad.deactivate'>
      // Already inactive and nothing left to hand back: the call changed nothing (a resend).
      if (o.alreadyInactive && !o.returned) return null
      const moved = o.returned ? `，${o.returned} 单退回任务大厅` : ''
      return inCommunity({ kind: 'person', id: o.personId }, `${o.alreadyInactive ? '再次确认停用' : '停用了'}队员 ${o.name}${moved}`)
    }
    case 'community.setup': {
      const o = output as OutputOf<'community.setup'>
      return { communityId: o.communityId, target: { kind: 'community', id: o.communityId }, summary: `创建了社区「${o.communityName}」，共 ${o.households} 户` }
    }
    default:
      return assertNever(a)
  }
}

/** One entry as the coordinator's 操作记录 page shows it. */
export interface AuditItemView {
  id: string
  at: number
  actorName: string
  /** Written by a timer job (系统), not a person. */
  system: boolean
  kind: AuditKind
  kindLabel: string
  actionLabel: string
  target: AuditEntry['target']
  summary: string
}

export interface AuditPage {
  items: AuditItemView[]
  /** Cursor for the next (older) page; null when this is the last. */
  next: string | null
}

/** An entry id that sorts with its time and never collides within a millisecond. */
export function auditEntryId(at: number, salt: string): string {
  return `a${String(at).padStart(14, '0')}-${salt}`
}
