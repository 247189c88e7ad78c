/**
 * A QR code as an SVG data URL, from the `qrcode` package's module matrix (QRCode.create): one path
 * of unit squares, a 4-module quiet zone, black on white. Works in H5 and in the mini program's
 * <Image> (both take data URLs), on screen and in print.
 */
import QRCode from 'qrcode'

export function qrSvg(text: string): string {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const n = modules.size
  const quiet = 4
  let d = ''
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) if (modules.get(y, x)) d += `M${x + quiet} ${y + quiet}h1v1h-1z`
  const size = n + quiet * 2
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges">` +
    `<rect width="${size}" height="${size}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`
  )
}

export function qrDataUrl(text: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(qrSvg(text))}`
}
