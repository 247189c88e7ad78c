/** 复制群公告: paste-ready text for groups without a robot, never carrying personal data. */
import { describe, expect, it } from 'vitest'
import { announcementText, arrivingAnnouncement, noticeText } from '../../src/core/notify/texts'
import { DEMO_ISOLATED, DEMO_PEOPLE, demoPeople } from '../../src/server/seed/demo'
import { makeApp, T0 } from '../support/app'

describe('announcement texts', () => {
  it('strips the robot markdown to plain text', () => {
    expect(announcementText('**社区通知**\n> 明天上午核酸\n<font color="warning">请戴口罩</font>')).toBe(
      '【宅家送】社区通知\n明天上午核酸\n请戴口罩',
    )
  })
  it('squad arriving: the building and the units, nothing else', () => {
    expect(arrivingAnnouncement('1号楼', [3, 1, 3])).toBe('【宅家送】社工已到1号楼，请1单元、3单元居民准备取物\n请戴好口罩，接到电话后再开门。')
  })
})

describe('notify.announcement', () => {
  it('a coordinator’s notice comes back paste-ready', async () => {
    const app = await makeApp()
    const r = await app.as(DEMO_PEOPLE.coordinator).call('notify.announcement', { text: '明天上午9点统一发放白菜，每户60斤' })
    expect(r.text).toBe(announcementText(noticeText('明天上午9点统一发放白菜，每户60斤')))
    expect(r.text.startsWith('【宅家送】社区通知')).toBe(true)
  })

  it('refuses any resident name, phone or room of the register, for squad and coordinator alike', async () => {
    const app = await makeApp()
    const people = demoPeople(T0)
    const leaks = [
      ...DEMO_ISOLATED.map((h) => `请${h.residentName}下楼取菜`),
      ...DEMO_ISOLATED.map((h) => `有事打${h.phone}`),
      `${DEMO_ISOLATED[0]!.id.replace(/^h(\d)-(\d)-(\d+)$/, '$1号楼$2单元$3')}的东西到了`,
      ...people.filter((p) => p.households.length).map((p) => `联系${p.phone}`),
    ]
    for (const who of [DEMO_PEOPLE.coordinator, DEMO_PEOPLE.yuhong]) {
      for (const text of leaks) {
        const r = await app.as(who).refused('notify.announcement', { text })
        expect(r.code, text).toBe('NOTIFY.PRIVATE_DATA')
      }
    }
    expect((await app.as(DEMO_PEOPLE.zhao).refused('notify.announcement', { text: '你好' })).code).toBe('AUTH.FORBIDDEN')
  })
})

describe('share cards', () => {
  it('an order card names only the kind and opens the order page; the board card opens the board', async () => {
    const { orderShareCard, BOARD_SHARE_CARD } = await import('../../src/core/notify/share')
    expect(orderShareCard('o123', 'meal')).toEqual({ title: '宅家送 · 订餐订单进度', path: '/resident/pages/detail/index?id=o123' })
    expect(BOARD_SHARE_CARD.path).toBe('/squad/pages/board/index')
  })
})
