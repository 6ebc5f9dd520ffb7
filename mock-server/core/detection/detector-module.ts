// The detector interface, version 1 (docs/detectors.md): what a bot detector sees and what it
// answers. A detector is the second plug-in beside the system under test (DESIGN.md): it gets the
// event stream a platform would see, one event per call (the harness never hands it the history
// as an array), and, when a bot purge asks, a score and reasons per account. The purge removes the
// accounts scoring at or above the module's `purgeScoreMin`. Ground truth (who is a bot) never
// reaches it. Like the system interface, ids are dense handles (numbers) from the platform's
// directory, and events are reused objects: read one before returning, keep what you need.
//
// Deterministic: a detector reads time only from its events and its score request, and has no
// randomness of its own (neither the wall clock, global randomness nor timers), so that the same seed gives the same
// purges and result.json byte for byte.

/** Bumped on any change a detector module must follow; a module declares the version it implements. */
export const DETECTOR_INTERFACE_VERSION = 1

/** An account as the platform registered it (sent once per account, before any event of it). */
export interface DetectorAccount {
  readonly user: number
  readonly createdAtMs: number
  /** Last activity the platform knew of at registration (events after it say more). */
  readonly lastActiveAtMs: number
  readonly uploads: number
  readonly followers: number
  /** The registered address's network block (an interned /24): equal numbers, one network. */
  readonly ipBlock: number
}

/** What every event carries: when, who, on what, where from. */
export interface DetectorEvent {
  readonly atMs: number
  readonly user: number
  readonly video: number
  /** The account that uploaded the video (a user handle); -1 when the platform does not know it. */
  readonly creator: number
  /** The region that served it. */
  readonly region: string
  /** The client's network block (interned like DetectorAccount.ipBlock); -1 when the client gave no address. */
  readonly clientBlock: number
}

/** A like the platform accepted (a new like, not a replay or a like that was already there). */
export interface DetectorLike extends DetectorEvent {
  /** The platform had recorded a view of this video by this user before the like. */
  readonly viewedBefore: boolean
}

/** An unlike the platform accepted. */
export type DetectorUnlike = DetectorEvent

/** A view the platform counted. */
export interface DetectorView extends DetectorEvent {
  readonly watchMs: number
}

/** The budget of one slice of work: call tick(units) as you work; when it returns true, yield (if you return steps). */
export interface WorkBudget {
  tick(units?: number): boolean
}

/** A bot purge asks: score the accounts as of nowMs. */
export interface ScoreRequest {
  readonly nowMs: number
  /** A detector that returns steps yields when this says its slice is spent (a server serves requests in between). */
  readonly budget: WorkBudget
}

/** One account's score: higher is more suspicious; reasons name what raised it (short, stable words). */
export interface AccountScore {
  readonly user: number
  readonly score: number
  readonly reasons: readonly string[]
}

/**
 * The scores, at once, or as steps: a generator that yields between slices of work and returns
 * the scores (the built-in detector's lockstep search over millions of likes does). Accounts left
 * out score 0 with no reasons.
 */
export type ScoreOutcome = readonly AccountScore[] | Generator<void, readonly AccountScore[], void>

/** One detector's state over one run. */
export interface AccountDetector {
  account(account: DetectorAccount): void
  like(event: DetectorLike): void
  unlike(event: DetectorUnlike): void
  view(event: DetectorView): void
  score(request: ScoreRequest): ScoreOutcome
}

/** Bounds the harness sets; a detector keeps no more than this many events (older ones it forgets or folds). */
export interface DetectorSettings {
  readonly eventsMax: number
}

export interface DetectorModule {
  readonly interfaceVersion: typeof DETECTOR_INTERFACE_VERSION
  /** 1 to 64 characters from a-z 0-9 . _ - : goes into result.json and the summary. */
  readonly name: string
  /** One line: what it looks at. */
  readonly description: string
  /** A bot purge removes the accounts scoring at or above this. */
  readonly purgeScoreMin: number
  create(settings: DetectorSettings): AccountDetector
}

/** A detector module, typed: `export default defineDetector({ … })`. */
export function defineDetector(module: DetectorModule): DetectorModule {
  return module
}
