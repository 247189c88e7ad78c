/**
 * Requests waiting for their answer, by key: a table of reusable slots instead of a Map.
 *
 * Why not a Map: a Map that keeps taking new keys and deleting old ones is rebuilt every few dozen
 * entries, and V8 leaves each old table pointing at its successor and still holding the values it
 * had. Once one old table has been promoted and died, the young-generation collector cannot see
 * that it is dead, so it keeps its successor, that one's values (the requests in flight at the
 * time, with their sockets' buffers and response objects) and the next table alive, collection
 * after collection, until a full collection. Under the morning rush that kept about 3 MB of
 * finished requests alive at every young collection of the HTTP thread, which then paused 3–14 ms
 * instead of about 1 (BENCHMARKS.md, item 22). Here a slot is emptied when its request is answered
 * or gone, and nothing else refers to it.
 *
 * A key names the slot and the request: a slot reused by a later request no longer answers to the
 * earlier key, so a late answer for a request whose client left is dropped.
 */
const SLOT_SPACE = 2 ** 20

export class InFlight<T> {
  private readonly items: Array<T | undefined> = []
  private readonly keys: number[] = []
  private readonly free: number[] = []
  private seq = 0

  /** Puts `item` in a free slot; its key. */
  add(item: T): number {
    const slot = this.free.pop() ?? this.items.length
    if (slot >= SLOT_SPACE) throw new RangeError('too many requests in flight')
    // The sequence wraps before a key stops being an exact integer (2^32 × 2^20 < 2^53).
    this.seq = (this.seq + 1) % 2 ** 32
    const key = this.seq * SLOT_SPACE + slot
    this.items[slot] = item
    this.keys[slot] = key
    return key
  }

  /** The item under `key`, removed; undefined when it was taken or dropped already. */
  take(key: number): T | undefined {
    const slot = key % SLOT_SPACE
    if (this.keys[slot] !== key) return undefined
    const item = this.items[slot]
    this.items[slot] = undefined
    this.keys[slot] = -1
    this.free.push(slot)
    return item
  }

  /** Forgets `key` (its request is gone); nothing when it was taken already. */
  drop(key: number): void {
    this.take(key)
  }

  /** How many are waiting. */
  get size(): number {
    return this.items.length - this.free.length
  }
}
