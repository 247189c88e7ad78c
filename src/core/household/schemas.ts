/** Input schemas of the register's bulk actions (CSV import, building map). */
import * as v from 'valibot'
import { Id } from '../schemas'
import { isBadgeCode, normalizeBadgeInput } from './badge'
import { normalizeServicePhone, SERVICE_PHONE_RE } from './join-limit'

/**
 * About 200 characters per row at most: 5,000 rows fit; anything larger is refused before parsing.
 * (The local host takes request bodies up to 256 KB: about 3,000 typical rows.)
 */
export const MAX_IMPORT_CHARS = 1_000_000

/**
 * The file, either as text (`csv`: scripts that already hold a string) or as its bytes in base64
 * (`csvBase64`: the page sends the file as picked, and the server tells UTF-8 from GBK). Exactly one.
 * `dryRun`: check and preview only; nothing is written.
 */
export const ImportHouseholdsInput = v.pipe(
  v.strictObject({
    csv: v.optional(v.pipe(v.string('文件内容必须是文字'), v.maxLength(MAX_IMPORT_CHARS, '文件太大了，请分成几个文件导入'))),
    csvBase64: v.optional(
      v.pipe(
        v.string('文件内容格式不正确'),
        v.maxLength(Math.ceil((MAX_IMPORT_CHARS * 4) / 3), '文件太大了，请分成几个文件导入'),
        v.regex(/^[A-Za-z0-9+/]*={0,2}$/, '文件内容格式不正确'),
      ),
    ),
    dryRun: v.optional(v.boolean('请选择预览或导入'), false),
  }),
  v.forward(v.check((i) => (i.csv === undefined) !== (i.csvBase64 === undefined), '请选择要导入的文件'), ['csv']),
)

export const BuildingMapInput = v.strictObject({
  /** Absent: the community's first building. */
  buildingId: v.optional(Id),
})

/** coord.householdBadges: one building's badges (issued on first print); without buildingId, the first building's. */
export const HouseholdBadgesInput = v.strictObject({ buildingId: v.optional(Id) })

/** coord.reissueBadge: a new badge code for one household; the old card stops working. */
export const ReissueBadgeInput = v.strictObject({ householdId: Id })

/** squad.badgeLookup: the code under the QR as typed ('K7M2-Q9XA'), or the scanned payload ('zjs:b:K7M2Q9XA'). */
export const BadgeLookupInput = v.strictObject({
  code: v.pipe(
    v.string('请输入胸牌码'),
    v.maxLength(40, '胸牌码是8位字母和数字，请核对'),
    v.transform(normalizeBadgeInput),
    v.nonEmpty('请输入胸牌码'),
    v.check(isBadgeCode, '胸牌码是8位字母和数字，请核对（没有字母I、L、O）'),
  ),
})

/** coord.setServicePhone: the community service centre's phone (mobile, landline with area code, or 5-digit hotline). */
export const ServicePhoneInput = v.strictObject({
  phone: v.pipe(
    v.string('请填写社区服务中心电话'),
    v.maxLength(30, '电话号码太长了'),
    v.transform(normalizeServicePhone),
    v.nonEmpty('请填写社区服务中心电话'),
    v.regex(SERVICE_PHONE_RE, '请填写正确的电话：手机号、带区号的座机（如 0471-6281234）或5位服务热线'),
  ),
})
