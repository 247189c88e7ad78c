/**
 * A person's UI preferences: large text, and which view (resident / squad / coordinator) the app
 * opens in. The view is only a preference: the server decides authority on every call from its own
 * records (access.ts), whatever view the client shows.
 */
import type { Actor } from './actor'

export type ViewName = 'resident' | 'squad' | 'coordinator'
export const VIEW_NAMES: readonly ViewName[] = ['resident', 'squad', 'coordinator']

export interface Prefs {
  largeText: boolean
  view: ViewName
}

type Roles = Pick<Actor, 'squadOf' | 'coordinatorOf'>

/**
 * Views this person may choose. The resident view is always open: it is where a person binds a
 * household with its code, and it grants nothing by itself.
 */
export function allowedViews(roles: Roles): ViewName[] {
  const out: ViewName[] = ['resident']
  if (roles.squadOf !== null) out.push('squad')
  if (roles.coordinatorOf !== null) out.push('coordinator')
  return out
}

/** The view chosen from roles when the person has not chosen one (or lost the role of their choice). */
export function defaultView(roles: Roles): ViewName {
  if (roles.coordinatorOf !== null) return 'coordinator'
  if (roles.squadOf !== null) return 'squad'
  return 'resident'
}

/** The prefs in force: stored ones where still valid, defaults otherwise (also for people stored before prefs existed). */
export function effectivePrefs(stored: Partial<Prefs> | undefined, roles: Roles): Prefs {
  const view = stored?.view !== undefined && allowedViews(roles).includes(stored.view) ? stored.view : defaultView(roles)
  return { largeText: stored?.largeText === true, view }
}

/** Why a view is refused: shown to the person. */
export function forbiddenViewMessage(view: ViewName): string {
  switch (view) {
    case 'squad':
      return '您不是送货小分队成员，不能切换到小分队界面'
    case 'coordinator':
      return '您不是社区工作人员，不能切换到社区管理界面'
    case 'resident':
      return '不能切换到居民界面'
  }
}
