/**
 * The demo register's personal data written the ways people write it, for the privacy guard's
 * tests (pure and through robot.notice / notify.announcement). The demo register: 赵建国
 * 13800000301 (1号楼1单元301), 张丽 13800000502 (1号楼2单元502, 张女士 on the app), rooms 101–602
 * of each unit. Each sample carries ONE kind of data, so the kind the guard reports is this one.
 */
import type { PrivateDataKind } from '../../src/core/notify/privacy'

export type Sample = readonly [text: string, kind: PrivateDataKind]

export const SPELLINGS: Record<string, readonly Sample[]> = {
  'full-width': [
    ['有事打１３８００１３８０００', 'phone'],
    ['联系１３８０００００３０１', 'phone'],
    ['东西放在５０２室门口', 'room'],
    ['１号楼２单元５０２请开门', 'room'],
    ['请　张丽　下楼', 'name'],
    ['１号楼有人发烧', 'health'],
  ],
  'separators': [
    ['有事打138 0013 8000', 'phone'],
    ['有事打138.0013.8000', 'phone'],
    ['有事打138-0013-8000', 'phone'],
    ['有事打138_0013_8000', 'phone'],
    ['有事打(138)0013-8000', 'phone'],
    ['联系138 · 0000 · 0502', 'phone'],
    ['请到5 0 2室取菜', 'room'],
    ['1 - 2 - 502的东西到了', 'room'],
    ['楼里有人阳 性', 'health'],
    ['有人发·烧', 'health'],
  ],
  'country prefix and landlines': [
    ['有事打+86 138 0013 8000', 'phone'],
    ['有事打+86-138-0013-8000', 'phone'],
    ['有事打0086 13800138000', 'phone'],
    ['联系008613800000301', 'phone'],
    ['联系86-13800000502', 'phone'],
    ['联系+8613800000301', 'phone'],
    ['家里电话0571-88886666', 'phone'],
    ['家里电话(021) 6123 4567', 'phone'],
    ['家里电话+86 21 6123 4567', 'phone'],
  ],
  'Chinese numerals': [
    ['有事打一三八〇〇一三八〇〇〇', 'phone'],
    ['联系幺三八零零零零零三零幺', 'phone'],
    ['联系一三八 〇〇〇〇 〇五〇二', 'phone'],
    ['东西在五〇二室', 'room'],
    ['五零二号请开门', 'room'],
    ['2单元五零二请开门', 'room'],
    ['1号楼五百零二请开门', 'room'],
    ['三号楼二单元幺零幺的东西到了', 'room'],
    ['五○二的居民请下楼', 'room'],
    ['五零二的居民请下楼', 'room'],
  ],
  'English room': [
    ['Room 502请开门', 'room'],
    ['room502的东西到了', 'room'],
    ['rm502的东西到了', 'room'],
    ['RM. 502的东西到了', 'room'],
    ['Rm #502的东西到了', 'room'],
    ['#502请开门', 'room'],
    ['No.502请开门', 'room'],
    ['Apt 502请开门', 'room'],
    ['Room 1201请开门', 'room'],
  ],
  'spaced name': [
    ['请张 丽下楼', 'name'],
    ['张 女 士请取物', 'name'],
    ['张·女士请取物', 'name'],
    ['赵-建-国家的东西到了', 'name'],
    ['请李 秀 英下楼', 'name'],
    ['王\u200b强家的东西到了', 'name'],
    ['吴*芳家的东西到了', 'name'],
    ['周 先 生请取物', 'name'],
  ],
  'traditional name': [
    ['張女士請取物', 'name'],
    ['趙建國家的東西到了', 'name'],
    ['請張麗下樓', 'name'],
    ['王強家的東西到了', 'name'],
    ['劉洋', 'name'],
    ['孫敏', 'name'],
    ['周傑', 'name'],
    ['吳芳', 'name'],
    ['鄭偉', 'name'],
    ['陳靜', 'name'],
    ['趙先生請取物', 'name'],
    ['1號樓有人確診', 'health'],
    ['有人發燒', 'health'],
    ['502號請開門', 'room'],
    ['2單元502請開門', 'room'],
  ],
  'mixed': [
    ['請 張·女士 下樓', 'name'],
    ['趙 建 國家的東西到了', 'name'],
    ['聯繫＋８６ 幺三八-０００零-0301', 'phone'],
    ['Ｒｏｏｍ 五〇二請開門', 'room'],
    ['1號樓 五百零二請開門', 'room'],
    ['２单元 五 零 二的东西到了', 'room'],
    ['有人發　燒', 'health'],
  ],
}

/** Ordinary notices: no one's data, only times, buildings, units and counts. They must pass. */
export const ORDINARY = [
  '今晚8点发放蔬菜',
  '今晚八点发放蔬菜',
  '3号楼今天消杀',
  '三号楼今天下午消杀',
  '今天送了502单',
  '今天送了五百零二单',
  '今日新需求：502单，已送达120户',
  '已送达102户，还剩301户',
  '明天上午9点统一发放白菜，每户60斤',
  '每户猪肉三两',
  '2026年11月22日14:00-15:00发放',
  '请一单元、二单元居民10:30下楼',
  '体温37.3度以上请联系社工',
  '有困难请拨打12345',
  '明天出发，热水供应正常',
  '第一批物资已到，请各单元依次领取',
  '1号楼：301单；2号楼：102单',
] as const

/** Their near neighbours, refused: a registered room standing alone or before 户, a name, a landline. */
export const NEAR_MISSES: readonly Sample[] = [
  ['请502户以外的居民下楼', 'room'],
  ['502的居民请下楼', 'room'],
  ['请502、601下楼取菜', 'room'],
  ['今晚8点发放蔬菜，1号楼502请开门', 'room'],
  ['今晚8点送到五零二门口', 'room'],
  ['3号楼今天消杀，张女士家除外', 'name'],
  ['今天送了502单，张丽那单加急', 'name'],
  ['有困难请拨打社区电话0571-88886666', 'phone'],
  ['明天出发，发热的请报告', 'health'],
]
