/**
 * The bar's two icons as SVG data URIs for <Image>: works in the mini program and in browsers, and
 * does not depend on an emoji font (Debian's Chromium has none; some older phones render them oddly).
 */
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

const svg = (color: string, body: string) =>
  'data:image/svg+xml;base64,' +
  base64(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="${color}" stroke-width="2" ` +
      `stroke-linecap="round" stroke-linejoin="round">${body}</svg>`,
  )

const HOUSE = '<path d="M3 10.5 12 3l9 7.5"/><path d="M5 9v11h14V9"/><path d="M10 20v-6h4v6"/>'
const PERSON = '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7"/>'

export const OFF = '#666666'
export const ON = '#1677ff'

export const ICONS = {
  home: { off: svg(OFF, HOUSE), on: svg(ON, HOUSE) },
  me: { off: svg(OFF, PERSON), on: svg(ON, PERSON) },
} as const
