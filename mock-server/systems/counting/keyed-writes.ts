// Idempotency keys of a counting system that honours them: a retry of a stored key is replayed
// (its values left in `values`) and a key reused for another request refused, both before the
// rate limiter and admission, since answering from the store costs nothing and a client's retry
// of an acknowledged write must not be turned away. A new key is refused while the store is full
// (its keys are kept for their whole TTL), before the write is applied.
import { IDEMPOTENCY_MISMATCH, IDEMPOTENCY_MISS, IdempotencyStore, type StoredValues } from '../../core/idempotency-store.ts'
import type { SystemEnv, SystemReply, SystemSettings } from '../system.ts'

export interface KeyedCounters {
  idempotentReplays: number
  idempotencyStoreFull: number
}

export class KeyedWrites {
  private readonly env: SystemEnv
  private readonly store: IdempotencyStore
  /** The replayed response's values (or the ones being stored). */
  readonly values: StoredValues = { v1: 0, v2: 0, v3: 0 }
  readonly counters: KeyedCounters = { idempotentReplays: 0, idempotencyStoreFull: 0 }

  constructor(env: SystemEnv, settings: SystemSettings) {
    this.env = env
    this.store = new IdempotencyStore({ ttlMs: settings.idempotencyTtlMs, maxKeys: settings.idempotencyMaxKeys })
  }

  /**
   * True when the write is answered here (replayed, refused as a mismatch, or refused for a full
   * store); false when it goes on through the front door. Requests the front door refuses anyway
   * (unknown or gone ids) always do.
   */
  answered(reply: SystemReply, user: number, video: number, key: string | number | undefined, fingerprint: number, detail: number): boolean {
    if (key === undefined || user < 0 || video < 0) return false
    const directory = this.env.directory
    if (directory.isDeleted(user) || directory.isTakenDown(video)) return false
    const nowMs = this.env.nowMs()
    const seq = this.store.lookup(user, key, fingerprint, detail, nowMs)
    if (seq === IDEMPOTENCY_MISS) {
      if (this.store.hasRoom(nowMs)) return false
      this.counters.idempotencyStoreFull++
      reply.fail('LS_CORE_IDEMPOTENCY_STORE_FULL', 1, Math.max(1000, this.store.retryAfterMs(nowMs)))
      return true
    }
    if (seq === IDEMPOTENCY_MISMATCH) {
      reply.fail('LS_CORE_IDEMPOTENCY_MISMATCH', this.env.serviceMs())
      return true
    }
    this.store.values(seq, this.values)
    this.counters.idempotentReplays++
    reply.succeed(this.env.serviceMs(), true)
    return true
  }

  remember(user: number, key: string | number, fingerprint: number, detail: number, first: number, second: number): void {
    const values = this.values
    values.v1 = first
    values.v2 = second
    values.v3 = 0
    this.store.store(user, key, fingerprint, detail, values, this.env.nowMs())
  }

  reserve(keys: number): void {
    this.store.reserve(keys)
  }
}
