/** Pure notification core: the event table, field formats, texts, merging, privacy, robot URLs. */
import { describe, expect, it } from 'vitest'
import { ORDER_EVENT_NOTICES, rulesFor } from '../../src/core/notify/events'
import {
  characterStringValue,
  formatField,
  nameValue,
  phraseValue,
  templateData,
  thingValue,
  timeValue,
  truncateBytes,
  utf8Bytes,
} from '../../src/core/notify/fields'
import { findPrivateData, privacyIndex } from '../../src/core/notify/privacy'
import { isLocalSink, isWeComWebhook, maskUrl, nextSlotAt, slotsAvailable } from '../../src/core/notify/robot'
import { groupNotice } from '../../src/core/campaign/texts'
import {
  announcementText,
  arrivingAnnouncement,
  arrivingText,
  dailyText,
  handedToYouMessage,
  MERGED_HEADER,
  noticeText,
  orderSummary,
  overdueText,
  packPosts,
  residentMessage,
  testText,
  urgentText,
} from '../../src/core/notify/texts'
import { ORDER_EVENTS, ORDER_STATUSES, type OrderKind } from '../../src/core/order/types'
import { demoCommunity, demoHouseholds, DEMO_ISOLATED } from '../../src/server/seed/demo'
import { makeOrder, T0 } from '../support/fixtures'

describe('which events notify whom (one table)', () => {
  it('has a row for every order event, and these rows', () => {
    expect(Object.keys(ORDER_EVENT_NOTICES).sort()).toEqual([...ORDER_EVENTS].sort())
    const summary = Object.fromEntries(
      ORDER_EVENTS.map((e) => [e, ORDER_EVENT_NOTICES[e].map((r) => `${r.kind}:${r.audience}:${r.channels.join('+')}`)]),
    )
    expect(summary).toEqual({
      place: ['urgent:coordinators:robot'],
      cancel: ['cancelled:household:inbox'],
      claim: ['claimed:household:inbox+subscribe'],
      release: ['released:household:inbox'],
      reassign: ['reassigned:household:inbox', 'handed_to_you:holder:inbox'],
      assign: ['claimed:household:inbox+subscribe', 'handed_to_you:holder:inbox'],
      depart: [],
      disinfect_corridor: ['arriving:building:robot'],
      remove_seal: [],
      call_resident: ['at_door:household:inbox+subscribe'],
      picked_up: [],
      restore_seal: [],
      disinfect_again: ['delivered:household:inbox+subscribe'],
      deliver: ['delivered:household:inbox+subscribe'],
      no_answer: ['no_answer:household:inbox+subscribe'],
      confirm: [],
      rate: [],
      add_partner: [],
      parcel_arrived: ['parcel_arrived:household:inbox'],
      disinfect_parcel: [],
      return_to_board: ['returned:household:inbox'],
      drop_partner: [],
      cancel_duplicate: ['duplicate_cancelled:household:inbox'],
    })
  })

  it('the four subscribe kinds are exactly 已接单, 请取物, 已送达, 无人应答', () => {
    const subscribe = new Set(
      ORDER_EVENTS.flatMap((e) => ORDER_EVENT_NOTICES[e].filter((r) => r.channels.includes('subscribe')).map((r) => r.kind)),
    )
    expect([...subscribe].sort()).toEqual(['at_door', 'claimed', 'delivered', 'no_answer'])
  })

  it('urgent placement alerts the coordinators; a normal one does not', () => {
    expect(rulesFor('place', makeOrder({ urgency: 'urgent' })).map((r) => r.kind)).toEqual(['urgent'])
    expect(rulesFor('place', makeOrder({ urgency: 'normal' }))).toEqual([])
  })
})

describe('subscribe-message field formats', () => {
  it('thing: at most 20 characters, cut with an ellipsis, code points counted', () => {
    expect(thingValue('大米等2样')).toBe('大米等2样')
    const long = '社工已到门口请戴好口罩开门取物并且注意保持距离谢谢配合'
    expect(Array.from(thingValue(long))).toHaveLength(20)
    expect(thingValue(long).endsWith('…')).toBe(true)
    const emoji = '😀'.repeat(25)
    expect(Array.from(thingValue(emoji))).toHaveLength(20)
    expect(thingValue('a\nb\tc')).toBe('a b c')
    expect(thingValue('   ')).toBe('无')
  })

  it('phrase: at most 5 汉字 and nothing else', () => {
    expect(phraseValue('已接单')).toBe('已接单')
    expect(phraseValue('无人应答')).toBe('无人应答')
    expect(phraseValue('已送达！OK 123')).toBe('已送达')
    expect(phraseValue('一二三四五六七')).toBe('一二三四五')
    expect(phraseValue('OK')).toBe('通知')
  })

  it('character_string: at most 32 ASCII letters, digits and symbols', () => {
    const id = 'o' + 'a1'.repeat(20)
    expect(characterStringValue(id)).toHaveLength(32)
    expect(characterStringValue('单号 AB-12_x')).toBe('AB-12_x')
    expect(characterStringValue('中文')).toBe('-')
  })

  it('time: 24-hour Beijing time with the date', () => {
    // 2022-04-10 01:00 UTC = 09:00 Beijing; 13:05 UTC = 21:05 Beijing
    expect(timeValue(T0)).toBe('2022年4月10日 09:00')
    expect(timeValue(T0 + 12 * 3600_000 + 5 * 60_000)).toBe('2022年4月10日 21:05')
    expect(formatField('time4', T0)).toBe('2022年4月10日 09:00')
    expect(formatField('date2', T0)).toBe('2022年4月10日')
  })

  it('name and others by key type; templateData maps meanings to keys', () => {
    expect(nameValue('于红 (队长)')).toBe('于红队长')
    expect(formatField('name3', 'Wang Nan')).toBe('WangNan')
    expect(formatField('thing9', 'x'.repeat(30))).toHaveLength(20)
    const data = templateData(
      { status: 'phrase1', summary: 'thing2', time: 'time3', orderNo: 'character_string4', by: 'name5' },
      { status: '已接单了哦', summary: '大米、鸡蛋、挂面、酱油、食用油、卫生纸、洗衣液', tip: '', by: '于红', time: T0, orderNo: 'o' + 'f'.repeat(40) },
    )
    expect(data).toEqual({
      phrase1: { value: '已接单了哦' },
      thing2: { value: '大米、鸡蛋、挂面、酱油、食用油、卫生纸…' },
      time3: { value: '2022年4月10日 09:00' },
      character_string4: { value: 'o' + 'f'.repeat(31) },
      name5: { value: '于红' },
    })
    expect(Array.from(data.thing2!.value)).toHaveLength(20)
  })

  it('truncateBytes cuts on a character boundary', () => {
    const s = '社'.repeat(2000)
    const cut = truncateBytes(s, 4096)
    expect(utf8Bytes(cut)).toBeLessThanOrEqual(4096)
    expect(cut.endsWith('…')).toBe(true)
    expect(truncateBytes('abc', 10)).toBe('abc')
  })
})

describe('resident messages', () => {
  it('name what was ordered and who holds it; subscribe fields fit their types', () => {
    const order = makeOrder({ holder: { id: 's', name: '于红', role: 'squad' } })
    expect(orderSummary(order)).toBe('大米等2样')
    const claimed = residentMessage('claimed', order, T0)
    expect(claimed).toMatchObject({ title: '已接单', body: '于红已接单，正在为您准备「大米等2样」。' })
    expect(claimed.fields).toMatchObject({ status: '已接单', orderNo: order.id, time: T0 })
    expect(residentMessage('at_door', order, T0).fields!.status).toBe('请取物')
    expect(residentMessage('no_answer', order, T0).fields!.status).toBe('无人应答')
    const partial = residentMessage('delivered', { ...order, outcome: 'partial', missing: ['鸡蛋'] }, T0)
    expect(partial.body).toContain('部分缺货：鸡蛋')
    expect(residentMessage('cancelled', order, T0).fields).toBeUndefined()
  })

  it('a task handed to a squad member names building and unit and what, never the door or the resident', () => {
    const order = makeOrder({ holder: { id: 's', name: '于红', role: 'squad' } })
    const msg = handedToYouMessage(order)
    expect(msg).toEqual({ title: '新任务', body: `社区把${order.address.building}${order.address.unit}单元的一单生活物资交给您了：「大米等2样」。请尽快处理。` })
    expect(msg.body).not.toContain(order.address.room)
  })
})

describe('group texts', () => {
  it('the arriving message names the building and the unit only', () => {
    expect(arrivingText('3号楼', 3)).toContain('社工已到3号楼，请3单元居民准备取物')
  })

  it('every group text for the demo community passes the privacy guard', () => {
    const households = demoHouseholds()
    const index = privacyIndex(households)
    const kinds: OrderKind[] = ['supplies', 'meal', 'handover', 'garbage']
    const texts: string[] = []
    for (const b of demoCommunity(T0).buildings)
      for (const unit of [1, 2, 3]) {
        texts.push(arrivingText(b.name, unit))
        for (const k of kinds) {
          texts.push(urgentText(b.name, unit, k, T0))
          for (const s of ORDER_STATUSES) for (const ms of [60_000, 301 * 60_000, 26 * 3600_000]) texts.push(overdueText(b.name, unit, k, s, ms))
        }
      }
    texts.push(
      dailyText('风水山社区', {
        date: '2022-04-10',
        placed: 301,
        urgent: 102,
        delivered: 502,
        cancelled: 201,
        active: 601,
        overdue: 401,
        byBuilding: [
          { building: '1号楼', placed: 301 },
          { building: '2号楼', placed: 102 },
        ],
      }),
      testText('1号楼群', T0),
      noticeText('今天14:00在小区广场做核酸检测，请按楼栋顺序排队'),
      arrivingAnnouncement('1号楼', [1, 2, 3]),
      announcementText(noticeText('今天14:00在小区广场做核酸检测，请按楼栋顺序排队')),
    )
    // The campaign's group notice (复制群通知), today, tomorrow and a later date, with and without a slot,
    // with quantities that equal registered rooms (502斤 is a weight, not a door).
    for (const [date, qty] of [['2022-04-10', 60], ['2022-04-11', 502], ['2022-05-02', 301]] as const)
      for (const slot of [null, { start: '14:00' }])
        texts.push(groupNotice({ title: '白菜发放', item: '白菜', qtyPerHousehold: qty, unit: '斤', date, slot }, ['1号楼', '2号楼'], T0))
    for (const t of texts) expect(findPrivateData(t, index), t).toBeNull()
    for (const h of households) {
      for (const t of texts) {
        if (h.residentName) expect(t.includes(h.residentName)).toBe(false)
        if (h.phone) expect(t.includes(h.phone)).toBe(false)
        expect(t.includes(`${h.unit}单元${h.room}`)).toBe(false)
      }
    }
  })
})

describe('privacy guard', () => {
  const index = privacyIndex(demoHouseholds())

  it('finds every resident name, phone and room of the demo register', () => {
    for (const h of DEMO_ISOLATED) {
      expect(findPrivateData(`请${h.residentName}下楼`, index)).toBe('name')
      expect(findPrivateData(`联系电话${h.phone}`, index)).toBe('phone')
      expect(findPrivateData(`电话 ${h.phone.slice(0, 3)}-${h.phone.slice(3, 7)}-${h.phone.slice(7)}`, index)).toBe('phone')
    }
    for (const h of demoHouseholds()) {
      expect(findPrivateData(`${h.building}${h.unit}单元${h.room}请开门`, index)).toBe('room')
      expect(findPrivateData(`送到${h.room}室`, index)).toBe('room')
      expect(findPrivateData(`${h.id.slice(1)}`, index)).toBe('room')
    }
  })

  it('finds surnames with honorifics, unknown mobiles and health words', () => {
    expect(findPrivateData('赵先生请取物', index)).toBe('name')
    expect(findPrivateData('打 139 1234 5678', index)).toBe('phone')
    expect(findPrivateData('1号楼有阳性', index)).toBe('health')
    expect(findPrivateData('送到1号楼 502', index)).toBe('room')
  })

  it('lets building, unit and count texts through', () => {
    expect(findPrivateData('社工已到1号楼，请2单元居民准备取物', index)).toBeNull()
    expect(findPrivateData('今日新需求：502单，已送达120户', index)).toBeNull()
    expect(findPrivateData('11-22 20:00 日报', index)).toBeNull()
  })
})

describe('merging for the rate limit', () => {
  it('packs 100 messages into few posts ≤ 4096 bytes, each message exactly once, in order', () => {
    const msgs = Array.from({ length: 100 }, (_, i) => `**超时提醒** 消息${String(i).padStart(3, '0')} ` + '说明'.repeat(20))
    const posts = packPosts(msgs)
    expect(posts.length).toBeLessThan(10)
    expect(posts.reduce((n, p) => n + p.count, 0)).toBe(100)
    for (const p of posts) {
      expect(utf8Bytes(p.text)).toBeLessThanOrEqual(4096)
      expect(p.text.startsWith(MERGED_HEADER)).toBe(true)
    }
    const joined = posts.map((p) => p.text).join('\n')
    let at = -1
    for (const m of msgs) {
      const found = joined.indexOf(m)
      expect(found).toBeGreaterThan(at)
      at = found
    }
  })

  it('a single message goes as is; an oversized one is cut to fit', () => {
    expect(packPosts(['hello'])).toEqual([{ text: 'hello', count: 1 }])
    const huge = '长'.repeat(3000)
    const posts = packPosts([huge, 'small'])
    expect(posts.reduce((n, p) => n + p.count, 0)).toBe(2)
    for (const p of posts) expect(utf8Bytes(p.text)).toBeLessThanOrEqual(4096)
  })
})

describe('robot URLs and the rate window', () => {
  const url = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa'

  it('accepts WeCom webhooks (and the local sink on the host); masks the key', () => {
    expect(isWeComWebhook(url)).toBe(true)
    expect(isWeComWebhook('https://evil.example/cgi-bin/webhook/send?key=693a91f6-7xxx')).toBe(false)
    expect(isWeComWebhook('http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx')).toBe(false)
    expect(isWeComWebhook(url + '&x=1')).toBe(false)
    expect(isLocalSink('http://127.0.0.1:8080/dev/robot/demo-b1')).toBe(true)
    expect(isLocalSink('http://10.0.0.1:8080/dev/robot/demo-b1')).toBe(false)
    expect(maskUrl(url)).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…5aaa')
    expect(maskUrl(url)).not.toContain('91f6-7xxx-4bc4-97a0-0ec2sifa')
    expect(maskUrl('http://127.0.0.1:8080/dev/robot/demo-coordinators')).toBe('http://127.0.0.1:8080/dev/robot/demo…tors')
  })

  it('counts posts in a sliding minute', () => {
    const times = Array.from({ length: 20 }, (_, i) => T0 + i * 1000)
    expect(slotsAvailable(times, T0 + 19_000)).toBe(0)
    expect(nextSlotAt(times, T0 + 19_000)).toBe(T0 + 60_001)
    expect(slotsAvailable(times, T0 + 60_001)).toBe(1)
    expect(slotsAvailable([], T0)).toBe(20)
    expect(nextSlotAt(times.slice(0, 5), T0 + 19_000)).toBe(T0 + 19_000)
  })
})
