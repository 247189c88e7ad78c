/** What every use case gets: the store, a clock, and a logger. Built once per process. */
import type { Store } from './ports'
import type { Logger } from './log'

export interface Deps {
  store: Store
  now(): number
  log: Logger
}
