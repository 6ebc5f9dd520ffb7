// Idempotency keys of a counting system that honours them: a retry of a stored key is replayed
// (its answer left in `answer`) and a key reused for another request refused, both before the
// rate limiter and admission, since answering from the store costs nothing and a client's retry
// of an acknowledged write must not be turned away. A new key is refused while the store is full
// (its keys are kept for their whole TTL), before the write is applied.
import { IDEMPOTENCY_MISMATCH, IDEMPOTENCY_MISS, IdempotencyStore, newStoredAnswer, type KeyedRequest, type StoredAnswer } from '../../core/idempotency-store.ts'
import type { SystemEnv, SystemReply, SystemSettings } from '../system.ts'

export interface KeyedCounters {
  idempotentReplays: number
  idempotencyStoreFull: number
}

export class KeyedWrites {
  private readonly env: SystemEnv
  private readonly store: IdempotencyStore
  /** The replayed answer. */
  readonly answer: StoredAnswer = newStoredAnswer()
  /** The keyed request being answered (one record, filled again for each: see `keyed`). */
  private readonly request: KeyedRequest = { scope: -1, key: 0, fingerprint: 0, detail: 0 }
  readonly counters: KeyedCounters = { idempotentReplays: 0, idempotencyStoreFull: 0 }

  constructor(env: SystemEnv, settings: SystemSettings) {
    this.env = env
    this.store = new IdempotencyStore({ ttlMs: settings.idempotencyTtlMs, maxKeys: settings.idempotencyMaxKeys })
  }

  /**
   * A user's keyed request (the reused record, valid until the next call); undefined when the
   * request carries no key.
   */
  keyed(user: number, key: string | number | undefined, fingerprint: number, detail: number): KeyedRequest | undefined {
    if (key === undefined) return undefined
    const request = this.request
    request.scope = user
    request.key = key
    request.fingerprint = fingerprint
    request.detail = detail
    return request
  }

  /**
   * True when the write is answered here (replayed, refused as a mismatch, or refused for a full
   * store); false when it goes on through the front door. Requests the front door refuses anyway
   * (unknown or gone ids) always do.
   */
  answered(reply: SystemReply, video: number, request: KeyedRequest | undefined): boolean {
    if (request === undefined || request.scope < 0 || video < 0) return false
    const directory = this.env.directory
    if (directory.isDeleted(request.scope) || directory.isTakenDown(video)) return false
    const nowMs = this.env.nowMs()
    const seq = this.store.lookup(request, nowMs)
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
    this.store.answer(seq, this.answer)
    this.counters.idempotentReplays++
    reply.succeed(this.env.serviceMs(), true)
    return true
  }

  /** Keep the answer given to a keyed request, to replay it. */
  remember(request: KeyedRequest, answer: StoredAnswer): void {
    this.store.store(request, answer, this.env.nowMs())
  }

  reserve(keys: number): void {
    this.store.reserve(keys)
  }
}
