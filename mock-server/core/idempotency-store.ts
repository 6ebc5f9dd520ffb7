// Idempotency keys (Stripe-style): the first response to a key is stored and replayed for every
// retry with the same key and the same request; the same key with a different request is refused
// (422). A key belongs to the user who sent it (its scope): the same key from two users is two
// requests. Keys live for a TTL in a ring ordered by time and are never dropped before it: at the
// size bound the store is full, and the caller must refuse new keyed writes until the oldest key
// expires (`hasRoom`, `retryAfterMs`) rather than apply a write whose key it could not keep.
// Responses are stored as their numbers (StoredAnswer) in a typed array, so a store of a million
// keys allocates nothing per request.
// Integer keys the index can hold (in-process drivers use operation ids) go through a typed-array
// hash index; string keys (HTTP headers), any other number, and an integer key another scope
// already holds go through a Map under a key that names the scope.
import { NumericKeyIndex } from './numeric-key-index.ts'

export const IDEMPOTENCY_MISS = -1
export const IDEMPOTENCY_MISMATCH = -2

/** A keyed request as the store tells requests apart: whose key, which key, and what it asked. */
export interface KeyedRequest {
  /** Who sent the key (a user handle): keys of different scopes never meet. */
  scope: number
  key: string | number
  /** Identifies the request (operation, user, video). */
  fingerprint: number
  /** A second number that must match too (a view's watchMs), 0 otherwise. */
  detail: number
}

/**
 * The answer a key replays: what the first answer to it showed. A like or an unlike shows
 * likeCount and asOfMs, a view viewCount and uniqueViewers; each replays the fields it showed.
 */
export interface StoredAnswer {
  likeCount: number
  asOfMs: number
  viewCount: number
  uniqueViewers: number
}

export function newStoredAnswer(): StoredAnswer {
  return { likeCount: 0, asOfMs: 0, viewCount: 0, uniqueViewers: 0 }
}

/**
 * An entry's fields, side by side in one Float64Array (one cache line per entry): the ring is
 * written in time order and read back at its head (expiry) and at a key's entry (lookup), and
 * one line per entry beats several parallel columns for both.
 */
const FIELDS = 8
const AT_STORED_MS = 0
const AT_FINGERPRINT = 1
const AT_DETAIL = 2
const AT_SCOPE = 3
const AT_LIKE_COUNT = 4
const AT_AS_OF_MS = 5
const AT_VIEW_COUNT = 6
const AT_UNIQUE_VIEWERS = 7

export class IdempotencyStore {
  private readonly slotOf = new Map<string, number>()
  /** Map keys of mapped entries by sequence number, to unlink them from `slotOf` when they expire. */
  private readonly mappedKeys = new Map<number, string>()
  private readonly numericSlotOf = new NumericKeyIndex()
  readonly ttlMs: number
  readonly maxKeys: number
  private entries = new Float64Array(0)
  /** Ring slots minus one (the ring's size is a power of two, so a slot is a mask away). */
  private mask = -1
  /** Sequence numbers: live entries are [head, tail); entry n sits in slot n & mask. */
  private head = 0
  private tail = 0

  constructor({ ttlMs, maxKeys }: { ttlMs: number; maxKeys: number }) {
    this.ttlMs = ttlMs
    this.maxKeys = maxKeys
  }

  /**
   * The stored entry for a user's key: its sequence number (>= 0, read it with `answer`), or
   * IDEMPOTENCY_MISS, or IDEMPOTENCY_MISMATCH when the user used the key for another request.
   */
  lookup(request: KeyedRequest, nowMs: number): number {
    this.expire(nowMs)
    const seq = this.find(request.scope, request.key)
    if (seq < 0) return IDEMPOTENCY_MISS
    const at = (seq & this.mask) * FIELDS
    if (this.entries[at + AT_FINGERPRINT] !== request.fingerprint || this.entries[at + AT_DETAIL] !== request.detail) return IDEMPOTENCY_MISMATCH
    return seq
  }

  /** The answer stored under entry `seq` (from lookup), into `out`. */
  answer(seq: number, out: StoredAnswer): StoredAnswer {
    const at = (seq & this.mask) * FIELDS
    out.likeCount = this.entries[at + AT_LIKE_COUNT] as number
    out.asOfMs = this.entries[at + AT_AS_OF_MS] as number
    out.viewCount = this.entries[at + AT_VIEW_COUNT] as number
    out.uniqueViewers = this.entries[at + AT_UNIQUE_VIEWERS] as number
    return out
  }

  /** Whether one more key fits now (after dropping the expired ones). Ask before applying a keyed write. */
  hasRoom(nowMs: number): boolean {
    this.expire(nowMs)
    return this.tail - this.head < this.maxKeys
  }

  /** When the oldest key expires and makes room (0 when there is room now). */
  retryAfterMs(nowMs: number): number {
    if (this.hasRoom(nowMs)) return 0
    return (this.entries[(this.head & this.mask) * FIELDS + AT_STORED_MS] as number) + this.ttlMs - nowMs
  }

  /** Store a key's answer. The caller made sure there is room (`hasRoom`): a full store is a bug here. */
  store(request: KeyedRequest, answer: StoredAnswer, nowMs: number): void {
    const { scope, key } = request
    if (!this.hasRoom(nowMs)) throw new Error(`idempotency store is full (${this.maxKeys} keys): the caller must check hasRoom before applying a keyed write`)
    if (this.tail - this.head === this.capacity) this.grow()
    const seq = this.tail++
    const indexed = typeof key === 'number' && NumericKeyIndex.accepts(key) && this.numericSlotOf.get(key, this.head) < 0
    const entries = this.entries
    const at = (seq & this.mask) * FIELDS
    entries[at + AT_STORED_MS] = nowMs
    entries[at + AT_FINGERPRINT] = request.fingerprint
    entries[at + AT_DETAIL] = request.detail
    entries[at + AT_SCOPE] = scope
    entries[at + AT_LIKE_COUNT] = answer.likeCount
    entries[at + AT_AS_OF_MS] = answer.asOfMs
    entries[at + AT_VIEW_COUNT] = answer.viewCount
    entries[at + AT_UNIQUE_VIEWERS] = answer.uniqueViewers
    if (indexed) {
      this.numericSlotOf.set(key, seq, this.head)
    } else {
      const mapKey = scopedKey(scope, key)
      this.slotOf.set(mapKey, seq)
      this.mappedKeys.set(seq, mapKey)
    }
  }

  /**
   * Start with room for `keys` live integer keys (a sizing hint, heeded only while the store is
   * empty): the ring and the index then do not double their way up, copying themselves each time.
   */
  reserve(keys: number): void {
    if (this.tail > 0) return
    const wanted = Math.min(keys, this.maxKeys)
    let capacity = Math.max(1024, this.capacity)
    while (capacity < wanted) capacity *= 2
    if (capacity > this.capacity) {
      this.entries = new Float64Array(capacity * FIELDS)
      this.mask = capacity - 1
    }
    this.numericSlotOf.reserve(wanted)
  }

  get size(): number {
    return this.tail - this.head
  }

  clear(): void {
    this.slotOf.clear()
    this.mappedKeys.clear()
    // Indexed entries die with their sequence numbers.
    this.head = this.tail
  }

  /** The live entry of a scope's key, or -1. */
  private find(scope: number, key: string | number): number {
    if (typeof key === 'number' && NumericKeyIndex.accepts(key)) {
      const seq = this.numericSlotOf.get(key, this.head)
      if (seq >= 0 && this.entries[(seq & this.mask) * FIELDS + AT_SCOPE] === scope) return seq
      // An integer another scope held when it was stored sits in the Map (empty in the common case).
      if (this.slotOf.size === 0) return -1
    }
    return this.slotOf.get(scopedKey(scope, key)) ?? -1
  }

  private get capacity(): number {
    return this.entries.length / FIELDS
  }

  private expire(nowMs: number): void {
    const cutoff = nowMs - this.ttlMs
    while (this.head < this.tail && (this.entries[(this.head & this.mask) * FIELDS + AT_STORED_MS] as number) < cutoff) this.dropHead()
  }

  private dropHead(): void {
    const seq = this.head++
    // Indexed keys die with their sequence number (and have no map key). A mapped key stored
    // again later points at its newer entry, so only unlink it when it still points here.
    if (this.mappedKeys.size === 0) return
    const mapKey = this.mappedKeys.get(seq)
    if (mapKey === undefined) return
    this.mappedKeys.delete(seq)
    if (this.slotOf.get(mapKey) === seq) this.slotOf.delete(mapKey)
  }

  /** Double the ring (a power of two), keeping sequence numbers valid by re-slotting live entries. */
  private grow(): void {
    const old = this.entries
    const oldMask = this.mask
    const capacity = Math.max(1024, this.capacity * 2)
    this.entries = new Float64Array(capacity * FIELDS)
    this.mask = capacity - 1
    const entries = this.entries
    for (let seq = this.head; seq < this.tail; seq++) {
      // Field by field: a subarray per entry would allocate a view for each of a million keys.
      const from = (seq & oldMask) * FIELDS
      const to = (seq & this.mask) * FIELDS
      for (let field = 0; field < FIELDS; field++) entries[to + field] = old[from + field] as number
    }
  }
}

/** The Map's key for a scope's key: strings and numbers stay apart ("5" is not 5). */
function scopedKey(scope: number, key: string | number): string {
  return typeof key === 'string' ? `${scope}:s:${key}` : `${scope}:n:${key}`
}
