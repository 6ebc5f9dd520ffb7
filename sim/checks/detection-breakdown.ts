// Where a detector's bot purges were right and what their mistakes cost: precision per reason,
// the cost of false positives (genuine accounts purged, their likes, the creators whose videos
// lost them), and time to detection (a farm account's first like to the purge that removed it).
import { pairOf } from '../history.ts'
import { OpKind } from '../operation.ts'
import { UserKind } from '../population.ts'
import { isBotKind } from './detection-curve.ts'
import type { CheckContext } from './check-types.ts'

/** Distinct reasons reported (the most frequent; a reason's parenthesised detail is dropped: lockstep(12 videos) is lockstep). */
export const REASONS_MAX = 32

export interface ReasonPrecision {
  /** Accounts bot purges removed naming this reason. */
  readonly accounts: number
  /** ...of which bots. */
  readonly bots: number
  readonly precision: number
}

export interface FalsePositiveCost {
  /** Genuine and inactive accounts bot purges removed. */
  readonly genuineAccounts: number
  /** Likes of genuine accounts bot purges removed. */
  readonly genuineLikesRemoved: number
  /** Distinct creators of the videos those likes were on. */
  readonly creatorsAffected: number
}

/** Seconds from a farm account's first like to the bot purge that removed it, over the purged accounts of a kind. */
export interface TimeToDetection {
  readonly detected: number
  readonly p50S: number
  readonly p90S: number
  readonly maxS: number
}

export function precisionByReason(ctx: CheckContext): Record<string, ReasonPrecision> {
  const kind = ctx.population.truth.kind
  const counts = new Map<string, { accounts: number; bots: number }>()
  for (const fault of ctx.history.faults) {
    const purge = fault.purge
    if (purge === undefined || purge.kind !== 'bot') continue
    purge.accounts.forEach((user, i) => {
      const bot = isBotKind(kind[user] as number)
      for (const reason of new Set((purge.reasons[i] ?? []).map((r) => r.replace(/\(.*\)$/, '')))) {
        const entry = counts.get(reason) ?? { accounts: 0, bots: 0 }
        entry.accounts++
        if (bot) entry.bots++
        counts.set(reason, entry)
      }
    })
  }
  const kept = Array.from(counts).sort((a, b) => b[1].accounts - a[1].accounts || (a[0] < b[0] ? -1 : 1)).slice(0, REASONS_MAX)
  kept.sort((a, b) => (a[0] < b[0] ? -1 : 1))
  return Object.fromEntries(kept.map(([reason, { accounts, bots }]) => [reason, { accounts, bots, precision: bots / accounts }]))
}

export function falsePositiveCost(ctx: CheckContext): FalsePositiveCost {
  const { population } = ctx
  const kind = population.truth.kind
  const accounts = new Set<number>()
  const likes = new Set<number>()
  const creators = new Set<number>()
  for (const fault of ctx.history.faults) {
    const purge = fault.purge
    if (purge === undefined || purge.kind !== 'bot') continue
    for (const user of purge.accounts) if (!isBotKind(kind[user] as number)) accounts.add(user)
    purge.removedUsers.forEach((user, j) => {
      if (kind[user] !== UserKind.Genuine) return
      const video = purge.removedVideos[j] as number
      likes.add(pairOf(video, user))
      creators.add(population.videoCreator[video] as number)
    })
  }
  return { genuineAccounts: accounts.size, genuineLikesRemoved: likes.size, creatorsAffected: creators.size }
}

export function timeToDetection(ctx: CheckContext): { careless: TimeToDetection | null; stealthy: TimeToDetection | null } {
  const { history, population } = ctx
  const kind = population.truth.kind
  const purgedAtMs = new Map<number, number>()
  for (const fault of history.faults) {
    const purge = fault.purge
    if (purge === undefined || purge.kind !== 'bot') continue
    for (const user of purge.accounts) if (isBotKind(kind[user] as number) && !purgedAtMs.has(user)) purgedAtMs.set(user, purge.atMs)
  }
  const firstLikeMs = new Map<number, number>()
  const note = (user: number, atMs: number): void => {
    if (purgedAtMs.has(user) && !((firstLikeMs.get(user) ?? Number.POSITIVE_INFINITY) <= atMs)) firstLikeMs.set(user, atMs)
  }
  for (const like of population.importedLikes) note(like.user, like.atMs)
  for (let i = 0; i < history.length; i++) if (history.isAcknowledged(i, OpKind.Like)) note(history.userOf(i), history.invokeMsOf(i))
  const delaysS = (k: UserKind): number[] => {
    const delays: number[] = []
    for (const [user, atMs] of purgedAtMs) {
      const first = firstLikeMs.get(user)
      if (kind[user] === k && first !== undefined) delays.push(Math.max(0, atMs - first) / 1000)
    }
    return delays.sort((a, b) => a - b)
  }
  return { careless: summary(delaysS(UserKind.CarelessBot)), stealthy: summary(delaysS(UserKind.StealthyBot)) }
}

function summary(sortedS: readonly number[]): TimeToDetection | null {
  if (sortedS.length === 0) return null
  const at = (q: number): number => sortedS[Math.min(sortedS.length - 1, Math.ceil(q * sortedS.length) - 1)] as number
  return { detected: sortedS.length, p50S: at(0.5), p90S: at(0.9), maxS: sortedS[sortedS.length - 1] as number }
}
