/** The task page's fixed choices and the sheet it has open. */
import type { ProtocolStep } from '../../../core/order/protocol'
import type { DeliveryOutcome } from '../../../core/order/types'

export const SKIP_REASONS = ['居民不在家', '居民要求放门口', '其他']
export const RELEASE_REASONS = ['临时有急事', '手上单子太多', '物资不够', '其他']
export const OUTCOME_LABEL: Record<DeliveryOutcome, string> = { handed: '当面交付', left_at_door: '放门口', partial: '部分缺货' }

/** withdrawn: 取消代下单 (the placer, nobody claimed it); duplicate: 重复下单 (keeps the household's other open order). */
export type ProxyCancelReason = 'withdrawn' | 'duplicate'

export type Sheet =
  | { type: 'skip'; step: ProtocolStep }
  | { type: 'release' }
  | { type: 'partial' }
  | { type: 'partner' }
  | { type: 'cancel'; reason: ProxyCancelReason }
  | null

/** A reason from chips plus free text: the text wins for 其他 and is appended otherwise. */
export function reasonOf(choice: string, text: string): string {
  const t = text.trim()
  if (choice === '其他' || !choice) return t || choice
  return t ? `${choice}：${t}` : choice
}
