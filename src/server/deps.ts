/** What every use case gets: the store, a clock, and a logger. Built once per process. */
import type { AttemptRepo, ExportFiles, PhotoLinks, Store } from './ports'
import type { Logger } from './log'
import type { NotifyRuntime } from './notify/config'
import type { EventSink } from './live/bus'

export interface Deps {
  store: Store
  now(): number
  log: Logger
  /** Notification settings and the dispatcher's kick; absent → cloud-strict defaults, no kick. */
  notify?: NotifyRuntime
  /** Order changes, published after a successful write (live/bus.ts); absent → nobody listens. */
  events?: EventSink
  /** Short-lived links to stored photos; absent → photo.url answers PHOTO.UNAVAILABLE. */
  photos?: PhotoLinks
  /** Where exported files go (coord.exportLedger); absent → EXPORT.UNAVAILABLE. */
  exports?: ExportFiles
  /**
   * The one-time code that lets community.setup create a community (cloud: env ZJ_SETUP_CODE; local
   * host: made on an empty store with ZJ_DEMO=0); absent → community.setup answers SETUP.DISABLED.
   */
  setupCode?: string
  /**
   * Where the api's rate-limit windows are counted (core/rate-limit.ts). Absent → the store's
   * attempts, shared by every cloud function instance. The local host is one process and counts them
   * in memory (adapters/memory-attempts.ts): a restart forgets at most one window, never an order.
   */
  rates?: AttemptRepo
}
