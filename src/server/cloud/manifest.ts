/**
 * The cloud database, declared once: every collection the `api` function uses, the indexes that
 * serve its queries, and the security rule each carries. `npm run setup:cloud` applies it
 * (scripts/setup-cloud.ts); the adapters take their collection names from COLLECTIONS; and
 * tests/server/cloud-manifest.test.ts proves that every collection the adapters touch is listed
 * with a closed rule and that every query they send is served by a listed index.
 *
 * Rules: the cloud function runs with admin rights and is not subject to them. Mini-program users
 * are: every collection is closed (`read: false, write: false`) except `order_signals`, which the
 * mini program watches (client/live.ts) and which holds nothing personal (ids, status, version).
 */

/** Every collection, by the name the adapters use. */
export const COLLECTIONS = {
  orders: 'orders',
  households: 'households',
  people: 'people',
  communities: 'communities',
  attempts: 'attempts',
  invites: 'squad_invites',
  notifications: 'notifications',
  inbox: 'inbox',
  robots: 'robots',
  robotPosts: 'robot_posts',
  consents: 'consents',
  orderSignals: 'order_signals',
  dayFigures: 'day_figures',
  setupClaims: 'setup_claims',
  campaigns: 'campaigns',
  campaignTasks: 'campaign_tasks',
  audit: 'audit',
} as const

export type CollectionKey = keyof typeof COLLECTIONS
export type CollectionName = (typeof COLLECTIONS)[CollectionKey]

/** A CloudBase security rule: a boolean or an expression over `auth` and `doc`. */
export interface SecurityRule {
  read: boolean | string
  write: boolean | string
}

export const CLOSED: SecurityRule = { read: false, write: false }

export interface IndexKey {
  field: string
  direction: 1 | -1
}

export interface IndexSpec {
  /** Index name on CloudBase (letters, digits, underscores). */
  name: string
  keys: IndexKey[]
  unique?: boolean
  /** The query it serves, in words (adapter and method). */
  serves: string
}

export interface CollectionSpec {
  name: CollectionName
  /** What the collection holds. */
  holds: string
  rule: SecurityRule
  indexes: IndexSpec[]
}

/**
 * `order_signals` is readable by a signed-in person only for the records of their own community
 * (squad or coordinator) or their own households. `people` has `_id` = OPENID. A watch's condition
 * must be a subset of the rule: client/live.ts watches `{ communityId, status }` or `{ householdId }`.
 * A community's records carry no household id and a household's records no community id
 * (live/cloud-signals.ts): the squad's branch never reaches a record that names a door.
 */
export const ORDER_SIGNALS_RULE: SecurityRule = {
  read:
    'auth.openid != null && (get(`database.people.${auth.openid}`).squadOf == doc.communityId || ' +
    'get(`database.people.${auth.openid}`).coordinatorOf == doc.communityId || ' +
    'doc.householdId in get(`database.people.${auth.openid}`).households)',
  write: false,
}

const asc = (field: string): IndexKey => ({ field, direction: 1 })
const desc = (field: string): IndexKey => ({ field, direction: -1 })
/** Newest first, ties by `_id`: the order of every paged list (adapters/cloudbase-records.ts). */
const NEWEST = [desc('createdAt'), desc('_id')]

/**
 * Every query the adapters send is served by one of these (or by `_id`, which CloudBase indexes
 * itself): equality fields first, then the sort fields with the sort's directions. Queries by `_id`
 * (reads by id, compare-and-set updates, add, doc().set()) need nothing here.
 * tests/server/cloud-manifest.test.ts checks every recorded query against this list.
 */
export const DATABASE_MANIFEST: readonly CollectionSpec[] = [
  {
    name: COLLECTIONS.orders,
    holds: 'orders with their timeline (and, briefly, their outbox)',
    rule: CLOSED,
    indexes: [
      { name: 'community_time', keys: [asc('communityId'), ...NEWEST], serves: "orders.list({ communityId }): a coordinator's figures and follow-ups, the timed jobs" },
      { name: 'community_status_time', keys: [asc('communityId'), asc('status'), ...NEWEST], serves: 'orders.list({ communityId, statuses }): the squad board, overdue alerts, the daily summary' },
      { name: 'household_time', keys: [asc('householdId'), ...NEWEST], serves: "orders.list({ householdIds }): a resident's orders (order.mine)" },
      { name: 'holder_status_time', keys: [asc('holder.id'), asc('status'), ...NEWEST], serves: "orders.list({ holderId, statuses }), holder branch: a squad member's tasks" },
      { name: 'partner_status_time', keys: [asc('partner.id'), asc('status'), ...NEWEST], serves: "orders.list({ holderId, statuses }), partner branch: tasks a squad member helps with" },
      {
        name: 'board',
        keys: [asc('communityId'), asc('status'), asc('urgency'), asc('boardAt'), asc('_id')],
        serves: "orders.board: the squad board's pages (pending, overdue then not, urgent then normal, by boardAt) and its overdue count (core/order/board-page.ts)",
      },
      { name: 'outbox_pending', keys: [asc('outboxPending')], serves: 'notifications.relay(): orders whose embedded outbox still has to be copied' },
      {
        name: 'orders_watch',
        keys: [asc('status'), asc('watchAt')],
        serves: 'cloudbase orders.listDue: open orders whose next deadline has passed, earliest first (timer job, every minute)',
      },
    ],
  },
  {
    name: COLLECTIONS.households,
    holds: 'the household register: door, code, isolation, needs, contact',
    rule: CLOSED,
    indexes: [
      {
        name: 'community_released_end',
        keys: [asc('communityId'), asc('isolation'), asc('anonymisedAt'), asc('endDate'), asc('_id')],
        serves: 'cloudbase-retention dueHouseholds: released households past the retention days, not yet anonymised (the timer)',
      },
      { name: 'code', keys: [asc('code')], unique: true, serves: 'households.findByCode(code): a resident binding their household (household.join); cloudbase-register codesTaken. Unique: two imports at once cannot hand out the same code' },
      { name: 'community_id', keys: [asc('communityId'), asc('_id')], serves: "households.listByCommunity(communityId): the register, paged by _id" },
      { name: 'badge', keys: [asc('badge')], serves: 'households.findByBadge(badge): a squad member scanning a QR door badge (squad.badgeLookup). Not unique: records without a badge lack the field; the issuer checks a new code is free' },
      { name: 'community_building_id', keys: [asc('communityId'), asc('buildingId'), asc('_id')], serves: 'cloudbase-register listByBuilding (building map, CSV import matching doors)' },
    ],
  },
  {
    name: COLLECTIONS.people,
    holds: 'people by OPENID: name, phone, households, squad and coordinator standing',
    rule: CLOSED,
    indexes: [
      { name: 'households_id', keys: [asc('households'), asc('_id')], serves: "people.listByHousehold(householdId) (households is an array: a multikey index): a household's members to notify" },
      { name: 'squad_id', keys: [asc('squadOf'), asc('_id')], serves: "people.listSquad(communityId): the squad's members" },
      {
        name: 'people_coordinator',
        keys: [
          { field: 'coordinatorOf', direction: 1 },
          { field: '_id', direction: 1 },
        ],
        serves: 'cloudbase people.listCoordinators: who to tell about an overdue order (timer job)',
      },
      {
        name: 'people_former_squad',
        keys: [
          { field: 'squadFormerOf', direction: 1 },
          { field: '_id', direction: 1 },
        ],
        serves: 'cloudbase people.listFormerSquad: members a coordinator deactivated (squad.members, 已停用)',
      },
    ],
  },
  { name: COLLECTIONS.communities, holds: 'communities: buildings, grids, catalog settings, parcel hold', rule: CLOSED, indexes: [] },
  {
    name: COLLECTIONS.attempts,
    holds: 'attempt counters for rate limits (wrong household codes)',
    rule: CLOSED,
    indexes: [{ name: 'key_bucket', keys: [asc('key'), desc('bucket')], serves: "attempts.list(key, since): a key's recent counters, newest bucket first" }],
  },
  {
    name: COLLECTIONS.invites,
    holds: 'squad invite codes',
    rule: CLOSED,
    indexes: [{ name: 'community_time', keys: [asc('communityId'), ...NEWEST], serves: "invites.listByCommunity(communityId): a coordinator's recent invites (squad.invites)" }],
  },
  {
    name: COLLECTIONS.notifications,
    holds: 'the notification outbox and its record',
    rule: CLOSED,
    indexes: [
      { name: 'order_id', keys: [asc('orderId')], serves: 'cloudbase-retention scrubMessages: the queued notifications about an anonymised household\'s orders' },
      { name: 'due', keys: [asc('status'), asc('nextAt'), asc('_id'), asc('leaseUntil')], serves: 'notifications.claim(): pending records that are due and not leased, oldest due first (the dispatcher)' },
      { name: 'due_channel', keys: [asc('status'), asc('channel'), asc('nextAt'), asc('_id'), asc('leaseUntil')], serves: 'notifications.claim({ channel }): the same for one channel' },
      { name: 'community_time', keys: [asc('communityId'), ...NEWEST], serves: "notifications.list({ communityId }): a community's notifications of every channel" },
      { name: 'community_channel_time', keys: [asc('communityId'), asc('channel'), ...NEWEST], serves: "notifications.list({ communityId, channel }): the robot log (robot.log)" },
      { name: 'community_channel_to_time', keys: [asc('communityId'), asc('channel'), asc('to'), ...NEWEST], serves: "notifications.list({ communityId, channel, to }): one group's robot log (robot.log with a scope)" },
    ],
  },
  {
    name: COLLECTIONS.inbox,
    holds: 'in-app messages (消息) per person',
    rule: CLOSED,
    indexes: [
      { name: 'order_id', keys: [asc('orderId')], serves: 'cloudbase-retention scrubMessages: the inbox items about an anonymised household\'s orders' },
      { name: 'user_time', keys: [asc('userId'), ...NEWEST], serves: "inbox.list(userId): a person's messages (inbox.list)" },
      { name: 'user_unread', keys: [asc('userId'), asc('readAt')], serves: 'inbox.unread(userId) (a count) and inbox.markRead(userId, "all"): unread items have readAt null' },
    ],
  },
  {
    name: COLLECTIONS.robots,
    holds: 'WeCom robot webhook URLs per community scope (secrets)',
    rule: CLOSED,
    indexes: [{ name: 'community_id', keys: [asc('communityId'), asc('_id')], serves: "robots.list(communityId): a community's robots (robot.list, the timed jobs)" }],
  },
  { name: COLLECTIONS.robotPosts, holds: 'recent robot posts (the 20-per-minute window)', rule: CLOSED, indexes: [] },
  {
    name: COLLECTIONS.consents,
    holds: 'subscribe-message consents left per person and template',
    rule: CLOSED,
    indexes: [{ name: 'user_id', keys: [asc('userId'), asc('_id')], serves: "consents.counts(userId): a person's consents left per template" }],
  },
  {
    name: COLLECTIONS.orderSignals,
    holds: 'order change signals (ids, status, version; nothing personal)',
    rule: ORDER_SIGNALS_RULE,
    indexes: [
      { name: 'community_status', keys: [asc('communityId'), asc('status')], serves: "the mini program's watch where({ communityId, status: _.in(active) }) (client/live.ts): squad and coordinator pages" },
      { name: 'household', keys: [asc('householdId')], serves: "the mini program's watch where({ householdId }) (client/live.ts): a resident's pages" },
    ],
  },
  {
    name: COLLECTIONS.dayFigures,
    holds: "the coordinator's figures of settled days (counts and rates only)",
    rule: CLOSED,
    indexes: [{ name: 'community_date', keys: [asc('communityId'), asc('date')], serves: 'figures.get(communityId, dates): the kept days of the 14-day view (coord.stats)' }],
  },
  { name: COLLECTIONS.setupClaims, holds: 'one-time setup codes taken (SHA-256 of the code, who, when)', rule: CLOSED, indexes: [] },
  {
    name: COLLECTIONS.campaigns,
    holds: 'bulk distributions (社区发放) with their counters per campaign, building and unit',
    rule: CLOSED,
    indexes: [
      { name: 'community_created', keys: [{ field: 'communityId', direction: 1 }, { field: 'createdAt', direction: -1 }, { field: '_id', direction: -1 }], serves: 'cloudbase-campaigns listByCommunity' },
      {
        name: 'community_status_created',
        keys: [{ field: 'communityId', direction: 1 }, { field: 'status', direction: 1 }, { field: 'createdAt', direction: -1 }, { field: '_id', direction: -1 }],
        serves: 'cloudbase-campaigns listByCommunity with a status (the squad: open ones)',
      },
      { name: 'status_created', keys: [{ field: 'status', direction: 1 }, { field: 'createdAt', direction: 1 }, { field: '_id', direction: 1 }], serves: 'cloudbase-campaigns listCreating (the timer resumes them)' },
    ],
  },
  {
    name: COLLECTIONS.campaignTasks,
    holds: 'one task per household of a campaign: door (building, unit, floor, room) and status; no names or phones',
    rule: CLOSED,
    indexes: [
      {
        name: 'campaign_building_unit',
        keys: [{ field: 'campaignId', direction: 1 }, { field: 'buildingId', direction: 1 }, { field: 'unit', direction: 1 }, { field: '_id', direction: 1 }],
        serves: 'cloudbase-campaigns listTasks with a unit (the squad, unit by unit)',
      },
      { name: 'campaign_building_id', keys: [asc('campaignId'), asc('buildingId'), asc('_id')], serves: 'cloudbase-campaigns listTasks of a whole building' },
      { name: 'household_created', keys: [{ field: 'householdId', direction: 1 }, { field: 'createdAt', direction: -1 }, { field: '_id', direction: -1 }], serves: 'cloudbase-campaigns listTasksOfHouseholds' },
      { name: 'pending_count_at', keys: [{ field: 'pendingCount.at', direction: 1 }], serves: 'cloudbase-campaigns repairCounts (counter moves a killed call left owing)' },
    ],
  },
  {
    name: COLLECTIONS.audit,
    holds: "the audit log (操作记录): who changed what, a short summary naming doors, never residents' names, phones or notes; append-only",
    rule: CLOSED,
    indexes: [
      { name: 'community_created', keys: [{ field: 'communityId', direction: 1 }, { field: 'createdAt', direction: -1 }, { field: '_id', direction: -1 }], serves: 'cloudbase-audit list (coord.audit, newest first)' },
      {
        name: 'community_kind_created',
        keys: [{ field: 'communityId', direction: 1 }, { field: 'kind', direction: 1 }, { field: 'createdAt', direction: -1 }, { field: '_id', direction: -1 }],
        serves: 'cloudbase-audit list of one kind (coord.audit with a filter)',
      },
    ],
  },
]

/**
 * Cloud storage (photos of restored door seals and medicine boxes): 仅创建者及管理员可读写. Pages
 * never use a fileID directly; they ask the function (photo.url) for a 10-minute link.
 */
export const STORAGE_RULE: SecurityRule = {
  read: 'resource.openid == auth.openid',
  write: 'resource.openid == auth.openid',
}
