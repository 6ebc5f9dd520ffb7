// Bot detection: streaming capture of likes into a bounded log, then rules and lockstep
// clustering when a decision is needed (a purge). Returns who to flag and why.
import { LikeLog } from './like-log.ts'
import { findLockstepClusters } from './lockstep-detector.ts'
import { evaluateRules, type AccountFacts } from './rules.ts'
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
    const reasons = new Map<number, string[]>()
    const note = (user: number, reason: string): void => {
      let list = reasons.get(user)
      if (list === undefined) {
        list = []
        reasons.set(user, list)
      }
      if (!list.includes(reason)) list.push(reason)
    }
    for (const cluster of findLockstepClusters(this.log, this.config)) {
      for (const user of cluster.members) note(user, `lockstep(${cluster.videos.length} videos)`)
    }
    for (const verdict of evaluateRules(this.log, facts, this.config, nowMs)) {
      for (const reason of verdict.reasons) note(verdict.user, reason)
    }
    return Array.from(reasons, ([user, list]) => ({ user, reasons: list })).sort((a, b) => a.user - b.user)
  }

  reset(): void {
    this.log.clear()
  }
}
