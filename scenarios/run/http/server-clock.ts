// How the times a target reports (asOfMs, watermarks, purge times, Retry-After) relate to the
// run's scenario clock. The embedded mock server is handed the scenario clock itself; any other
// target runs on its own wall clock, which what it reports (admin state, asOfMs, Date headers)
// relates to ours by an offset known within an interval.
import type { ScenarioClock } from './scenario-clock.ts'

/** How the target's clock was related to ours: by whom, and how far off it may be (wall ms; null: not at all). */
export interface ClockCalibration {
  /**
   * shared: the embedded server runs on the scenario clock; admin: /admin/v1/state's nowMs; asOf:
   * fresh /v1 answers' asOfMs; date: the HTTP Date header of /v1 answers (whole seconds); none: not calibrated.
   */
  readonly by: 'shared' | 'admin' | 'asOf' | 'date' | 'none'
  readonly uncertaintyWallMs: number | null
}

export type CalibrationSource = 'admin' | 'asOf' | 'date'

/**
 * How far below the time it stands for a reported time may lie, by its source (wall ms): an asOfMs
 * is most often a whole millisecond (Date.now()), a Date header a whole second (RFC 9110 IMF-fixdate).
 */
const RESOLUTION_WALL_MS: Readonly<Record<CalibrationSource, number>> = { admin: 0, asOf: 1, date: 1000 }

/**
 * An HTTP Date header as a server time (epoch ms): the start of the second it names (the server's
 * clock stood somewhere in [date, date + 1 s)). Undefined when the header is missing or not a date.
 */
export function dateHeaderServerMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined
  const ms = Date.parse(header)
  return Number.isNaN(ms) ? undefined : ms
}

export interface ServerClock {
  /** Whether the offset has to be measured (an admin call before the traffic). */
  readonly needsCalibration: boolean
  /** Wall milliseconds per millisecond of the server's clock (its rates per second are per that second). */
  readonly wallMsPerServerMs: number
  /** A time the server reported, in scenario ms. */
  toScenarioMs(serverMs: number): number
  /** A Retry-After the server sent, in scenario ms. */
  retryAfterMs(retryAfterS: number): number
  /**
   * A call sent at `sentMs` and answered at `answeredMs` (scenario ms) in which the server reported
   * `serverMs`: an admin state's nowMs, a fresh answer's asOfMs, or the start of its Date header's second.
   */
  observe(sentMs: number, answeredMs: number, serverMs: number, source?: CalibrationSource): void
  /** How far a server time turned into scenario time may be off, in scenario ms. */
  slackMs(): number
  /** How wide the offset is still open (wall ms; Infinity: not bounded on both sides; 0: no offset to find). */
  readonly widthWallMs: number
  calibration(): ClockCalibration
}

/** The embedded server: it runs on the scenario clock, so its times need no conversion. */
export class SharedServerClock implements ServerClock {
  readonly needsCalibration = false
  readonly wallMsPerServerMs: number

  constructor(clock: ScenarioClock) {
    this.wallMsPerServerMs = clock.timeScale
  }

  toScenarioMs(serverMs: number): number {
    return serverMs
  }

  retryAfterMs(retryAfterS: number): number {
    return retryAfterS * 1000
  }

  observe(): void {}

  slackMs(): number {
    return 0
  }

  readonly widthWallMs = 0

  calibration(): ClockCalibration {
    return { by: 'shared', uncertaintyWallMs: 0 }
  }
}

/**
 * A target on its own wall clock: serverMs = offsetWallMs + our performance.now() (so the offset
 * survives the scenario clock's restart, and the calibration can happen before it). Every time the
 * target reports bounds the offset from one side or both; the offset in use is the middle of what
 * the reports leave open, and half that interval is how far off it can be:
 * - an admin state's nowMs is its clock while it handled the call, between our send and answer:
 *   offset in [nowMs - answered, nowMs - sent];
 * - a fresh answer's asOfMs is the time of the state it shows, which is no later than its answer
 *   and, fresh, no older than the fresh grace (bounded-staleness): offset in
 *   [asOfMs - answered, asOfMs + grace - sent]. It is a watermark, not the time: taken as the time
 *   (as it once was), a service whose answers lag its clock by its replication delay had its
 *   reads placed that much too late, and robust failed counter-bounds against the mock server;
 * - a Date header names the second its clock stood in while handling: offset in
 *   [date - answered, date + 1 s - sent]. Reads on either side of a second's turn pin the offset
 *   to about a round trip (what htpdate does), so a few hundred reads across one second calibrate
 *   a service that says the time only in Date headers.
 * A time converted with an earlier, looser offset stays as loose as that offset was: the slack is
 * the loosest of the offsets any conversion used, not the last one's.
 */
export class CalibratedServerClock implements ServerClock {
  readonly needsCalibration = true
  readonly wallMsPerServerMs = 1
  private readonly clock: ScenarioClock
  private readonly freshGraceWallMs: number
  /** What the service's own times (admin nowMs, asOfMs) leave open for the offset, and what its Date headers do (wall ms). */
  private readonly own = new OffsetInterval()
  private readonly date = new OffsetInterval()
  /** The largest half-interval of an offset that converted a time (0: none converted yet). */
  private usedHalfWidthWallMs = 0

  /** `freshGraceMs`: how old (ms of the target's clock) a fresh answer's state may be (the scenario's bounded-staleness grace). */
  constructor(clock: ScenarioClock, { freshGraceMs = Infinity }: { freshGraceMs?: number } = {}) {
    this.clock = clock
    this.freshGraceWallMs = freshGraceMs
  }

  /**
   * The interval in use, chosen again after each report (every answer's times are converted with
   * it). The service's times may be on any clock ("Date.now() is fine", not required); its Date
   * headers are on the epoch's. When both leave the offset open somewhere in common, they are one
   * clock and both bound it; when they do not, the Date says nothing of the service's times. A
   * service that reports no time of its own has only its Date.
   */
  private interval = this.date

  private choose(): void {
    if (this.own.source === undefined) this.interval = this.date
    else {
      const both = this.own.intersect(this.date)
      this.interval = this.date.source !== undefined && both.consistent ? both : this.own
    }
  }

  private get offsetWallMs(): number {
    const interval = this.interval
    return interval.consistent ? (interval.lowWallMs + interval.highWallMs) / 2 : 0
  }

  private get halfWidthWallMs(): number {
    return this.widthWallMs / 2
  }

  toScenarioMs(serverMs: number): number {
    if (this.halfWidthWallMs > this.usedHalfWidthWallMs) this.usedHalfWidthWallMs = this.halfWidthWallMs
    return (serverMs - this.offsetWallMs - this.clock.startWallMs) / this.clock.timeScale
  }

  retryAfterMs(retryAfterS: number): number {
    return this.clock.toScenarioMs(retryAfterS * 1000)
  }

  observe(sentMs: number, answeredMs: number, serverMs: number, source: CalibrationSource = 'admin'): void {
    const sentWallMs = this.clock.startWallMs + sentMs * this.clock.timeScale
    const answeredWallMs = this.clock.startWallMs + answeredMs * this.clock.timeScale
    // Each report, cut to its resolution (an asOfMs is most often a whole millisecond, a Date a whole second).
    const low = serverMs - answeredWallMs
    if (source === 'date') this.date.narrow(low, serverMs + RESOLUTION_WALL_MS.date - sentWallMs, source)
    else this.own.narrow(low, source === 'admin' ? serverMs - sentWallMs : serverMs + RESOLUTION_WALL_MS.asOf + this.freshGraceWallMs - sentWallMs, source)
    this.choose()
  }

  slackMs(): number {
    return Math.max(this.halfWidthWallMs, this.usedHalfWidthWallMs) / this.clock.timeScale
  }

  /** How wide what the reports leave open is (wall ms; Infinity: not bounded on both sides, or contradictory). */
  get widthWallMs(): number {
    const interval = this.interval
    return interval.consistent ? interval.highWallMs - interval.lowWallMs : Infinity
  }

  calibration(): ClockCalibration {
    const slackMs = this.slackMs()
    const source = this.interval.source
    return source === undefined || !Number.isFinite(slackMs) ? { by: 'none', uncertaintyWallMs: null } : { by: source, uncertaintyWallMs: slackMs * this.clock.timeScale }
  }
}

/** Where an offset may lie, [low, high] wall ms, as reports narrow it; the source that narrowed it last. */
class OffsetInterval {
  lowWallMs = -Infinity
  highWallMs = Infinity
  source: CalibrationSource | undefined = undefined

  /** The reports agree (a clock that jumped, or answers older than they may be, leave nothing open). */
  get consistent(): boolean {
    return this.lowWallMs <= this.highWallMs
  }

  narrow(low: number, high: number, source: CalibrationSource): void {
    if (low > this.lowWallMs) {
      this.lowWallMs = low
      this.source = source
    }
    if (high < this.highWallMs) {
      this.highWallMs = high
      this.source = source
    }
  }

  intersect(other: OffsetInterval): OffsetInterval {
    const both = new OffsetInterval()
    both.lowWallMs = Math.max(this.lowWallMs, other.lowWallMs)
    both.highWallMs = Math.min(this.highWallMs, other.highWallMs)
    // Named after the narrower of the two.
    both.source = this.highWallMs - this.lowWallMs <= other.highWallMs - other.lowWallMs ? this.source : other.source
    return both
  }
}
