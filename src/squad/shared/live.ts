/**
 * Live updates for the squad's pages: a change anywhere in the community's open orders reloads the
 * page at once (client/live.ts: SSE on the local host, a database watch on `order_signals` in the
 * mini program), and a slow poll is the fallback if the live channel is down.
 */
import { useLiveReload } from '../../client/live'
import { usePolling } from '../../client/use-polling'

/** The board's fallback poll while the live channel is quiet or down. */
export const BOARD_POLL_MS = 15_000
/** My tasks and one task change mostly by my own hand. */
export const TASK_POLL_MS = 20_000

/** `communityId`: the squad's community (me.get); until it is known, only the poll runs. */
export function useSquadLive(communityId: string | null | undefined, reload: () => unknown, fallbackMs: number, enabled = true): void {
  useLiveReload(enabled && communityId ? { communityId } : null, reload)
  usePolling(reload, fallbackMs, enabled)
}
