/**
 * WeCom group robots: URL policy, masking and the per-robot rate window. Pure.
 *
 * A webhook URL is a secret (anyone holding it can post into the group): it is stored server-side,
 * never returned to a client and never logged; clients and logs see maskUrl()'s form,
 * e.g. https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…5aaa
 */
import { ROBOT_POSTS_PER_MINUTE, ROBOT_WINDOW_MS } from './types'

const WECOM = /^https:\/\/qyapi\.weixin\.qq\.com\/cgi-bin\/webhook\/send\?key=[A-Za-z0-9-]{8,64}$/
const SINK = /^http:\/\/(127\.0\.0\.1|localhost)(:\d{1,5})?\/dev\/robot\/[A-Za-z0-9_-]{1,64}$/

/** A real WeCom group-robot webhook (the only kind the cloud accepts). */
export function isWeComWebhook(url: string): boolean {
  return WECOM.test(url)
}

/** The local host's own webhook sink (POST /dev/robot/<name>). */
export function isLocalSink(url: string): boolean {
  return SINK.test(url)
}

function maskPart(s: string): string {
  return s.length > 8 ? `${s.slice(0, 4)}…${s.slice(-4)}` : '…'
}

/** The URL with its secret part masked: the `key` parameter, or else the last path segment. */
export function maskUrl(url: string): string {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return maskPart(url)
  }
  const key = u.searchParams.get('key')
  if (key !== null) return `${u.origin}${u.pathname}?key=${maskPart(key)}`
  const parts = u.pathname.split('/')
  const last = parts.pop() ?? ''
  return `${u.origin}${[...parts, maskPart(last)].join('/')}`
}

/** Posts still inside the window at `now`. */
export function inWindow(times: readonly number[], now: number, windowMs = ROBOT_WINDOW_MS): number[] {
  return times.filter((t) => t > now - windowMs && t <= now)
}

/** How many posts the robot may still make at `now`. */
export function slotsAvailable(times: readonly number[], now: number, max = ROBOT_POSTS_PER_MINUTE, windowMs = ROBOT_WINDOW_MS): number {
  return Math.max(0, max - inWindow(times, now, windowMs).length)
}

/** When the next slot frees up (now when one is free). */
export function nextSlotAt(times: readonly number[], now: number, max = ROBOT_POSTS_PER_MINUTE, windowMs = ROBOT_WINDOW_MS): number {
  const recent = inWindow(times, now, windowMs).sort((a, b) => a - b)
  if (recent.length < max) return now
  return recent[recent.length - max]! + windowMs + 1
}
