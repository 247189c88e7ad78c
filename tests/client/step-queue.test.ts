/**
 * The offline step queue (client/step-queue.ts) with an in-memory storage and a fake send: kept
 * across restarts, sent in tap order with tappedAt, kept while offline, dropped (once, per order)
 * when the server refuses.
 */
import { describe, expect, it } from 'vitest'
import { isOfflineError, STEP_QUEUE_KEY, StepQueue, type QueueStorage, type QueuedStep, type SendStep } from '../../src/client/step-queue'
import type { OrderView } from '../../src/core/views'

class Err extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
  }
}

function memoryStorage(): QueueStorage & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>()
  // Stored as JSON, as Taro storage does: nothing shared by reference.
  return {
    data,
    get: (k) => (data.has(k) ? JSON.parse(data.get(k) as string) : ''),
    set: (k, v) => void data.set(k, JSON.stringify(v)),
  }
}

/** A send that answers from `answer` and records what it was given. */
function fakeSend(answer: (input: Parameters<SendStep>[0]) => OrderView | Error) {
  const calls: Parameters<SendStep>[0][] = []
  const send: SendStep = async (input) => {
    calls.push(input)
    const r = answer(input)
    if (r instanceof Error) throw r
    return r
  }
  return { send, calls }
}

const view = (id: string, version: number) => ({ id, version }) as unknown as OrderView
const step = (orderId: string, s: QueuedStep['step'], tappedAt: number): QueuedStep => ({ orderId, step: s, tappedAt })

describe('the step queue', () => {
  it('survives a restart: a new queue on the same storage sees the steps', () => {
    const storage = memoryStorage()
    new StepQueue(storage, fakeSend(() => view('o1', 2)).send).add(step('o1', 'remove_seal', 1000))
    const again = new StepQueue(storage, fakeSend(() => view('o1', 2)).send)
    expect(again.pending('o1')).toEqual([step('o1', 'remove_seal', 1000)])
    expect(again.pending('o2')).toEqual([])
  })

  it('sends in tap order with tappedAt, and empties as each is answered', async () => {
    const storage = memoryStorage()
    let v = 1
    const f = fakeSend((i) => view(i.id, ++v))
    const q = new StepQueue(storage, f.send)
    q.add(step('o1', 'call_resident', 2000))
    q.add(step('o1', 'remove_seal', 1000))
    const r = await q.flush()
    expect(f.calls).toEqual([
      { id: 'o1', step: 'remove_seal', tappedAt: 1000 },
      { id: 'o1', step: 'call_resident', tappedAt: 2000 },
    ])
    expect(r).toEqual({ sent: [view('o1', 2), view('o1', 3)], refused: [], waiting: false })
    expect(q.list()).toEqual([])
  })

  it('still offline: stops at the first failure and keeps every step', async () => {
    const f = fakeSend(() => new Err('NETWORK.UNREACHABLE', '网络不太好'))
    const q = new StepQueue(memoryStorage(), f.send)
    q.add(step('o1', 'remove_seal', 1000))
    q.add(step('o1', 'call_resident', 2000))
    const r = await q.flush()
    expect(r.waiting).toBe(true)
    expect(f.calls).toHaveLength(1)
    expect(q.list()).toHaveLength(2)
  })

  it('a refusal drops that order\'s steps once and reports it; other orders still go', async () => {
    const f = fakeSend((i) => (i.id === 'o1' ? new Err('ORDER.NOT_HOLDER', '这个订单已经改派给别人了') : view(i.id, 5)))
    const q = new StepQueue(memoryStorage(), f.send)
    q.add(step('o1', 'remove_seal', 1000))
    q.add(step('o2', 'disinfect_corridor', 1500))
    q.add(step('o1', 'call_resident', 2000))
    const r = await q.flush()
    expect(r.refused).toEqual([{ orderId: 'o1', step: 'remove_seal', code: 'ORDER.NOT_HOLDER', message: '这个订单已经改派给别人了' }])
    expect(f.calls.map((c) => [c.id, c.step])).toEqual([
      ['o1', 'remove_seal'],
      ['o2', 'disinfect_corridor'],
    ])
    expect(q.list()).toEqual([])
    expect((await q.flush()).refused).toEqual([])
  })

  it('a double tap of the same step is kept once; a skip keeps its reason', async () => {
    const f = fakeSend((i) => view(i.id, 2))
    const q = new StepQueue(memoryStorage(), f.send)
    q.add({ ...step('o1', 'remove_seal', 1000), skipReason: '门上没有封条' })
    q.add(step('o1', 'remove_seal', 1200))
    await q.flush()
    expect(f.calls).toEqual([{ id: 'o1', step: 'remove_seal', tappedAt: 1000, skipReason: '门上没有封条' }])
  })

  it('a flush asked for during a flush runs again after it, and garbage in storage is ignored', async () => {
    const storage = memoryStorage()
    storage.set(STEP_QUEUE_KEY, [{ orderId: 'o1', step: 'knock', tappedAt: 1 } as unknown as QueuedStep])
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const calls: string[] = []
    const q = new StepQueue(storage, async (i) => {
      calls.push(i.step)
      if (i.step === 'disinfect_corridor') await gate
      return view(i.id, 2)
    })
    expect(q.list()).toEqual([])
    q.add(step('o1', 'disinfect_corridor', 1000))
    const first = q.flush()
    q.add(step('o1', 'remove_seal', 2000))
    const second = q.flush()
    release()
    await Promise.all([first, second])
    expect(calls).toEqual(['disinfect_corridor', 'remove_seal'])
    expect(q.list()).toEqual([])
  })

  it('NETWORK.UNREACHABLE and CLOUD.TIMEOUT are offline; a refusal is not', () => {
    expect(isOfflineError(new Err('NETWORK.UNREACHABLE', ''))).toBe(true)
    expect(isOfflineError(new Err('CLOUD.TIMEOUT', ''))).toBe(true)
    expect(isOfflineError(new Err('ORDER.NOT_HOLDER', ''))).toBe(false)
    expect(isOfflineError(new Error('x'))).toBe(false)
  })
})
