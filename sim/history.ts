// The run's history, Jepsen-style: every request attempt as invoke -> ok | fail | indeterminate,
// with its times, the region that served it, the client process, the logical operation it
// belongs to (its idempotency key) and the value it returned; plus fault events, the final
// reads and the convergence probes. Attempts are stored column-wise in typed arrays, so a run of
// millions of operations costs tens of bytes per attempt and checkers scan it quickly.
import { FailureKind } from './failure-kind.ts'
import type { FaultSpec } from './faults.ts'
import type { OpKind } from './operation.ts'
import { WORLD_LIMITS } from './world-spec.ts'

export const Outcome = { Ok: 0, Fail: 1, Indeterminate: 2, Pending: 3 } as const
export type Outcome = (typeof Outcome)[keyof typeof Outcome]
export const OUTCOME_NAMES = ['ok', 'fail', 'indeterminate', 'pending'] as const

const INITIAL_CAPACITY = 1 << 12

export interface PurgeRecord {
  readonly kind: 'bot' | 'inactive'
  readonly atMs: number
  /**
   * When the purge was surely complete: a purge that runs in slices (a server answering requests
   * meanwhile) removes likes between atMs and this, so a read in between may count them or not.
   * Absent: it removed them all at atMs (mode sim).
   */
  readonly doneAtMs?: number
  /** Purged accounts, as world user indices, with the system's reasons. */
  readonly accounts: readonly number[]
  readonly reasons: readonly (readonly string[])[]
  /** Removed likes the system reported, as world indices. */
  readonly removedUsers: readonly number[]
  readonly removedVideos: readonly number[]
  /** Ids in the system's report the world does not know (should be 0). */
  readonly unknownIds: number
}

export interface FaultRecord {
  readonly spec: FaultSpec
  readonly startMs: number
  readonly endMs: number
  /** Set when the fault could not be applied (e.g. the target has no admin API). */
  skipped?: string
  purge?: PurgeRecord
}

export interface RegionFinal {
  readonly region: string
  readonly readAtMs: number
  readonly likeCount: Int32Array
  readonly viewCount: Int32Array
  readonly uniqueViewers: Int32Array
  /** 1 when the final read of that video succeeded. */
  readonly readOk: Uint8Array
  /** (user, video) pairs the region lists as liked, as pair keys. */
  readonly likedPairs: Set<number>
  /** Users whose liked list could not be read. */
  readonly listFailures: number
}

/** A region's final snapshot while the final reads fill it in. */
export type RegionFinalDraft = { -readonly [K in keyof RegionFinal]: RegionFinal[K] }

/** A region's final snapshot before any read: no video read, nothing listed. */
export function emptyRegionFinal(region: string, videoCount: number): RegionFinalDraft {
  return {
    region,
    readAtMs: 0,
    likeCount: new Int32Array(videoCount),
    viewCount: new Int32Array(videoCount),
    uniqueViewers: new Int32Array(videoCount),
    readOk: new Uint8Array(videoCount),
    likedPairs: new Set<number>(),
    listFailures: 0,
  }
}

export interface InboxEntry {
  readonly fromUser: number
  readonly video: number
  readonly likedAtMs: number
  readonly deliveredAtMs: number
}

export interface FinalSnapshot {
  readonly atMs: number
  readonly regions: readonly RegionFinal[]
  /** Notifications each creator holds at the end (creators whose videos got likes), by world index. */
  readonly inboxes: ReadonlyMap<number, readonly InboxEntry[]>
  /** The bound of an inbox: a creator may hold at most this many. */
  readonly inboxMax: number
  /** Creators whose inbox could not be read. */
  readonly inboxFailures: number
}

export interface ConvergenceProbe {
  readonly atMs: number
  /** Per region, in region order: up to when every other region's writes are visible. */
  readonly watermarkMs: readonly number[]
  readonly digests: readonly string[]
}

export class History {
  length = 0
  kind: Uint8Array
  opId: Int32Array
  user: Int32Array
  video: Int32Array
  process: Int32Array
  region: Uint8Array
  attempt: Uint8Array
  failover: Uint8Array
  invokeMs: Float64Array
  completeMs: Float64Array
  outcome: Uint8Array
  error: Uint8Array
  /** Why the attempt failed (FailureKind; None for ok and pending): what readers judge by. */
  failure: Uint8Array
  latencyMs: Float32Array
  likeCount: Int32Array
  viewCount: Int32Array
  uniqueViewers: Int32Array
  /** -1 when the attempt returned no liked flag. */
  liked: Int8Array
  stale: Uint8Array
  asOfMs: Float64Array
  /**
   * How far a read's asOfMs may be off this history's clock, ms: 0 in mode sim and against the
   * embedded server (one clock); against a --target, the uncertainty of the clock offset (half the
   * round trip of the calibration it came from; Infinity when it could not be calibrated).
   */
  asOfSlackMs = 0
  /** When the attempt was meant to be sent (open model); NaN when the same as invokeMs. */
  intendedMs: Float64Array
  /** Error codes by index; 0 is "no error". */
  readonly errorCodes: string[] = ['']
  private readonly errorIndex = new Map<string, number>([['', 0]])
  readonly faults: FaultRecord[] = []
  final: FinalSnapshot | undefined
  /** When convergence is measured from: the end of the last fault, or of the traffic. */
  convergenceFromMs: number | undefined
  readonly probes: ConvergenceProbe[] = []
  /** Replication watermarks sampled through the run (one per time-series bucket). */
  readonly lagSamples: Array<{ readonly atMs: number; readonly watermarkMs: readonly number[] }> = []

  /**
   * @param capacity rows to allocate up front: a caller that knows roughly how many attempts it
   *   will record spares the doubling (each growth copies every column, and the GC runs a full
   *   mark for the memory it takes)
   */
  constructor({ capacity = INITIAL_CAPACITY }: { capacity?: number } = {}) {
    const rows = Math.max(16, Math.ceil(capacity))
    this.kind = new Uint8Array(rows)
    this.opId = new Int32Array(rows)
    this.user = new Int32Array(rows)
    this.video = new Int32Array(rows)
    this.process = new Int32Array(rows)
    this.region = new Uint8Array(rows)
    this.attempt = new Uint8Array(rows)
    this.failover = new Uint8Array(rows)
    this.invokeMs = new Float64Array(rows)
    this.completeMs = new Float64Array(rows)
    this.outcome = new Uint8Array(rows)
    this.error = new Uint8Array(rows)
    this.failure = new Uint8Array(rows)
    this.latencyMs = new Float32Array(rows)
    this.likeCount = new Int32Array(rows)
    this.viewCount = new Int32Array(rows)
    this.uniqueViewers = new Int32Array(rows)
    this.liked = new Int8Array(rows)
    this.stale = new Uint8Array(rows)
    this.asOfMs = new Float64Array(rows)
    this.intendedMs = new Float64Array(rows)
    this.fillPending(0)
  }

  /**
   * Rows from `from` on hold a pending attempt's values before they are invoked, so `invoke`
   * writes only what the caller gives (a fill streams through memory; millions of scattered
   * stores of the same defaults do not).
   */
  private fillPending(from: number): void {
    this.completeMs.fill(Infinity, from)
    this.outcome.fill(Outcome.Pending, from)
    this.likeCount.fill(-1, from)
    this.viewCount.fill(-1, from)
    this.uniqueViewers.fill(-1, from)
    this.liked.fill(-1, from)
    this.asOfMs.fill(Number.NaN, from)
    this.intendedMs.fill(Number.NaN, from)
  }

  /** Record an attempt's invocation; returns its index. */
  invoke(kind: OpKind, opId: number, user: number, video: number, process: number, region: number, attempt: number, invokeMs: number, failover: boolean): number {
    if (this.length === this.kind.length) this.grow()
    const i = this.length++
    this.kind[i] = kind
    this.opId[i] = opId
    this.user[i] = user
    this.video[i] = video
    this.process[i] = process
    this.region[i] = region
    this.attempt[i] = attempt
    this.failover[i] = failover ? 1 : 0
    this.invokeMs[i] = invokeMs
    // The other columns already hold a pending attempt's values (fillPending).
    return i
  }

  /** The attempt was planned for `intendedMs` but sent at its invoke time (a late open-model send). */
  intended(i: number, intendedMs: number): void {
    this.intendedMs[i] = intendedMs
  }

  ok(i: number, completeMs: number, latencyMs: number): void {
    this.outcome[i] = Outcome.Ok
    this.completeMs[i] = completeMs
    this.latencyMs[i] = latencyMs
  }

  /** A definite failure: its kind (classified where the answer arrived) and the code it came with. */
  fail(i: number, completeMs: number, latencyMs: number, failure: FailureKind, code: string): void {
    this.outcome[i] = Outcome.Fail
    this.completeMs[i] = completeMs
    this.latencyMs[i] = latencyMs
    this.failure[i] = failure
    this.error[i] = this.codeIndex(code)
  }

  /** The client gave up (timeout, a broken answer): the operation may or may not have taken effect. */
  indeterminate(i: number, gaveUpAtMs: number, failure: FailureKind, code: string): void {
    this.outcome[i] = Outcome.Indeterminate
    this.completeMs[i] = Infinity
    this.latencyMs[i] = gaveUpAtMs - (this.invokeMs[i] as number)
    this.failure[i] = failure
    this.error[i] = this.codeIndex(code)
  }

  /** Why attempt i failed (FailureKind.None when it did not). */
  failureOf(i: number): FailureKind {
    return (this.failure[i] ?? FailureKind.None) as FailureKind
  }

  counts(i: number, likeCount: number, viewCount: number, uniqueViewers: number, stale: boolean, asOfMs: number): void {
    this.likeCount[i] = likeCount
    this.viewCount[i] = viewCount
    this.uniqueViewers[i] = uniqueViewers
    this.stale[i] = stale ? 1 : 0
    this.asOfMs[i] = asOfMs
  }

  likedFlag(i: number, liked: boolean, stale: boolean, asOfMs: number): void {
    this.liked[i] = liked ? 1 : 0
    this.stale[i] = stale ? 1 : 0
    this.asOfMs[i] = asOfMs
  }

  /** The time attempt i's answer claims to reflect: its asOfMs, or its invoke time when it gave none. */
  readAsOfMs(i: number): number {
    const asOf = this.asOfMs[i] as number
    return Number.isNaN(asOf) ? (this.invokeMs[i] as number) : asOf
  }

  /**
   * The earliest that time can be on this history's clock (readAsOfMs less asOfSlackMs). Checks
   * judge a read at it: what surely stood only grows with time and what may have stood only
   * shrinks, so the earliest instant gives the widest honest bounds.
   */
  earliestAsOfMs(i: number): number {
    return this.readAsOfMs(i) - this.asOfSlackMs
  }

  errorCode(i: number): string {
    return this.errorCodes[this.error[i] as number] ?? ''
  }

  private codeIndex(code: string): number {
    let index = this.errorIndex.get(code)
    if (index === undefined) {
      if (this.errorCodes.length >= 255) throw new Error('history: more than 254 distinct error codes')
      index = this.errorCodes.length
      this.errorCodes.push(code)
      this.errorIndex.set(code, index)
    }
    return index
  }

  private grow(): void {
    const size = this.kind.length * 2
    const g = <T extends Uint8Array | Int8Array | Int32Array | Float32Array | Float64Array>(old: T, make: new (n: number) => T): T => {
      const next = new make(size)
      next.set(old as never)
      return next
    }
    this.kind = g(this.kind, Uint8Array)
    this.opId = g(this.opId, Int32Array)
    this.user = g(this.user, Int32Array)
    this.video = g(this.video, Int32Array)
    this.process = g(this.process, Int32Array)
    this.region = g(this.region, Uint8Array)
    this.attempt = g(this.attempt, Uint8Array)
    this.failover = g(this.failover, Uint8Array)
    this.invokeMs = g(this.invokeMs, Float64Array)
    this.completeMs = g(this.completeMs, Float64Array)
    this.outcome = g(this.outcome, Uint8Array)
    this.error = g(this.error, Uint8Array)
    this.failure = g(this.failure, Uint8Array)
    this.latencyMs = g(this.latencyMs, Float32Array)
    this.likeCount = g(this.likeCount, Int32Array)
    this.viewCount = g(this.viewCount, Int32Array)
    this.uniqueViewers = g(this.uniqueViewers, Int32Array)
    this.liked = g(this.liked, Int8Array)
    this.stale = g(this.stale, Uint8Array)
    this.asOfMs = g(this.asOfMs, Float64Array)
    this.intendedMs = g(this.intendedMs, Float64Array)
    this.fillPending(this.length)
  }
}

/** A (user, video) pair as one number (world indices; users < 2^22). */
export const PAIR_USER_LIMIT = WORLD_LIMITS.accounts

export function pairOf(video: number, user: number): number {
  return video * PAIR_USER_LIMIT + user
}

export function pairVideoOf(pair: number): number {
  return Math.floor(pair / PAIR_USER_LIMIT)
}

export function pairUserOf(pair: number): number {
  return pair % PAIR_USER_LIMIT
}
