// How well the system's purges matched the world's truth: per purge kind and per farm kind, which
// accounts were purged, which should have been, and how many genuine likes went with them.
import { UserKind, USER_KIND_NAMES } from '../population.ts'
import { pairOf } from '../history.ts'
import { OpKind } from '../operation.ts'
import type { CheckContext } from './check-types.ts'
import { falsePositiveCost, precisionByReason, timeToDetection, type FalsePositiveCost, type ReasonPrecision, type TimeToDetection } from './detection-breakdown.ts'
import { highestScores, scoreCurve, type CurvePoint, type ScoreCurve } from './detection-curve.ts'
import type { PurgeScoresRecord } from '../history-records.ts'
import { tracePurges, type PurgeTrace } from './purge-trace.ts'
import { measureFarms, type FarmQuality } from './farm-quality.ts'

/** A detector over every threshold (see detection-curve.ts). */
export interface DetectorCurve {
  readonly name: string
  /** The threshold its purges used. */
  readonly purgeScoreMin: number
  readonly points: readonly CurvePoint[]
  readonly recallAtGenuineFpr: ScoreCurve['recallAtGenuineFpr']
  readonly recallAtPrecision: ScoreCurve['recallAtPrecision']
}

/** A baseline detector on the same events: what it would have purged at its own threshold, and its curve. */
export interface BaselineQuality extends DetectorCurve {
  readonly precision: number | null
  readonly recall: number | null
  readonly byFarmKind: { readonly careless: { readonly precision: number | null; readonly recall: number | null }; readonly stealthy: { readonly precision: number | null; readonly recall: number | null } }
}

/** The baselines every bot purge reports beside its detector (mock-server/core/detection/facts-only-detector.ts). */
const FACTS_ONLY = 'facts-only'

export interface KindQuality {
  /** Accounts of this kind in the world. */
  readonly accounts: number
  /** ...of which purged. */
  readonly purged: number
  /** purged / (purged + wrongly purged accounts of the other side): "had only this kind existed". */
  readonly precision: number | null
  readonly recall: number | null
}

export interface DetectionQuality {
  readonly botPurges: number
  readonly inactivePurges: number
  /** Bot purges: flagged accounts that are bots (any farm) over all flagged. */
  readonly precision: number | null
  /** Bot purges: bots flagged over all bots. */
  readonly recall: number | null
  readonly genuineAccountsPurged: number
  /** Genuine users' likes removed by any purge over all their acknowledged likes. */
  readonly genuineLikesRemovedRatio: number | null
  readonly genuineLikesRemoved: number
  readonly likesRemoved: number
  readonly byFarmKind: { readonly careless: KindQuality; readonly stealthy: KindQuality }
  /** Per farm of the world, in its order (see farm-quality.ts): labels, traits, recall and cost. */
  readonly byFarm: readonly FarmQuality[]
  /** Inactive purges against truly idle accounts. */
  readonly inactive: KindQuality
  /** Rows: truth; columns: purged by a bot purge, by an inactive purge, or left alone. */
  readonly confusion: Readonly<Record<(typeof USER_KIND_NAMES)[number], { readonly botPurge: number; readonly inactivePurge: number; readonly kept: number }>>
  /** The bot purges' detector over every threshold; null when their reports carry no scores (a --target, mode http). */
  readonly curve: DetectorCurve | null
  /** Bot purges' removed accounts by the reasons they named. */
  readonly byReason: Readonly<Record<string, ReasonPrecision>>
  readonly falsePositiveCost: FalsePositiveCost
  readonly timeToDetection: { readonly careless: TimeToDetection | null; readonly stealthy: TimeToDetection | null }
  /** The facts-only detector on the same events; null where the purges' reports carry no baseline. */
  readonly baselines: { readonly factsOnly: BaselineQuality | null }
  /** The purged accounts and removed likes by name, bounded (see purge-trace.ts). */
  readonly purged: PurgeTrace
}

export function measureDetection(ctx: CheckContext): DetectionQuality {
  const { history, population } = ctx
  const kind = population.truth.kind
  const purgedBy = new Uint8Array(population.userCount) // 0 kept, 1 bot purge, 2 inactive purge
  let botPurges = 0
  let inactivePurges = 0
  let genuineLikesRemoved = 0
  let likesRemoved = 0
  for (const fault of history.faults) {
    const purge = fault.purge
    if (purge === undefined) continue
    if (purge.kind === 'bot') botPurges++
    else inactivePurges++
    for (const user of purge.accounts) if (purgedBy[user] === 0) purgedBy[user] = purge.kind === 'bot' ? 1 : 2
    likesRemoved += purge.removedUsers.length
    for (const user of purge.removedUsers) if (kind[user] === UserKind.Genuine) genuineLikesRemoved++
  }
  const genuineLikes = countGenuineLikes(ctx)
  const counts = [0, 0, 0, 0, 0].map(() => ({ botPurge: 0, inactivePurge: 0, kept: 0 }))
  for (let user = 0; user < population.userCount; user++) {
    const row = counts[kind[user] as number] as { botPurge: number; inactivePurge: number; kept: number }
    const by = purgedBy[user]
    if (by === 1) row.botPurge++
    else if (by === 2) row.inactivePurge++
    else row.kept++
  }
  const row = (k: number): { botPurge: number; inactivePurge: number; kept: number } => counts[k] as { botPurge: number; inactivePurge: number; kept: number }
  // Wrongly bot-purged: genuine or inactive people.
  const botFalse = row(UserKind.Genuine).botPurge + row(UserKind.Inactive).botPurge
  const kindQuality = (k: number, column: 'botPurge' | 'inactivePurge', wrong: number, active: boolean): KindQuality => {
    const r = row(k)
    const accounts = r.botPurge + r.inactivePurge + r.kept
    const purged = r[column]
    return {
      accounts,
      purged,
      precision: active ? ratio(purged, purged + wrong) : null,
      recall: active && accounts > 0 ? ratio(purged, accounts) : null,
    }
  }
  // Flood (DDoS) accounts are bots too: purging them is right, missing them is a miss.
  const botKinds = [UserKind.CarelessBot, UserKind.StealthyBot, UserKind.Flood]
  const botTrue = botKinds.reduce((sum, k) => sum + row(k).botPurge, 0)
  const bots = botKinds.reduce((sum, k) => sum + row(k).botPurge + row(k).inactivePurge + row(k).kept, 0)
  const inactiveWrong = row(UserKind.Genuine).inactivePurge + botKinds.reduce((sum, k) => sum + row(k).inactivePurge, 0)
  return {
    botPurges,
    inactivePurges,
    precision: botPurges > 0 ? ratio(botTrue, botTrue + botFalse) : null,
    recall: botPurges > 0 && bots > 0 ? ratio(botTrue, bots) : null,
    genuineAccountsPurged: row(UserKind.Genuine).botPurge + row(UserKind.Genuine).inactivePurge,
    genuineLikesRemovedRatio: genuineLikes > 0 ? genuineLikesRemoved / genuineLikes : null,
    genuineLikesRemoved,
    likesRemoved,
    byFarmKind: {
      careless: kindQuality(UserKind.CarelessBot, 'botPurge', botFalse, botPurges > 0),
      stealthy: kindQuality(UserKind.StealthyBot, 'botPurge', botFalse, botPurges > 0),
    },
    byFarm: measureFarms(ctx, { botPurged: purgedBy, peoplePurged: botFalse, botPurges }),
    inactive: kindQuality(UserKind.Inactive, 'inactivePurge', inactiveWrong, inactivePurges > 0),
    confusion: {
      genuine: row(UserKind.Genuine),
      careless: row(UserKind.CarelessBot),
      stealthy: row(UserKind.StealthyBot),
      inactive: row(UserKind.Inactive),
      flood: row(UserKind.Flood),
    },
    curve: detectorCurve(ctx, (purge) => purge.detector),
    byReason: precisionByReason(ctx),
    falsePositiveCost: falsePositiveCost(ctx),
    timeToDetection: timeToDetection(ctx),
    baselines: { factsOnly: baselineQuality(ctx, FACTS_ONLY) },
    purged: tracePurges(ctx),
  }
}

type ScoresOf = (purge: NonNullable<CheckContext['history']['faults'][number]['purge']>) => PurgeScoresRecord | undefined

/** One detector's records over the bot purges, if every bot purge carries them. */
function scoreRecords(ctx: CheckContext, of: ScoresOf): PurgeScoresRecord[] | undefined {
  const records: PurgeScoresRecord[] = []
  for (const fault of ctx.history.faults) {
    const purge = fault.purge
    if (purge === undefined || purge.kind !== 'bot') continue
    const record = of(purge)
    if (record === undefined) return undefined
    records.push(record)
  }
  return records.length === 0 ? undefined : records
}

function detectorCurve(ctx: CheckContext, of: ScoresOf): DetectorCurve | null {
  const records = scoreRecords(ctx, of)
  if (records === undefined) return null
  const curve = scoreCurve(highestScores(records, ctx.population.userCount), ctx.population.truth.kind)
  const { name, purgeScoreMin } = records[0] as PurgeScoresRecord
  return { name, purgeScoreMin, ...curve }
}

function baselineQuality(ctx: CheckContext, name: string): BaselineQuality | null {
  const records = scoreRecords(ctx, (purge) => purge.baselines?.[name])
  if (records === undefined) return null
  const kind = ctx.population.truth.kind
  const highest = highestScores(records, ctx.population.userCount)
  const { purgeScoreMin } = records[0] as PurgeScoresRecord
  // What it would have purged at its own threshold, by truth.
  const flagged = [0, 0, 0, 0, 0]
  const accounts = [0, 0, 0, 0, 0]
  for (let user = 0; user < kind.length; user++) {
    const k = kind[user] as number
    accounts[k] = (accounts[k] as number) + 1
    if ((highest[user] as number) >= purgeScoreMin) flagged[k] = (flagged[k] as number) + 1
  }
  const count = (ks: readonly UserKind[], of: readonly number[]): number => ks.reduce((sum: number, k) => sum + (of[k] as number), 0)
  const people: UserKind[] = [UserKind.Genuine, UserKind.Inactive]
  const bots: UserKind[] = [UserKind.CarelessBot, UserKind.StealthyBot, UserKind.Flood]
  const wrong = count(people, flagged)
  const kindOf = (k: UserKind): { precision: number | null; recall: number | null } => ({ precision: ratio(flagged[k] as number, (flagged[k] as number) + wrong), recall: ratio(flagged[k] as number, accounts[k] as number) })
  return {
    name,
    purgeScoreMin,
    precision: ratio(count(bots, flagged), count(bots, flagged) + wrong),
    recall: ratio(count(bots, flagged), count(bots, accounts)),
    byFarmKind: { careless: kindOf(UserKind.CarelessBot), stealthy: kindOf(UserKind.StealthyBot) },
    ...scoreCurve(highest, kind),
  }
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b
}

/** Distinct (user, video) pairs genuine users liked with an acknowledged like, imported ones included. */
function countGenuineLikes(ctx: CheckContext): number {
  const { history, population } = ctx
  const kind = population.truth.kind
  const pairs = new Set<number>()
  for (let i = 0; i < history.length; i++) {
    if (!history.isAcknowledged(i, OpKind.Like)) continue
    const user = history.userOf(i)
    if (kind[user] === UserKind.Genuine) pairs.add(pairOf(history.videoOf(i), user))
  }
  for (const like of population.importedLikes) if (kind[like.user] === UserKind.Genuine) pairs.add(pairOf(like.video, like.user))
  return pairs.size
}
