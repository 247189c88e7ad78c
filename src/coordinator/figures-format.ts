/** How the coordinator's pages write figures: a rate as '87%', nothing to measure as '—', minutes with their unit. */
export function percentLabel(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`
}

export function minutesLabel(minutes: number | null): string {
  if (minutes === null) return '—'
  if (minutes < 60) return `${Math.round(minutes)}分钟`
  const h = Math.floor(minutes / 60)
  const m = Math.round(minutes % 60)
  return m ? `${h}小时${m}分` : `${h}小时`
}
