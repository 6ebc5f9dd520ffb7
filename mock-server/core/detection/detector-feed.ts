// What the platform hands its detectors: every account as it is registered and every like, unlike
// and view it accepts, one call each, through one reused event object. The purge's detector is
// asked for scores when a bot purge begins; so are the baselines (the facts-only detector), fed
// the same events, whose scores are only reported: they measure what the purge's detector adds.
import type { Directory } from '../directory.ts'
import { runSteps, type Steps } from '../work-slice.ts'
import type { AccountDetector, AccountScore, DetectorModule, WorkBudget } from './detector-module.ts'

/** Steps that are done at their first step. */
function* at(scores: readonly AccountScore[]): Steps<readonly AccountScore[]> {
  return scores
}

/** Who did it, on what, from where: the core's request object (SystemRequest) fits. */
interface Who {
  readonly user: number
  readonly video: number
  readonly clientBlock: number
}

/** One object that is every kind of event; refilled for each call (a detector reads it before returning). */
interface MutableEvent {
  atMs: number
  user: number
  video: number
  creator: number
  region: string
  clientBlock: number
  viewedBefore: boolean
  watchMs: number
}

export class DetectorFeed {
  readonly module: DetectorModule
  readonly baselineModules: readonly DetectorModule[]
  private readonly detector: AccountDetector
  /** The purge's detector first, then the baselines. */
  private readonly all: readonly AccountDetector[]
  /** Whose videos the events are about (creators), once accounts are registered. */
  private directory: Directory | undefined
  private readonly event: MutableEvent = { atMs: 0, user: -1, video: -1, creator: -1, region: '', clientBlock: -1, viewedBefore: false, watchMs: 0 }

  /** Whether the detectors get the events (see the constructor's `fed`). */
  readonly fed: boolean

  /**
   * @param fed false: no detector gets any event. A run that knows it has no bot purge (mode sim
   *   knows its faults) then keeps none of their memory — logs of millions of likes and views, and
   *   facts per account — and asking for scores is a bug.
   */
  constructor({ module, eventsMax, baselines = [], fed = true }: { module: DetectorModule; eventsMax: number; baselines?: readonly DetectorModule[]; fed?: boolean }) {
    this.module = module
    this.baselineModules = baselines
    this.fed = fed
    this.detector = module.create({ eventsMax })
    this.all = fed ? [this.detector, ...baselines.map((baseline) => baseline.create({ eventsMax }))] : []
  }

  /** Register the directory's accounts from `fromUser` on (those added since the last call). */
  accounts(directory: Directory, fromUser: number): void {
    this.directory = directory
    if (!this.fed) return
    for (let user = fromUser; user < directory.userCount; user++) {
      const account = {
        user,
        createdAtMs: directory.createdAtMs(user),
        lastActiveAtMs: directory.lastActiveAtMs(user),
        uploads: directory.uploads(user),
        followers: directory.followers(user),
        ipBlock: directory.ipBlockOf(user),
      }
      for (const detector of this.all) detector.account(account)
    }
  }

  like(atMs: number, region: string, who: Who, viewedBefore: boolean): void {
    const event = this.fill(atMs, region, who, viewedBefore, 0)
    for (const detector of this.all) detector.like(event)
  }

  unlike(atMs: number, region: string, who: Who): void {
    const event = this.fill(atMs, region, who, false, 0)
    for (const detector of this.all) detector.unlike(event)
  }

  view(atMs: number, region: string, who: Who, watchMs: number): void {
    const event = this.fill(atMs, region, who, false, watchMs)
    for (const detector of this.all) detector.view(event)
  }

  /**
   * The detector's scores as of nowMs, as steps. The detector is asked now, so it scores the
   * events so far (a purge decides over the platform as it was when it began); a detector that
   * answers at once is one step.
   */
  scoreSteps(nowMs: number, budget: WorkBudget): Steps<readonly AccountScore[]> {
    if (!this.fed) throw new Error('a bot purge in a run whose detectors were fed nothing: the run said it had no bot purge')
    const outcome = this.detector.score({ nowMs, budget })
    return Array.isArray(outcome) ? at(outcome as readonly AccountScore[]) : (outcome as Steps<readonly AccountScore[]>)
  }

  /** Each baseline's scores as of nowMs, at once (baselines are cheap: facts, not a search), by module name. */
  baselineScores(nowMs: number, budget: WorkBudget): Map<string, { purgeScoreMin: number; scores: readonly AccountScore[] }> {
    const scores = new Map<string, { purgeScoreMin: number; scores: readonly AccountScore[] }>()
    this.baselineModules.forEach((module, i) => {
      const outcome = (this.all[i + 1] as AccountDetector).score({ nowMs, budget })
      scores.set(module.name, { purgeScoreMin: module.purgeScoreMin, scores: Array.isArray(outcome) ? (outcome as readonly AccountScore[]) : runSteps(outcome as Steps<readonly AccountScore[]>) })
    })
    return scores
  }

  private fill(atMs: number, region: string, who: Who, viewedBefore: boolean, watchMs: number): MutableEvent {
    const event = this.event
    event.atMs = atMs
    event.user = who.user
    event.video = who.video
    event.creator = this.directory === undefined ? -1 : this.directory.creatorOf(who.video)
    event.region = region
    event.clientBlock = who.clientBlock
    event.viewedBefore = viewedBefore
    event.watchMs = watchMs
    return event
  }
}
