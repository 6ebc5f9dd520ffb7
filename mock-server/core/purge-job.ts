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
import type { Directory } from './directory.ts'
import type { FlaggedAccount } from './detection/detector.ts'
import type { RegionReplica } from './region-replica.ts'
import type { PurgedLike, PurgeReport } from './types.ts'
import { WorkSlice, type Steps } from './work-slice.ts'

/**
 * Work units per slice (a like removed, a log entry or a pair of cells looked at): about a
 * millisecond of work, so a caller can fit slices into its own time budget per turn.
 */
export const PURGE_SLICE_UNITS = 2000

/** What a purge does to the core: the core hands its parts over, the job holds no state of its own. */
export interface PurgeTarget {
  readonly directory: Directory
  readonly replicas: readonly RegionReplica[]
  /** A stamp of the purge origin at this time (later than any write served before it). */
  stampAt(nowMs: number): number
  /** Remove a like in every region: an unlike from the purge origin into the replication log. */
  removeLike(video: number, user: number, stamp: number, nowMs: number): void
  /** Deliver what the replication log has due (the purge's removals reach every region at once). */
  deliver(nowMs: number): void
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
 * The bot purge: detection over the like log, then every flagged account's likes removed and the
 * account deleted. `purgeUnflaggedEvery` is the broken-purge strategy's planted defect.
 */
export function* botPurgeSteps(
  target: PurgeTarget,
  { clock, slice, detect, purgeUnflaggedEvery }: { clock: SliceClock; slice: WorkSlice; detect: Steps<FlaggedAccount[]>; purgeUnflaggedEvery: number | undefined },
): Steps<PurgeReport> {
  const atMs = clock.nowMs
  const directory = target.directory
  const flagged = (yield* detect).filter((account) => !directory.isDeleted(account.user))
  const users = flagged.map((account) => account.user)
  const removedLikes = yield* removeAccountsSteps(target, users, clock, slice)
  if (purgeUnflaggedEvery !== undefined) {
    for (const like of yield* removeUnflaggedSteps(target, new Set(users), purgeUnflaggedEvery, clock, slice)) removedLikes.push(like)
  }
  return {
    kind: 'bot',
    atMs,
    accounts: flagged.map((account) => ({ userId: directory.userIds[account.user] as string, reasons: account.reasons })),
    removedLikes,
  }
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
  const removedLikes = yield* removeAccountsSteps(target, idle, clock, slice)
  return {
    kind: 'inactive',
    atMs,
    accounts: idle.map((user) => ({ userId: directory.userIds[user] as string, reasons: [`idle>${idleDays}d`] })),
    removedLikes,
  }
}

const DAY_MS = 86_400_000

/** Remove every like of these accounts in every region (through the purge origin) and delete them. */
function* removeAccountsSteps(target: PurgeTarget, users: readonly number[], clock: SliceClock, slice: WorkSlice): Steps<PurgedLike[]> {
  const removed: PurgedLike[] = []
  const stamps = new SliceStamps(target, clock)
  const { directory } = target
  for (const user of users) {
    // Deleted first: from here on the account is refused, so the likes gathered below are all it has.
    directory.markDeleted(user)
    const videos = new Set<number>()
    for (const replica of target.replicas) {
      const liked = replica.likedVideos(user)
      if (liked !== undefined) for (const video of liked) videos.add(video)
    }
    for (const video of Array.from(videos).sort((a, b) => a - b)) {
      target.removeLike(video, user, stamps.now(), clock.nowMs)
      removed.push({ userId: directory.userIds[user] as string, videoId: directory.videoIds[video] as string })
      target.count({ accounts: 0, likes: 1 })
      if (slice.tick()) {
        target.deliver(clock.nowMs)
        yield
      }
    }
    target.count({ accounts: 1, likes: 0 })
    if (slice.tick()) {
      target.deliver(clock.nowMs)
      yield
    }
  }
  target.deliver(clock.nowMs)
  return removed
}

/** broken-purge's defect: also remove every Nth like of the accounts that were not flagged. */
function* removeUnflaggedSteps(target: PurgeTarget, flagged: ReadonlySet<number>, every: number, clock: SliceClock, slice: WorkSlice): Steps<PurgedLike[]> {
  const removed: PurgedLike[] = []
  const stamps = new SliceStamps(target, clock)
  const { directory } = target
  const replica = target.replicas[0] as RegionReplica
  let seen = 0
  for (let user = 0; user < directory.userCount; user++) {
    if (slice.tick()) {
      target.deliver(clock.nowMs)
      yield
    }
    if (flagged.has(user)) continue
    const liked = replica.likedVideos(user)
    if (liked === undefined) continue
    for (const video of liked) {
      if (++seen % every !== 0) continue
      target.removeLike(video, user, stamps.now(), clock.nowMs)
      removed.push({ userId: directory.userIds[user] as string, videoId: directory.videoIds[video] as string })
      target.count({ accounts: 0, likes: 1 })
    }
  }
  target.deliver(clock.nowMs)
  return removed
}

/** One stamp per phase, and a fresh one whenever a later slice runs at a later time. */
class SliceStamps {
  private stamp: number
  private stampMs: number

  constructor(
    private readonly target: PurgeTarget,
    private readonly clock: SliceClock,
  ) {
    this.stampMs = clock.nowMs
    this.stamp = target.stampAt(clock.nowMs)
  }

  now(): number {
    if (this.clock.nowMs > this.stampMs) {
      this.stampMs = this.clock.nowMs
      this.stamp = this.target.stampAt(this.clock.nowMs)
    }
    return this.stamp
  }
}
