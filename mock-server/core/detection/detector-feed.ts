// What the platform hands its detector: every account as it is registered and every like, unlike
// and view it accepts, one call each, through one reused event object. The purge's detector is
// asked for scores when a bot purge begins.
import type { Directory } from '../directory.ts'
import type { Steps } from '../work-slice.ts'
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
  region: string
  clientBlock: number
  viewedBefore: boolean
  watchMs: number
}

export class DetectorFeed {
  readonly module: DetectorModule
  private readonly detector: AccountDetector
  private readonly event: MutableEvent = { atMs: 0, user: -1, video: -1, region: '', clientBlock: -1, viewedBefore: false, watchMs: 0 }

  constructor({ module, eventsMax }: { module: DetectorModule; eventsMax: number }) {
    this.module = module
    this.detector = module.create({ eventsMax })
  }

  /** Register the directory's accounts from `fromUser` on (those added since the last call). */
  accounts(directory: Directory, fromUser: number): void {
    for (let user = fromUser; user < directory.userCount; user++) {
      this.detector.account({
        user,
        createdAtMs: directory.userCreatedAtMs[user] as number,
        lastActiveAtMs: directory.lastActiveAtMs(user),
        uploads: directory.userUploads[user] as number,
        followers: directory.userFollowers[user] as number,
        ipBlock: directory.ipBlockOf(user),
      })
    }
  }

  like(atMs: number, region: string, who: Who, viewedBefore: boolean): void {
    this.detector.like(this.fill(atMs, region, who, viewedBefore, 0))
  }

  unlike(atMs: number, region: string, who: Who): void {
    this.detector.unlike(this.fill(atMs, region, who, false, 0))
  }

  view(atMs: number, region: string, who: Who, watchMs: number): void {
    this.detector.view(this.fill(atMs, region, who, false, watchMs))
  }

  /**
   * The detector's scores as of nowMs, as steps. The detector is asked now, so it scores the
   * events so far (a purge decides over the platform as it was when it began); a detector that
   * answers at once is one step.
   */
  scoreSteps(nowMs: number, budget: WorkBudget): Steps<readonly AccountScore[]> {
    const outcome = this.detector.score({ nowMs, budget })
    return Array.isArray(outcome) ? at(outcome as readonly AccountScore[]) : (outcome as Steps<readonly AccountScore[]>)
  }

  private fill(atMs: number, region: string, who: Who, viewedBefore: boolean, watchMs: number): MutableEvent {
    const event = this.event
    event.atMs = atMs
    event.user = who.user
    event.video = who.video
    event.region = region
    event.clientBlock = who.clientBlock
    event.viewedBefore = viewedBefore
    event.watchMs = watchMs
    return event
  }
}
