// Idempotency keys (Stripe-style): the first response to a key is stored and replayed for every
// retry with the same key and the same request; the same key with a different request is refused
// (422). A key belongs to the user who sent it (its scope): the same key from two users is two
// requests. Keys live for a TTL in a ring ordered by time and are never dropped before it: at the
// size bound the store is full, and the caller must refuse new keyed writes until the oldest key
// expires (`hasRoom`, `retryAfterMs`) rather than apply a write whose key it could not keep.
// Responses are stored as their numbers (StoredAnswer) in a typed array, so a store of a million
// keys allocates nothing per request, and in 48 bytes a key (plus its index slots): counts,
// scopes and details as Int32, only times and fingerprints as Float64.
// Integer keys the index can hold (in-process drivers use operation ids) go through a typed-array
// hash index; string keys (HTTP headers), any other number, and an integer key another scope
// already holds go through a Map under a key that names the scope.
import { NumericKeyIndex } from './numeric-key-index.ts'

export const IDEMPOTENCY_MISS = -1
export const IDEMPOTENCY_MISMATCH = -2

/** A keyed request as the store tells requests apart: whose key, which key, and what it asked. */
export interface KeyedRequest {
  /** Who sent the key (a user handle, a 32-bit integer): keys of different scopes never meet. */
  scope: number
  key: string | number
  /** Identifies the request (operation, user, video). */
  fingerprint: number
  /** A second number that must match too (a view's watchMs), 0 otherwise; a 32-bit integer. */
  detail: number
}

/**
 * The answer a key replays: what the first answer to it showed. A like or an unlike shows
 * likeCount and asOfMs, a view viewCount and uniqueViewers; each replays the fields it showed.
 * The counts are 32-bit integers, as the counters they come from (or -1, none); asOfMs any number.
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
 * An entry's fields, side by side in one 48-byte record (a cache line or two): the ring is written
 * in time order and read back at its head (expiry) and at a key's entry (lookup), and one record
 * per entry beats several parallel columns for both. Two views of one buffer read it: three
 * Float64 words for the times (virtual milliseconds, which pass 2^31 in a long run and need not
 * be whole) and the fingerprint (53 bits: a pair key times four), then six Int32 words.
 */
const ENTRY_BYTES = 48
/** Float64 words per entry, then the fields kept in them (word within the entry). */
const WIDE = ENTRY_BYTES / 8
const AT_STORED_MS = 0
const AT_FINGERPRINT = 1
const AT_AS_OF_MS = 2
/** Int32 words per entry, then the fields kept in them (words 0 to 5 are the three Float64 words). */
const NARROW = ENTRY_BYTES / 4
const AT_SCOPE = 6
const AT_DETAIL = 7
const AT_LIKE_COUNT = 8
const AT_VIEW_COUNT = 9
const AT_UNIQUE_VIEWERS = 10
/** The entry's key when it is in the index (the index is rebuilt from these), NOT_INDEXED otherwise. */
const AT_KEY = 11
const NOT_INDEXED = -1
/** The most entries the ring holds: the index reads sequence numbers modulo 2^32 (numeric-key-index.ts). */
const CAPACITY_MAX = 2 ** 30

export class IdempotencyStore {
  private readonly slotOf = new Map<string, number>()
  /** Map keys of mapped entries by sequence number, to unlink them from `slotOf` when they expire. */
  private readonly mappedKeys = new Map<number, string>()
  private readonly numericSlotOf = new NumericKeyIndex()
  readonly ttlMs: number
  readonly maxKeys: number
  /** The ring's entries, as Float64 words and as Int32 words (one buffer). */
  private wide = new Float64Array(0)
  private narrow = new Int32Array(0)
  /** Entries the ring has room for. Any number, not a power of two: rounding up to one would
   *  leave up to half the ring empty. */
  private capacity = 0
  /** Sequence numbers: live entries are [head, tail), the head one in slot headSlot and each
   *  next one in the next slot, round the ring (`slotAt`). */
  private head = 0
  private tail = 0
  private headSlot = 0

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
    const slot = this.slotAt(seq)
    if (this.wide[slot * WIDE + AT_FINGERPRINT] !== request.fingerprint || this.narrow[slot * NARROW + AT_DETAIL] !== request.detail) return IDEMPOTENCY_MISMATCH
    return seq
  }

  /** The answer stored under entry `seq` (from lookup), into `out`. */
  answer(seq: number, out: StoredAnswer): StoredAnswer {
    const slot = this.slotAt(seq)
    const narrow = this.narrow
    out.likeCount = narrow[slot * NARROW + AT_LIKE_COUNT] as number
    out.asOfMs = this.wide[slot * WIDE + AT_AS_OF_MS] as number
    out.viewCount = narrow[slot * NARROW + AT_VIEW_COUNT] as number
    out.uniqueViewers = narrow[slot * NARROW + AT_UNIQUE_VIEWERS] as number
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
    return (this.wide[this.headSlot * WIDE + AT_STORED_MS] as number) + this.ttlMs - nowMs
  }

  /**
   * Store a key's answer. The caller made sure there is room (`hasRoom`): a full store is a bug
   * here, and so is a scope, detail or count that is not a 32-bit integer.
   */
  store(request: KeyedRequest, answer: StoredAnswer, nowMs: number): void {
    const { scope, key } = request
    if (!this.hasRoom(nowMs)) throw new Error(`idempotency store is full (${this.maxKeys} keys): the caller must check hasRoom before applying a keyed write`)
    assertNarrow(request, answer)
    if (this.tail - this.head === this.capacity) this.grow()
    const seq = this.tail++
    // Before the index is read: a rebuild is also what keeps its dead entries from looking live.
    if (this.numericSlotOf.needsRebuild(seq)) this.reindex(seq)
    const indexed = typeof key === 'number' && NumericKeyIndex.accepts(key) && this.numericSlotOf.get(key, this.head) < 0
    const slot = this.slotAt(seq)
    const wide = this.wide
    wide[slot * WIDE + AT_STORED_MS] = nowMs
    wide[slot * WIDE + AT_FINGERPRINT] = request.fingerprint
    wide[slot * WIDE + AT_AS_OF_MS] = answer.asOfMs
    const narrow = this.narrow
    narrow[slot * NARROW + AT_SCOPE] = scope
    narrow[slot * NARROW + AT_DETAIL] = request.detail
    narrow[slot * NARROW + AT_LIKE_COUNT] = answer.likeCount
    narrow[slot * NARROW + AT_VIEW_COUNT] = answer.viewCount
    narrow[slot * NARROW + AT_UNIQUE_VIEWERS] = answer.uniqueViewers
    narrow[slot * NARROW + AT_KEY] = indexed ? key : NOT_INDEXED
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
    const capacity = Math.ceil(Math.min(CAPACITY_MAX, Math.max(1024, wanted)))
    if (capacity > this.capacity) this.allocate(capacity)
    this.numericSlotOf.reserve(wanted)
  }

  get size(): number {
    return this.tail - this.head
  }

  clear(): void {
    this.slotOf.clear()
    this.mappedKeys.clear()
    // Indexed entries die with their sequence numbers.
    this.headSlot = this.slotAt(this.tail)
    this.head = this.tail
  }

  /** The live entry of a scope's key, or -1. */
  private find(scope: number, key: string | number): number {
    if (typeof key === 'number' && NumericKeyIndex.accepts(key)) {
      const seq = this.numericSlotOf.get(key, this.head)
      if (seq >= 0 && this.narrow[this.slotAt(seq) * NARROW + AT_SCOPE] === scope) return seq
      // An integer another scope held when it was stored sits in the Map (empty in the common case).
      if (this.slotOf.size === 0) return -1
    }
    return this.slotOf.get(scopedKey(scope, key)) ?? -1
  }

  /** The ring slot of live entry `seq`. */
  private slotAt(seq: number): number {
    const slot = this.headSlot + (seq - this.head)
    return slot < this.capacity ? slot : slot - this.capacity
  }

  /** A new, empty ring of `capacity` entries. */
  private allocate(capacity: number): void {
    if (capacity > CAPACITY_MAX) throw new Error(`idempotency store cannot hold more than ${CAPACITY_MAX} keys`)
    const buffer = new ArrayBuffer(capacity * ENTRY_BYTES)
    this.wide = new Float64Array(buffer)
    this.narrow = new Int32Array(buffer)
    this.capacity = capacity
    this.headSlot = 0
  }

  private expire(nowMs: number): void {
    const cutoff = nowMs - this.ttlMs
    while (this.head < this.tail && (this.wide[this.headSlot * WIDE + AT_STORED_MS] as number) < cutoff) this.dropHead()
  }

  private dropHead(): void {
    const seq = this.head++
    this.headSlot = this.headSlot + 1 < this.capacity ? this.headSlot + 1 : 0
    // Indexed keys die with their sequence number (and have no map key). A mapped key stored
    // again later points at its newer entry, so only unlink it when it still points here.
    if (this.mappedKeys.size === 0) return
    const mapKey = this.mappedKeys.get(seq)
    if (mapKey === undefined) return
    this.mappedKeys.delete(seq)
    if (this.slotOf.get(mapKey) === seq) this.slotOf.delete(mapKey)
  }

  /** Rebuild the index from the ring's live indexed entries (those before `seq`): it drops the dead ones. */
  private reindex(seq: number): void {
    const index = this.numericSlotOf
    const narrow = this.narrow
    index.reset(seq - this.head, seq)
    for (let live = this.head, slot = this.headSlot; live < seq; live++, slot = slot + 1 < this.capacity ? slot + 1 : 0) {
      const key = narrow[slot * NARROW + AT_KEY] as number
      if (key !== NOT_INDEXED) index.set(key, live, this.head)
    }
  }

  /**
   * Half as large again (a ring sized by `reserve` has most of the room it needs), the live
   * entries moved to its start: its first part from the head on, then the part that wrapped.
   */
  private grow(): void {
    const old = this.narrow
    const oldCapacity = this.capacity
    const headSlot = this.headSlot
    const size = this.tail - this.head
    // At CAPACITY_MAX this asks for one more than allowed, and `allocate` says so.
    this.allocate(Math.max(1024, oldCapacity + 1, Math.min(CAPACITY_MAX, Math.ceil(oldCapacity * 1.5))))
    const firstPart = Math.min(size, oldCapacity - headSlot)
    // As Int32 words: a Float64 copy of Int32 pairs might not keep a NaN's bits.
    this.narrow.set(old.subarray(headSlot * NARROW, (headSlot + firstPart) * NARROW))
    this.narrow.set(old.subarray(0, (size - firstPart) * NARROW), firstPart * NARROW)
  }
}

/** Scope, detail and counts are kept as Int32: a value that is not one would come back changed. */
function assertNarrow(request: KeyedRequest, answer: StoredAnswer): void {
  if (isInt32(request.scope) && isInt32(request.detail) && isInt32(answer.likeCount) && isInt32(answer.viewCount) && isInt32(answer.uniqueViewers)) return
  throw new Error(`idempotency store keeps scope, detail and counts as 32-bit integers: got scope ${request.scope}, detail ${request.detail}, counts ${answer.likeCount}/${answer.viewCount}/${answer.uniqueViewers}`)
}

function isInt32(value: number): boolean {
  return (value | 0) === value
}

/** The Map's key for a scope's key: strings and numbers stay apart ("5" is not 5). */
function scopedKey(scope: number, key: string | number): string {
  return typeof key === 'string' ? `${scope}:s:${key}` : `${scope}:n:${key}`
}
