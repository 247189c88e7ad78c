/** Input schemas of the notification actions (inbox.*, notify.*, robot.*). */
import * as v from 'valibot'
import { Id, RequestId, text } from '../schemas'

const Cursor = v.optional(v.nullable(v.pipe(v.string('分页参数不正确'), v.maxLength(200, '分页参数不正确'))))
const Limit = v.optional(
  v.pipe(v.number('数量必须是数字'), v.integer('数量必须是整数'), v.minValue(1, '数量至少为1'), v.maxValue(100, '一次最多100条')),
)

export const InboxListInput = v.strictObject({ cursor: Cursor, limit: Limit })

export const InboxMarkReadInput = v.pipe(
  v.strictObject({
    ids: v.optional(v.pipe(v.array(Id, '消息编号格式不正确'), v.maxLength(100, '一次最多100条'))),
    all: v.optional(v.boolean()),
  }),
  v.check((i) => i.all === true || (i.ids !== undefined && i.ids.length > 0), '请选择要标为已读的消息'),
)

/**
 * What wx.requestSubscribeMessage resolved with, as is: { errMsg, <templateId>: 'accept' |
 * 'reject' | 'ban' | 'filter', … }. Only 'accept' counts; unknown template ids are ignored.
 */
export const ConsentInput = v.strictObject({
  results: v.pipe(
    v.record(v.pipe(v.string(), v.maxLength(128)), v.pipe(v.string('授权结果格式不正确'), v.maxLength(200))),
    v.check((r) => Object.keys(r).length <= 10, '授权结果格式不正确'),
  ),
})

/** 'community', 'coordinators', or a building id of the coordinator's community. */
export const RobotScopeInput = v.strictObject({ scope: Id })

export const RobotSetInput = v.strictObject({
  scope: Id,
  /** The webhook URL; '' removes the robot. */
  url: v.pipe(v.string('请填写机器人地址'), v.trim(), v.maxLength(512, '机器人地址太长')),
})

export const RobotLogInput = v.strictObject({ scope: v.optional(Id), cursor: Cursor, limit: Limit })

/** requestId (optional, made once per notice on the page): a resend queues nothing new (answers queued: false). */
export const RobotNoticeInput = v.strictObject({ scope: Id, text: text('通知内容', 500, 1), requestId: v.optional(RequestId) })

/** 复制群公告: a notice checked by the privacy guard and turned into paste-ready text. */
export const AnnouncementInput = v.strictObject({ text: text('公告内容', 500, 1) })
