/**
 * Consent for WeChat subscribe messages (已接单 / 请取物 / 已送达 / 无人应答), asked at the moment of
 * ordering. WeChat only shows the consent sheet from a user's tap, so `askOnTap` must be called
 * first thing in the tap handler, before any await. One consent allows one message per template;
 * the server counts what is left (notify.consent).
 *
 * weapp: Taro.requestSubscribeMessage with the template ids the server says are configured
 *        (notify.templates → askOnOrder), then report the answer.
 * h5:    there is no such API: nothing to ask; the in-app 消息 inbox is the channel.
 */
import Taro from '@tarojs/taro'
import { call } from './call'

const IS_WEAPP = process.env.TARO_ENV === 'weapp'

/** Starts the consent sheet (weapp) and reports the answer in the background; never throws. */
export function askOnTap(templateIds: readonly string[] | undefined): void {
  if (!IS_WEAPP || !templateIds || templateIds.length === 0) return
  Taro.requestSubscribeMessage({ tmplIds: [...templateIds].slice(0, 3), entityIds: [] } as never)
    .then((res) => {
      const results: Record<string, string> = {}
      for (const [k, v] of Object.entries(res as unknown as Record<string, unknown>)) {
        if (typeof v === 'string' && k !== 'errMsg') results[k] = v
      }
      return call('notify.consent', { results })
    })
    .catch(() => undefined) // refused or unsupported: the inbox still carries every message
}
