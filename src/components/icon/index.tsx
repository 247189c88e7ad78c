/**
 * Small line icons (phone, pin, clock) as SVG data URIs for <Image>: the same in the mini program
 * and in browsers, with no emoji font needed (Debian's Chromium has none; older phones vary).
 */
import { Image } from '@tarojs/components'
import './index.scss'

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** base64 of an ASCII string (weapp has no btoa). */
function base64(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i += 3) {
    const [a, b, c] = [s.charCodeAt(i), s.charCodeAt(i + 1), s.charCodeAt(i + 2)]
    const n = (a << 16) | ((b || 0) << 8) | (c || 0)
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!
    out += i + 1 < s.length ? B64[(n >> 6) & 63]! : '='
    out += i + 2 < s.length ? B64[n & 63]! : '='
  }
  return out
}

const PATHS = {
  phone:
    '<path d="M22 16.92v3a2 2 0 0 1-2.18 2 19.8 19.8 0 0 1-8.63-3.07 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.12 4.18 2 2 0 0 1 4.11 2h3a2 2 0 0 1 2 1.72c.13.96.36 1.9.7 2.81a2 2 0 0 1-.45 2.11L8.09 9.91a16 16 0 0 0 6 6l1.27-1.27a2 2 0 0 1 2.11-.45c.91.34 1.85.57 2.81.7A2 2 0 0 1 22 16.92z"/>',
  pin: '<path d="M20 10c0 6-8 12-8 12s-8-6-8-12a8 8 0 0 1 16 0Z"/><circle cx="12" cy="10" r="3"/>',
  clock: '<circle cx="12" cy="12" r="10"/><path d="M12 6v6l4 2"/>',
} as const

export type IconName = keyof typeof PATHS

const cache = new Map<string, string>()

function uri(name: IconName, color: string): string {
  const key = `${name}:${color}`
  let v = cache.get(key)
  if (!v) {
    v =
      'data:image/svg+xml;base64,' +
      base64(
        `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="${color}" stroke-width="2" ` +
          `stroke-linecap="round" stroke-linejoin="round">${PATHS[name]}</svg>`,
      )
    cache.set(key, v)
  }
  return v
}

/** An icon about the size of body text; 'l' a little bigger (buttons). */
export function Icon({ name, color = '#666666', size }: { name: IconName; color?: string; size?: 'l' }) {
  return <Image className={`zj-icon ${size === 'l' ? 'zj-icon--l' : ''}`} src={uri(name, color)} mode='aspectFit' />
}
