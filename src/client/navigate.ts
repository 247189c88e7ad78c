/**
 * Where each person lands: one home page per view (resident / squad / coordinator), chosen from what
 * the server says they are and the view they last picked on 我的. Also the one place that sends a
 * signed-out H5 user back to the sign-in screen.
 */
import Taro from '@tarojs/taro'
import type { ViewName } from '../core/prefs'
import type { MeView } from '../core/views'
import { CallError, onCallError } from './call'
import { setSessionToken } from './session'

export type { ViewName }

export const SIGN_IN_PAGE = '/pages/index/index'
export const ME_PAGE = '/pages/me/index'
export const JOIN_PAGE = '/resident/pages/join/index'
export const SQUAD_JOIN_PAGE = '/squad/pages/join/index'
/** 创建社区: the first coordinator with a setup code (community.setup). */
export const SETUP_PAGE = '/coordinator/pages/setup/index'
/** 住户码: a building's household codes to print (coord.householdCodes). */
export const CODES_PAGE = '/coordinator/pages/codes/index'
/** 二维码胸牌: a building's QR door badges to print (coord.householdBadges). */
export const BADGES_PAGE = '/coordinator/pages/badges/index'

export const HOME_OF: Record<ViewName, string> = {
  resident: '/resident/pages/home/index',
  squad: '/squad/pages/board/index',
  coordinator: '/coordinator/pages/dashboard/index',
}

/** Shown on the role switch (我的). */
export const VIEW_LABEL: Record<ViewName, string> = {
  resident: '居民',
  squad: '送货小分队',
  coordinator: '社区工作人员',
}

type Person = Pick<MeView, 'households' | 'views' | 'prefs'>

/** The view to open: the preferred one when the person may use it, else the one saved on the server. */
export function currentView(me: Person, preferredView?: ViewName): ViewName {
  return preferredView && me.views.includes(preferredView) ? preferredView : me.prefs.view
}

/** The page path of the person's home. A resident without a household binds one first. */
export function homeFor(me: Person, preferredView?: ViewName): string {
  const view = currentView(me, preferredView)
  if (view === 'resident' && me.households.length === 0) return JOIN_PAGE
  return HOME_OF[view]
}

const LAST_HOME_KEY = 'zj.home'

/** Switch to the person's home, dropping the page stack (the home is the new root). */
export function goHome(me: Person, preferredView?: ViewName): Promise<unknown> {
  const url = homeFor(me, preferredView)
  Taro.setStorageSync(LAST_HOME_KEY, url)
  return Taro.reLaunch({ url })
}

/** The home last opened on this device (the bottom bar's 首页); the launch page works it out otherwise. */
export function lastHome(): string {
  const v: unknown = Taro.getStorageSync(LAST_HOME_KEY)
  return typeof v === 'string' && v.startsWith('/') ? v : SIGN_IN_PAGE
}

export function isSignedOutError(e: unknown): e is CallError {
  return e instanceof CallError && (e.code === 'AUTH.NOT_SIGNED_IN' || e.code === 'AUTH.SESSION_EXPIRED')
}

/** Back to the sign-in screen (H5), with a reason it can show. */
export function toSignIn(reason?: 'expired' | 'signed-out'): Promise<unknown> {
  Taro.removeStorageSync(LAST_HOME_KEY)
  return Taro.reLaunch({ url: reason ? `${SIGN_IN_PAGE}?reason=${reason}` : SIGN_IN_PAGE })
}

let wired = false

/**
 * H5: any call answered "not signed in" / "session expired" clears the session and opens sign-in.
 * The sign-in page handles its own failures (it shows the list right there), so no reLaunch onto itself.
 * On weapp WeChat is the identity and these codes do not happen.
 */
export function wireSignedOutRedirect(): void {
  if (wired || process.env.TARO_ENV !== 'h5') return
  wired = true
  onCallError((e) => {
    if (!isSignedOutError(e)) return
    setSessionToken(null)
    const pages = Taro.getCurrentPages()
    const route = (pages[pages.length - 1]?.route ?? '').replace(/^\//, '').split('?')[0]
    if (route === SIGN_IN_PAGE.slice(1)) return
    void toSignIn('expired')
  })
}
