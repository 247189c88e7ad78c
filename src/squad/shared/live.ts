/**
 * Live updates for the squad's pages. src/client/live.ts (useLiveReload: SSE on H5, database watch
 * on weapp) is not there yet, so this polls: the board every 1.5 s, which shows a new order within
 * 2 s without pull-to-refresh. When live.ts lands, this is the one place to switch over.
 */
import { usePolling } from '../../client/use-polling'

/** How often the board asks the server while live updates are polling. */
export const BOARD_POLL_MS = 1500
/** My tasks and one task change mostly by my own hand; a slower poll catches reassignments. */
export const TASK_POLL_MS = 5000

export function useSquadLive(reload: () => unknown, ms: number, enabled = true): void {
  usePolling(reload, ms, enabled)
}
