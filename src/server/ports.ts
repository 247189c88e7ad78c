/**
 * Storage port: the only way use cases touch data. Adapters: adapters/sqlite.ts (local host, tests)
 * and adapters/cloudbase.ts (WeChat Cloud Development). tests/store.contract.test.ts runs one suite
 * against both.
 */
import type { Order, OrderStatus } from '../core/order/types'
import type { Channel, InboxItem, Notification, RobotConfig } from '../core/notify/types'
import type { Prefs } from '../core/prefs'
import type { ExtraItem } from '../core/catalog'
import type { IsolationStatusName } from '../core/household/register'
import type { DayFigures } from '../core/figures'
import type { DeadlineSettings } from '../core/order/schedule'
import type { Campaign, CampaignTask, TaskStatus } from '../core/campaign/types'
import type { AuditEntry, AuditKind } from '../core/audit'

export interface Building {
  id: string
  name: string
  /** The grid (网格) it belongs to: one of the community's grids (exactly one). */
  gridId: string
}

/** A grid (网格): a named group of buildings looked after by some squad members (Person.squadGridId). */
export interface Grid {
  id: string
  name: string
}

export interface Community {
  id: string
  /**
   * Counts the community's writes through `communities.update` (absent: never updated that way, 0):
   * each settings change is a compare-and-set on it, so two coordinators saving different settings
   * at once both keep their change.
   */
  revision?: number
  name: string
  buildings: Building[]
  /** Parcels from outside wait this long after disinfection (minutes). */
  parcelHoldMinutes: number
  /** Catalog item ids the community has none of right now (暂缺); absent: none. */
  soldOut?: string[]
  /** Items its coordinator added to the default catalog (core/catalog.ts communityCatalog). */
  extraItems?: ExtraItem[]
  /** Claim and delivery deadlines (coord.setDeadlines); absent → DEFAULT_DEADLINES. */
  deadlines?: DeadlineSettings
  /**
   * Named grids (coord.setGrid). Absent on communities stored before grids had names: read them
   * through communityGrids() (core/grids.ts), which names each gridId its buildings use.
   */
  grids?: Grid[]
  /** Days after a released household's end date before it is anonymised (coord.setRetention); absent → 30. */
  retentionDays?: number
  /** 社区服务中心电话 (coord.setServicePhone): told to a resident locked out of binding. Absent: not set. */
  servicePhone?: string
  createdAt: number
}

export type IsolationStatus = IsolationStatusName

export interface Household {
  id: string
  communityId: string
  buildingId: string
  building: string
  unit: number
  floor: number
  room: string
  /** Printed on the isolation notice; binds a WeChat identity to the household. */
  code: string
  isolation: IsolationStatus
  /** e.g. 独居老人, 低血糖, 不会做饭 */
  specialNeeds: string[]
  residentName: string
  phone: string
  /** Isolation or monitoring from / until ('YYYY-MM-DD', Beijing days); absent: not recorded. */
  startDate?: string
  endDate?: string
  /** People living there (1–20); absent on households stored before it existed: read as 1. */
  headcount?: number
  /** 门磁/封门: the door is sealed (the squad leaves things outside and calls). Absent: false. */
  doorSealed?: boolean
  /** When retention anonymised it (core/retention.ts): names, phones and notes gone. Absent: not anonymised. */
  anonymisedAt?: number
  /**
   * The QR door badge's code (core/household/badge.ts), apart from `code`: it only lets the
   * community's squad find the door. Absent until the coordinator first prints the badges.
   */
  badge?: string
}

export interface Person {
  /** OPENID on WeChat; the demo id on the local host. */
  id: string
  name: string
  phone: string
  households: string[]
  squadOf: string | null
  /** The grid (网格) a squad member looks after, one of the community's buildings' gridId; absent: none. */
  squadGridId?: string | null
  /**
   * When a coordinator took this person off the squad (squad.deactivate); squadOf is then null and
   * squadFormerOf names the community, so its coordinator still lists them as 已停用 and a new
   * invite brings them back (joining clears both).
   */
  squadDeactivatedAt?: number
  squadFormerOf?: string
  coordinatorOf: string | null
  createdAt: number
  /**
   * UI preferences (me.setPrefs). Absent on people stored before prefs existed and until they
   * first set one: read them through effectivePrefs() (core/prefs.ts), which fills in defaults.
   */
  prefs?: Prefs
}

export interface Page<T> {
  items: T[]
  /** Opaque cursor for the next page, null when this is the last. */
  next: string | null
}

/** Every store query is paged at ≤ 100 items (the cloud database's own ceiling). */
export const MAX_PAGE = 100

/**
 * Filters combine with AND. The combinations in use, each served by a cloud index
 * (cloud/manifest.ts; tests/server/cloud-manifest.test.ts fails on a new one): { communityId },
 * { communityId, statuses }, { householdIds }, { holderId, statuses }. Another combination works
 * on both adapters but needs its index in the manifest before it ships.
 */
export interface OrderQuery {
  communityId?: string
  householdIds?: string[]
  statuses?: OrderStatus[]
  holderId?: string
  /** Placed at or after this instant (epoch ms). */
  createdFrom?: number
  /** Placed before this instant (epoch ms). */
  createdBefore?: number
  limit?: number
  cursor?: string | null
}

/** The squad board's read (orders.board): a community's waiting orders in the board's order. */
export interface BoardQuery {
  communityId: string
  /** Splits overdue from not (core/order/board-page.ts); a cursor's own instant takes its place. */
  now: number
  limit?: number
  /** From the previous page; null or absent for the first. One that does not decode starts over. */
  cursor?: string | null
}

export interface BoardPage extends Page<Order> {
  /** The community's waiting orders, all of them (not just this page). */
  total: number
  /** How many of them are overdue at the page's instant. */
  overdue: number
}

export interface OrderRepo {
  /**
   * Inserts unless an order with this id exists; returns the stored order and whether it is new.
   * `outbox`: notifications written atomically with the order, only when it is created.
   */
  insert(order: Order, outbox?: readonly Notification[]): Promise<{ order: Order; created: boolean }>
  get(id: string): Promise<Order | null>
  /**
   * Compare-and-set: writes `next` only if the stored order still has `expect`'s status and version.
   * `outbox`: notifications written atomically with `next`, only when the write happens (a lost
   * race writes neither). SQLite: one transaction. CloudBase: embedded in the same document update
   * and moved to the notifications collection by NotificationRepo.relay().
   * Inbox notices in an outbox reach the inbox exactly once either way: SQLite writes the inbox item
   * in the same transaction and keeps no notification record for it (nothing is left to send);
   * CloudBase queues them like the rest and the dispatcher delivers them (store contract:
   * `AdapterTraits.inboxWithOrder`).
   */
  update(next: Order, expect: { status: OrderStatus; version: number }, outbox?: readonly Notification[]): Promise<boolean>
  /** Newest first (createdAt, then id, descending). */
  list(q: OrderQuery): Promise<Page<Order>>
  /**
   * One page of the squad board: the community's pending orders, overdue first, then urgent,
   * then by board deadline, then id (core/order/board-page.ts), each page from an index range.
   */
  board(q: BoardQuery): Promise<BoardPage>
  /**
   * The timer job's bounded read, across all communities: open orders whose next deadline to watch
   * (watchAt, core/order/deadlines.ts) is at or before `now`, earliest first, at most `limit`.
   */
  listDue(now: number, limit?: number): Promise<Order[]>
}

export interface HouseholdRepo {
  get(id: string): Promise<Household | null>
  findByCode(code: string): Promise<Household | null>
  /** The household whose current badge code this is (badges are unique; a reissued code finds nothing). */
  findByBadge(badge: string): Promise<Household | null>
  listByCommunity(communityId: string, page?: { limit?: number; cursor?: string | null }): Promise<Page<Household>>
  put(h: Household): Promise<void>
}

/**
 * The register's bulk side (CSV import, building map): adapters/sqlite-register.ts and
 * adapters/cloudbase-register.ts. Households stay in the same table / collection as HouseholdRepo.
 */
export interface RegisterRepo {
  /** One building's households (pages of ≤ 100 underneath), at most `max`; sorted by id. */
  listByBuilding(communityId: string, buildingId: string, max: number): Promise<Household[]>
  /** Which of these household codes are already taken (by any household of any community). */
  codesTaken(codes: readonly string[]): Promise<Set<string>>
  /**
   * Upserts many households (idempotent: a put replaces the record with the same id). SQLite: one
   * transaction. CloudBase: one `set` per record, a bounded number at a time; a retry after a
   * failure part-way writes the same records again.
   */
  putMany(hs: readonly Household[]): Promise<void>
}

export interface PersonRepo {
  get(id: string): Promise<Person | null>
  listByHousehold(householdId: string): Promise<Person[]>
  /** The community's delivery squad (squadOf = communityId), by id. */
  listSquad(communityId: string): Promise<Person[]>
  /** People the community's coordinator took off its squad (squadFormerOf = communityId), by id. */
  listFormerSquad(communityId: string): Promise<Person[]>
  /** The community's coordinators (coordinatorOf = communityId), by id. */
  listCoordinators(communityId: string): Promise<Person[]>
  put(p: Person): Promise<void>
}

/** A squad invite code a coordinator issued: single use, valid until `expiresAt`. */
export interface SquadInvite {
  code: string
  communityId: string
  createdBy: string
  createdAt: number
  expiresAt: number
  usedBy: string | null
  usedAt: number | null
}

export interface InviteRepo {
  /** Inserts unless the code exists; true when inserted. */
  insert(invite: SquadInvite): Promise<boolean>
  get(code: string): Promise<SquadInvite | null>
  /** Marks the code used by `personId` only if it is unused and `now` < expiresAt; true when this call did. */
  use(code: string, personId: string, now: number): Promise<boolean>
  /** The community's invites, newest first (at most `limit`, ≤ MAX_PAGE). */
  listByCommunity(communityId: string, limit?: number): Promise<SquadInvite[]>
}

/**
 * A setup code taken (community.setup), keyed by the code's SHA-256, never the code. It carries the
 * community it makes (id and plan), so the same caller's retry after a crash finishes that very job.
 */
export interface SetupClaim {
  codeHash: string
  personId: string
  claimedAt: number
  communityId: string
  plan: { name: string; buildings: { name: string; units: number; floors: number; roomsPerFloor: number }[] }
}

/**
 * One-time setup codes. `claim` is the single race-deciding write: insert-if-absent keyed by the
 * code's hash, so of any number of concurrent calls with one code exactly one gets true.
 */
export interface SetupRepo {
  /** Inserts the claim unless one exists for its codeHash; true when this call inserted it (nothing changes otherwise). */
  claim(c: SetupClaim): Promise<boolean>
  get(codeHash: string): Promise<SetupClaim | null>
}

export interface CommunityRepo {
  get(id: string): Promise<Community | null>
  /** Communities by id, at most `limit` (≤ MAX_PAGE): a deployment usually holds one. */
  list(limit?: number): Promise<Community[]>
  put(c: Community): Promise<void>
  /**
   * Writes `next` only if the stored community's revision is still `expectRevision` (absent counts
   * as 0); `next.revision` is expectRevision + 1. false: it changed in between (nothing written; read
   * it again and redo the change: usecases/community-change.ts).
   */
  update(next: Community, expectRevision: number): Promise<boolean>
}

/** One attempt counter: how many attempts `key` counted in the bucket starting at `bucket` (epoch ms). */
export interface AttemptCount {
  bucket: number
  count: number
}

/**
 * Attempt counters for rate limits (wrong household codes; core/household/join-limit.ts), one per
 * key and bucket. Kept apart from the person document, so counting never races a profile write.
 */
export interface AttemptRepo {
  /**
   * Adds `delta` (+1 counts an attempt, -1 gives one back) to the counter of (key, bucket), which
   * starts at 0, then returns the key's counters with bucket ≥ `since`, oldest first (at most
   * MAX_PAGE: the newest). Atomic: concurrent adds never lose an update, and the counters returned
   * include this add and every add that finished before this one started; adds running at the same
   * time may or may not be included (SQLite returns exactly the state right after this add).
   */
  add(key: string, bucket: number, delta: number, since: number): Promise<AttemptCount[]>
  /** The key's counters with bucket ≥ `since`, oldest first (at most MAX_PAGE: the newest). */
  list(key: string, since: number): Promise<AttemptCount[]>
}

export interface NotificationQuery {
  communityId: string
  channel?: Channel
  to?: string
  limit?: number
  cursor?: string | null
}

export interface ClaimRequest {
  now: number
  limit: number
  /** The lease lasts this long; a dispatcher that dies holding it loses it then. */
  leaseMs: number
  leaseId: string
  channel?: Channel
}

/** How a claimed notification ends this round. */
export type Settlement =
  | { state: 'sent'; at: number; merged?: number; via?: string }
  /** Back to pending at `nextAt`; `countAttempt` false for a rate-limit deferral. */
  | { state: 'retry'; nextAt: number; error: string; countAttempt: boolean; via?: string }
  | { state: 'failed' | 'skipped'; at: number; error: string; via?: string }

/** The outbox: notifications waiting to be sent, and the record of what was. */
export interface NotificationRepo {
  /** Adds notifications not written with an order (jobs, tests, notices). Idempotent on id; returns how many were new. */
  enqueue(ns: readonly Notification[]): Promise<number>
  /** Moves notifications embedded in order documents into the queue (CloudBase); 0 elsewhere. */
  relay(now: number): Promise<number>
  /** Leases up to `limit` pending notifications due at `now` and not leased, oldest due first. */
  claim(req: ClaimRequest): Promise<Notification[]>
  /** Ends a claimed notification's round; false when `leaseId` no longer holds it (nothing written). */
  settle(id: string, leaseId: string, s: Settlement): Promise<boolean>
  /** Subscribe: records that a consent was taken for it (while `leaseId` holds it). */
  markConsumed(id: string, leaseId: string): Promise<boolean>
  get(id: string): Promise<Notification | null>
  /** Newest first (createdAt, then id, descending). */
  list(q: NotificationQuery): Promise<Page<Notification>>
}

export interface InboxRepo {
  /** Idempotent on id; returns whether it was new. */
  put(item: InboxItem): Promise<boolean>
  /** Newest first. */
  list(userId: string, page?: { limit?: number; cursor?: string | null }): Promise<Page<InboxItem>>
  /** Marks the user's items read (only theirs); returns how many changed. */
  markRead(userId: string, ids: readonly string[] | 'all', at: number): Promise<number>
  /** Unread items, counted up to MAX_PAGE. */
  unread(userId: string): Promise<number>
}

/** Group robots per community scope (URLs are secrets) and each robot's recent posts. */
export interface RobotRepo {
  get(communityId: string, scope: string): Promise<RobotConfig | null>
  /** Every robot of a community, or of all communities when none is given. */
  list(communityId?: string): Promise<RobotConfig[]>
  put(r: RobotConfig): Promise<void>
  /** Posts made by the robot `key` within `windowMs` before `now`. */
  recentPosts(key: string, now: number, windowMs: number): Promise<number[]>
  /** Atomically records up to `want` posts at `now` while fewer than `max` fall within the window; returns how many. */
  takeSlots(key: string, now: number, want: number, max: number, windowMs: number): Promise<number>
}

/** Subscribe-message consents left per person and template (one consent allows one message). */
export interface ConsentRepo {
  /** Adds `n`; returns the new count. */
  grant(userId: string, template: string, n: number, now: number): Promise<number>
  /** Atomically takes one if any is left. */
  take(userId: string, template: string, now: number): Promise<boolean>
  counts(userId: string): Promise<Record<string, number>>
}

/**
 * Showing a stored photo: a short-lived link for one file, handed out only after the use case has
 * checked the viewer may see it. Cloud: cloud.getTempFileURL (storage stays private: 仅创建者及管理员
 * 可读写); local host: an HMAC-signed /api/photo link (host/photos.ts).
 */
export interface PhotoLinks {
  link(fileId: string, maxAgeSeconds: number): Promise<string>
  /**
   * Was this file really uploaded, into `folder` (core/photo.ts sealPhotoFolder), by `by`? The local
   * host answers from its uploads index (who uploaded which file, into which folder); the cloud from
   * storage (getTempFileURL: the file exists) and the path (`<folder>/…`), since storage does not
   * tell the function who uploaded a file. Throws when it cannot tell (storage unreachable).
   */
  uploaded(fileId: string, o: { folder: string; by: string }): Promise<boolean>
}

/**
 * The coordinator's figures of past days, kept once a day has settled (core/figures.ts isSettled),
 * so the 14-day view reads a few recent days of orders, not two weeks of them, on every call.
 */
export interface FiguresRepo {
  /** The kept figures of these dates (any order; missing dates are simply absent). */
  get(communityId: string, dates: readonly string[]): Promise<DayFigures[]>
  /** Keeps a day's figures (replaces what was kept for that date). */
  put(communityId: string, f: DayFigures): Promise<void>
}

/**
 * Files made for a coordinator to download (the ledger's XLSX): stored privately and handed out
 * through a short-lived link only. Cloud: cloud storage + getTempFileURL; host: a signed GET link.
 */
export interface ExportFiles {
  save(fileName: string, bytes: Uint8Array, maxAgeSeconds: number): Promise<string>
}

/**
 * Bulk distributions (社区发放): campaigns with their counters, one task per household.
 * Adapters: sqlite-campaigns.ts and cloudbase-campaigns.ts; suite: tests/store.campaign-contract.ts.
 */
export interface CampaignRepo {
  /** Inserts unless a campaign with this id exists; returns the stored one and whether it is new. */
  insert(c: Campaign): Promise<{ campaign: Campaign; created: boolean }>
  get(id: string): Promise<Campaign | null>
  /** The community's campaigns, newest first (createdAt, then id, descending); at most `limit` (≤ MAX_PAGE). */
  listByCommunity(communityId: string, opts?: { status?: Campaign['status']; limit?: number }): Promise<Campaign[]>
  /** Campaigns of any community still `creating`, oldest first (the timer resumes them). */
  listCreating(limit?: number): Promise<Campaign[]>
  /**
   * One page of creation: inserts `tasks` (ids that exist are left as they are) and, only if the
   * campaign's creation cursor is still `expectCursor`, moves it to `nextCursor`, adds the page's
   * tasks to creation.written and to the counters (writeDeltas), and sets status 'open' when `last`.
   * True when the cursor moved (this call accounted the page); false when another writer had.
   */
  writePage(campaignId: string, expectCursor: string | null, page: { tasks: CampaignTask[]; nextCursor: string | null; last: boolean }): Promise<boolean>
  getTask(id: string): Promise<CampaignTask | null>
  /**
   * Compare-and-set on the task's status: writes `to` (with at/by) only if the stored task is still
   * in `task.status`, and moves the campaign's counters by moveDeltas in the same write (SQLite: one
   * transaction; CloudBase: `_.inc` on the campaign right after the task's conditional update).
   * True when this call changed the task.
   */
  moveTask(task: CampaignTask, to: TaskStatus, at: number, by: string): Promise<boolean>
  /** A campaign's tasks of one building (and unit), by id; paged ≤ MAX_PAGE. */
  listTasks(q: { campaignId: string; buildingId: string; unit?: number; limit?: number; cursor?: string | null }): Promise<Page<CampaignTask>>
  /** Tasks of these households, newest first; at most `limit` (≤ MAX_PAGE). */
  listTasksOfHouseholds(householdIds: string[], limit?: number): Promise<CampaignTask[]>
  /**
   * Finishes counter moves that a moveTask started more than `olderThanMs` before `now` and never
   * completed (CloudBase: the function died between the task's write and the campaign's `_.inc`);
   * each counts exactly once. Returns how many it finished. SQLite writes both in one
   * transaction: always 0. `olderThanMs` must exceed the function's timeout.
   */
  repairCounts(now: number, olderThanMs: number, limit?: number): Promise<number>
}

/**
 * The audit log (操作记录): append-only, one entry per recorded change (core/audit.ts). Adapters:
 * sqlite-audit.ts and cloudbase-audit.ts; suite: tests/store.audit-contract.ts.
 */
export interface AuditRepo {
  /** Adds the entry; idempotent on id (a second append of the same id changes nothing). */
  append(e: AuditEntry): Promise<void>
  /** The community's entries, newest first (createdAt, then id, descending), optionally of one kind. */
  list(q: { communityId: string; kind?: AuditKind; limit?: number; cursor?: string | null }): Promise<Page<AuditEntry>>
}

/**
 * Retention's reads and bulk scrub (usecases/retention.ts): adapters/sqlite-retention.ts and
 * adapters/cloudbase-retention.ts; suite: tests/store.retention-contract.ts.
 */
export interface RetentionRepo {
  /** Communities after id `after` (exclusive), by id, at most `limit` (≤ MAX_PAGE): id and retention days only. */
  communities(after: string | null, limit: number): Promise<Pick<Community, 'id' | 'retentionDays'>[]>
  /**
   * The community's households released (isolation 'none') with an end date on or before
   * `endDateOnOrBefore` and not yet anonymised, oldest end date first (then id), at most `limit` (≤ MAX_PAGE).
   */
  dueHouseholds(communityId: string, endDateOnOrBefore: string, limit: number): Promise<Household[]>
  /**
   * Replaces title and body (and drops subscribe fields) of every queued notification and inbox
   * item about these orders; returns how many records changed. Idempotent.
   */
  scrubMessages(orderIds: readonly string[], text: { title: string; body: string }): Promise<number>
}

export interface Store {
  orders: OrderRepo
  figures: FiguresRepo
  households: HouseholdRepo
  register: RegisterRepo
  people: PersonRepo
  communities: CommunityRepo
  notifications: NotificationRepo
  inbox: InboxRepo
  robots: RobotRepo
  consents: ConsentRepo
  attempts: AttemptRepo
  invites: InviteRepo
  setup: SetupRepo
  campaigns: CampaignRepo
  audit: AuditRepo
  retention: RetentionRepo
  close(): Promise<void>
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return MAX_PAGE
  return Math.max(1, Math.min(MAX_PAGE, Math.floor(limit)))
}
