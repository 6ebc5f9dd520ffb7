// What a client does with one logical operation, as pure decisions that mode sim (virtual clock),
// mode http (real sockets) and the k6 script (its esbuild bundle) all call:
//   where an attempt goes   home first (or the operation's pinned region), then the home's
//                           failover order, skipping regions that refused a connection within
//                           failoverStickyMs
//   what an answer means    answer-kind.ts: done, give up, fail over at once, or retry
//   whether it may retry    at most maxAttempts, and within a retry budget: every first attempt
//                           earns retryBudgetRatio of a token (Google SRE's retry budget), a retry
//                           spends one; the bank is capped so a quiet spell cannot fund a storm
//   when it retries         jittered exponential backoff, at least the server's Retry-After
//   with which key          the same idempotency key on every attempt (idempotencyKey below)
// The caller owns time (it passes nowMs) and sends; nothing here reads a clock or a socket.
import type { RandomStream } from '../../sim/rng.ts'
import type { RegionSpec } from '../../sim/regions.ts'
import { FailureKind } from '../../sim/failure-kind.ts'
import { failsOver, isRetryable } from './answer-kind.ts'
import type { ClientSpec } from './client-spec.ts'

/**
 * The header of an attempt's deadline: the ms its client will still wait for the answer when it
 * sends it (mock-server/http/request-deadline.ts). Mode http's client and the k6 script both send
 * it, so the mock server drops the same expired work whichever drove it.
 */
export const DEADLINE_HEADER = 'x-likestorm-deadline-ms'

/** Retry tokens a region's clients can bank (bounds bursts of retries after a quiet spell). */
const BUDGET_CAP_TOKENS = 50
/** Tokens a region starts with: a few retries are allowed before any first attempt earned them. */
const BUDGET_START_TOKENS = BUDGET_CAP_TOKENS / 5
/** Backoff jitter: the delay is drawn from [0.5, 1.5) times the exponential step. */
const JITTER_LOW = 0.5
const JITTER_HIGH = 1.5

/**
 * The longest Retry-After a client honours, in the server's seconds; a longer one is cut to it.
 * AWS's SDKs cap their retry delay at 20 s ("standard" retry mode); an unbounded wait would make
 * the retry horizon, and so the idempotency keys' lifetime, unbounded.
 */
export const RETRY_AFTER_MAX_S = 20

/** A server's Retry-After as the client honours it (seconds, the server's clock): capped. */
export function honouredRetryAfterS(retryAfterS: number): number {
  return Math.min(retryAfterS, RETRY_AFTER_MAX_S)
}

/** The same in ms (mode sim's core gives its Retry-After in ms of the scenario clock, which is its own). */
export function honouredRetryAfterMs(retryAfterMs: number): number {
  return Math.min(retryAfterMs, RETRY_AFTER_MAX_S * 1000)
}

/** The longest backoff before the attempt after `attemptsSoFar`, ms: the top of its jitter. */
export function backoffMaxMs(spec: ClientSpec, attemptsSoFar: number): number {
  return spec.backoffBaseMs * 2 ** (attemptsSoFar - 1) * JITTER_HIGH
}

/** Where the operation stands when its answer arrives. */
export interface AnswerAt {
  /** The answer's kind (FailureKind.None for a success). */
  readonly kind: FailureKind
  /** The client's home region and the region the attempt went to (indices in the world's region order). */
  readonly home: number
  readonly region: number
  /** 1 for the first attempt, +1 per retry (a failover keeps the number). */
  readonly attempt: number
  /** Failovers so far within this attempt (0 for the first region tried). */
  readonly hop: number
  /** When the answer arrived (ms, the caller's clock). */
  readonly nowMs: number
  /** The server's Retry-After, ms; undefined (or NaN) when it gave none. */
  readonly retryAfterMs: number | undefined
}

/** What to do next. */
export type Decision =
  | { readonly next: 'done' }
  | { readonly next: 'give-up'; readonly why: GiveUpReason }
  /** Send the same attempt to `region` now (hop + 1). */
  | { readonly next: 'fail-over'; readonly region: number }
  /** Send attempt + 1 after `delayMs`, to the region `regionFor` names then. */
  | { readonly next: 'retry'; readonly delayMs: number }

export type GiveUpReason = 'refused-for-good' | 'attempts-used' | 'budget-spent'

const DONE: Decision = { next: 'done' }
const GIVE_UP = {
  'refused-for-good': { next: 'give-up', why: 'refused-for-good' },
  'attempts-used': { next: 'give-up', why: 'attempts-used' },
  'budget-spent': { next: 'give-up', why: 'budget-spent' },
} as const satisfies Record<GiveUpReason, Decision>

/** The idempotency key of a logical operation: the run's (or export's) id and the operation's key id. */
export function idempotencyKey(runId: string, keyId: number): string {
  return `ls-${runId}-${keyId}`
}

export class ClientProtocol {
  readonly spec: ClientSpec
  /** Retries the budget refused, over the protocol's life. */
  retriesDenied = 0
  private readonly routes: readonly (readonly number[])[]
  private readonly avoidUntilMs: Float64Array
  private readonly tokens: Float64Array
  private readonly random: RandomStream

  /**
   * @param random the jitter's source: a named stream of the world's seed (sim, http) or a VU's own (k6)
   * @param startTokens retry tokens each region starts with (default BUDGET_START_TOKENS, a whole
   *   population's); a client that is one of many, as each k6 VU is, starts with fewer, or their
   *   starting budgets add up to many populations'
   */
  constructor({ spec, regions, random, startTokens = BUDGET_START_TOKENS }: { spec: ClientSpec; regions: readonly RegionSpec[]; random: RandomStream; startTokens?: number }) {
    this.spec = spec
    this.random = random
    const index = new Map(regions.map((region, i) => [region.id, i]))
    this.routes = regions.map((region, i) => [i, ...region.failoverOrder.map((id) => index.get(id)).filter((j): j is number => j !== undefined && j !== i)])
    this.avoidUntilMs = new Float64Array(regions.length).fill(-Infinity)
    this.tokens = new Float64Array(regions.length).fill(Math.min(BUDGET_START_TOKENS, startTokens))
  }

  /** A logical operation begins (its first attempt): it earns its share of a retry token. */
  begin(home: number): void {
    this.tokens[home] = Math.min(BUDGET_CAP_TOKENS, (this.tokens[home] as number) + this.spec.retryBudgetRatio)
  }

  /** The region an attempt goes to: the pinned route (a second device on another region's network) unless avoided, else the first of home's route not avoided. */
  regionFor(home: number, route: number, nowMs: number): number {
    return route >= 0 && !this.avoids(route, nowMs) ? route : this.pick(home, nowMs)
  }

  /** After an answer: done, give up, fail over now, or retry later. */
  decide(answer: AnswerAt): Decision {
    const { kind, home, nowMs } = answer
    if (kind === FailureKind.None) return DONE
    if (failsOver(kind)) {
      this.avoidUntilMs[answer.region] = nowMs + this.spec.failoverStickyMs
      const next = this.pick(home, nowMs)
      if (!this.avoids(next, nowMs) && answer.hop + 1 < this.routes.length) return { next: 'fail-over', region: next }
    }
    if (!isRetryable(kind)) return GIVE_UP['refused-for-good']
    if (answer.attempt >= this.spec.maxAttempts) return GIVE_UP['attempts-used']
    if ((this.tokens[home] as number) < 1) {
      this.retriesDenied++
      return GIVE_UP['budget-spent']
    }
    this.tokens[home] = (this.tokens[home] as number) - 1
    return { next: 'retry', delayMs: this.backoffMs(answer.attempt, answer.retryAfterMs) }
  }

  /** Whether clients currently avoid a region (it refused a connection recently). */
  avoids(region: number, nowMs: number): boolean {
    return (this.avoidUntilMs[region] as number) > nowMs
  }

  /** First region of home's route that clients do not avoid (home when all are avoided). */
  private pick(home: number, nowMs: number): number {
    for (const region of this.routes[home] as readonly number[]) if (!this.avoids(region, nowMs)) return region
    return home
  }

  /** Jittered exponential backoff, at least the server's Retry-After. */
  private backoffMs(attemptsSoFar: number, retryAfterMs: number | undefined): number {
    const backoffMs = this.spec.backoffBaseMs * 2 ** (attemptsSoFar - 1) * this.random.between(JITTER_LOW, JITTER_HIGH)
    return retryAfterMs === undefined || Number.isNaN(retryAfterMs) ? backoffMs : Math.max(backoffMs, retryAfterMs)
  }
}
