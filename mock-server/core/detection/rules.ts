// Per-account rules over the recent likes: each rule that fires adds its weight and names itself.
// Account features alone (new, empty profile) never flag anybody: genuine new users exist, so at
// least one behavioural rule must fire too. Written as steps that yield between slices of work
// (work-slice.ts); evaluateRules runs them at once.
import { runSteps, WHOLE, type Steps } from '../work-slice.ts'
import type { WorkBudget } from './detector-module.ts'
import type { LikeLog } from './like-log.ts'
import type { DetectionConfig } from './detection-config.ts'

export interface AccountFacts {
  readonly createdAtMs: readonly number[]
  readonly uploads: readonly number[]
  readonly followers: readonly number[]
  readonly ipBlock: readonly number[]
}

export interface RuleVerdict {
  readonly user: number
  readonly score: number
  readonly reasons: readonly string[]
}

const DAY_MS = 86_400_000

// Heavy users like a lot and fast, fans crowd a video from one campus network, new and empty
// accounts are common: without likes that skip the video, those rules together (3.25) stay under
// the flag score (3.5) and only rank accounts on the curve. Likes without a view (2) tip an
// account over with volume or a crowd and either fact.
const WEIGHTS = {
  volume: 1,
  velocity: 0.75,
  noView: 2,
  sharedIpBlock: 0.75,
  newAccount: 0.5,
  emptyProfile: 0.25,
} as const

/** The accounts whose rule score reaches config.flagScore. */
export function evaluateRules(log: LikeLog, facts: AccountFacts, config: DetectionConfig, nowMs: number): RuleVerdict[] {
  return runSteps(ruleVerdictSteps(log, facts, config, { nowMs, scoreMin: config.flagScore, slice: WHOLE() }))
}

/**
 * Every account some behavioural rule fired for whose score reaches `scoreMin` (0: all of them,
 * as a detector's scores for a curve over thresholds).
 * @param end scan the log up to this `total` (default: as it is when called)
 */
export function* ruleVerdictSteps(
  log: LikeLog,
  facts: AccountFacts,
  config: DetectionConfig,
  { nowMs, scoreMin, slice }: { nowMs: number; scoreMin: number; slice: WorkBudget },
  end = log.total,
): Steps<RuleVerdict[]> {
  const byUser = yield* groupByUser(log, slice, end)
  const crowded = yield* sharedIpCrowds(log, facts, config, slice, end)
  const verdicts: RuleVerdict[] = []
  for (const [user, likesOfUser] of byUser) {
    if (slice.tick()) yield
    const reasons: string[] = []
    let score = 0
    let behavioural = false
    const likes = likesOfUser.atMs.length
    if (likes >= config.volumeMinLikes) {
      score += WEIGHTS.volume
      reasons.push('volume')
      behavioural = true
    }
    if (maxInWindow(likesOfUser.atMs, config.ruleWindowMs) >= config.velocityMinLikes) {
      score += WEIGHTS.velocity
      reasons.push('velocity')
      behavioural = true
    }
    const withoutView = likesOfUser.withoutView
    if (likes >= config.ratioMinLikes && withoutView / likes >= config.noViewMinShare) {
      score += WEIGHTS.noView
      reasons.push('like-without-view')
      behavioural = true
    }
    if (crowded.has(user)) {
      score += WEIGHTS.sharedIpBlock
      reasons.push('shared-ip-block')
      behavioural = true
    }
    if (!behavioural) continue
    if (nowMs - (facts.createdAtMs[user] as number) < config.newAccountAgeDays * DAY_MS) {
      score += WEIGHTS.newAccount
      reasons.push('new-account')
    }
    if ((facts.uploads[user] as number) === 0 && (facts.followers[user] as number) < 5) {
      score += WEIGHTS.emptyProfile
      reasons.push('empty-profile')
    }
    if (score >= scoreMin) verdicts.push({ user, score, reasons })
  }
  return verdicts
}

/** One account's likes in the log: their times (in log order) and how many came without a view. */
interface UserLikes {
  readonly atMs: number[]
  withoutView: number
}

/** Copied out of the log as it is scanned: the log may overwrite its oldest entries between slices. */
function* groupByUser(log: LikeLog, slice: WorkBudget, end: number): Steps<Map<number, UserLikes>> {
  const byUser = new Map<number, UserLikes>()
  yield* log.scan(slice, end, (user, _video, atMs, viewed) => {
    let likes = byUser.get(user)
    if (likes === undefined) {
      likes = { atMs: [], withoutView: 0 }
      byUser.set(user, likes)
    }
    likes.atMs.push(atMs)
    if (!viewed) likes.withoutView++
  })
  return byUser
}

/** Most likes inside any window of the given width (times in log order, which is time order). */
function maxInWindow(atMs: readonly number[], windowMs: number): number {
  let best = 0
  let start = 0
  for (let end = 0; end < atMs.length; end++) {
    const endMs = atMs[end] as number
    while ((atMs[start] as number) < endMs - windowMs) start++
    if (end - start + 1 > best) best = end - start + 1
  }
  return best
}

/** Accounts that liked a video together with enough other accounts of their /24 within a window. */
function* sharedIpCrowds(log: LikeLog, facts: AccountFacts, config: DetectionConfig, slice: WorkBudget, end: number): Steps<Set<number>> {
  const cells = new Map<string, Set<number>>()
  yield* log.scan(slice, end, (user, video, atMs) => {
    const bucket = Math.floor(atMs / config.ruleWindowMs)
    const key = `${video}:${bucket}:${facts.ipBlock[user] as number}`
    let users = cells.get(key)
    if (users === undefined) {
      users = new Set()
      cells.set(key, users)
    }
    users.add(user)
  })
  const crowded = new Set<number>()
  for (const users of cells.values()) {
    if (users.size >= config.ipCrowdMinAccounts) for (const user of users) crowded.add(user)
    if (slice.tick()) yield
  }
  return crowded
}
