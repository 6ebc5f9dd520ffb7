// Per-account rules over the recent likes: each rule that fires adds its weight and names itself.
// Account features alone (new, empty profile) never flag anybody: genuine new users exist, so at
// least one behavioural rule must fire too.
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

const WEIGHTS = {
  volume: 1.5,
  velocity: 1,
  noView: 1.5,
  sharedIpBlock: 1,
  newAccount: 1,
  emptyProfile: 0.5,
} as const

export function evaluateRules(log: LikeLog, facts: AccountFacts, config: DetectionConfig, nowMs: number): RuleVerdict[] {
  const byUser = groupByUser(log)
  const crowded = sharedIpCrowds(log, facts, config)
  const verdicts: RuleVerdict[] = []
  for (const [user, slots] of byUser) {
    const reasons: string[] = []
    let score = 0
    let behavioural = false
    const likes = slots.length
    if (likes >= config.volumeMinLikes) {
      score += WEIGHTS.volume
      reasons.push('volume')
      behavioural = true
    }
    if (maxInWindow(slots, log.atMs, config.ruleWindowMs) >= config.velocityMinLikes) {
      score += WEIGHTS.velocity
      reasons.push('velocity')
      behavioural = true
    }
    let withoutView = 0
    for (const slot of slots) if (log.viewedBefore[slot] === 0) withoutView++
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
    if (score >= config.flagScore) verdicts.push({ user, score, reasons })
  }
  return verdicts
}

function groupByUser(log: LikeLog): Map<number, number[]> {
  const byUser = new Map<number, number[]>()
  log.forEach((user, _video, _atMs, _viewed, slot) => {
    let slots = byUser.get(user)
    if (slots === undefined) {
      slots = []
      byUser.set(user, slots)
    }
    slots.push(slot)
  })
  return byUser
}

/** Most likes inside any window of the given width (slots are in time order). */
function maxInWindow(slots: readonly number[], atMs: Float64Array, windowMs: number): number {
  let best = 0
  let start = 0
  for (let end = 0; end < slots.length; end++) {
    const endMs = atMs[slots[end] as number] as number
    while ((atMs[slots[start] as number] as number) < endMs - windowMs) start++
    if (end - start + 1 > best) best = end - start + 1
  }
  return best
}

/** Accounts that liked a video together with enough other accounts of their /24 within a window. */
function sharedIpCrowds(log: LikeLog, facts: AccountFacts, config: DetectionConfig): Set<number> {
  const cells = new Map<string, Set<number>>()
  log.forEach((user, video, atMs) => {
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
  }
  return crowded
}
