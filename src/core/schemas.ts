/**
 * Input schemas for every action (valibot). Messages are Chinese and specific: they are shown
 * next to the field that caused them. Strings are cleaned (control characters removed, trimmed)
 * before their length is checked.
 */
import * as v from 'valibot'
import { AUDIT_KINDS } from './audit'
import { RETENTION_DAYS } from './retention'
import { PhotoId } from './photo'
import { cleanText } from './text'
import { EXTENSIBLE_CATEGORIES, UNITS } from './catalog'
import { isIsoDate, ISOLATION_STATUSES, MAX_HEADCOUNT, MIN_HEADCOUNT, SPECIAL_NEEDS } from './household/register'
import { VIEW_NAMES } from './prefs'
import { normalizeSetupCode, SETUP_LIMITS, totalHouseholds } from './community-setup'
import { holdLabel, PARCEL_HOLD_CHOICES, PROTOCOL_STEPS } from './order/protocol'
import { ORDER_STATUSES } from './order/types'
import { deadlineProblems } from './order/schedule'
import { decodeBoardCursor } from './order/board-page'

// Fallback for issues a schema gives no message of its own (a missing or unknown key): Chinese too.
v.setGlobalMessage((issue) =>
  issue.received === 'undefined' ? '缺少必填内容' : issue.expected === 'never' ? '包含不认识的内容' : '填写的内容格式不正确',
)

export const MAX_LINES = 20
export const MAX_QTY = 99
/** An order's 备注: characters after cleanText (what the order form's counter counts too). */
export const MAX_NOTES = 200

/** A cleaned, length-limited string; `min` 1 means required. */
export const text = (label: string, max: number, min = 0) =>
  v.pipe(
    v.string(`${label}必须是文字`),
    v.transform(cleanText),
    v.minLength(min, `请填写${label}`),
    v.maxLength(max, `${label}不能超过${max}个字`),
  )

export const Id = v.pipe(
  v.string('编号格式不正确'),
  v.trim(),
  v.regex(/^[A-Za-z0-9_-]{1,64}$/, '编号格式不正确'),
)

export const RequestId = v.pipe(
  v.string('缺少提交编号'),
  v.regex(/^[A-Za-z0-9_-]{8,64}$/, '提交编号格式不正确'),
)

export const Empty = v.strictObject({}, '不需要参数')

export const OrderIdInput = v.strictObject({ id: Id })

/** The squad board's page size when none is asked for (≤ 100, the store's page ceiling). */
export const BOARD_PAGE_SIZE = 50

/** squad.board: a page of the board; `cursor` is the previous page's `next`. */
export const BoardInput = v.strictObject({
  cursor: v.optional(
    v.pipe(
      v.string('翻页标记不正确，请刷新任务大厅'),
      v.maxLength(300, '翻页标记不正确，请刷新任务大厅'),
      v.check((s) => decodeBoardCursor(s) !== null, '翻页标记不正确，请刷新任务大厅'),
    ),
  ),
  limit: v.optional(
    v.pipe(v.number('每页条数必须是数字'), v.integer('每页条数必须是整数'), v.minValue(1, '每页至少1条'), v.maxValue(100, '每页最多100条')),
  ),
})

export const Qty = v.pipe(
  v.number('数量必须是数字'),
  v.integer('数量必须是整数'),
  v.minValue(1, '数量至少为1'),
  v.maxValue(MAX_QTY, `数量最多为${MAX_QTY}`),
)

export const OrderLineInput = v.strictObject({
  itemId: Id,
  qty: Qty,
  unit: v.optional(v.picklist(UNITS, '单位不正确')),
  /** Required for 药品 and 其他 lines: what exactly. */
  name: v.optional(text('物品名称', 20)),
  note: v.optional(text('备注', 50)),
  prescription: v.optional(v.boolean()),
  /** Medicine only: the photo of the box (uploaded first, see core/photo.ts). */
  photo: v.optional(PhotoId),
})

export const MealInput = v.strictObject({
  dish: text('饭菜', 20, 1),
  day: v.picklist(['today', 'tomorrow'], '请选择今天或明天'),
  slot: v.picklist(['breakfast', 'lunch', 'dinner', 'exact'], '请选择用餐时段'),
  /** 'HH:mm' Beijing time, only with slot 'exact'. */
  time: v.optional(v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 时:分'))),
  dietary: v.optional(
    v.pipe(v.array(v.picklist(['低糖', '清淡', '不吃辣', '软烂', '少盐', '素食'], '忌口选项不正确')), v.maxLength(6)),
    [],
  ),
})

export const HandoverInput = v.strictObject({
  bringer: text('送物人', 20, 1),
  items: text('物品', 50, 1),
  /** Epoch ms of the expected arrival at the gate. */
  expectedAt: v.pipe(v.number('时间格式不正确'), v.integer('时间格式不正确')),
})

export const PlaceOrderInput = v.pipe(
  v.strictObject({
    requestId: RequestId,
    householdId: v.optional(Id),
    kind: v.picklist(['supplies', 'meal', 'handover', 'garbage'], '请选择需求类型'),
    urgency: v.optional(v.picklist(['normal', 'urgent'], '请选择紧急程度'), 'normal'),
    urgentReason: v.optional(text('加急原因', 30)),
    lines: v.optional(
      v.pipe(v.array(OrderLineInput, '物品清单格式不正确'), v.maxLength(MAX_LINES, `一次最多${MAX_LINES}种物品`)),
      [],
    ),
    meal: v.optional(MealInput),
    handover: v.optional(HandoverInput),
    window: v.optional(v.picklist(['asap', 'morning', 'afternoon', 'evening'], '请选择送达时段'), 'asap'),
    notes: v.optional(text('备注', MAX_NOTES), ''),
  }),
  v.forward(
    v.check((i) => i.urgency !== 'urgent' || (i.urgentReason ?? '').length > 0, '加急需要说明原因，比如药快吃完了'),
    ['urgentReason'],
  ),
  v.forward(v.check((i) => i.kind !== 'supplies' || i.lines.length > 0, '请至少选择一样物品'), ['lines']),
  v.forward(v.check((i) => i.kind !== 'meal' || i.meal !== undefined, '请选择饭菜和用餐时间'), ['meal']),
  v.forward(v.check((i) => i.kind !== 'handover' || i.handover !== undefined, '请填写谁在什么时候送来什么'), ['handover']),
)

export const CancelInput = v.strictObject({ id: Id, reason: v.optional(text('取消原因', 50)) })
export const ReleaseInput = v.strictObject({ id: Id, reason: text('退回原因', 50, 1) })
export const AdvanceInput = v.strictObject({
  id: Id,
  event: v.picklist(['depart', 'call_resident', 'no_answer'], '操作不正确'),
})
export const DeliverInput = v.pipe(
  v.strictObject({
    id: Id,
    outcome: v.picklist(['handed', 'left_at_door', 'partial'], '请选择送达方式'),
    missing: v.optional(v.pipe(v.array(text('缺货物品', 20, 1)), v.maxLength(MAX_LINES)), []),
  }),
  v.forward(v.check((i) => i.outcome !== 'partial' || i.missing.length > 0, '部分缺货时请选择缺了哪些物品'), ['missing']),
)
// squad: the doorstep protocol, pairs, reassignment and parcels
export const StepInput = v.strictObject({
  id: Id,
  step: v.picklist(PROTOCOL_STEPS, '请选择要完成的上门步骤'),
  /** Present = this step is skipped, for this reason. */
  skipReason: v.optional(text('跳过原因', 50, 1)),
  /**
   * When the step was tapped (epoch ms, the phone's clock): present on a step sent late from the
   * offline queue (client/step-queue.ts). Bounds and idempotency: core/order/step-time.ts.
   */
  tappedAt: v.optional(v.pipe(v.number('点步骤的时间格式不正确'), v.integer('点步骤的时间格式不正确'), v.minValue(0, '点步骤的时间格式不正确'))),
})
/** A person's id (OPENID on WeChat, the demo id locally), with the field's own message. */
const PersonId = (label: string) =>
  v.pipe(v.string(`请选择${label}`), v.trim(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, `${label}的编号格式不正确`))
export const AddPartnerInput = v.strictObject({ id: Id, partnerId: PersonId('搭档') })
export const ReassignInput = v.strictObject({
  id: Id,
  toId: PersonId('改派对象'),
  reason: v.optional(text('改派原因', 50)),
})
export const DisinfectParcelInput = v.strictObject({ id: Id })
export const ParcelArrivedInput = v.strictObject({ id: Id })
/**
 * The squad cancels a 代下单: 'withdrawn' (撤回, the placer, while nobody has claimed it) or
 * 'duplicate' (重复下单; duplicateOf names the household's open order that is kept, else the server picks it).
 */
export const CancelProxyInput = v.strictObject({
  id: Id,
  reason: v.picklist(['withdrawn', 'duplicate'], '请选择取消的原因'),
  duplicateOf: v.optional(Id),
})

export const RateInput = v.pipe(
  v.strictObject({
    id: Id,
    stars: v.pipe(v.number('请选择星级'), v.integer('请选择星级'), v.minValue(1, '请选择1到5星'), v.maxValue(5, '请选择1到5星')),
    comment: v.optional(text('评价', 200), ''),
  }),
  v.forward(v.check((i) => i.stars > 2 || i.comment.length > 0, '打2星及以下时请写一下原因，我们会回访'), ['comment']),
)

// resident: joining a household, preferences, repeating an order

/** Full-width digits to ASCII, spaces and dashes out: '７３５ 291' → '735291'. */
const digitsOnly = (s: string) =>
  s.replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s-]/g, '')

/** The 6-digit code printed on the isolation notice. */
export const HouseholdCode = v.pipe(
  v.string('请填写住户码'),
  v.transform(digitsOnly),
  v.minLength(1, '请填写住户码'),
  v.regex(/^\d{6}$/, '住户码是隔离通知单上的6位数字'),
)

/** A mainland mobile number: 11 digits, 1[3-9]…; a leading +86 / 86 is dropped. */
export const MobilePhone = v.pipe(
  v.string('请填写手机号码'),
  v.transform((s) => digitsOnly(s).replace(/^\+?86(?=1\d{10}$)/, '')),
  v.minLength(1, '请填写手机号码'),
  v.regex(/^1[3-9]\d{9}$/, '请填写正确的11位手机号码'),
)

export const JoinInput = v.strictObject({
  // A missing field is validated as '' so it gets the Chinese "please fill in" message.
  code: v.optional(HouseholdCode, ''),
  phone: v.optional(MobilePhone, ''),
  /** How the squad addresses this person; '居民' when a first-time caller leaves it empty. */
  name: v.optional(text('称呼', 20)),
})

export const SetPrefsInput = v.strictObject({
  largeText: v.optional(v.boolean('大字模式只能选择开或关')),
  view: v.optional(v.picklist(VIEW_NAMES, '请选择居民、小分队或社区管理界面')),
})

export const RepeatOrderInput = v.strictObject({ id: Id, requestId: RequestId })

/** Turns valibot issues into field → message (first message per field). */
export function fieldErrors(issues: readonly v.BaseIssue<unknown>[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of issues) {
    const path = issue.path?.map((p) => String(p.key)).join('.') || '_'
    if (!(path in out)) out[path] = issue.message
  }
  return out
}

// squad membership: invite codes a coordinator issues, joining with one

/** Invite codes: 6 letters/digits without look-alikes (no 0/O, 1/I/L); typed in any case, spaces ignored. */
export const INVITE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
export const SquadJoinInput = v.strictObject({
  code: v.pipe(
    v.string('请输入邀请码'),
    v.transform((s) => s.replace(/[\s-]/g, '').toUpperCase()),
    v.nonEmpty('请输入邀请码'),
    v.regex(/^[2-9A-HJKMNP-Z]{6}$/, '邀请码是6位字母和数字，请核对'),
  ),
})

// coordinator: the household register (isolation status, special needs), by taps
/** A day 'YYYY-MM-DD'; null clears it. */
const RegisterDate = (label: string) =>
  v.nullable(v.pipe(v.string(`${label}格式应为 年-月-日`), v.check(isIsoDate, `${label}格式应为 年-月-日，比如 2022-04-10`)))
/** Fields left out keep their stored value (older clients send only isolation and needs). */
export const SetHouseholdInput = v.pipe(
  v.strictObject({
    id: Id,
    isolation: v.picklist(ISOLATION_STATUSES, '请选择隔离状态'),
    specialNeeds: v.pipe(v.array(v.picklist(SPECIAL_NEEDS, '特殊情况只能从列表里选')), v.maxLength(SPECIAL_NEEDS.length, '特殊情况选得太多了')),
    startDate: v.optional(RegisterDate('开始日期')),
    endDate: v.optional(RegisterDate('结束日期')),
    headcount: v.optional(
      v.pipe(
        v.number('人数必须是数字'),
        v.integer('人数必须是整数'),
        v.minValue(MIN_HEADCOUNT, `人数至少${MIN_HEADCOUNT}人`),
        v.maxValue(MAX_HEADCOUNT, `人数最多${MAX_HEADCOUNT}人`),
      ),
    ),
    doorSealed: v.optional(v.boolean('请选择已封门或未封门')),
  }),
  v.forward(
    v.check((i) => !i.startDate || !i.endDate || i.endDate >= i.startDate, '结束日期不能早于开始日期'),
    ['endDate'],
  ),
)

// coordinator: the community's catalog (暂缺 / 有货, items of its own)
export const SetSoldOutInput = v.strictObject({ itemId: Id, soldOut: v.boolean('请选择有货或暂缺') })
export const AddItemInput = v.strictObject({
  categoryId: v.pipe(v.string('请选择物品分类'), v.check((id) => EXTENSIBLE_CATEGORIES.includes(id), '请选择物品分类')),
  name: text('物品名称', 10, 1),
  unit: v.picklist(UNITS, '请选择单位'),
})
export const RemoveItemInput = v.strictObject({ itemId: Id })

// coordinator: community settings
export const ParcelHoldInput = v.strictObject({
  minutes: v.picklist(PARCEL_HOLD_CHOICES, `静置时间只能选 ${PARCEL_HOLD_CHOICES.map(holdLabel).join('、')}`),
})

// coordinator: the 回访 (follow-up) queue
export const ResolveFollowupInput = v.strictObject({ id: Id, note: text('回访记录', 200, 1) })

// the ledger (台账): core/ledger.ts
const LedgerDate = (label: string) =>
  v.pipe(v.string(`${label}格式不正确`), v.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, `${label}请写成 2026-11-20 这样`))
const ledgerFilters = {
  from: v.optional(LedgerDate('开始日期')),
  to: v.optional(LedgerDate('结束日期')),
  buildingId: v.optional(Id),
  kind: v.optional(v.picklist(['supplies', 'meal', 'handover', 'garbage'], '请选择需求类型')),
  status: v.optional(v.picklist(ORDER_STATUSES, '请选择订单状态')),
  workerId: v.optional(Id),
}
export const LedgerInput = v.strictObject({ ...ledgerFilters, cursor: v.optional(v.pipe(v.string(), v.maxLength(200, '翻页标记不正确'))) })
export const ExportLedgerInput = v.strictObject(ledgerFilters)

// the doorstep protocol's optional photo of the restored seal
export const SealPhotoInput = v.strictObject({ id: Id, fileId: PhotoId })
/** A photo on an order: the seal photo, or (with `line`) the box photo of that medicine line. */
export const PhotoUrlInput = v.strictObject({
  id: Id,
  line: v.optional(v.pipe(v.number('行号必须是数字'), v.integer('行号必须是整数'), v.minValue(0, '行号不正确'), v.maxValue(MAX_LINES - 1, '行号不正确'))),
})

// community.setup: the first coordinator creates the community and its households with a setup code

const count = (label: string, max: number) =>
  v.pipe(
    v.number(`${label}必须是数字`),
    v.integer(`${label}必须是整数`),
    v.minValue(1, `${label}至少为1`),
    v.maxValue(max, `${label}最多为${max}`),
  )

export const SetupBuildingInput = v.strictObject({
  name: text('楼栋名称', SETUP_LIMITS.buildingNameMax, 1),
  units: count('单元数', SETUP_LIMITS.unitsMax),
  floors: count('层数', SETUP_LIMITS.floorsMax),
  roomsPerFloor: count('每层户数', SETUP_LIMITS.roomsPerFloorMax),
})

export const SetupInput = v.pipe(
  v.strictObject({
    // A missing field is validated as '' so it gets the Chinese "please fill in" message.
    code: v.optional(
      v.pipe(
        v.string('请填写设置码'),
        v.transform(normalizeSetupCode),
        v.nonEmpty('请填写设置码'),
        v.maxLength(64, '设置码太长了，请核对'),
      ),
      '',
    ),
    name: v.optional(
      v.pipe(
        v.string('社区名称必须是文字'),
        v.transform(cleanText),
        v.nonEmpty('请填写社区名称'),
        v.minLength(SETUP_LIMITS.nameMin, `社区名称至少${SETUP_LIMITS.nameMin}个字`),
        v.maxLength(SETUP_LIMITS.nameMax, `社区名称不能超过${SETUP_LIMITS.nameMax}个字`),
      ),
      '',
    ),
    buildings: v.pipe(
      v.array(SetupBuildingInput, '楼栋格式不正确'),
      v.minLength(1, '请至少添加一栋楼'),
      v.maxLength(SETUP_LIMITS.buildingsMax, `一次最多添加${SETUP_LIMITS.buildingsMax}栋楼`),
    ),
  }),
  v.forward(
    v.check((i) => new Set(i.buildings.map((b) => b.name)).size === i.buildings.length, '楼栋名称不能重复'),
    ['buildings'],
  ),
  v.forward(
    v.check(
      (i) => totalHouseholds(i.buildings) <= SETUP_LIMITS.householdsMax,
      `全社区最多${SETUP_LIMITS.householdsMax}户，请减少楼栋、单元、层数或每层户数`,
    ),
    ['buildings'],
  ),
)

/** coord.householdCodes: one building's codes; without buildingId, the first building's. */
export const HouseholdCodesInput = v.strictObject({ buildingId: v.optional(Id) })

/** The local host's dev sign-in as a new person: how they are called (1–20 characters). */
export const DevSignInInput = v.object({ name: v.optional(text('称呼', 20, 1), '') })
// coordinator: deadlines (minutes; core/order/schedule.ts deadlineProblems checks the rest)
const Minutes = (label: string) => v.number(`${label}必须是数字（分钟）`)
export const SetDeadlinesInput = v.pipe(
  v.strictObject({
    urgentClaimMinutes: Minutes('加急接单时限'),
    urgentDeliverMinutes: Minutes('加急送达时限'),
    normalClaimMinutes: Minutes('普通接单时限'),
    normalDeliverMinutes: Minutes('普通送达时限'),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return
    for (const [key, message] of Object.entries(deadlineProblems(dataset.value))) {
      addIssue({ message, path: [{ type: 'object', origin: 'value', input: dataset.value, key, value: (dataset.value as Record<string, unknown>)[key] }] })
    }
  }),
)

// coordinator: a squad member taken off the squad
export const DeactivateInput = v.strictObject({ personId: PersonId('队员') })

// coordinator: grids (网格) — a name, the buildings it covers and the squad members who look after it
export const SetGridInput = v.strictObject({
  gridId: v.optional(Id),
  name: text('网格名称', 20, 1),
  buildingIds: v.pipe(v.array(Id, '楼栋格式不正确'), v.maxLength(200, '楼栋太多了')),
  workerIds: v.pipe(v.array(PersonId('队员'), '队员格式不正确'), v.maxLength(200, '队员太多了')),
})

// coordinator: the audit log (操作记录), newest first, optionally one kind (core/audit.ts)
export const AuditInput = v.strictObject({
  kind: v.optional(v.picklist(AUDIT_KINDS, '请选择记录类型')),
  cursor: v.optional(v.pipe(v.string('翻页标记不正确'), v.maxLength(200, '翻页标记不正确'))),
})

// coordinator: how long a released household's names, phones and notes are kept (core/retention.ts)
const { min: RMIN, max: RMAX } = RETENTION_DAYS
export const SetRetentionInput = v.strictObject({
  days: v.pipe(
    v.number('保留天数必须是数字'),
    v.integer('保留天数必须是整数'),
    v.minValue(RMIN, `保留天数至少${RMIN}天`),
    v.maxValue(RMAX, `保留天数最多${RMAX}天`),
  ),
})
