/** A QR code image (svg.ts); the payload rides on data-payload for tests. */
import { Image } from '@tarojs/components'
import { useMemo } from 'react'
import { qrDataUrl } from './svg'
import './index.scss'

export function QrCode({ text, className = '', testid = 'qr' }: { text: string; className?: string; testid?: string }) {
  const src = useMemo(() => qrDataUrl(text), [text])
  return <Image className={`qr-code ${className}`} src={src} mode='aspectFit' data-testid={testid} data-payload={text} />
}
