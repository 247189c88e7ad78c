/** The current time, ticking every `ms` while `enabled` (countdowns, 已超时 N 分钟). */
import { useEffect, useState } from 'react'

export function useNow(ms = 1000, enabled = true): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!enabled) return
    setNow(Date.now())
    const t = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(t)
  }, [ms, enabled])
  return now
}
