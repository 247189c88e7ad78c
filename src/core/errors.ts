/**
 * Typed application errors with stable codes.
 * The code is for programs (clients switch on it, tests assert it); the message is Chinese, for people.
 */
export const ERROR_MESSAGES = {
  'REQUEST.UNKNOWN_ACTION': '不支持的操作，请升级小程序后再试',
  'REQUEST.INVALID_INPUT': '填写的内容有误，请检查后再提交',
  'REQUEST.MALFORMED': '请求格式不正确',
  /** The host: the URL (path and query) is over 8 KB (414). */
  'REQUEST.URL_TOO_LONG': '请求地址太长',
  /** The host: the body did not arrive in time (408). */
  'REQUEST.TIMEOUT': '请求超时，请检查网络后再试',
  /** core/rate-limit.ts: the message names the seconds left ('请N秒后再试'); details.retryAt is the epoch ms. */
  'RATE.LIMITED': '操作太频繁了，请稍后再试',
  'AUTH.NOT_SIGNED_IN': '请先登录',
  'AUTH.SESSION_EXPIRED': '登录已过期，请重新登录',
  'AUTH.FORBIDDEN': '您没有权限进行这个操作',
  'AUTH.UNKNOWN_PERSON': '未找到该用户',
  'HOUSEHOLD.NOT_FOUND': '未找到该住户',
  'HOUSEHOLD.NOT_MEMBER': '只能为自己家下单',
  'HOUSEHOLD.NONE_BOUND': '您还没有绑定住户，请先输入隔离通知单上的住户码',
  'HOUSEHOLD.CODE_WRONG': '住户码不对，请核对隔离通知单上的6位数字',
  /** The message names the minutes left ('请N分钟后再试'); details.retryAt is the epoch ms. */
  'HOUSEHOLD.JOIN_LOCKED': '输错次数太多，请10分钟后再试',
  'ORDER.NOT_FOUND': '订单不存在或已被删除',
  'ORDER.ALREADY_CLAIMED': '这个订单已经有人接了',
  'ORDER.INVALID_TRANSITION': '订单当前状态不能进行这个操作',
  'ORDER.NOT_HOLDER': '这个订单不是您负责的',
  'ORDER.CONFLICT': '订单刚刚被其他人更新，请刷新后再试',
  'ORDER.ALREADY_RATED': '这个订单已经评价过了',
  /** order.repeat: meals, handovers and orders whose items left the catalog; the message says which. */
  'ORDER.NOT_REPEATABLE': '这个订单不能直接再来一单，请重新下单',
  'ORDER.STEP_OUT_OF_ORDER': '请按顺序完成上门步骤，跳过某一步需要填写原因',
  /** order.step with tappedAt outside the bounds (core/order/step-time.ts); details.reason: 'future' | 'before_attempt'. */
  'ORDER.STEP_TIME_INVALID': '离线时点的步骤时间不对，没有记上，请重新点',
  'ORDER.PARCEL_NOT_DISINFECTED': '家属送来的物品要先消杀登记，静置后才能配送',
  'ORDER.PARCEL_HOLD': '物品消杀后还在静置，暂时不能配送',
  'ORDER.PARCEL_ALREADY_DISINFECTED': '这件物品已经登记过消杀了',
  /** order.disinfectParcel before order.parcelArrived: the hold cannot start before the parcel is at the gate. */
  'ORDER.PARCEL_NOT_ARRIVED': '包裹还没到门岗，到了再消杀',
  'ORDER.PARCEL_ALREADY_ARRIVED': '已经登记过包裹到门岗了',
  /** order.cancelProxy: a squad member who did not place the order (nor holds it, for 重复下单). */
  'ORDER.NOT_PLACER': '只有代下单的队员本人才能撤回这个订单',
  /** order.cancelProxy 重复下单: no other open order of the same household to keep; the message says why. */
  'ORDER.NOT_DUPLICATE': '这一户没有别的未完成订单，不是重复下单',
  'ORDER.NOT_A_PARCEL': '只有家属送物订单需要登记物品消杀',
  'ORDER.NOT_CLAIMER': '只有接单人才能添加或更换搭档',
  'ORDER.NOT_SQUAD_MEMBER': '对方不是本社区送货小分队成员',
  'ORDER.PARTNER_IS_HOLDER': '不能把接单人自己添加为搭档',
  'ORDER.ALREADY_HOLDER': '这个订单已经由这位队员负责了',
  'ORDER.UNKNOWN_LINE': '缺货的物品必须是订单里的物品',
  'SQUAD.INVITE_WRONG': '邀请码不对，请核对社区给您的邀请码',
  'SQUAD.INVITE_USED': '这个邀请码已经用过了，请向社区要一个新的',
  'SQUAD.INVITE_EXPIRED': '这个邀请码已过期，请向社区要一个新的',
  'SQUAD.ALREADY_MEMBER': '您已经是送货小分队成员了',
  'SQUAD.OTHER_COMMUNITY': '您已经是其他社区的小分队成员，不能再加入这个社区',
  'SQUAD.COORDINATOR_ELSEWHERE': '您是其他社区的工作人员，不能加入这个社区的小分队',
  /** The message names the minutes left ('请N分钟后再试'); details.retryAt is the epoch ms. */
  'SQUAD.JOIN_LOCKED': '输错次数太多，请10分钟后再试',
  /** community.setup: no setup code is configured (ZJ_SETUP_CODE on the cloud, ZJ_DEMO=0 on the local host). */
  'SETUP.DISABLED': '现在还不能创建社区：没有设置码，请联系系统管理员',
  'SETUP.CODE_WRONG': '设置码不对，请核对后再输入',
  'SETUP.CODE_USED': '这个设置码已经用过了，社区已经建好，不能再用',
  /** The message names the minutes left ('请N分钟后再试'); details.retryAt is the epoch ms. */
  'SETUP.LOCKED': '输错次数太多，请10分钟后再试',
  'SETUP.ALREADY_COORDINATOR': '您已经是一个社区的协调员了，不能再创建社区',
  'BUILDING.NOT_FOUND': '本社区没有这栋楼',
  /** squad.badgeLookup: no household has this badge code (or it was reissued); details.attemptsLeft. */
  'BADGE.WRONG': '胸牌码不对，请核对二维码下面的8位码',
  /** The message names the minutes left ('请N分钟后再试'); details.retryAt is the epoch ms. */
  'BADGE.LOCKED': '输错次数太多，请10分钟后再试',
  /** The badge belongs to a household of another community than the caller's squad. */
  'BADGE.OTHER_COMMUNITY': '这是其他社区住户的胸牌，不能在这里代下单',
  /** The local host's dev sign-in is switched off (HOST is not loopback and ZJ_DEV_SIGNIN is not 1). */
  'AUTH.DEV_SIGN_IN_OFF': '这台服务器没有开启本机登录',
  'SQUAD.NOT_MEMBER': '这个人不是本社区小分队的队员',
  'SQUAD.NOT_YOUR_COMMUNITY': '这位队员属于其他社区，只能由那个社区停用',
  'SQUAD.CANNOT_DEACTIVATE_SELF': '不能停用自己',
  'GRID.NOT_FOUND': '没有这个网格，请刷新后再试',
  'FOLLOWUP.NOT_NEEDED': '这个订单不需要回访',
  'FOLLOWUP.ALREADY_DONE': '这个订单已经回访过了',
  'PHOTO.NOT_NOW': '门封恢复以后才能拍封条照片',
  'PHOTO.NONE': '这里没有照片',
  'PHOTO.UNAVAILABLE': '照片暂时打不开，请稍后再试',
  /** order.sealPhoto: the file id names no file uploaded by the caller for this order. */
  'PHOTO.NOT_UPLOADED': '照片还没有传上去，请重新拍一张',
  'UPLOAD.NOT_IMAGE': '只能上传照片（JPG 或 PNG）',
  'UPLOAD.TOO_LARGE': '照片太大了，请不超过2MB',
  'ROBOT.UNKNOWN_SCOPE': '没有这个群：请选择社区群、工作人员群或本社区的楼栋',
  'ROBOT.URL_NOT_ALLOWED': '请填写企业微信群机器人的 Webhook 地址（https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…）',
  'ROBOT.NOT_CONFIGURED': '这个群还没有设置机器人',
  'NOTIFY.PRIVATE_DATA': '群消息里不能出现居民姓名、门牌号、电话或健康状况',
  /** GET /api/live: this person already has the most live streams open (host/live-sse.ts). */
  'LIVE.TOO_MANY_STREAMS': '打开的页面太多，实时刷新暂停了，请关掉几个页面',
  'LEDGER.BAD_RANGE': '日期范围不对：开始日期不能晚于结束日期，一次最多查92天',
  'LEDGER.TOO_LARGE': '要导出的订单太多了，请缩小日期范围后再导出',
  'EXPORT.UNAVAILABLE': '暂时不能导出文件，请稍后再试',
  /** CSV import: fields holds one entry per bad row ('line.N' → reasons); details.badLines counts them. */
  'IMPORT.INVALID': '有些行填得不对，这次一户也没有导入。请按提示改好后再导入',
  'IMPORT.BAD_HEADER': '第1行的表头不对，请下载模板对照',
  'IMPORT.EMPTY': '文件里没有住户',
  /** details.rows, details.max */
  'IMPORT.TOO_MANY_ROWS': '一次最多导入5000户，请分成几个文件',
  'IMPORT.UNREADABLE': '文件读不出来，请在 Excel 里另存为「CSV」后再试',
  'CAMPAIGN.NOT_FOUND': '没有找到这次发放',
  'CAMPAIGN.NO_HOUSEHOLDS': '所选楼栋还没有登记住户，不能发起发放',
  'CAMPAIGN.UNKNOWN_BUILDING': '只能选择本社区的楼栋',
  /** The slot rule runs past midnight for the units chosen. */
  'CAMPAIGN.SLOT_TOO_LATE': '按这个时间排，最后几个单元要到半夜了，请提前开始时间或缩短每个单元的时间',
  'CAMPAIGN.TASK_NOT_FOUND': '这户不在这次发放的名单里',
  'CAMPAIGN.TASK_DECLINED': '这户已经说不需要了，不用送',
  'CAMPAIGN.ALREADY_DELIVERED': '已经送到门口了，不能再改成不需要',
  'CAMPAIGN.CONFLICT': '刚刚有人同时在改这一户，请再点一次',
  'INTERNAL': '系统繁忙，请稍后再试',
  /** Client-side only: the request never got an answer. */
  'NETWORK.UNREACHABLE': '网络不太好，请检查网络后再试',
  /**
   * Client-side only (weapp): what the platform said when callFunction failed (client/cloud-errors.ts).
   * A deployment mistake must not look like bad signal: each says what to tell the community.
   */
  'CLOUD.FUNCTION_NOT_FOUND': '服务还没有部署好（找不到云函数 api），请告诉社区工作人员',
  'CLOUD.ENV_NOT_FOUND': '服务配置有误（云开发环境不存在），请告诉社区工作人员',
  /** The call may still have been carried out: a retry with the same request id is safe. */
  'CLOUD.TIMEOUT': '服务响应太慢，请稍后再试',
  'CLOUD.UNKNOWN': '服务暂时不可用，请稍后再试',
} as const

export type ErrorCode = keyof typeof ERROR_MESSAGES

/** Field-level problems for form errors: path ("lines.0.qty") → Chinese message. */
export type FieldErrors = Record<string, string>

export class AppError extends Error {
  readonly code: ErrorCode
  readonly fields?: FieldErrors
  readonly details?: Record<string, string | number | boolean | null>

  constructor(
    code: ErrorCode,
    opts: { message?: string; fields?: FieldErrors; details?: AppError['details'] } = {},
  ) {
    super(opts.message ?? ERROR_MESSAGES[code])
    this.name = 'AppError'
    this.code = code
    this.fields = opts.fields
    this.details = opts.details
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError

/** Exhaustiveness guard for `switch` statements over unions. */
export function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`)
}
