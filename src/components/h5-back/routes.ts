/**
 * Where an H5 page's back control goes (Taro's H5 has no native navigation bar with a back arrow).
 * Root pages (the launch page, 我的, 消息, each role's home) show none. Any other page goes back in
 * the stack when there is one; opened directly (a deep link, a reload), it goes to its role's home:
 * the subpackage's home page, or the launch page (which works out the person's home) for pages a
 * person without that role opens (加入小分队, 创建社区) and main-package pages.
 */
const LAUNCH = '/pages/index/index'

export const ROOT_ROUTES: readonly string[] = [
  LAUNCH,
  '/pages/me/index',
  '/pages/inbox/index',
  '/resident/pages/home/index',
  '/squad/pages/board/index',
  '/coordinator/pages/dashboard/index',
]

/** Reached by people who do not have the role yet: back goes to the launch page. */
const OUTSIDE_ROLE = ['/squad/pages/join/index', '/coordinator/pages/setup/index', '/resident/pages/join/index']

const ROLE_HOME: Record<string, string> = {
  resident: '/resident/pages/home/index',
  squad: '/squad/pages/board/index',
  coordinator: '/coordinator/pages/dashboard/index',
}

/** '/squad/pages/proxy/index?badge=1' or 'squad/pages/proxy/index' → '/squad/pages/proxy/index'. */
export function routeOf(path: string): string {
  const p = path.split('?')[0] ?? ''
  return p.startsWith('/') ? p : `/${p}`
}

export const isRootRoute = (path: string): boolean => ROOT_ROUTES.includes(routeOf(path))

/** The page a deep-linked page's back control opens. */
export function backHomeOf(path: string): string {
  const route = routeOf(path)
  if (OUTSIDE_ROLE.includes(route)) return LAUNCH
  const pkg = route.split('/')[1] ?? ''
  return ROLE_HOME[pkg] ?? LAUNCH
}
