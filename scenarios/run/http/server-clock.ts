// How the times a target reports (asOfMs, watermarks, purge times, Retry-After) relate to the
// run's scenario clock. The embedded mock server is handed the scenario clock itself; any other
// target runs on its own wall clock, which admin calls relate to ours by an offset.
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
 * How far below the true time a reported time may lie, by its source (wall ms): an asOfMs is
 * most often a whole millisecond (Date.now()), a Date header a whole second (RFC 9110 IMF-fixdate).
 */
const RESOLUTION_WALL_MS: Readonly<Record<CalibrationSource, number>> = { admin: 0, asOf: 1, date: 1000 }

/**
 * An HTTP Date header as a server time (epoch ms), at the middle of the second it names: the
 * server's clock stood somewhere in [date, date + 1 s), so the middle is at most 500 ms off.
 * Undefined when the header is missing or not a date.
 */
export function dateHeaderServerMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined
  const ms = Date.parse(header)
  return Number.isNaN(ms) ? undefined : ms + RESOLUTION_WALL_MS.date / 2
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
   * A call sent at `sentMs` and answered at `answeredMs` (scenario ms) in which the server said it
   * was `serverNowMs`: an admin state's nowMs, or a fresh answer's asOfMs.
   */
  observe(sentMs: number, answeredMs: number, serverNowMs: number, source?: CalibrationSource): void
  /** How far a server time turned into scenario time may be off, in scenario ms. */
  slackMs(): number
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

  calibration(): ClockCalibration {
    return { by: 'shared', uncertaintyWallMs: 0 }
  }
}

/**
 * A target on its own wall clock: serverMs = offsetWallMs + our performance.now() (so the offset
 * survives the scenario clock's restart, and the calibration can happen before it). Each admin call gives an
 * estimate of the offset at the midpoint of the call; the call with the shortest round trip gives
 * the tightest one (a loaded machine stretches some calls), and half that round trip is how far
 * off it can be. A time converted with an earlier, looser offset stays as loose as that offset
 * was: the slack is the loosest of the offsets any conversion used, not the last one's.
 */
export class CalibratedServerClock implements ServerClock {
  readonly needsCalibration = true
  readonly wallMsPerServerMs = 1
  private readonly clock: ScenarioClock
  private offsetWallMs = 0
  /** Round trip of the call the offset comes from (Infinity: none yet). */
  private roundTripWallMs = Infinity
  /** The largest round trip of an offset that converted a time (0: none converted yet). */
  private usedRoundTripWallMs = 0
  /** Where the offset in use came from. */
  private source: CalibrationSource | undefined

  constructor(clock: ScenarioClock) {
    this.clock = clock
  }

  toScenarioMs(serverMs: number): number {
    if (this.roundTripWallMs > this.usedRoundTripWallMs) this.usedRoundTripWallMs = this.roundTripWallMs
    return (serverMs - this.offsetWallMs - this.clock.startWallMs) / this.clock.timeScale
  }

  retryAfterMs(retryAfterS: number): number {
    return this.clock.toScenarioMs(retryAfterS * 1000)
  }

  observe(sentMs: number, answeredMs: number, serverNowMs: number, source: CalibrationSource = 'admin'): void {
    const timeScale = this.clock.timeScale
    // A reported time is cut to its resolution: an asOfMs may be up to 1 ms early, so an offset
    // read from it is 1 ms looser on either side. A Date header's second is taken at its middle
    // (dateHeaderServerMs), so it adds half a second either side: the slack (half the "round
    // trip") becomes half the real round trip plus 500 ms.
    const roundTripWallMs = (answeredMs - sentMs) * timeScale + (source === 'date' ? RESOLUTION_WALL_MS.date : 2 * RESOLUTION_WALL_MS[source])
    if (roundTripWallMs > this.roundTripWallMs) return
    this.offsetWallMs = serverNowMs - (this.clock.startWallMs + ((sentMs + answeredMs) / 2) * timeScale)
    this.roundTripWallMs = roundTripWallMs
    this.source = source
  }

  slackMs(): number {
    return Math.max(this.roundTripWallMs, this.usedRoundTripWallMs) / 2 / this.clock.timeScale
  }

  calibration(): ClockCalibration {
    const slackMs = this.slackMs()
    return this.source === undefined || !Number.isFinite(slackMs) ? { by: 'none', uncertaintyWallMs: null } : { by: this.source, uncertaintyWallMs: slackMs * this.clock.timeScale }
  }
}
