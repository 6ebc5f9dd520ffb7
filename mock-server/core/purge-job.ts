// A purge of accounts (bot or inactive) as a job that runs in bounded slices: `step(nowMs)` does
// one slice of work and says whether the purge is done; `report` is its outcome. The core keeps no
// timers: an in-process caller runs every slice at once (EngagementCore.runBotPurge), the HTTP
// layer yields to its event loop between slices, so other requests are served during a purge of a
// million likes.
//
// A purge is consistent across slices: the accounts to purge are chosen first (detection over the
// like log as it was when the purge began, or the idle accounts then); each account is marked
// deleted before its likes are gathered, so it cannot like anything after that; and its likes are
// removed with a stamp taken at the slice's time, so the removal wins over any like it made before.
// A system that removes purged accounts' views (SystemModule.removesPurgedViews) removes them in
// the same call, and the report lists them; for any other the report has no removedViews.
import type { Directory } from './directory.ts'
import { DetectorFault } from './detection/detector-guard.ts'
import type { AccountScore } from './detection/detector-module.ts'
import type { PurgedLike, PurgedViews, PurgeReport, PurgeScores } from './types.ts'
import { WorkSlice, type Steps } from './work-slice.ts'

/**
 * Work units per slice (a like removed, a log entry or a pair of cells looked at): about a
 * millisecond of work, so a caller can fit slices into its own time budget per turn.
 */
export const PURGE_SLICE_UNITS = 2000

/** What a purge does: the directory's (the environment's) and the system's parts, handed over; the job holds no state of its own. */
export interface PurgeTarget {
  readonly directory: Directory
  /** The system removes purged accounts' views too (SystemModule.removesPurgedViews): the report lists them. */
  readonly removesViews: boolean
  /**
   * Remove every like of the account as of `nowMs` (the system applies it); appends the likes
   * removed, and the views removed when `removedViews` is given (only when `removesViews`).
   */
  purgeAccount(user: number, nowMs: number, removed: { user: number; video: number }[], removedViews: { user: number; video: number; views: number }[] | undefined): void
  count(counts: { accounts: number; likes: number }): void
}

/** The time of the slice being run, read by the job's steps. */
interface SliceClock {
  nowMs: number
}

export class PurgeJob {
  readonly kind: PurgeReport['kind']
  readonly atMs: number
  private readonly clock: SliceClock
  private readonly steps: Steps<PurgeReport>
  private outcome: PurgeReport | undefined

  constructor({ kind, atMs, steps }: { kind: PurgeReport['kind']; atMs: number; steps: (clock: SliceClock) => Steps<PurgeReport> }) {
    this.kind = kind
    this.atMs = atMs
    this.clock = { nowMs: atMs }
    this.steps = steps(this.clock)
  }

  get done(): boolean {
    return this.outcome !== undefined
  }

  /** Run one slice at `nowMs` (the time now; a slice never runs before the previous one). True when done. */
  step(nowMs: number): boolean {
    if (this.outcome !== undefined) return true
    if (nowMs > this.clock.nowMs) this.clock.nowMs = nowMs
    const next = this.steps.next()
    if (next.done === true) this.outcome = next.value
    return this.outcome !== undefined
  }

  /** The purge's report, once `step` returned true. */
  get report(): PurgeReport {
    if (this.outcome === undefined) throw new Error(`the ${this.kind} purge begun at ${this.atMs} ms is not done: step it until it returns true`)
    return this.outcome
  }
}

/**
 * The bot purge: the detector's scores, then every account scoring at least `scoreMin` (and not
 * deleted already) loses its likes and is deleted, in account order. A user's detector that fails
 * (detector-guard.ts) makes a purge that removes nobody and says why.
 */
export function* botPurgeSteps(
  target: PurgeTarget,
  {
    clock,
    slice,
    detect,
    detector,
    baselines = new Map(),
  }: {
    clock: SliceClock
    slice: WorkSlice
    detect: Steps<readonly AccountScore[]>
    detector: { name: string; purgeScoreMin: number }
    /** Baselines' scores as of the purge's start, by name: reported with it, never acted on. */
    baselines?: ReadonlyMap<string, { purgeScoreMin: number; scores: readonly AccountScore[] }>
  },
): Steps<PurgeReport> {
  const atMs = clock.nowMs
  const directory = target.directory
  let scores: readonly AccountScore[]
  try {
    scores = yield* detect
  } catch (error) {
    if (!(error instanceof DetectorFault)) throw error
    return { kind: 'bot', atMs, accounts: [], removedLikes: [], ...(target.removesViews ? { removedViews: [] } : {}), detectorError: error.message }
  }
  const flagged = scores.filter((account) => account.score >= detector.purgeScoreMin && !directory.isDeleted(account.user)).sort((a, b) => a.user - b.user)
  const users = flagged.map((account) => account.user)
  const removed = yield* removeAccountsSteps(target, users, clock, slice)
  return {
    kind: 'bot',
    atMs,
    accounts: flagged.map((account) => ({ userId: directory.userId(account.user), reasons: account.reasons, score: account.score })),
    ...removed,
    scores: purgeScores(directory, detector.name, detector.purgeScoreMin, scores),
    baselines: Object.fromEntries(Array.from(baselines, ([name, baseline]) => [name, purgeScores(directory, name, baseline.purgeScoreMin, baseline.scores)])),
  }
}

function purgeScores(directory: Directory, name: string, purgeScoreMin: number, scores: readonly AccountScore[]): PurgeScores {
  return { name, purgeScoreMin, scored: scores.map((account) => ({ userId: directory.userId(account.user), score: account.score })) }
}

/** The inactive purge: accounts idle for more than `idleDays` lose their likes and are deleted. */
export function* inactivePurgeSteps(target: PurgeTarget, { clock, slice, idleDays }: { clock: SliceClock; slice: WorkSlice; idleDays: number }): Steps<PurgeReport> {
  const atMs = clock.nowMs
  const directory = target.directory
  const cutoffMs = atMs - idleDays * DAY_MS
  const idle: number[] = []
  for (let user = 0; user < directory.userCount; user++) {
    if (!directory.isDeleted(user) && directory.lastActiveAtMs(user) < cutoffMs) idle.push(user)
    if (slice.tick()) yield
  }
  const removed = yield* removeAccountsSteps(target, idle, clock, slice)
  return {
    kind: 'inactive',
    atMs,
    accounts: idle.map((user) => ({ userId: directory.userId(user), reasons: [`idle>${idleDays}d`] })),
    ...removed,
  }
}

const DAY_MS = 86_400_000

/** What a purge removed: the likes, and the views when the system removes views (absent otherwise). */
interface Removed {
  removedLikes: PurgedLike[]
  removedViews?: PurgedViews[]
}

/** Remove every like (and, when the system removes them, every view) of these accounts in every region and delete them. */
function* removeAccountsSteps(target: PurgeTarget, users: readonly number[], clock: SliceClock, slice: WorkSlice): Steps<Removed> {
  const removedLikes: PurgedLike[] = []
  const removedViews: PurgedViews[] | undefined = target.removesViews ? [] : undefined
  const pairs: { user: number; video: number }[] = []
  const viewed: { user: number; video: number; views: number }[] | undefined = target.removesViews ? [] : undefined
  const { directory } = target
  for (const user of users) {
    // Deleted first: from here on the account is refused, so the likes removed below are all it has.
    directory.markDeleted(user)
    pairs.length = 0
    if (viewed !== undefined) viewed.length = 0
    target.purgeAccount(user, clock.nowMs, pairs, viewed)
    for (const pair of pairs) removedLikes.push({ userId: directory.userId(pair.user), videoId: directory.videoId(pair.video) })
    for (const item of viewed ?? []) removedViews?.push({ userId: directory.userId(item.user), videoId: directory.videoId(item.video), views: item.views })
    target.count({ accounts: 1, likes: pairs.length })
    // A like or a video's views removed is a unit of work, as is the account.
    if (slice.tick(pairs.length + (viewed?.length ?? 0) + 1)) yield
  }
  return removedViews === undefined ? { removedLikes } : { removedLikes, removedViews }
}
