/**
 * Doorstep steps tapped without signal (stairwells): kept on the phone with the time they were
 * tapped, and sent in tap order once the connection returns. Pure enough to test: the storage and
 * the send are given (the app uses Taro storage and call('order.step'); use-step-queue.ts wires it).
 *
 * - A step whose send fails for lack of signal (NETWORK.UNREACHABLE, or CLOUD.TIMEOUT: it may have
 *   landed, and a resend is the same step on the server) is added with tappedAt.
 * - flush() sends the queue in tap order, each with its tappedAt. Success: the step leaves the
 *   queue. Still no signal or the service unwell (TRANSIENT_CODES): stop, keep everything, try later.
 *   Any other refusal (the order was reassigned, cancelled, returned to the board …): every queued
 *   step of that order leaves the queue (the later ones cannot apply either) and the refusal is
 *   reported once; other orders' steps still go.
 * - One flush at a time; a flush asked for while one runs runs once more after it.
 */
import type { ErrorCode } from '../core/errors'
import type { ProtocolStep } from '../core/order/protocol'
import { isProtocolStep } from '../core/order/protocol'
import type { OrderView } from '../core/views'

export const STEP_QUEUE_KEY = 'zj.stepQueue'

/** The call never got a usable answer: keep the step and try again. */
export const OFFLINE_CODES: readonly ErrorCode[] = ['NETWORK.UNREACHABLE', 'CLOUD.TIMEOUT']
/** Not a refusal of the step: stop this round, keep the queue. */
const TRANSIENT_CODES: readonly ErrorCode[] = [
  ...OFFLINE_CODES,
  'INTERNAL',
  'CLOUD.UNKNOWN',
  'CLOUD.FUNCTION_NOT_FOUND',
  'CLOUD.ENV_NOT_FOUND',
  'AUTH.NOT_SIGNED_IN',
  'AUTH.SESSION_EXPIRED',
  'ORDER.CONFLICT',
]

export interface QueuedStep {
  orderId: string
  step: ProtocolStep
  /** Epoch ms, the phone's clock at the tap. */
  tappedAt: number
  skipReason?: string
}

export interface QueueStorage {
  get(key: string): unknown
  set(key: string, value: QueuedStep[]): void
}

export type SendStep = (input: { id: string; step: ProtocolStep; tappedAt: number; skipReason?: string }) => Promise<OrderView>

export interface StepRefusal {
  orderId: string
  step: ProtocolStep
  code: string
  message: string
}

export interface FlushResult {
  /** What the server answered for each step sent, in order (the newest view of each order is last). */
  sent: OrderView[]
  refused: StepRefusal[]
  /** Something is still queued for lack of signal (or a transient server failure). */
  waiting: boolean
}

const codeOf = (e: unknown): string | null =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : null

/** A call that failed for lack of signal (the step should be queued). */
export function isOfflineError(e: unknown): boolean {
  const code = codeOf(e)
  return code !== null && (OFFLINE_CODES as readonly string[]).includes(code)
}

function isQueuedStep(x: unknown): x is QueuedStep {
  if (typeof x !== 'object' || x === null) return false
  const q = x as Record<string, unknown>
  return (
    typeof q.orderId === 'string' &&
    isProtocolStep(q.step) &&
    typeof q.tappedAt === 'number' &&
    (q.skipReason === undefined || typeof q.skipReason === 'string')
  )
}

const same = (a: QueuedStep, b: QueuedStep) => a.orderId === b.orderId && a.step === b.step && a.tappedAt === b.tappedAt

export class StepQueue {
  private running: Promise<FlushResult> | null = null
  private again = false

  constructor(
    private readonly storage: QueueStorage,
    private readonly send: SendStep,
  ) {}

  /** Everything queued, in tap order (anything unreadable in storage is ignored). */
  list(): QueuedStep[] {
    const raw = this.storage.get(STEP_QUEUE_KEY)
    return Array.isArray(raw) ? raw.filter(isQueuedStep) : []
  }

  pending(orderId: string): QueuedStep[] {
    return this.list().filter((q) => q.orderId === orderId)
  }

  /** Keeps a tapped step; the same step of the same order is kept once (a double tap). */
  add(item: QueuedStep): void {
    const all = this.list()
    if (all.some((q) => q.orderId === item.orderId && q.step === item.step)) return
    this.storage.set(STEP_QUEUE_KEY, [...all, item].sort((a, b) => a.tappedAt - b.tappedAt))
  }

  private remove(pred: (q: QueuedStep) => boolean): void {
    this.storage.set(STEP_QUEUE_KEY, this.list().filter((q) => !pred(q)))
  }

  flush(): Promise<FlushResult> {
    if (this.running) {
      this.again = true
      return this.running
    }
    const run = async (): Promise<FlushResult> => {
      const total: FlushResult = { sent: [], refused: [], waiting: false }
      do {
        this.again = false
        const r = await this.round()
        total.sent.push(...r.sent)
        total.refused.push(...r.refused)
        total.waiting = r.waiting
      } while (this.again && !total.waiting)
      return total
    }
    this.running = run().finally(() => {
      this.running = null
    })
    return this.running
  }

  private async round(): Promise<FlushResult> {
    const result: FlushResult = { sent: [], refused: [], waiting: false }
    const dropped = new Set<string>()
    for (const item of this.list()) {
      if (dropped.has(item.orderId)) continue
      try {
        const view = await this.send({
          id: item.orderId,
          step: item.step,
          tappedAt: item.tappedAt,
          ...(item.skipReason ? { skipReason: item.skipReason } : {}),
        })
        this.remove((q) => same(q, item))
        result.sent.push(view)
      } catch (e) {
        const code = codeOf(e)
        if (code === null || (TRANSIENT_CODES as readonly string[]).includes(code)) {
          result.waiting = true
          return result
        }
        dropped.add(item.orderId)
        this.remove((q) => q.orderId === item.orderId)
        const message = e instanceof Error ? e.message : String(e)
        result.refused.push({ orderId: item.orderId, step: item.step, code, message })
      }
    }
    return result
  }
}
