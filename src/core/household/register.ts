/**
 * The household register as coordinators keep it: isolation status and special needs, chosen by
 * tapping (no typing), so the squad and the figures read the same words. Pure.
 */
export const ISOLATION_STATUSES = ['home_isolation', 'health_monitoring', 'none'] as const
export type IsolationStatusName = (typeof ISOLATION_STATUSES)[number]

export function isolationLabel(s: IsolationStatusName): string {
  switch (s) {
    case 'home_isolation':
      return '居家隔离'
    case 'health_monitoring':
      return '健康监测'
    case 'none':
      return '已解除'
    default: {
      const never: never = s
      return never
    }
  }
}

/** What the squad needs to know at the door, and what the coordinators plan meals and calls around. */
export const SPECIAL_NEEDS = ['独居老人', '没有智能手机', '行动不便', '慢性病', '低血糖', '不会做饭', '孕妇', '婴儿', '听力不好'] as const
export type SpecialNeed = (typeof SPECIAL_NEEDS)[number]
