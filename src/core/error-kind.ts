/**
 * What a page can usefully offer after an error: 再试一次 only when trying again may work (the
 * network, a timeout, the rate limit, a busy server, a write that lost a race); otherwise (no
 * permission, not your order, not in the squad, not found…) trying again gives the same answer, so
 * the page offers the way back home instead.
 */
import type { ErrorCode } from './errors'

const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'NETWORK.UNREACHABLE',
  'REQUEST.TIMEOUT',
  'RATE.LIMITED',
  'INTERNAL',
  'CLOUD.TIMEOUT',
  'CLOUD.UNKNOWN',
  'ORDER.CONFLICT',
  'CAMPAIGN.CONFLICT',
  'PHOTO.UNAVAILABLE',
  'EXPORT.UNAVAILABLE',
  'LIVE.TOO_MANY_STREAMS',
])

/** Unknown (no code: the page's own failure) counts as retryable. */
export const isRetryable = (code: ErrorCode | undefined): boolean => code === undefined || RETRYABLE.has(code)
