// IdempotencyStore (first response per key, replayed for the same request, refused for another)
// and the NumericKeyIndex that backs integer keys.
import { describe, expect, it } from 'vitest'
import {
  IDEMPOTENCY_MISMATCH,
  IDEMPOTENCY_MISS,
  IdempotencyStore,
  newStoredAnswer,
  type StoredAnswer,
} from '../../../mock-server/core/idempotency-store.ts'
import { NumericKeyIndex, REBUILD_EVERY_SEQS } from '../../../mock-server/core/numeric-key-index.ts'

const out = (): StoredAnswer => newStoredAnswer()
const vals = (likeCount: number, asOfMs = 0, viewCount = 0, uniqueViewers = 0): StoredAnswer => ({ likeCount, asOfMs, viewCount, uniqueViewers })
/** The user most tests store under (keys are scoped per user). */
const U = 7

/**
 * Sequence numbers past 2^32 take billions of stores to reach (a long `likestorm serve`): move an
 * empty store's counters there, as if it had handed out that many.
 */
function startAt(store: IdempotencyStore, seq: number): void {
  expect(store.size).toBe(0)
  Object.assign(store as unknown as { head: number; tail: number }, { head: seq, tail: seq })
}

/**
 * The index's owner, as the store is one: it keeps the live keys by sequence number and sets them
 * again when the index asks for a rebuild.
 */
class IndexOwner {
  readonly index = new NumericKeyIndex(16)
  private readonly keyBySeq = new Map<number, number>()
  private oldest = 0

  /** Everything before `seq` dies. */
  expireBefore(seq: number): void {
    for (let dead = this.oldest; dead < seq; dead++) this.keyBySeq.delete(dead)
    this.oldest = seq
  }

  set(key: number, seq: number): void {
    const index = this.index
    if (index.needsRebuild(seq)) {
      index.reset(seq - this.oldest, seq)
      for (const [live, liveKey] of this.keyBySeq) index.set(liveKey, live, this.oldest)
    }
    index.set(key, seq, this.oldest)
    this.keyBySeq.set(seq, key)
  }

  get(key: number): number {
    return this.index.get(key, this.oldest)
  }
}

function valuesOf(store: IdempotencyStore, key: string | number, fingerprint: number, detail: number, nowMs: number, scope = U): StoredAnswer | number {
  const seq = store.lookup({ scope: scope, key, fingerprint, detail: detail }, nowMs)
  return seq < 0 ? seq : { ...store.answer(seq, out()) }
}

describe('IdempotencyStore', () => {
  it('misses an unknown key, on an empty store too', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, maxKeys: 10 })
    expect(store.lookup({ scope: U, key: 'k', fingerprint: 1, detail: 0 }, 0)).toBe(IDEMPOTENCY_MISS)
    expect(store.lookup({ scope: U, key: 42, fingerprint: 1, detail: 0 }, 0)).toBe(IDEMPOTENCY_MISS)
    expect(store.size).toBe(0)
  })

  it.each([
    ['string', 'key-1'],
    ['numeric', 123_456],
    ['numeric zero', 0],
    ['negative number (not index-able)', -7],
    ['fractional number (not index-able)', 1.5],
    ['number beyond 2^31 (not index-able)', 2 ** 33],
  ] as const)('replays the stored values for a %s key', (_name, key) => {
    const store = new IdempotencyStore({ ttlMs: 1000, maxKeys: 10 })
    // Counts at the ends of 32 bits; asOfMs need not be whole.
    const stored = vals(2 ** 31 - 1, 2 ** 40 + 0.5, -(2 ** 31), -1)
    store.store({ scope: U, key: key, fingerprint: 2 ** 53 - 1, detail: 86_400_000 }, stored, 0)
    const seq = store.lookup({ scope: U, key: key, fingerprint: 2 ** 53 - 1, detail: 86_400_000 }, 10)
    expect(seq).toBeGreaterThanOrEqual(0)
    expect(store.answer(seq, out())).toEqual(stored)
    expect(store.answer(seq, out()).asOfMs).toBe(2 ** 40 + 0.5)
    expect(store.size).toBe(1)
  })

  it.each([
    ['a fractional scope', { scope: 1.5 }, {}],
    ['a detail beyond 32 bits', { detail: 2 ** 31 }, {}],
    ['a fractional like count', {}, { likeCount: 0.5 }],
    ['a view count beyond 32 bits', {}, { viewCount: 3e9 }],
    ['unique viewers that are not a number', {}, { uniqueViewers: Number.NaN }],
  ] as const)('refuses to store %s (kept as Int32, it would come back changed)', (_name, requestPart, answerPart) => {
    const store = new IdempotencyStore({ ttlMs: 1000, maxKeys: 10 })
    const request = { scope: U, key: 1, fingerprint: 1, detail: 0, ...requestPart }
    expect(() => store.store(request, { ...vals(1), ...answerPart }, 0)).toThrow(/32-bit integers/)
    expect(store.size).toBe(0)
    expect(store.lookup(request, 0)).toBe(IDEMPOTENCY_MISS)
  })

  it('refuses the same key with a different fingerprint or a different detail (mismatch)', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, maxKeys: 10 })
    store.store({ scope: U, key: 'k', fingerprint: 77, detail: 5 }, vals(1, 2, 3), 0)
    store.store({ scope: U, key: 9, fingerprint: 77, detail: 5 }, vals(1, 2, 3), 0)
    for (const key of ['k', 9] as const) {
      expect(store.lookup({ scope: U, key: key, fingerprint: 78, detail: 5 }, 1)).toBe(IDEMPOTENCY_MISMATCH)
      expect(store.lookup({ scope: U, key: key, fingerprint: 77, detail: 6 }, 1)).toBe(IDEMPOTENCY_MISMATCH)
      expect(store.lookup({ scope: U, key: key, fingerprint: 77, detail: 5 }, 1)).toBeGreaterThanOrEqual(0)
    }
  })

  it('keeps string and numeric keys apart ("5" is not 5)', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, maxKeys: 10 })
    store.store({ scope: U, key: '5', fingerprint: 1, detail: 0 }, vals(10), 0)
    store.store({ scope: U, key: 5, fingerprint: 2, detail: 0 }, vals(20), 0)
    expect(valuesOf(store, '5', 1, 0, 0)).toEqual(vals(10, 0, 0))
    expect(valuesOf(store, 5, 2, 0, 0)).toEqual(vals(20, 0, 0))
    expect(store.lookup({ scope: U, key: '6', fingerprint: 1, detail: 0 }, 0)).toBe(IDEMPOTENCY_MISS)
    expect(store.lookup({ scope: U, key: 6, fingerprint: 1, detail: 0 }, 0)).toBe(IDEMPOTENCY_MISS)
  })

  it.each([
    ['string', 'shared'],
    ['integer (index)', 42],
    ['other number', -3.5],
  ] as const)('scopes a %s key to its user: the same key from another user is another request', (_name, key) => {
    const store = new IdempotencyStore({ ttlMs: 1000, maxKeys: 10 })
    store.store({ scope: 1, key: key, fingerprint: 100, detail: 0 }, vals(1), 0)
    // User 2's first use of the key is a miss (not a mismatch), and both are kept apart.
    expect(store.lookup({ scope: 2, key: key, fingerprint: 200, detail: 0 }, 1)).toBe(IDEMPOTENCY_MISS)
    store.store({ scope: 2, key: key, fingerprint: 200, detail: 0 }, vals(2), 1)
    expect(valuesOf(store, key, 100, 0, 2, 1)).toEqual(vals(1, 0, 0))
    expect(valuesOf(store, key, 200, 0, 2, 2)).toEqual(vals(2, 0, 0))
    // Within one user, reuse for another request is still refused.
    expect(store.lookup({ scope: 2, key: key, fingerprint: 100, detail: 0 }, 2)).toBe(IDEMPOTENCY_MISMATCH)
    expect(store.size).toBe(2)
  })

  it('finds a scope\'s integer key after the other scope\'s entry for it expired', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, maxKeys: 10 })
    store.store({ scope: 1, key: 42, fingerprint: 100, detail: 0 }, vals(1), 0)
    store.store({ scope: 2, key: 42, fingerprint: 200, detail: 0 }, vals(2), 500)
    expect(valuesOf(store, 42, 200, 0, 1200, 2)).toEqual(vals(2, 0, 0))
    expect(store.lookup({ scope: 1, key: 42, fingerprint: 100, detail: 0 }, 1200)).toBe(IDEMPOTENCY_MISS)
    expect(store.lookup({ scope: 2, key: 42, fingerprint: 200, detail: 0 }, 1501)).toBe(IDEMPOTENCY_MISS)
    expect(store.size).toBe(0)
  })

  it('expires entries after the TTL (kept at exactly ttl, gone after)', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, maxKeys: 10 })
    store.store({ scope: U, key: 's', fingerprint: 1, detail: 0 }, vals(1), 0)
    store.store({ scope: U, key: 1, fingerprint: 1, detail: 0 }, vals(1), 0)
    store.store({ scope: U, key: 'later', fingerprint: 1, detail: 0 }, vals(1), 500)
    expect(store.lookup({ scope: U, key: 's', fingerprint: 1, detail: 0 }, 1000)).toBeGreaterThanOrEqual(0)
    expect(store.lookup({ scope: U, key: 1, fingerprint: 1, detail: 0 }, 1000)).toBeGreaterThanOrEqual(0)
    expect(store.lookup({ scope: U, key: 's', fingerprint: 1, detail: 0 }, 1001)).toBe(IDEMPOTENCY_MISS)
    expect(store.lookup({ scope: U, key: 1, fingerprint: 1, detail: 0 }, 1001)).toBe(IDEMPOTENCY_MISS)
    expect(store.lookup({ scope: U, key: 'later', fingerprint: 1, detail: 0 }, 1001)).toBeGreaterThanOrEqual(0)
    expect(store.size).toBe(1)
    // an expired key can be used again, for another request even
    store.store({ scope: U, key: 's', fingerprint: 2, detail: 0 }, vals(9), 1001)
    expect(valuesOf(store, 's', 2, 0, 1002)).toEqual(vals(9, 0, 0))
  })

  it('at maxKeys it is full: no key is dropped before its TTL, and it says when the oldest expires', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, maxKeys: 3 })
    store.store({ scope: U, key: 's0', fingerprint: 1, detail: 0 }, vals(0), 0)
    store.store({ scope: U, key: 100, fingerprint: 1, detail: 0 }, vals(1), 100)
    store.store({ scope: U, key: 's2', fingerprint: 1, detail: 0 }, vals(2), 200)
    expect(store.hasRoom(300)).toBe(false)
    expect(store.retryAfterMs(300)).toBe(700)
    expect(() => store.store({ scope: U, key: 's3', fingerprint: 1, detail: 0 }, vals(3), 300)).toThrow(/full/)
    // every key is still answered until its TTL
    for (const [key, likeCount] of [['s0', 0], [100, 1], ['s2', 2]] as const) expect(valuesOf(store, key, 1, 0, 1000)).toEqual(vals(likeCount))
    // once the oldest expires there is room again
    expect(store.hasRoom(1001)).toBe(true)
    expect(store.retryAfterMs(1001)).toBe(0)
    store.store({ scope: U, key: 's3', fingerprint: 1, detail: 0 }, vals(3), 1001)
    expect(store.size).toBe(3)
    expect(store.lookup({ scope: U, key: 's0', fingerprint: 1, detail: 0 }, 1001)).toBe(IDEMPOTENCY_MISS)
  })

  it('a string key stored again after it expired points at its newer entry', () => {
    const store = new IdempotencyStore({ ttlMs: 10, maxKeys: 2 })
    store.store({ scope: U, key: 'a', fingerprint: 1, detail: 0 }, vals(1), 0)
    store.store({ scope: U, key: 'a', fingerprint: 1, detail: 0 }, vals(2), 11) // the first entry expires on the way in
    store.store({ scope: U, key: 'b', fingerprint: 1, detail: 0 }, vals(3), 12)
    expect(valuesOf(store, 'a', 1, 0, 13)).toEqual(vals(2, 0, 0))
  })

  it('grows past its initial capacity without losing entries (values re-slotted)', () => {
    const store = new IdempotencyStore({ ttlMs: 1e9, maxKeys: 100_000 })
    const n = 5000 // initial ring holds 1024
    for (let i = 0; i < n; i++) store.store({ scope: U, key: i % 2 === 0 ? i : `k${i}`, fingerprint: i * 4 + 1, detail: i % 7 }, vals(i, i * 2, i * 3), i)
    expect(store.size).toBe(n)
    let wrong = 0
    for (let i = 0; i < n; i++) {
      const v = valuesOf(store, i % 2 === 0 ? i : `k${i}`, i * 4 + 1, i % 7, n)
      if (typeof v === 'number' || v.likeCount !== i || v.asOfMs !== i * 2 || v.viewCount !== i * 3) wrong++
    }
    expect(wrong).toBe(0)
  })

  it('grows while the ring has wrapped (head > 0 after expiry)', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, maxKeys: 100_000 })
    for (let i = 0; i < 1000; i++) store.store({ scope: U, key: i, fingerprint: 1, detail: 0 }, vals(i), 0)
    // the first 1000 expire; the next 2000 wrap around and force growth
    for (let i = 1000; i < 3000; i++) store.store({ scope: U, key: i, fingerprint: 1, detail: 0 }, vals(i), 2000)
    expect(store.size).toBe(2000)
    expect(store.lookup({ scope: U, key: 5, fingerprint: 1, detail: 0 }, 2000)).toBe(IDEMPOTENCY_MISS)
    let wrong = 0
    for (let i = 1000; i < 3000; i++) {
      const v = valuesOf(store, i, 1, 0, 2000)
      if (typeof v === 'number' || v.likeCount !== i) wrong++
    }
    expect(wrong).toBe(0)
  })

  it('stays correct across many expiries with integer keys (index reuses dead slots)', () => {
    const store = new IdempotencyStore({ ttlMs: 999, maxKeys: 1000 })
    for (let i = 0; i < 50_000; i++) store.store({ scope: U, key: i, fingerprint: i, detail: 0 }, vals(i), i)
    expect(store.size).toBe(1000)
    expect(store.lookup({ scope: U, key: 48_999, fingerprint: 48_999, detail: 0 }, 50_000)).toBe(IDEMPOTENCY_MISS)
    expect(valuesOf(store, 49_001, 49_001, 0, 50_000)).toEqual(vals(49_001, 0, 0))
    expect(valuesOf(store, 49_999, 49_999, 0, 50_000)).toEqual(vals(49_999, 0, 0))
  })

  it('answers across sequence number 2^32 (a long serve): live and expired keys alike', () => {
    for (const start of [2 ** 31 - 5, 2 ** 32 - 5, 2 ** 45 - 5]) {
      const store = new IdempotencyStore({ ttlMs: 1000, maxKeys: 100 })
      startAt(store, start)
      for (let i = 0; i < 10; i++) store.store({ scope: U, key: i % 2 === 0 ? i : `k${i}`, fingerprint: i, detail: 0 }, vals(i), i * 100)
      for (let i = 0; i < 10; i++) expect(valuesOf(store, i % 2 === 0 ? i : `k${i}`, i, 0, 900)).toEqual(vals(i))
      // Stored at 0..400 ms: gone at 1450, the rest still there.
      for (let i = 0; i < 5; i++) expect(valuesOf(store, i % 2 === 0 ? i : `k${i}`, i, 0, 1450)).toBe(IDEMPOTENCY_MISS)
      for (let i = 5; i < 10; i++) expect(valuesOf(store, i % 2 === 0 ? i : `k${i}`, i, 0, 1450)).toEqual(vals(i))
      expect(store.size).toBe(5)
    }
  })

  it('an expired integer key does not come back when sequence numbers have moved 2^32 on', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, maxKeys: 100 })
    store.store({ scope: U, key: 42, fingerprint: 1, detail: 0 }, vals(1), 0)
    expect(store.hasRoom(2000)).toBe(true)
    // Its index slot keeps sequence number 0 mod 2^32; the next entry is 2^32 itself.
    startAt(store, 2 ** 32)
    store.store({ scope: U, key: 7, fingerprint: 2, detail: 0 }, vals(2), 2000)
    expect(store.lookup({ scope: U, key: 42, fingerprint: 1, detail: 0 }, 2000)).toBe(IDEMPOTENCY_MISS)
    expect(valuesOf(store, 7, 2, 0, 2000)).toEqual(vals(2))
  })

  it('clear forgets every key', () => {
    const store = new IdempotencyStore({ ttlMs: 1e9, maxKeys: 10 })
    store.store({ scope: U, key: 'a', fingerprint: 1, detail: 0 }, vals(1), 0)
    store.store({ scope: U, key: 1, fingerprint: 1, detail: 0 }, vals(1), 0)
    store.clear()
    expect(store.size).toBe(0)
    expect(store.lookup({ scope: U, key: 'a', fingerprint: 1, detail: 0 }, 0)).toBe(IDEMPOTENCY_MISS)
    expect(store.lookup({ scope: U, key: 1, fingerprint: 1, detail: 0 }, 0)).toBe(IDEMPOTENCY_MISS)
    store.store({ scope: U, key: 1, fingerprint: 2, detail: 0 }, vals(5), 0)
    expect(valuesOf(store, 1, 2, 0, 0)).toEqual(vals(5, 0, 0))
  })
})

describe('NumericKeyIndex', () => {
  it('accepts integers in [0, 2^31) only', () => {
    expect(NumericKeyIndex.accepts(0)).toBe(true)
    expect(NumericKeyIndex.accepts(0x7fffffff)).toBe(true)
    expect(NumericKeyIndex.accepts(0x80000000)).toBe(false)
    expect(NumericKeyIndex.accepts(-1)).toBe(false)
    expect(NumericKeyIndex.accepts(1.5)).toBe(false)
    expect(NumericKeyIndex.accepts(Number.NaN)).toBe(false)
  })

  it('get returns the stored sequence number, -1 for unknown keys', () => {
    const index = new NumericKeyIndex(16)
    index.set(5, 0, 0)
    index.set(0x7fffffff, 1, 0)
    index.set(0, 2, 0)
    expect(index.get(5, 0)).toBe(0)
    expect(index.get(0x7fffffff, 0)).toBe(1)
    expect(index.get(0, 0)).toBe(2)
    expect(index.get(6, 0)).toBe(-1)
  })

  it('set on an existing key replaces its sequence number', () => {
    const index = new NumericKeyIndex(16)
    index.set(5, 0, 0)
    index.set(5, 9, 0)
    expect(index.get(5, 0)).toBe(9)
  })

  it('entries below oldestLiveSeq are dead: get ignores them', () => {
    const index = new NumericKeyIndex(16)
    index.set(5, 3, 0)
    expect(index.get(5, 3)).toBe(3)
    expect(index.get(5, 4)).toBe(-1)
  })

  it('reuses dead slots: a sliding window of live keys keeps the table bounded', () => {
    const owner = new IndexOwner()
    const window = 100
    for (let seq = 0; seq < 100_000; seq++) {
      owner.expireBefore(Math.max(0, seq - window + 1))
      owner.set(seq * 7919, seq)
    }
    for (let seq = 100_000 - window; seq < 100_000; seq++) expect(owner.get(seq * 7919)).toBe(seq)
    expect(owner.get((100_000 - window - 1) * 7919)).toBe(-1)
    // the table is sized by the live window, not by the 100k keys ever inserted
    expect(owner.index.capacity).toBeLessThanOrEqual(4096)
  })

  it('a dead key set again comes back to life', () => {
    const index = new NumericKeyIndex(16)
    index.set(5, 0, 0)
    index.set(5, 10, 10)
    expect(index.get(5, 10)).toBe(10)
  })

  it('rebuild keeps every live entry and drops dead ones (many inserts into a small table)', () => {
    const owner = new IndexOwner()
    const n = 20_000
    // the first half dies once oldestLiveSeq moves to n/2
    for (let seq = 0; seq < n; seq++) {
      if (seq === n / 2) owner.expireBefore(n / 2)
      owner.set(seq * 31 + 1, seq)
    }
    let missing = 0
    for (let seq = n / 2; seq < n; seq++) if (owner.get(seq * 31 + 1) !== seq) missing++
    expect(missing).toBe(0)
    let resurrected = 0
    for (let seq = 0; seq < n / 2; seq++) if (owner.get(seq * 31 + 1) !== -1) resurrected++
    expect(resurrected).toBe(0)
    // with everything live, the earlier keys are still there too
    const all = new IndexOwner()
    for (let seq = 0; seq < n; seq++) all.set(seq * 31 + 1, seq)
    let lost = 0
    for (let seq = 0; seq < n; seq++) if (all.get(seq * 31 + 1) !== seq) lost++
    expect(lost).toBe(0)
    expect(all.index.capacity).toBeGreaterThanOrEqual(2 * n)
  })

  it('reads sequence numbers past 2^31 and 2^32 whole, live or dead, from their low 32 bits', () => {
    for (const start of [2 ** 31 - 4, 2 ** 32 - 4, 3 * 2 ** 32 - 4]) {
      const index = new NumericKeyIndex(64)
      for (let i = 0; i < 8; i++) index.set(100 + i, start + i, start)
      for (let i = 0; i < 8; i++) expect(index.get(100 + i, start)).toBe(start + i)
      // Across the boundary, the first half dies and the second lives on.
      for (let i = 0; i < 8; i++) expect(index.get(100 + i, start + 4)).toBe(i < 4 ? -1 : start + i)
      // A dead key's slot is set again past the boundary.
      index.set(100, start + 9, start + 4)
      expect(index.get(100, start + 4)).toBe(start + 9)
    }
  })

  it('asks for a rebuild every REBUILD_EVERY_SEQS sequence numbers, so no dead entry is 2^31 behind', () => {
    const index = new NumericKeyIndex(16)
    index.set(1, 0, 0)
    expect(index.needsRebuild(REBUILD_EVERY_SEQS - 1)).toBe(false)
    expect(index.needsRebuild(REBUILD_EVERY_SEQS)).toBe(true)
    index.reset(0, REBUILD_EVERY_SEQS)
    expect(index.get(1, 0)).toBe(-1)
    expect(index.needsRebuild(2 * REBUILD_EVERY_SEQS - 1)).toBe(false)
    expect(index.needsRebuild(2 * REBUILD_EVERY_SEQS)).toBe(true)
  })

  it('asks for a rebuild at half full, and refuses a set its owner should have rebuilt for', () => {
    const index = new NumericKeyIndex(16)
    let seq = 0
    while (!index.needsRebuild(seq)) index.set(seq * 3, seq++, 0)
    expect(seq).toBe(8)
    for (; seq < 15; seq++) index.set(seq * 3, seq, 0)
    expect(() => index.set(1000, 15, 0)).toThrow(/must rebuild/)
  })
})

describe('sizing hints', () => {
  /** Every answer of a store over a stream of keys that repeat, expire and fill the store. */
  function answers(reserveKeys: number | undefined): unknown[] {
    const store = new IdempotencyStore({ ttlMs: 500, maxKeys: 3000 })
    let refused = 0
    if (reserveKeys !== undefined) store.reserve(reserveKeys)
    const seen: unknown[] = []
    for (let i = 0; i < 20_000; i++) {
      const key = i % 7 === 0 ? i - 300 : i
      const nowMs = i / 10
      // Some repeats are another request under the same key.
      const fingerprint = i % 14 === 0 ? -1 : key % 5
      const found = valuesOf(store, key, fingerprint, 0, nowMs)
      seen.push(found)
      if (found === IDEMPOTENCY_MISS && store.hasRoom(nowMs)) store.store({ scope: U, key, fingerprint, detail: 0 }, vals(i, -i), nowMs)
      else if (found === IDEMPOTENCY_MISS) refused++
    }
    seen.push(store.size, refused)
    return seen
  }

  it('changes no answer of the idempotency store, however large the reservation', () => {
    const plain = answers(undefined)
    expect(plain).toContain(IDEMPOTENCY_MISMATCH)
    for (const keys of [0, 100, 5000, 1 << 20]) expect(answers(keys)).toEqual(plain)
  })

  it('is ignored by a store or an index that already holds entries', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, maxKeys: 10 })
    store.store({ scope: U, key: 5, fingerprint: 1, detail: 0 }, vals(9, 8, 7), 0)
    store.reserve(100_000)
    expect(valuesOf(store, 5, 1, 0, 1)).toEqual(vals(9, 8, 7))
    const index = new NumericKeyIndex(16)
    index.set(3, 0, 0)
    index.reserve(1 << 20)
    expect(index.capacity).toBe(16)
    expect(index.get(3, 0)).toBe(0)
    const empty = new NumericKeyIndex(16)
    empty.reserve(1000)
    expect(empty.capacity).toBe(4096)
  })
})
