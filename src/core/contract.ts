/**
 * The action contract: every action the client can call, with its input schema, its output type
 * and the error codes it may answer besides the common ones. The client's `call()` and the api
 * dispatcher are both typed from this one table.
 */
import type * as v from 'valibot'
import type { ErrorCode } from './errors'
import * as S from './schemas'
import * as NS from './notify/schemas'
import * as RS from './household/schemas'
import type { BuildingMap, ImportResult } from './household/views'
import * as CS from './campaign/schemas'
import type { CampaignList, CampaignTaskList, CampaignView, MyCampaigns } from './campaign/views'
import type { InboxPage, Queued, RobotList, RobotLog, RobotView, SubscribeInfo } from './notify/views'
import type { LedgerExport, LedgerPage } from './views'
import type {
  CatalogView,
  CommunityHousehold,
  CommunityHouseholds,
  CoordStats,
  Followups,
  HouseholdBadge,
  HouseholdBadges,
  HouseholdCodes,
  InviteList,
  InviteView,
  JoinView,
  MeView,
  OrderList,
  BoardList,
  OrderView,
  SetupView,
  SquadMembers,
} from './views'
import type { DeactivateView, DeadlinesView, GridsView } from './views'
import type { AuditPage } from './audit'

export interface ActionDef<I extends v.GenericSchema, O> {
  input: I
  errors: readonly ErrorCode[]
  /** Phantom: carries the output type only. */
  output?: O
}

const action = <O>() => <I extends v.GenericSchema>(input: I, errors: readonly ErrorCode[] = []): ActionDef<I, O> => ({
  input,
  errors,
})

const ORDER_ERRORS = ['ORDER.NOT_FOUND', 'ORDER.INVALID_TRANSITION', 'ORDER.CONFLICT', 'AUTH.FORBIDDEN'] as const
/** Going to the door: protocol order and the parcel hold. */
const DOOR_ERRORS = ['ORDER.STEP_OUT_OF_ORDER', 'ORDER.PARCEL_NOT_DISINFECTED', 'ORDER.PARCEL_HOLD'] as const

export const CONTRACT = {
  /** Who am I: name and roles, from the server's records. */
  'me.get': action<MeView>()(S.Empty),
  'catalog.get': action<CatalogView>()(S.Empty),
  /** Large text and the preferred view; a view needs its role (AUTH.FORBIDDEN says which). */
  'me.setPrefs': action<MeView>()(S.SetPrefsInput, ['AUTH.FORBIDDEN']),
  /** Bind the caller to a household with the code on the isolation notice (anyone may try). */
  'household.join': action<JoinView>()(S.JoinInput, ['HOUSEHOLD.CODE_WRONG', 'HOUSEHOLD.JOIN_LOCKED']),

  /**
   * The first coordinator: a one-time setup code (ZJ_SETUP_CODE / the local host's) creates the
   * community, its buildings and every household with a fresh code, and makes the caller its
   * coordinator (usecases/community-setup.ts). Scripts call it too: the name is a fixed contract.
   */
  'community.setup': action<SetupView>()(S.SetupInput, [
    'SETUP.DISABLED',
    'SETUP.CODE_WRONG',
    'SETUP.CODE_USED',
    'SETUP.LOCKED',
    'SETUP.ALREADY_COORDINATOR',
  ]),

  // resident
  'order.place': action<OrderView>()(S.PlaceOrderInput, ['HOUSEHOLD.NOT_MEMBER', 'HOUSEHOLD.NONE_BOUND', 'AUTH.FORBIDDEN']),
  'order.mine': action<OrderList>()(S.Empty, ['HOUSEHOLD.NONE_BOUND']),
  'order.get': action<OrderView>()(S.OrderIdInput, ['ORDER.NOT_FOUND', 'AUTH.FORBIDDEN']),
  'order.cancel': action<OrderView>()(S.CancelInput, ORDER_ERRORS),
  'order.confirm': action<OrderView>()(S.OrderIdInput, ORDER_ERRORS),
  'order.rate': action<OrderView>()(S.RateInput, [...ORDER_ERRORS, 'ORDER.ALREADY_RATED']),
  /** A new order with the same kind, urgency, window, notes and lines; idempotent on requestId. */
  'order.repeat': action<OrderView>()(S.RepeatOrderInput, [
    'ORDER.NOT_FOUND',
    'ORDER.NOT_REPEATABLE',
    'HOUSEHOLD.NOT_MEMBER',
    'HOUSEHOLD.NONE_BOUND',
    'AUTH.FORBIDDEN',
  ]),

  // squad
  /** One page of the board (cursor from the previous page's `next`); `hasMore` says there is more. */
  'squad.board': action<BoardList>()(S.BoardInput, ['AUTH.FORBIDDEN']),
  'squad.tasks': action<OrderList>()(S.Empty, ['AUTH.FORBIDDEN']),
  'order.claim': action<OrderView>()(S.OrderIdInput, [...ORDER_ERRORS, 'ORDER.ALREADY_CLAIMED']),
  'order.release': action<OrderView>()(S.ReleaseInput, [...ORDER_ERRORS, 'ORDER.NOT_HOLDER']),
  'order.advance': action<OrderView>()(S.AdvanceInput, [...ORDER_ERRORS, 'ORDER.NOT_HOLDER', ...DOOR_ERRORS]),
  'order.deliver': action<OrderView>()(S.DeliverInput, [...ORDER_ERRORS, 'ORDER.NOT_HOLDER', ...DOOR_ERRORS, 'ORDER.UNKNOWN_LINE']),
  /** One tap of the doorstep protocol (core/order/protocol.ts); skipReason skips the step. */
  'order.step': action<OrderView>()(S.StepInput, [...ORDER_ERRORS, 'ORDER.NOT_HOLDER', ...DOOR_ERRORS, 'ORDER.STEP_TIME_INVALID']),
  'order.addPartner': action<OrderView>()(S.AddPartnerInput, [
    ...ORDER_ERRORS,
    'ORDER.NOT_HOLDER',
    'ORDER.NOT_CLAIMER',
    'ORDER.NOT_SQUAD_MEMBER',
    'ORDER.PARTNER_IS_HOLDER',
  ]),
  /** Handover parcels: 已到门岗 now (the parcel is at the gate); 已消杀 is refused before it. */
  'order.parcelArrived': action<OrderView>()(S.ParcelArrivedInput, [
    ...ORDER_ERRORS,
    'ORDER.NOT_HOLDER',
    'ORDER.NOT_A_PARCEL',
    'ORDER.PARCEL_ALREADY_ARRIVED',
  ]),
  /** Handover parcels: 已消杀 now; deliverableAt = now + the community's hold. */
  'order.disinfectParcel': action<OrderView>()(S.DisinfectParcelInput, [
    ...ORDER_ERRORS,
    'ORDER.NOT_HOLDER',
    'ORDER.NOT_A_PARCEL',
    'ORDER.PARCEL_ALREADY_DISINFECTED',
    'ORDER.PARCEL_NOT_ARRIVED',
  ]),
  /** The squad cancels a 代下单 it placed (unclaimed), or a 重复下单 (core/order/duplicate.ts). */
  'order.cancelProxy': action<OrderView>()(S.CancelProxyInput, [
    ...ORDER_ERRORS,
    'ORDER.NOT_PLACER',
    'ORDER.ALREADY_CLAIMED',
    'ORDER.NOT_DUPLICATE',
  ]),

  // photos: the holder attaches the restored seal's; anyone who may see the order gets a short-lived link
  'order.sealPhoto': action<OrderView>()(S.SealPhotoInput, [...ORDER_ERRORS, 'ORDER.NOT_HOLDER', 'PHOTO.NOT_NOW', 'PHOTO.NOT_UPLOADED', 'PHOTO.UNAVAILABLE']),
  'photo.url': action<{ url: string; expiresAt: number }>()(S.PhotoUrlInput, ['ORDER.NOT_FOUND', 'PHOTO.NONE', 'PHOTO.UNAVAILABLE']),

  // coordinator
  'order.reassign': action<OrderView>()(S.ReassignInput, [...ORDER_ERRORS, 'ORDER.NOT_SQUAD_MEMBER', 'ORDER.ALREADY_HOLDER']),

  // notifications: everyone's 消息 inbox and subscribe-message consents (notify.ts use cases)
  'inbox.list': action<InboxPage>()(NS.InboxListInput),
  'inbox.markRead': action<{ unread: number }>()(NS.InboxMarkReadInput),
  /** Configured subscribe templates, consents left, and the ids to ask for on the 下单 tap. */
  'notify.templates': action<SubscribeInfo>()(S.Empty),
  /** After wx.requestSubscribeMessage: pass its result as is; each 'accept' allows one message. */
  'notify.consent': action<SubscribeInfo>()(NS.ConsentInput),

  // coordinator: WeCom group robots per building / community / staff group
  // squad membership: the coordinator issues invite codes, a social worker joins with one
  'squad.invite': action<InviteView>()(S.Empty, ['AUTH.FORBIDDEN']),
  'squad.invites': action<InviteList>()(S.Empty, ['AUTH.FORBIDDEN']),
  'squad.join': action<MeView>()(S.SquadJoinInput, [
    'SQUAD.INVITE_WRONG',
    'SQUAD.INVITE_USED',
    'SQUAD.INVITE_EXPIRED',
    'SQUAD.ALREADY_MEMBER',
    'SQUAD.OTHER_COMMUNITY',
    'SQUAD.JOIN_LOCKED',
  ]),
  'squad.members': action<SquadMembers>()(S.Empty, ['AUTH.FORBIDDEN']),
  /** The community's households for 代下单: doors, isolation, special needs; no names or phones. */
  'squad.households': action<CommunityHouseholds>()(S.Empty, ['AUTH.FORBIDDEN']),
  /** 扫胸牌代下单: the household a badge code names, for its own community's squad only; wrong codes are limited. */
  'squad.badgeLookup': action<CommunityHousehold>()(RS.BadgeLookupInput, [
    'AUTH.FORBIDDEN',
    'BADGE.WRONG',
    'BADGE.LOCKED',
    'BADGE.OTHER_COMMUNITY',
  ]),
  // coordinator: figures and the 回访 queue
  'coord.stats': action<CoordStats>()(S.Empty, ['AUTH.FORBIDDEN']),
  /** How long parcels from outside wait after disinfection, for the coordinator's community. */
  'coord.setParcelHold': action<MeView>()(S.ParcelHoldInput, ['AUTH.FORBIDDEN']),
  /** 社区服务中心电话, told to a resident locked out after wrong household codes. */
  'coord.setServicePhone': action<MeView>()(RS.ServicePhoneInput, ['AUTH.FORBIDDEN']),
  /** Mark a catalog item 暂缺 (or 有货 again) for the coordinator's community. */
  'coord.setSoldOut': action<CatalogView>()(S.SetSoldOutInput, ['AUTH.FORBIDDEN']),
  'coord.addItem': action<CatalogView>()(S.AddItemInput, ['AUTH.FORBIDDEN']),
  'coord.removeItem': action<CatalogView>()(S.RemoveItemInput, ['AUTH.FORBIDDEN']),
  /** Isolation status and special needs of one household of the coordinator's community. */
  'coord.setHousehold': action<CommunityHousehold>()(S.SetHouseholdInput, ['AUTH.FORBIDDEN', 'HOUSEHOLD.NOT_FOUND']),
  /** One building's household codes, to print and hand out (only the community's coordinator). */
  'coord.householdCodes': action<HouseholdCodes>()(S.HouseholdCodesInput, ['AUTH.FORBIDDEN', 'BUILDING.NOT_FOUND']),
  /** One building's QR door badges (二维码胸牌), issuing the missing ones; no names or phones. */
  'coord.householdBadges': action<HouseholdBadges>()(RS.HouseholdBadgesInput, ['AUTH.FORBIDDEN', 'BUILDING.NOT_FOUND']),
  /** A new badge code for one household of the coordinator's community; the old card stops working. */
  'coord.reissueBadge': action<HouseholdBadge>()(RS.ReissueBadgeInput, ['AUTH.FORBIDDEN', 'HOUSEHOLD.NOT_FOUND']),
  'coord.followups': action<Followups>()(S.Empty, ['AUTH.FORBIDDEN']),
  /** 台账: every order of the community by date, building, type, status, worker; 50 rows a page. */
  'coord.ledger': action<LedgerPage>()(S.LedgerInput, ['AUTH.FORBIDDEN', 'LEDGER.BAD_RANGE']),
  /** The same filter as an XLSX file behind a short-lived link (cloud storage / the host). */
  'coord.exportLedger': action<LedgerExport>()(S.ExportLedgerInput, ['AUTH.FORBIDDEN', 'LEDGER.BAD_RANGE', 'LEDGER.TOO_LARGE', 'EXPORT.UNAVAILABLE']),
  /** CSV import of the register (household/import.ts): all rows or none; dryRun previews. */
  'coord.importHouseholds': action<ImportResult>()(RS.ImportHouseholdsInput, [
    'AUTH.FORBIDDEN',
    'IMPORT.INVALID',
    'IMPORT.BAD_HEADER',
    'IMPORT.EMPTY',
    'IMPORT.TOO_MANY_ROWS',
    'IMPORT.UNREADABLE',
  ]),
  /** One building's doors by unit and floor, coloured by status, with needs and open orders. */
  'coord.buildingMap': action<BuildingMap>()(RS.BuildingMapInput, ['AUTH.FORBIDDEN', 'BUILDING.NOT_FOUND']),
  'coord.resolveFollowup': action<OrderView>()(S.ResolveFollowupInput, [
    'AUTH.FORBIDDEN',
    'ORDER.NOT_FOUND',
    'ORDER.CONFLICT',
    'FOLLOWUP.NOT_NEEDED',
    'FOLLOWUP.ALREADY_DONE',
  ]),
  /** Claim and delivery deadlines (minutes) for the coordinator's community; applies to orders placed from now on. */
  'coord.setDeadlines': action<DeadlinesView>()(S.SetDeadlinesInput, ['AUTH.FORBIDDEN']),
  /** Take a member off the squad: what they held goes back to the board; idempotent. */
  'squad.deactivate': action<DeactivateView>()(S.DeactivateInput, [
    'AUTH.FORBIDDEN',
    'SQUAD.NOT_MEMBER',
    'SQUAD.NOT_YOUR_COMMUNITY',
    'SQUAD.CANNOT_DEACTIVATE_SELF',
  ]),
  /** Grids (网格): buildings, workers and workload (open orders, delivered today) of each; the unassigned. */
  'coord.grids': action<GridsView>()(S.Empty, ['AUTH.FORBIDDEN']),
  /** Create (no gridId) or update a grid: its name, buildings (each in exactly one grid) and workers. */
  'coord.setGrid': action<GridsView>()(S.SetGridInput, ['AUTH.FORBIDDEN', 'GRID.NOT_FOUND']),
  /** Days after a released household's end date before its names, phones and notes are anonymised (7–365). */
  'coord.setRetention': action<{ days: number }>()(S.SetRetentionInput, ['AUTH.FORBIDDEN']),
  /** 操作记录: who changed what in the coordinator's community, newest first, 30 a page (core/audit.ts). */
  'coord.audit': action<AuditPage>()(S.AuditInput, ['AUTH.FORBIDDEN']),
  'robot.list': action<RobotList>()(S.Empty, ['AUTH.FORBIDDEN']),
  'robot.set': action<RobotView>()(NS.RobotSetInput, ['AUTH.FORBIDDEN', 'ROBOT.UNKNOWN_SCOPE', 'ROBOT.URL_NOT_ALLOWED']),
  'robot.test': action<Queued>()(NS.RobotScopeInput, ['AUTH.FORBIDDEN', 'ROBOT.UNKNOWN_SCOPE', 'ROBOT.NOT_CONFIGURED']),
  'robot.notice': action<Queued>()(NS.RobotNoticeInput, ['AUTH.FORBIDDEN', 'ROBOT.UNKNOWN_SCOPE', 'NOTIFY.PRIVATE_DATA']),
  /** 复制群公告: privacy-checked paste-ready text for groups without a robot (coordinator or squad). */
  'notify.announcement': action<{ text: string }>()(NS.AnnouncementInput, ['AUTH.FORBIDDEN', 'NOTIFY.PRIVATE_DATA']),
  'robot.log': action<RobotLog>()(NS.RobotLogInput, ['AUTH.FORBIDDEN', 'ROBOT.UNKNOWN_SCOPE']),

  // bulk distributions (社区发放): one task per household of the chosen buildings (usecases/campaigns.ts)
  'campaign.create': action<CampaignView>()(CS.CampaignCreateInput, [
    'AUTH.FORBIDDEN',
    'CAMPAIGN.NO_HOUSEHOLDS',
    'CAMPAIGN.UNKNOWN_BUILDING',
    'CAMPAIGN.SLOT_TOO_LATE',
  ]),
  'campaign.list': action<CampaignList>()(S.Empty, ['AUTH.FORBIDDEN']),
  'campaign.get': action<CampaignView>()(CS.CampaignIdInput, ['AUTH.FORBIDDEN', 'CAMPAIGN.NOT_FOUND']),
  'campaign.tasks': action<CampaignTaskList>()(CS.CampaignTasksInput, ['AUTH.FORBIDDEN', 'CAMPAIGN.NOT_FOUND']),
  'campaign.tick': action<CampaignView>()(CS.CampaignTickInput, [
    'AUTH.FORBIDDEN',
    'CAMPAIGN.NOT_FOUND',
    'CAMPAIGN.TASK_NOT_FOUND',
    'CAMPAIGN.TASK_DECLINED',
    'CAMPAIGN.CONFLICT',
  ]),
  'campaign.untick': action<CampaignView>()(CS.CampaignTickInput, [
    'AUTH.FORBIDDEN',
    'CAMPAIGN.NOT_FOUND',
    'CAMPAIGN.TASK_NOT_FOUND',
    'CAMPAIGN.TASK_DECLINED',
    'CAMPAIGN.CONFLICT',
  ]),
  /** A resident says 不需要 for their household (householdId: which, when they have several). */
  'campaign.decline': action<MyCampaigns>()(CS.CampaignDeclineInput, [
    'HOUSEHOLD.NONE_BOUND',
    'HOUSEHOLD.NOT_MEMBER',
    'CAMPAIGN.NOT_FOUND',
    'CAMPAIGN.TASK_NOT_FOUND',
    'CAMPAIGN.ALREADY_DELIVERED',
    'CAMPAIGN.CONFLICT',
  ]),
  /** The resident's cards: campaigns for their households. */
  'campaign.mine': action<MyCampaigns>()(S.Empty, ['HOUSEHOLD.NONE_BOUND']),
} as const

export type Contract = typeof CONTRACT
export type ActionName = keyof Contract
export type InputOf<A extends ActionName> = v.InferInput<Contract[A]['input']>
export type ParsedInputOf<A extends ActionName> = v.InferOutput<Contract[A]['input']>
export type OutputOf<A extends ActionName> = Contract[A] extends ActionDef<v.GenericSchema, infer O> ? O : never

export const ACTION_NAMES = Object.keys(CONTRACT) as ActionName[]
export const isActionName = (s: unknown): s is ActionName =>
  typeof s === 'string' && Object.prototype.hasOwnProperty.call(CONTRACT, s)

/** The envelope every call answers with, on every transport. */
export type Result<T> =
  | { ok: true; data: T }
  | { ok: false; code: ErrorCode; message: string; fields?: Record<string, string>; details?: Record<string, unknown> }
