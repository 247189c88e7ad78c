/** Input schemas of the campaign actions (valibot; Chinese messages shown next to the field). */
import * as v from 'valibot'
import { Id, text } from '../schemas'

export const CAMPAIGN_UNITS = ['斤', '袋', '箱', '份', '个', '盒', '瓶', '桶'] as const
export const MAX_CAMPAIGN_QTY = 1000
export const MAX_CAMPAIGN_BUILDINGS = 50

const HHMM = v.pipe(v.string('时间格式应为 时:分'), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 时:分'))

export const SlotRuleInput = v.strictObject({
  start: HHMM,
  minutesPerUnit: v.pipe(
    v.number('每个单元的时间必须是数字'),
    v.integer('每个单元的时间必须是整数分钟'),
    v.minValue(10, '每个单元至少10分钟'),
    v.maxValue(180, '每个单元最多180分钟'),
  ),
})

export const CampaignCreateInput = v.strictObject({
  /** Optional: a retried create with the same request id finds the first campaign. */
  requestId: v.optional(v.pipe(v.string('提交编号格式不正确'), v.regex(/^[A-Za-z0-9_-]{8,64}$/, '提交编号格式不正确'))),
  title: text('标题', 30, 2),
  item: text('物品', 20, 1),
  qtyPerHousehold: v.pipe(
    v.number('每户数量必须是数字'),
    v.gtValue(0, '每户数量要大于0'),
    v.maxValue(MAX_CAMPAIGN_QTY, `每户数量最多${MAX_CAMPAIGN_QTY}`),
    // n × 10 of 0.3 is 3.0000000000000004: compare with a tolerance, not Number.isInteger.
    v.check((n) => Math.abs(n * 10 - Math.round(n * 10)) < 1e-9, '每户数量最多一位小数'),
  ),
  unit: v.pipe(text('单位', 4, 1)),
  buildingIds: v.pipe(
    v.array(Id, '请选择楼栋'),
    v.minLength(1, '请至少选择一栋楼'),
    v.maxLength(MAX_CAMPAIGN_BUILDINGS, `一次最多${MAX_CAMPAIGN_BUILDINGS}栋楼`),
    v.check((ids) => new Set(ids).size === ids.length, '楼栋选重复了'),
  ),
  slot: v.optional(SlotRuleInput),
})

export const CampaignIdInput = v.strictObject({ id: Id })
export const CampaignTickInput = v.strictObject({ id: Id, householdId: Id })
export const CampaignDeclineInput = v.strictObject({ id: Id, householdId: v.optional(Id) })
export const CampaignTasksInput = v.strictObject({
  id: Id,
  buildingId: Id,
  unit: v.optional(v.pipe(v.number('单元必须是数字'), v.integer('单元必须是整数'), v.minValue(1, '单元不正确'), v.maxValue(99, '单元不正确'))),
})
