/**
 * Notifications on the local host: the dispatcher on an interval (with the timed jobs), an
 * immediate tick whenever a use case queues something (deps.notify.kick), and the webhook sink
 * that every group without a configured robot posts to. No subscribe messages here (no WeChat):
 * those records end 'skipped' (no_openapi); the inbox carries every notification.
 */
import type { Deps } from '../deps'
import { hostNotifyConfig, sinkName, type NotifyRuntime } from '../notify/config'
import { createDispatcher, type Dispatcher } from '../notify/dispatcher'
import type { RobotPoster } from '../notify/senders'
import { createRobotSink, type RobotSink } from './robot-sink'

const KICK_DELAY_MS = 25

export interface HostNotify {
  runtime: NotifyRuntime
  dispatcher: Dispatcher
  sink: RobotSink
  /** Starts the interval (call once the server listens, so the sink answers). */
  start(): void
  /** Stops the interval and waits for a running tick. */
  stop(): Promise<void>
}

export interface HostNotifyOptions {
  deps: Deps
  /** 'http://127.0.0.1:8080': where this host answers, for the default robot URLs. */
  sinkBase: () => string
  /** Communities the jobs cover (the demo community on the local host). */
  communities: string[]
  intervalMs?: number
  /**
   * A kick ticks the dispatcher this long after the first kick (default 25 ms): under a rush the
   * kicks of every write in that time share one round, instead of one round per event-loop turn.
   */
  kickDelayMs?: number
  postRobot?: RobotPoster
  env?: Record<string, string | undefined>
}

export function createHostNotify(o: HostNotifyOptions): HostNotify {
  const config = hostNotifyConfig({ sinkBase: o.sinkBase, communities: o.communities, env: o.env })
  const dispatcher = createDispatcher({ deps: o.deps, config, subscribe: null, ...(o.postRobot ? { postRobot: o.postRobot } : {}) })
  const sinkLabels = new Map<string, string>()
  const sink = createRobotSink({ now: o.deps.now, label: (name) => sinkLabels.get(name) ?? name })
  let timer: NodeJS.Timeout | null = null
  let kicked: NodeJS.Timeout | null = null
  let last: Promise<unknown> = Promise.resolve()

  const run = (jobs: boolean) => {
    last = dispatcher.tick({ jobs }).catch((e: unknown) => {
      o.deps.log.error('notify.tick.error', { error: e instanceof Error ? e.name : 'unknown' })
    })
    return last
  }

  // Friendly names for the groups page: '1号楼群 (demo)'.
  void (async () => {
    for (const id of o.communities) {
      const c = await o.deps.store.communities.get(id)
      if (!c) continue
      sinkLabels.set(sinkName(id, 'community'), `${c.name} 社区群`)
      sinkLabels.set(sinkName(id, 'coordinators'), `${c.name} 工作人员群`)
      for (const b of c.buildings) sinkLabels.set(sinkName(id, b.id), `${c.name} ${b.name}群`)
    }
  })().catch(() => undefined)

  return {
    dispatcher,
    sink,
    runtime: {
      config,
      kick() {
        if (kicked) return
        kicked = setTimeout(() => {
          kicked = null
          void run(false)
        }, o.kickDelayMs ?? KICK_DELAY_MS)
        kicked.unref?.()
      },
    },
    start() {
      if (timer) return
      timer = setInterval(() => void run(true), o.intervalMs ?? 2_000)
      timer.unref?.()
      void run(true)
    },
    async stop() {
      if (timer) clearInterval(timer)
      if (kicked) clearTimeout(kicked)
      timer = null
      kicked = null
      await last
    },
  }
}
