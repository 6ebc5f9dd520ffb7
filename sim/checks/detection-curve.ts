// A detector judged over every threshold, not only the one its purge used: precision, recall and
// the genuine false-positive rate at each score threshold, from the scores the detector gave at
// the run's bot purges. An account's score is the highest it got at any bot purge (the score at
// which a purge would first have removed it); accounts a detector never scored score nothing and
// are never flagged. Bots are every farm's accounts (careless, stealthy, flood); people are the
// genuine and inactive accounts. The curve is bounded (CURVE_POINTS_MAX points, spread over the
// distinct scores); recall at a fixed false-positive rate and at a fixed precision are read off
// every distinct threshold, not the bounded points.
import type { PurgeScoresRecord } from '../history-records.ts'
import { UserKind } from '../population.ts'

export const CURVE_POINTS_MAX = 50
/** The genuine false-positive rate at which recall is reported: 0.1% of people flagged. */
export const FIXED_GENUINE_FPR = 0.001
/** The precision at which recall is reported (issue 18's bar: SynchroTrap's > 99%). */
export const FIXED_PRECISION = 0.99

export interface CurvePoint {
  /** Accounts scoring at least this are flagged. */
  readonly scoreMin: number
  readonly flagged: number
  readonly precision: number | null
  readonly recall: number | null
  /** People (genuine and inactive accounts) flagged over all people. */
  readonly genuineFpr: number | null
}

export interface ScoreCurve {
  /** By scoreMin, highest first: flagged, recall and genuineFpr never fall along it. */
  readonly points: readonly CurvePoint[]
  /** The best recall at a threshold flagging at most FIXED_GENUINE_FPR of people; null scoreMin: no threshold does. */
  readonly recallAtGenuineFpr: { readonly genuineFpr: number; readonly recall: number; readonly scoreMin: number | null }
  /** The best recall at a threshold with precision at least FIXED_PRECISION. */
  readonly recallAtPrecision: { readonly precision: number; readonly recall: number; readonly scoreMin: number | null }
}

/** Each account's highest score over these purges' records of one detector; NaN: never scored. */
export function highestScores(records: readonly PurgeScoresRecord[], userCount: number): Float64Array {
  const highest = new Float64Array(userCount).fill(Number.NaN)
  for (const record of records) {
    record.users.forEach((user, i) => {
      const score = record.scores[i] as number
      if (!(highest[user] as number >= score)) highest[user] = score
    })
  }
  return highest
}

export function isBotKind(kind: number): boolean {
  return kind === UserKind.CarelessBot || kind === UserKind.StealthyBot || kind === UserKind.Flood
}

export function scoreCurve(highest: Float64Array, kind: Uint8Array): ScoreCurve {
  let bots = 0
  for (let user = 0; user < kind.length; user++) if (isBotKind(kind[user] as number)) bots++
  const people = kind.length - bots
  const scored: number[] = []
  for (let user = 0; user < highest.length; user++) if (!Number.isNaN(highest[user])) scored.push(user)
  scored.sort((a, b) => (highest[b] as number) - (highest[a] as number))
  // One step per distinct score, highest first: the bots and people flagged from it down.
  const steps: Array<{ scoreMin: number; bots: number; people: number }> = []
  let flaggedBots = 0
  let flaggedPeople = 0
  scored.forEach((user, i) => {
    if (isBotKind(kind[user] as number)) flaggedBots++
    else flaggedPeople++
    const score = highest[user] as number
    if (i + 1 === scored.length || (highest[scored[i + 1] as number] as number) < score) steps.push({ scoreMin: score, bots: flaggedBots, people: flaggedPeople })
  })
  const point = (step: { scoreMin: number; bots: number; people: number }): CurvePoint => ({
    scoreMin: step.scoreMin,
    flagged: step.bots + step.people,
    precision: ratio(step.bots, step.bots + step.people),
    recall: ratio(step.bots, bots),
    genuineFpr: ratio(step.people, people),
  })
  let atFpr = { recall: 0, scoreMin: null as number | null }
  let atPrecision = { recall: 0, scoreMin: null as number | null }
  for (const step of steps) {
    const recall = ratio(step.bots, bots) ?? 0
    if (people > 0 && step.people / people <= FIXED_GENUINE_FPR && recall >= atFpr.recall) atFpr = { recall, scoreMin: step.scoreMin }
    if (step.bots > 0 && step.bots / (step.bots + step.people) >= FIXED_PRECISION && recall >= atPrecision.recall) atPrecision = { recall, scoreMin: step.scoreMin }
  }
  return {
    points: spread(steps, CURVE_POINTS_MAX).map(point),
    recallAtGenuineFpr: { genuineFpr: FIXED_GENUINE_FPR, ...atFpr },
    recallAtPrecision: { precision: FIXED_PRECISION, ...atPrecision },
  }
}

/** At most `max` of the items, evenly spread, the first and last kept. */
function spread<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items]
  const picked: T[] = []
  let last = -1
  for (let k = 0; k < max; k++) {
    const index = Math.round((k * (items.length - 1)) / (max - 1))
    if (index !== last) picked.push(items[index] as T)
    last = index
  }
  return picked
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b
}
