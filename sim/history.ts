// The run's history, Jepsen-style: every request attempt as invoke -> ok | fail | indeterminate,
// with its times, the region that served it, the client process, the logical operation it
// belongs to (its idempotency key) and the value it returned; plus fault events, the final
// reads and the convergence probes. Attempts are stored column-wise in typed arrays, in chunks
// (history-columns.ts, history-chunks.ts), so an attempt costs tens of bytes and checkers scan
// them quickly; given a store, all but a few chunks live outside memory, so a history of any length
// costs a fixed amount of it. Readers see an attempt only through the accessors below (`kindOf(i)`,
// `invokeMsOf(i)`, …), so the layout can change without them.
import type { CountsAnswer, CountsReadBefore, LikedAnswer } from './answers.ts'
import { FailureKind } from './failure-kind.ts'
import { FirstAttempts } from './first-attempts.ts'
import type { ConvergenceProbe, FaultRecord, FinalSnapshot } from './history-records.ts'
import { ChunkedRows, type ChunkStore } from './history-chunks.ts'
import type { Invocation } from './invocation.ts'
import { OpKind } from './operation.ts'
import { Outcome } from './outcome.ts'

export { Outcome, OUTCOME_NAMES } from './outcome.ts'
export { emptyRegionFinal, likeSampleOf, likeStateRead } from './history-records.ts'
export type { ConvergenceProbe, FaultRecord, FinalSnapshot, InboxEntry, LikeStateSample, PurgeRecord, RegionFinal, RegionFinalDraft } from './history-records.ts'
export type { CountsAnswer, CountsReadBefore, LikedAnswer } from './answers.ts'
export { newInvocation, type Invocation } from './invocation.ts'
export { PAIR_USER_LIMIT, pairOf, pairUserOf, pairVideoOf } from './pairs.ts'

const INITIAL_CAPACITY = 1 << 12

export class History {
  length = 0
  // Rows below `length` always hold a value, so the accessors read them as numbers.
  private readonly rows: ChunkedRows
  private readonly mask: number
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
   * Fresh counts a --target answered to the harness itself before the run's clock started (its
   * freshness inspection and clock calibration; a few dozen, at most a few hundred reads): no
   * attempt records them, yet the target may remember them as a video's last known good.
   */
  readonly countsReadBefore: CountsReadBefore[] = []

  /**
   * @param capacity about how many attempts the history will hold: a small history takes small
   *   chunks (a test's history does not allocate for millions)
   * @param store where chunks beyond `residentChunks` go (the runner's spill file); without one
   *   every chunk stays in memory
   */
  constructor({ capacity = INITIAL_CAPACITY, store, residentChunks }: { capacity?: number; store?: ChunkStore; residentChunks?: number } = {}) {
    this.rows = new ChunkedRows({ chunkRows: capacity, store, ...(residentChunks === undefined ? {} : { residentChunks }) })
    this.mask = this.rows.mask
  }

  /** Bytes the attempts hold in memory now (the chunks resident). */
  get residentBytes(): number {
    return this.rows.residentBytes
  }

  /** Release the store the history spilled to; its attempts can no longer be read. */
  close(): void {
    this.rows.close()
  }

  /** Record an attempt's invocation; returns its index. */
  invoke(sent: Invocation): number {
    const row = this.length++
    const c = this.rows.write(row)
    const i = row & this.mask
    c.kind[i] = sent.kind
    c.opId[i] = sent.opId
    c.user[i] = sent.user
    c.video[i] = sent.video
    c.process[i] = sent.process
    c.region[i] = sent.region
    c.attempt[i] = sent.attempt
    c.failover[i] = sent.failover ? 1 : 0
    c.invokeMs[i] = sent.invokeMs
    // The other columns already hold a pending attempt's values (allocateChunk).
    return row
  }

  /** The attempt was planned for `intendedMs` but sent at its invoke time (a late open-model send). */
  intended(i: number, intendedMs: number): void {
    this.rows.write(i).intendedMs[i & this.mask] = intendedMs
  }

  ok(row: number, completeMs: number, latencyMs: number): void {
    const c = this.rows.write(row)
    const i = row & this.mask
    c.outcome[i] = Outcome.Ok
    c.completeMs[i] = completeMs
    c.latencyMs[i] = latencyMs
  }

  /** A definite failure: its kind (classified where the answer arrived) and the code it came with. */
  fail(row: number, completeMs: number, latencyMs: number, failure: FailureKind, code: string): void {
    const error = this.codeIndex(code)
    const c = this.rows.write(row)
    const i = row & this.mask
    c.outcome[i] = Outcome.Fail
    c.completeMs[i] = completeMs
    c.latencyMs[i] = latencyMs
    c.failure[i] = failure
    c.error[i] = error
  }

  /** The client gave up (timeout, a broken answer): the operation may or may not have taken effect. */
  indeterminate(row: number, gaveUpAtMs: number, failure: FailureKind, code: string): void {
    const error = this.codeIndex(code)
    const c = this.rows.write(row)
    const i = row & this.mask
    c.outcome[i] = Outcome.Indeterminate
    c.completeMs[i] = Infinity
    c.latencyMs[i] = gaveUpAtMs - (c.invokeMs[i] as number)
    c.failure[i] = failure
    c.error[i] = error
  }

  /** The counts attempt i's answer showed. */
  counts(row: number, answer: CountsAnswer): void {
    const c = this.rows.write(row)
    const i = row & this.mask
    c.likeCount[i] = answer.likeCount
    c.viewCount[i] = answer.viewCount
    c.uniqueViewers[i] = answer.uniqueViewers
    c.stale[i] = answer.stale ? 1 : 0
    c.asOfMs[i] = answer.asOfMs
  }

  /** The liked flag attempt i's answer showed. */
  likedFlag(row: number, answer: LikedAnswer): void {
    const c = this.rows.write(row)
    const i = row & this.mask
    c.liked[i] = answer.liked ? 1 : 0
    c.stale[i] = answer.stale ? 1 : 0
    c.asOfMs[i] = answer.asOfMs
  }

  /** Attempt i as it was sent (a new record: for copies and tests, not hot loops). */
  invocationOf(i: number): Invocation {
    return { kind: this.kindOf(i), opId: this.opIdOf(i), user: this.userOf(i), video: this.videoOf(i), process: this.processOf(i), region: this.regionOf(i), attempt: this.attemptOf(i), invokeMs: this.invokeMsOf(i), failover: this.isFailover(i) }
  }

  kindOf(i: number): OpKind {
    return this.rows.read(i).kind[i & this.mask] as OpKind
  }

  /** The logical operation (idempotency key) attempt i belongs to. */
  opIdOf(i: number): number {
    return this.rows.read(i).opId[i & this.mask] as number
  }

  userOf(i: number): number {
    return this.rows.read(i).user[i & this.mask] as number
  }

  videoOf(i: number): number {
    return this.rows.read(i).video[i & this.mask] as number
  }

  processOf(i: number): number {
    return this.rows.read(i).process[i & this.mask] as number
  }

  regionOf(i: number): number {
    return this.rows.read(i).region[i & this.mask] as number
  }

  /** 1 for the operation's first attempt, 2 for its first retry, …; failovers keep the number. */
  attemptOf(i: number): number {
    return this.rows.read(i).attempt[i & this.mask] as number
  }

  isFailover(i: number): boolean {
    return this.rows.read(i).failover[i & this.mask] === 1
  }

  invokeMsOf(i: number): number {
    return this.rows.read(i).invokeMs[i & this.mask] as number
  }

  /** Infinity for an attempt not answered (indeterminate or pending). */
  completeMsOf(i: number): number {
    return this.rows.read(i).completeMs[i & this.mask] as number
  }

  /** When attempt i was meant to be sent: its intended time if it went late, else its invoke time. */
  intendedMsOf(i: number): number {
    const intended = this.rows.read(i).intendedMs[i & this.mask] as number
    return Number.isNaN(intended) ? this.invokeMsOf(i) : intended
  }

  outcomeOf(i: number): Outcome {
    return this.rows.read(i).outcome[i & this.mask] as Outcome
  }

  /** Why attempt i failed (FailureKind.None when it did not). */
  failureOf(i: number): FailureKind {
    return (this.rows.read(i).failure[i & this.mask] ?? FailureKind.None) as FailureKind
  }

  errorCode(i: number): string {
    return this.errorCodes[this.rows.read(i).error[i & this.mask] as number] ?? ''
  }

  latencyMsOf(i: number): number {
    return this.rows.read(i).latencyMs[i & this.mask] as number
  }

  /** -1 when the answer showed no like count. */
  likeCountOf(i: number): number {
    return this.rows.read(i).likeCount[i & this.mask] as number
  }

  /** -1 when the answer showed no view count. */
  viewCountOf(i: number): number {
    return this.rows.read(i).viewCount[i & this.mask] as number
  }

  /** -1 when the answer showed no unique viewers. */
  uniqueViewersOf(i: number): number {
    return this.rows.read(i).uniqueViewers[i & this.mask] as number
  }

  /** The liked flag the answer showed; undefined when it showed none. */
  likedOf(i: number): boolean | undefined {
    const liked = this.rows.read(i).liked[i & this.mask]
    return liked === 1 ? true : liked === 0 ? false : undefined
  }

  /** The answer was marked stale (last-known-good). */
  isStale(i: number): boolean {
    return this.rows.read(i).stale[i & this.mask] === 1
  }

  /** The time the answer claims to reflect; NaN when it gave none. */
  asOfMsOf(i: number): number {
    return this.rows.read(i).asOfMs[i & this.mask] as number
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
    return this.rows.read(i).kind[i & this.mask] === kind && this.rows.read(i).outcome[i & this.mask] === Outcome.Ok
  }

  /** Attempt i is a like that may have taken effect (acknowledged, indeterminate or pending). */
  mayHaveLiked(i: number): boolean {
    return this.rows.read(i).kind[i & this.mask] === OpKind.Like && this.rows.read(i).outcome[i & this.mask] !== Outcome.Fail
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

  /** Where each operation with attempts of these kinds (of any kind when none given) began: its first attempt. */
  firstAttempts(...kinds: OpKind[]): FirstAttempts {
    return new FirstAttempts(this, kinds)
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
