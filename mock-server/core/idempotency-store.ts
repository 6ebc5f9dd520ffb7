// Idempotency keys (Stripe-style): the first response to a key is stored and replayed for every
// retry with the same key and the same request; the same key with a different request is refused
// (422). Keys live for a TTL in a ring ordered by time, with a hard size bound; eviction is
// oldest-first and counted. Responses are stored as three numbers in typed arrays (the caller
// packs and unpacks them), so a store of a million keys allocates nothing per request.
// Integer keys (in-process drivers use operation ids) go through a typed-array hash index;
// string keys (HTTP headers) through a Map.
import { NumericKeyIndex } from './numeric-key-index.ts'

export const IDEMPOTENCY_MISS = -1
export const IDEMPOTENCY_MISMATCH = -2

export interface StoredValues {
  v1: number
  v2: number
  v3: number
}

export class IdempotencyStore {
  private readonly slotOf = new Map<string | number, number>()
  private readonly numericSlotOf = new NumericKeyIndex()
  private readonly ttlMs: number
  private readonly maxKeys: number
  private keys: Array<string | number> = []
  private storedAtMs: Float64Array<ArrayBuffer> = new Float64Array(0)
  private fingerprint = new Float64Array(0)
  private detail = new Float64Array(0)
  private value1 = new Float64Array(0)
  private value2 = new Float64Array(0)
  private value3 = new Float64Array(0)
  /** Sequence numbers: live entries are [head, tail); entry n sits in slot n % capacity. */
  private head = 0
  private tail = 0
  evicted = 0

  constructor({ ttlMs, maxKeys }: { ttlMs: number; maxKeys: number }) {
    this.ttlMs = ttlMs
    this.maxKeys = maxKeys
  }

  /**
   * The stored entry for a key: its sequence number (>= 0, read it with `values`), or
   * IDEMPOTENCY_MISS, or IDEMPOTENCY_MISMATCH when the key was used for another request.
   * @param fingerprint identifies the request (operation, user, video)
   * @param detail a second number that must match too (a view's watchMs), 0 otherwise
   */
  lookup(key: string | number, fingerprint: number, detail: number, nowMs: number): number {
    this.expire(nowMs)
    const seq = typeof key === 'number' && NumericKeyIndex.accepts(key) ? this.numericSlotOf.get(key, this.head) : (this.slotOf.get(key) ?? -1)
    if (seq < 0) return IDEMPOTENCY_MISS
    const slot = seq % this.capacity
    if (this.fingerprint[slot] !== fingerprint || this.detail[slot] !== detail) return IDEMPOTENCY_MISMATCH
    return seq
  }

  values(seq: number, out: StoredValues): StoredValues {
    const slot = seq % this.capacity
    out.v1 = this.value1[slot] as number
    out.v2 = this.value2[slot] as number
    out.v3 = this.value3[slot] as number
    return out
  }

  store(key: string | number, fingerprint: number, detail: number, v1: number, v2: number, v3: number, nowMs: number): void {
    this.expire(nowMs)
    if (this.tail - this.head === this.capacity) {
      if (this.capacity < this.maxKeys) this.grow()
      else {
        this.dropHead()
        this.evicted++
      }
    }
    const seq = this.tail++
    const slot = seq % this.capacity
    this.keys[slot] = key
    this.storedAtMs[slot] = nowMs
    this.fingerprint[slot] = fingerprint
    this.detail[slot] = detail
    this.value1[slot] = v1
    this.value2[slot] = v2
    this.value3[slot] = v3
    if (typeof key === 'number' && NumericKeyIndex.accepts(key)) this.numericSlotOf.set(key, seq, this.head)
    else this.slotOf.set(key, seq)
  }

  get size(): number {
    return this.tail - this.head
  }

  clear(): void {
    this.slotOf.clear()
    // Numeric entries die with their sequence numbers.
    this.head = this.tail
  }

  private get capacity(): number {
    return this.storedAtMs.length
  }

  private expire(nowMs: number): void {
    const cutoff = nowMs - this.ttlMs
    while (this.head < this.tail && (this.storedAtMs[this.head % this.capacity] as number) < cutoff) this.dropHead()
  }

  private dropHead(): void {
    const slot = this.head % this.capacity
    const key = this.keys[slot] as string | number
    // Numeric keys die with their sequence number; a string key stored again later points at
    // its newer entry, so only delete it when it still points here.
    if (typeof key === 'string' && this.slotOf.get(key) === this.head) this.slotOf.delete(key)
    else if (typeof key === 'number' && !NumericKeyIndex.accepts(key) && this.slotOf.get(key) === this.head) this.slotOf.delete(key)
    this.head++
  }

  /** Double the ring (up to maxKeys), keeping sequence numbers valid by re-slotting live entries. */
  private grow(): void {
    const oldCapacity = this.capacity
    const capacity = Math.min(this.maxKeys, Math.max(1024, oldCapacity * 2))
    const keys: Array<string | number> = new Array<string | number>(capacity).fill(0)
    const columns = [0, 1, 2, 3, 4, 5].map(() => new Float64Array(capacity))
    const old = [this.storedAtMs, this.fingerprint, this.detail, this.value1, this.value2, this.value3]
    for (let seq = this.head; seq < this.tail; seq++) {
      const from = seq % oldCapacity
      const to = seq % capacity
      keys[to] = this.keys[from] as string | number
      for (let c = 0; c < columns.length; c++) (columns[c] as Float64Array)[to] = (old[c] as Float64Array)[from] as number
    }
    this.keys = keys
    this.storedAtMs = columns[0] as Float64Array<ArrayBuffer>
    this.fingerprint = columns[1] as Float64Array<ArrayBuffer>
    this.detail = columns[2] as Float64Array<ArrayBuffer>
    this.value1 = columns[3] as Float64Array<ArrayBuffer>
    this.value2 = columns[4] as Float64Array<ArrayBuffer>
    this.value3 = columns[5] as Float64Array<ArrayBuffer>
  }
}
