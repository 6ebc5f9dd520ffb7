// Bot detection: streaming capture of likes into a bounded log, then rules and lockstep
// clustering when a decision is needed (a purge). Returns who to flag and why.
import { runSteps, WHOLE, type Steps, type WorkSlice } from '../work-slice.ts'
import { LikeLog } from './like-log.ts'
import { lockstepClusterSteps } from './lockstep-detector.ts'
import { ruleVerdictSteps, type AccountFacts } from './rules.ts'
import type { DetectionConfig } from './detection-config.ts'

export interface FlaggedAccount {
  readonly user: number
  readonly reasons: readonly string[]
}

export class Detector {
  readonly log: LikeLog
  private readonly config: DetectionConfig

  constructor({ config, logCapacity }: { config: DetectionConfig; logCapacity: number }) {
    this.config = config
    this.log = new LikeLog(logCapacity)
  }

  recordLike(user: number, video: number, atMs: number, viewedBefore: boolean): void {
    this.log.append(user, video, atMs, viewedBefore)
  }

  detect(facts: AccountFacts, nowMs: number): FlaggedAccount[] {
    return runSteps(this.detectSteps(facts, nowMs, WHOLE()))
  }

  /**
   * detect, yielding between slices of work (see work-slice.ts), over the log as it is when this
   * is called (`end` is read then): likes recorded while the steps run are left to the next detection.
   */
  *detectSteps(facts: AccountFacts, nowMs: number, slice: WorkSlice, end = this.log.total): Steps<FlaggedAccount[]> {
    const reasons = new Map<number, string[]>()
    const note = (user: number, reason: string): void => {
      let list = reasons.get(user)
      if (list === undefined) {
        list = []
        reasons.set(user, list)
      }
      if (!list.includes(reason)) list.push(reason)
    }
    for (const cluster of yield* lockstepClusterSteps(this.log, this.config, slice, end)) {
      for (const user of cluster.members) note(user, `lockstep(${cluster.videos.length} videos)`)
    }
    for (const verdict of yield* ruleVerdictSteps(this.log, facts, this.config, nowMs, slice, end)) {
      for (const reason of verdict.reasons) note(verdict.user, reason)
    }
    return Array.from(reasons, ([user, list]) => ({ user, reasons: list })).sort((a, b) => a.user - b.user)
  }

  reset(): void {
    this.log.clear()
  }
}
