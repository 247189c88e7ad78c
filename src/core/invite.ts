/** Squad invite codes: the message a coordinator sends a new member. Pure. */
import { formatBeijing } from './time'

/** The code, where to type it and until when: paste-ready for a private chat. No personal data. */
export function inviteMessage(code: string, expiresAt: number): string {
  return `送货小分队邀请码：${code}\n打开「宅家送」→ 我的 →「我是社工，用邀请码加入送货小分队」。${formatBeijing(expiresAt, 'M月D日 HH:mm')}前有效，只能用一次。`
}
