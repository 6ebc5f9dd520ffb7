// bounded-staleness's judgement of one answer against its claim (see bounded-staleness.ts), the
// tallies and examples it keeps, and the columns answers wait in when the clock offset must be
// estimated from them all before any is judged (a target on its own clock).
import { OP_KIND_NAMES, OpKind } from '../operation.ts'
import { type CheckContext, ExampleCollector, regionIdOf, seconds, userIdOf, videoIdOf } from './check-types.ts'
import type { KnownGoodTable } from './last-known-good.ts'

/** A window in which a region's live state may honestly be old (a partition or an outage, to the convergence deadline after it). */
export interface Cut {
  readonly region: number
  readonly fromMs: number
  readonly toMs: number
  readonly label: string
}

interface Bounds {
  readonly cuts: readonly Cut[]
  readonly known: KnownGoodTable
  readonly graceMs: number
  readonly maxStaleMs: number
}

export class Verdicts {
  readonly violations: ExampleCollector
  judged = 0
  freshTooOld = 0
  staleTooOld = 0
  fromFuture = 0
  freshLagMaxMs = 0
  staleAgeMaxMs = 0

  constructor(
    private readonly ctx: CheckContext,
    private readonly bounds: Bounds,
  ) {
    this.violations = new ExampleCollector(ctx.examplesMax)
  }

  /**
   * Answer `i`, whose claim holds for clock offsets in [loMs, hiMs] (and not at all when it is
   * older than its region's last known good), judged at `offsetMs`; `floorMs` is the earliest
   * time a fresh answer may claim (its request, or the start of a cut it was answered in).
   */
  judge(i: number, floorMs: number, loMs: number, hiMs: number, olderThanKnown: boolean, offsetMs: number): void {
    const { history } = this.ctx
    this.judged++
    const claimedMs = history.asOfMsOf(i) + offsetMs
    const stale = history.isStale(i)
    const tooOld = loMs > offsetMs || olderThanKnown
    const future = hiMs < offsetMs
    if (!tooOld && !future) {
      // The oldest claims that held: what a bound could be tightened to.
      if (stale) this.staleAgeMaxMs = Math.max(this.staleAgeMaxMs, history.invokeMsOf(i) - claimedMs)
      else this.freshLagMaxMs = Math.max(this.freshLagMaxMs, floorMs - claimedMs)
      return
    }
    if (future) this.fromFuture++
    else if (stale) this.staleTooOld++
    else this.freshTooOld++
    this.violations.add(() => this.example(i, { claimedMs, floorMs, stale, future, offsetMs }))
  }

  private example(i: number, { claimedMs, floorMs, stale, future, offsetMs }: { claimedMs: number; floorMs: number; stale: boolean; future: boolean; offsetMs: number }) {
    const { ctx } = this
    const { history } = ctx
    const { cuts, known, graceMs, maxStaleMs } = this.bounds
    const user = userIdOf(ctx, history.userOf(i))
    const video = videoIdOf(ctx, history.videoOf(i))
    const region = regionIdOf(ctx, history.regionOf(i))
    const kind = history.kindOf(i)
    const invokeMs = history.invokeMsOf(i)
    const who =
      kind === OpKind.ReadVideo
        ? `${user} read ${video} in ${region} at ${seconds(invokeMs)}`
        : kind === OpKind.ReadLiked
          ? `${user} read back their like of ${video} in ${region} at ${seconds(invokeMs)}`
          : `${user}'s ${OP_KIND_NAMES[kind]} of ${video} in ${region} at ${seconds(invokeMs)} was answered`
    const claim = `marked ${stale ? 'stale' : 'fresh'}, as of ${claimedMs < 0 ? `${seconds(-claimedMs)} before the run began` : seconds(claimedMs)}`
    let verdict: string
    if (future) {
      verdict = `${seconds(claimedMs - history.completeMsOf(i))} after it was answered (more than ${seconds(graceMs)}): a clock ahead of ours, or a made-up asOfMs`
    } else {
      const cut = stale ? undefined : cutAt(cuts, history.regionOf(i), invokeMs)
      const since = cut !== undefined && floorMs === cut.fromMs ? `the ${cut.label} began` : 'its request'
      const position = known.positionOf(i)
      const knownMs = position < 0 ? -Infinity : known.at(position).newestFreshAsOfMs
      const bound = !stale
        ? `a fresh one may lag by at most ${seconds(graceMs)}`
        : knownMs === -Infinity
          ? `a stale answer its region had given nothing fresher about may be at most ${seconds(maxStaleMs)} old`
          : `its region had already answered fresh about it as of ${seconds(knownMs + offsetMs)}: a last-known-good value is no older`
      const cause =
        claimedMs <= 0
          ? "the world's first instant or before: not when it was served (a default value?)"
          : stale
            ? 'an old value passed off as last-known-good'
            : 'an old value passed off as the live state (a cache or a lagging replica answering stale: false)'
      verdict = `${seconds(floorMs - claimedMs)} before ${since}; ${bound} — ${cause}`
    }
    return { message: `${who}, ${claim}: ${verdict}`, videoId: video, userId: user, region, atMs: invokeMs }
  }
}

/** Judged answers waiting for the clock offset, one row each. */
export class JudgedColumns {
  private readonly rows: Int32Array
  private readonly floorMs: Float64Array
  readonly loMs: Float64Array
  readonly hiMs: Float64Array
  private readonly olderThanKnown: Uint8Array
  private count = 0

  constructor(capacity: number) {
    this.rows = new Int32Array(capacity)
    this.floorMs = new Float64Array(capacity)
    this.loMs = new Float64Array(capacity)
    this.hiMs = new Float64Array(capacity)
    this.olderThanKnown = new Uint8Array(capacity)
  }

  add(i: number, floorMs: number, loMs: number, hiMs: number, olderThanKnown: boolean): void {
    const j = this.count++
    this.rows[j] = i
    this.floorMs[j] = floorMs
    this.loMs[j] = loMs
    this.hiMs[j] = hiMs
    this.olderThanKnown[j] = olderThanKnown ? 1 : 0
  }

  judgeAll(verdicts: Verdicts, offsetMs: number): void {
    for (let j = 0; j < this.count; j++) {
      verdicts.judge(this.rows[j] as number, this.floorMs[j] as number, this.loMs[j] as number, this.hiMs[j] as number, this.olderThanKnown[j] === 1, offsetMs)
    }
  }
}

/** The earliest start of a cut of the region going on at the time, or Infinity. */
export function cutStartMs(cuts: readonly Cut[], region: number, atMs: number): number {
  return cutAt(cuts, region, atMs)?.fromMs ?? Infinity
}

export function cutAt(cuts: readonly Cut[], region: number, atMs: number): Cut | undefined {
  let found: Cut | undefined
  for (const cut of cuts) if (cut.region === region && atMs >= cut.fromMs && atMs < cut.toMs && (found === undefined || cut.fromMs < found.fromMs)) found = cut
  return found
}
