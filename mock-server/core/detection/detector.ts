// The built-in bot detector (one implementation of detector-module.ts): it captures likes and
// views into bounded logs as they stream in, and when a purge asks, runs lockstep clustering over
// each (a view farm likes nothing), co-like campaigns and the per-account rules over the likes,
// and scores every account they fired for.
//
// Score: the rules' weights (rules.ts) plus LOCKSTEP_WEIGHT for a member of a lockstep campaign.
// The module's purgeScoreMin is the rules' flag score, and a campaign member alone reaches it, so
// a purge removes exactly the accounts flagged before detectors were plug-ins: the lockstep
// members and the accounts whose rules reach the flag score.
import { runSteps, WHOLE, type Steps } from '../work-slice.ts'
import { DEFAULT_DETECTION, type DetectionConfig } from './detection-config.ts'
import { DETECTOR_INTERFACE_VERSION, type AccountDetector, type AccountScore, type DetectorAccount, type DetectorLike, type DetectorModule, type DetectorView, type ScoreRequest, type WorkBudget } from './detector-module.ts'
import { LikeLog } from './like-log.ts'
import { coLikeCampaignSteps, creatorCappedCount } from './colike-campaigns.ts'
import { lockstepClusterSteps, lockstepWindowMsAt } from './lockstep-detector.ts'
import { ruleVerdictSteps, type AccountFacts } from './rules.ts'

export class Detector implements AccountDetector {
  readonly log: LikeLog
  readonly views: LikeLog
  private readonly config: DetectionConfig
  /** The creator of each video liked or viewed so far (from the events). */
  private readonly creatorOf: number[] = []
  private readonly facts = { createdAtMs: [] as number[], uploads: [] as number[], followers: [] as number[], ipBlock: [] as number[] }

  constructor({ config, logCapacity }: { config: DetectionConfig; logCapacity: number }) {
    this.config = config
    this.log = new LikeLog(logCapacity)
    this.views = new LikeLog(logCapacity)
  }

  account(account: DetectorAccount): void {
    const { facts } = this
    facts.createdAtMs[account.user] = account.createdAtMs
    facts.uploads[account.user] = account.uploads
    facts.followers[account.user] = account.followers
    facts.ipBlock[account.user] = account.ipBlock
  }

  like(event: DetectorLike): void {
    this.creatorOf[event.video] = event.creator
    this.log.append(event.user, event.video, event.atMs, event.viewedBefore)
  }

  unlike(): void {}

  view(event: DetectorView): void {
    this.creatorOf[event.video] = event.creator
    this.views.append(event.user, event.video, event.atMs, false)
  }

  score(request: ScoreRequest): Steps<readonly AccountScore[]> {
    return this.scoreSteps(this.facts, request.nowMs, request.budget)
  }

  recordLike(user: number, video: number, atMs: number, viewedBefore: boolean): void {
    this.log.append(user, video, atMs, viewedBefore)
  }

  /** The scores of every account some rule or a campaign fired for, at once (tests). */
  detect(facts: AccountFacts, nowMs: number): AccountScore[] {
    return runSteps(this.scoreSteps(facts, nowMs, WHOLE()))
  }

  /**
   * Scores, yielding between slices of work (see work-slice.ts), over the log as it is when this
   * is called (`end` and `viewsEnd` are read then): events recorded while the steps run are left to the next detection.
   */
  *scoreSteps(facts: AccountFacts, nowMs: number, slice: WorkBudget, end = this.log.total, viewsEnd = this.views.total): Steps<AccountScore[]> {
    const scored = new Map<number, { score: number; reasons: string[] }>()
    const note = (user: number, weight: number, reasons: readonly string[]): void => {
      let entry = scored.get(user)
      if (entry === undefined) {
        entry = { score: 0, reasons: [] }
        scored.set(user, entry)
      }
      entry.score += weight
      for (const reason of reasons) if (!entry.reasons.includes(reason)) entry.reasons.push(reason)
    }
    const campaignMembers = new Set<number>()
    // A member of two campaigns is named in both, and counted once.
    const member = (user: number, reason: readonly string[]): void => {
      note(user, campaignMembers.has(user) ? 0 : lockstepWeight(this.config), reason)
      campaignMembers.add(user)
    }
    const bursts = yield* lockstepClusterSteps(this.log, this.config, lockstepWindowMsAt(this.config, nowMs), slice, end)
    if (bursts.length > 0) {
      const liked = yield* loggedVideosOf(this.log, new Set(bursts.flatMap((cluster) => cluster.members)), slice, end)
      const unwatched = (user: number): boolean => {
        const likes = liked.get(user)
        return likes !== undefined && likes.withoutView * 2 >= likes.total
      }
      for (const cluster of bursts) {
        // People who like one creator together (a watch party) burst in lockstep too: a campaign
        // serves several creators — or, when it serves fewer (a farm bought by one creator), its
        // members like without watching: fans watch what they like. Then only those are members.
        const several = creatorCount(cluster.videos, this.creatorOf) >= this.config.campaignMinCreators
        if (!several && cluster.members.filter(unwatched).length * 2 < cluster.members.length) continue
        const videos = new Set(cluster.videos)
        const needed = Math.max(this.config.lockstepMinVideos, Math.ceil(this.config.lockstepMinShare * videos.size))
        const reason = [`lockstep(${cluster.videos.length} videos)`]
        for (const user of cluster.members) {
          if (!several && !unwatched(user)) continue
          const likes = liked.get(user) ?? { videos: [], withoutView: 0, total: 0 }
          // No one creator carries a membership (a fan in a burst of that creator's videos is no
          // member), unless the account likes without watching.
          if (creatorCappedCount(likes.videos, videos, unwatched(user) ? [] : this.creatorOf, needed) >= needed) member(user, reason)
        }
      }
    }
    const viewBursts = yield* lockstepClusterSteps(this.views, this.config, lockstepWindowMsAt(this.config, nowMs), slice, viewsEnd, this.config.viewBurstMin)
    if (viewBursts.length > 0) {
      const viewed = yield* loggedVideosOf(this.views, new Set(viewBursts.flatMap((cluster) => cluster.members)), slice, viewsEnd)
      for (const cluster of viewBursts) {
        // A campaign serves several creators; and a member's views are mostly the campaign's.
        if (creatorCount(cluster.videos, this.creatorOf) < this.config.campaignMinCreators) continue
        const videos = new Set(cluster.videos)
        const reason = [`view-lockstep(${cluster.videos.length} videos)`]
        for (const user of cluster.members) {
          const own = viewed.get(user)?.videos ?? []
          if (own.filter((video) => videos.has(video)).length * 2 >= own.length) member(user, reason)
        }
      }
    }
    for (const campaign of yield* coLikeCampaignSteps(this.log, this.creatorOf, this.config, slice, end)) {
      const reason = [`co-like(${campaign.videos.length} videos)`]
      for (const user of campaign.members) member(user, reason)
    }
    for (const verdict of yield* ruleVerdictSteps(this.log, facts, this.config, { nowMs, scoreMin: 0, slice }, end)) {
      note(verdict.user, verdict.score, verdict.reasons)
    }
    return Array.from(scored, ([user, { score, reasons }]) => ({ user, score, reasons })).sort((a, b) => a.user - b.user)
  }

  reset(): void {
    this.log.clear()
    this.views.clear()
  }
}

/** The distinct videos of each of `users` in the log (likes or views), and how many of their entries came without a view. */
function* loggedVideosOf(log: LikeLog, users: ReadonlySet<number>, slice: WorkBudget, end: number): Steps<Map<number, { videos: number[]; withoutView: number; total: number }>> {
  const liked = new Map<number, { videos: number[]; withoutView: number; total: number }>()
  yield* log.scan(slice, end, (user, video, _atMs, viewed) => {
    if (!users.has(user)) return
    let entry = liked.get(user)
    if (entry === undefined) {
      entry = { videos: [], withoutView: 0, total: 0 }
      liked.set(user, entry)
    }
    entry.total++
    if (!viewed) entry.withoutView++
    if (!entry.videos.includes(video)) entry.videos.push(video)
  })
  return liked
}

/** Distinct creators of the videos (an unknown creator counts as one of its own). */
function creatorCount(videos: readonly number[], creatorOf: readonly number[]): number {
  return new Set(videos.map((video) => ((creatorOf[video] ?? -1) >= 0 ? (creatorOf[video] as number) : -1 - video))).size
}

/** A lockstep campaign's member scores the flag score on that alone: CopyCatch's evidence is enough to purge. */
function lockstepWeight(config: DetectionConfig): number {
  return config.flagScore
}

/** The built-in detector as a module, with its thresholds. */
export function builtInDetectorModule(config: DetectionConfig = DEFAULT_DETECTION): DetectorModule {
  return {
    interfaceVersion: DETECTOR_INTERFACE_VERSION,
    name: 'built-in',
    description: 'lockstep campaigns (CopyCatch) over likes and over views, co-like campaigns (videos liked together far beyond chance) and per-account rules: volume, velocity, likes without views, shared network crowds, new and empty accounts',
    purgeScoreMin: config.flagScore,
    create: ({ eventsMax }) => new Detector({ config, logCapacity: eventsMax }),
  }
}
