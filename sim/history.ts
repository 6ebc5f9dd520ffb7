// The run's history, Jepsen-style: every request attempt as invoke -> ok | fail | indeterminate,
// with its times, the region that served it, the client process, the logical operation it
// belongs to (its idempotency key) and the value it returned; plus fault events, the final
// reads and the convergence probes. Attempts are stored column-wise in typed arrays
// (history-columns.ts), so a run of millions of operations costs tens of bytes per attempt and
// checkers scan it quickly; readers see an attempt only through the accessors below (`kindOf(i)`,
// `invokeMsOf(i)`, …), so the layout can change without them.
import { FailureKind } from './failure-kind.ts'
import type { ConvergenceProbe, FaultRecord, FinalSnapshot } from './history-records.ts'
import { allocateColumns, type AttemptColumns } from './history-columns.ts'
import { OpKind } from './operation.ts'
import { Outcome } from './outcome.ts'
import { WORLD_LIMITS } from './world-spec.ts'

export { Outcome, OUTCOME_NAMES } from './outcome.ts'
export { emptyRegionFinal, likeSampleOf, likeStateRead } from './history-records.ts'
export type { ConvergenceProbe, FaultRecord, FinalSnapshot, InboxEntry, LikeStateSample, PurgeRecord, RegionFinal, RegionFinalDraft } from './history-records.ts'

const INITIAL_CAPACITY = 1 << 12

/**
 * An attempt as it is sent: what `History.invoke` records. A hot loop fills one record again for
 * every attempt (newInvocation) rather than allocating one each.
 */
export interface Invocation {
  kind: OpKind
  /** The logical operation (its idempotency key) the attempt belongs to. */
  opId: number
  user: number
  video: number
  /** The client process that sent it (clientProcess in operation.ts). */
  process: number
  region: number
  /** 1 for the operation's first attempt; its failovers keep the number. */
  attempt: number
  invokeMs: number
  /** Sent to a region other than the one the client routes to. */
  failover: boolean
}

export function newInvocation(): Invocation {
  return { kind: OpKind.ReadVideo, opId: -1, user: -1, video: -1, process: -1, region: 0, attempt: 1, invokeMs: 0, failover: false }
}

/** The counts an acknowledged answer showed (-1 for a count it did not give). */
export interface CountsAnswer {
  likeCount: number
  viewCount: number
  uniqueViewers: number
  stale: boolean
  /** NaN when the answer gave no asOfMs. */
  asOfMs: number
}

/** The liked flag an acknowledged read of a like showed. */
export interface LikedAnswer {
  readonly liked: boolean
  readonly stale: boolean
  /** NaN when the answer gave no asOfMs. */
  readonly asOfMs: number
}

export class History {
  length = 0
  // Rows below `length` always hold a value, so the accessors read them as numbers.
  private columns: AttemptColumns
  /**
   * How far a read's asOfMs may be off this history's clock, ms: 0 in mode sim and against the
   * embedded server (one clock); against a --target, the uncertainty of the clock offset (half the
   * round trip of the calibration it came from; Infinity when it could not be calibrated).
   */
  asOfSlackMs = 0
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
    this.columns = allocateColumns(Math.max(16, Math.ceil(capacity)))
  }

  /** Record an attempt's invocation; returns its index. */
  invoke(sent: Invocation): number {
    if (this.length === this.columns.kind.length) this.columns = allocateColumns(this.length * 2, this.columns, this.length)
    const c = this.columns
    const i = this.length++
    c.kind[i] = sent.kind
    c.opId[i] = sent.opId
    c.user[i] = sent.user
    c.video[i] = sent.video
    c.process[i] = sent.process
    c.region[i] = sent.region
    c.attempt[i] = sent.attempt
    c.failover[i] = sent.failover ? 1 : 0
    c.invokeMs[i] = sent.invokeMs
    // The other columns already hold a pending attempt's values (allocateColumns).
    return i
  }

  /** The attempt was planned for `intendedMs` but sent at its invoke time (a late open-model send). */
  intended(i: number, intendedMs: number): void {
    this.columns.intendedMs[i] = intendedMs
  }

  ok(i: number, completeMs: number, latencyMs: number): void {
    const c = this.columns
    c.outcome[i] = Outcome.Ok
    c.completeMs[i] = completeMs
    c.latencyMs[i] = latencyMs
  }

  /** A definite failure: its kind (classified where the answer arrived) and the code it came with. */
  fail(i: number, completeMs: number, latencyMs: number, failure: FailureKind, code: string): void {
    const c = this.columns
    c.outcome[i] = Outcome.Fail
    c.completeMs[i] = completeMs
    c.latencyMs[i] = latencyMs
    c.failure[i] = failure
    c.error[i] = this.codeIndex(code)
  }

  /** The client gave up (timeout, a broken answer): the operation may or may not have taken effect. */
  indeterminate(i: number, gaveUpAtMs: number, failure: FailureKind, code: string): void {
    const c = this.columns
    c.outcome[i] = Outcome.Indeterminate
    c.completeMs[i] = Infinity
    c.latencyMs[i] = gaveUpAtMs - this.invokeMsOf(i)
    c.failure[i] = failure
    c.error[i] = this.codeIndex(code)
  }

  /** The counts attempt i's answer showed. */
  counts(i: number, answer: CountsAnswer): void {
    const c = this.columns
    c.likeCount[i] = answer.likeCount
    c.viewCount[i] = answer.viewCount
    c.uniqueViewers[i] = answer.uniqueViewers
    c.stale[i] = answer.stale ? 1 : 0
    c.asOfMs[i] = answer.asOfMs
  }

  /** The liked flag attempt i's answer showed. */
  likedFlag(i: number, answer: LikedAnswer): void {
    const c = this.columns
    c.liked[i] = answer.liked ? 1 : 0
    c.stale[i] = answer.stale ? 1 : 0
    c.asOfMs[i] = answer.asOfMs
  }

  /** Attempt i as it was sent (a new record: for copies and tests, not hot loops). */
  invocationOf(i: number): Invocation {
    return { kind: this.kindOf(i), opId: this.opIdOf(i), user: this.userOf(i), video: this.videoOf(i), process: this.processOf(i), region: this.regionOf(i), attempt: this.attemptOf(i), invokeMs: this.invokeMsOf(i), failover: this.isFailover(i) }
  }

  kindOf(i: number): OpKind {
    return this.columns.kind[i] as OpKind
  }

  /** The logical operation (idempotency key) attempt i belongs to. */
  opIdOf(i: number): number {
    return this.columns.opId[i] as number
  }

  userOf(i: number): number {
    return this.columns.user[i] as number
  }

  videoOf(i: number): number {
    return this.columns.video[i] as number
  }

  processOf(i: number): number {
    return this.columns.process[i] as number
  }

  regionOf(i: number): number {
    return this.columns.region[i] as number
  }

  /** 1 for the operation's first attempt, 2 for its first retry, …; failovers keep the number. */
  attemptOf(i: number): number {
    return this.columns.attempt[i] as number
  }

  isFailover(i: number): boolean {
    return this.columns.failover[i] === 1
  }

  invokeMsOf(i: number): number {
    return this.columns.invokeMs[i] as number
  }

  /** Infinity for an attempt not answered (indeterminate or pending). */
  completeMsOf(i: number): number {
    return this.columns.completeMs[i] as number
  }

  /** When attempt i was meant to be sent: its intended time if it went late, else its invoke time. */
  intendedMsOf(i: number): number {
    const intended = this.columns.intendedMs[i] as number
    return Number.isNaN(intended) ? this.invokeMsOf(i) : intended
  }

  outcomeOf(i: number): Outcome {
    return this.columns.outcome[i] as Outcome
  }

  /** Why attempt i failed (FailureKind.None when it did not). */
  failureOf(i: number): FailureKind {
    return (this.columns.failure[i] ?? FailureKind.None) as FailureKind
  }

  errorCode(i: number): string {
    return this.errorCodes[this.columns.error[i] as number] ?? ''
  }

  latencyMsOf(i: number): number {
    return this.columns.latencyMs[i] as number
  }

  /** -1 when the answer showed no like count. */
  likeCountOf(i: number): number {
    return this.columns.likeCount[i] as number
  }

  /** -1 when the answer showed no view count. */
  viewCountOf(i: number): number {
    return this.columns.viewCount[i] as number
  }

  /** -1 when the answer showed no unique viewers. */
  uniqueViewersOf(i: number): number {
    return this.columns.uniqueViewers[i] as number
  }

  /** The liked flag the answer showed; undefined when it showed none. */
  likedOf(i: number): boolean | undefined {
    const liked = this.columns.liked[i]
    return liked === 1 ? true : liked === 0 ? false : undefined
  }

  /** The answer was marked stale (last-known-good). */
  isStale(i: number): boolean {
    return this.columns.stale[i] === 1
  }

  /** The time the answer claims to reflect; NaN when it gave none. */
  asOfMsOf(i: number): number {
    return this.columns.asOfMs[i] as number
  }

  /** The time attempt i's answer claims to reflect: its asOfMs, or its invoke time when it gave none. */
  readAsOfMs(i: number): number {
    const asOf = this.asOfMsOf(i)
    return Number.isNaN(asOf) ? this.invokeMsOf(i) : asOf
  }

  /**
   * The earliest that time can be on this history's clock (readAsOfMs less asOfSlackMs). Checks
   * judge a read at it: what surely stood only grows with time and what may have stood only
   * shrinks, so the earliest instant gives the widest honest bounds.
   */
  earliestAsOfMs(i: number): number {
    return this.readAsOfMs(i) - this.asOfSlackMs
  }

  /** Attempt i is of that kind and was acknowledged. */
  isAcknowledged(i: number, kind: OpKind): boolean {
    return this.columns.kind[i] === kind && this.columns.outcome[i] === Outcome.Ok
  }

  /** Attempt i is a like that may have taken effect (acknowledged, indeterminate or pending). */
  mayHaveLiked(i: number): boolean {
    return this.columns.kind[i] === OpKind.Like && this.columns.outcome[i] !== Outcome.Fail
  }

  /** One more than the largest operation id among attempts of these kinds (of any kind when none given). */
  opIdLimit(...kinds: OpKind[]): number {
    let max = -1
    for (let i = 0; i < this.length; i++) {
      if (kinds.length > 0 && !kinds.includes(this.kindOf(i))) continue
      const op = this.opIdOf(i)
      if (op > max) max = op
    }
    return max + 1
  }

  /**
   * For each operation id below opIdLimit(...kinds), the attempt of these kinds invoked first (the
   * lowest index among equals), -1 when it has none: where a logical operation began.
   */
  firstAttempts(...kinds: OpKind[]): Int32Array {
    const first = new Int32Array(this.opIdLimit(...kinds)).fill(-1)
    for (let i = 0; i < this.length; i++) {
      if (kinds.length > 0 && !kinds.includes(this.kindOf(i))) continue
      const op = this.opIdOf(i)
      const earlier = first[op] as number
      if (earlier < 0 || this.invokeMsOf(i) < this.invokeMsOf(earlier)) first[op] = i
    }
    return first
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
