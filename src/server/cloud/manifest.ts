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
  campaigns: 'campaigns',
  campaignTasks: 'campaign_tasks',
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
 */
export const ORDER_SIGNALS_RULE: SecurityRule = {
  read:
    'auth.openid != null && (get(`database.people.${auth.openid}`).squadOf == doc.communityId || ' +
    'get(`database.people.${auth.openid}`).coordinatorOf == doc.communityId || ' +
    'doc.householdId in get(`database.people.${auth.openid}`).households)',
  write: false,
}

/** Indexes are filled in from the queries the adapters send (see the manifest test). */
export const DATABASE_MANIFEST: readonly CollectionSpec[] = [
  { name: COLLECTIONS.orders, holds: 'orders with their timeline (and, briefly, their outbox)', rule: CLOSED, indexes: [] },
  { name: COLLECTIONS.households, holds: 'the household register: door, code, isolation, needs, contact', rule: CLOSED, indexes: [] },
  { name: COLLECTIONS.people, holds: 'people by OPENID: name, phone, households, squad and coordinator standing', rule: CLOSED, indexes: [] },
  { name: COLLECTIONS.communities, holds: 'communities: buildings, grids, catalog settings, parcel hold', rule: CLOSED, indexes: [] },
  { name: COLLECTIONS.attempts, holds: 'attempt counters for rate limits (wrong household codes)', rule: CLOSED, indexes: [] },
  { name: COLLECTIONS.invites, holds: 'squad invite codes', rule: CLOSED, indexes: [] },
  { name: COLLECTIONS.notifications, holds: 'the notification outbox and its record', rule: CLOSED, indexes: [] },
  { name: COLLECTIONS.inbox, holds: 'in-app messages (消息) per person', rule: CLOSED, indexes: [] },
  { name: COLLECTIONS.robots, holds: 'WeCom robot webhook URLs per community scope (secrets)', rule: CLOSED, indexes: [] },
  { name: COLLECTIONS.robotPosts, holds: 'recent robot posts (the 20-per-minute window)', rule: CLOSED, indexes: [] },
  { name: COLLECTIONS.consents, holds: 'subscribe-message consents left per person and template', rule: CLOSED, indexes: [] },
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
        serves: 'cloudbase-campaigns listTasks (with or without a unit)',
      },
      { name: 'household_created', keys: [{ field: 'householdId', direction: 1 }, { field: 'createdAt', direction: -1 }, { field: '_id', direction: -1 }], serves: 'cloudbase-campaigns listTasksOfHouseholds' },
      { name: 'pending_count_at', keys: [{ field: 'pendingCount.at', direction: 1 }], serves: 'cloudbase-campaigns repairCounts (counter moves a killed call left owing)' },
    ],
  },
  { name: COLLECTIONS.orderSignals, holds: 'order change signals (ids, status, version; nothing personal)', rule: ORDER_SIGNALS_RULE, indexes: [] },
]

/**
 * Cloud storage (photos of restored door seals and medicine boxes): 仅创建者及管理员可读写. Pages
 * never use a fileID directly; they ask the function (photo.url) for a 10-minute link.
 */
export const STORAGE_RULE: SecurityRule = {
  read: 'resource.openid == auth.openid',
  write: 'resource.openid == auth.openid',
}
