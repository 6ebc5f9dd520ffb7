// The detection section of result.json (detection): the purges against the world's ground truth,
// per account kind, per farm and per reason, a detector's curve over its score thresholds and a
// baseline detector's. Part of the file format (result.ts re-exports it): it imports nothing of the harness.
/** The world's account kinds (ground truth), as detection's confusion matrix names its rows. */
export const ACCOUNT_KINDS = ['genuine', 'careless', 'stealthy', 'inactive', 'flood'] as const

/** Detection quality for one kind of account. */
export interface KindQuality {
  /** Accounts of this kind in the world. */
  readonly accounts: number
  /** ...of which purged. */
  readonly purged: number
  readonly precision: number | null
  readonly recall: number | null
}

/** One score threshold of a detector's curve. */
export interface CurvePoint {
  readonly scoreMin: number
  readonly flagged: number
  readonly precision: number | null
  readonly recall: number | null
  /** People (genuine and inactive accounts) flagged over all people. */
  readonly genuineFpr: number | null
}

/** A detector over every score threshold, from the scores it gave at the bot purges. */
export interface DetectorCurve {
  readonly name: string
  readonly purgeScoreMin: number
  /** Highest threshold first, at most 50. */
  readonly points: readonly CurvePoint[]
  readonly recallAtGenuineFpr: { readonly genuineFpr: number; readonly recall: number; readonly scoreMin: number | null }
  readonly recallAtPrecision: { readonly precision: number; readonly recall: number; readonly scoreMin: number | null }
}

/** A baseline detector fed the same events: what it would have purged at its own threshold, and its curve. */
export interface BaselineQuality extends DetectorCurve {
  readonly precision: number | null
  readonly recall: number | null
  readonly byFarmKind: { readonly careless: { readonly precision: number | null; readonly recall: number | null }; readonly stealthy: { readonly precision: number | null; readonly recall: number | null } }
}

/** One farm's detection quality and cost (result.json detection.byFarm). */
export interface FarmQuality {
  readonly label: string
  readonly kind: 'careless' | 'stealthy' | 'flood'
  readonly traits: readonly string[]
  readonly accounts: number
  readonly purged: number
  readonly precision: number | null
  readonly recall: number | null
  readonly paidLikes: number
  readonly paidViews: number
  /** Of paidViews, those still counted after the purges; absent when no purge removed views. */
  readonly paidViewsLeft?: number
  readonly costUsd: number
}

/** Seconds from a farm account's first like to the bot purge that removed it. */
export interface TimeToDetection {
  readonly detected: number
  readonly p50S: number
  readonly p90S: number
  readonly maxS: number
}

/** Purges against the world's ground truth. */
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
  /**
   * Per farm of the world, in its order (absent from results written before farm traits): its
   * label, kind and traits, accounts and how many a bot purge took, precision as "had only this
   * farm existed", and its cost in USD at assumed prices (docs/detectors.md).
   */
  readonly byFarm?: readonly FarmQuality[]
  /** Inactive purges against truly idle accounts. */
  readonly inactive: KindQuality
  /** Rows: truth; columns: purged by a bot purge, by an inactive purge, or left alone. */
  readonly confusion: Readonly<Record<(typeof ACCOUNT_KINDS)[number], { readonly botPurge: number; readonly inactivePurge: number; readonly kept: number }>>
  // The fields below are absent from results written before detectors were plug-ins.
  /** The bot purges' detector over every threshold; null when the purges' reports carry no scores (mode http). */
  readonly curve?: DetectorCurve | null
  /** Accounts the bot purges removed by each reason they named, of which bots. */
  readonly byReason?: Readonly<Record<string, { readonly accounts: number; readonly bots: number; readonly precision: number }>>
  /** People purged by bot purges, their likes removed, and the distinct creators of the videos that lost them. */
  readonly falsePositiveCost?: { readonly genuineAccounts: number; readonly genuineLikesRemoved: number; readonly creatorsAffected: number }
  readonly timeToDetection?: { readonly careless: TimeToDetection | null; readonly stealthy: TimeToDetection | null }
  /** The facts-only detector on the same events (docs/detectors.md); null where the purges' reports carry none. */
  readonly baselines?: { readonly factsOnly: BaselineQuality | null }
  /**
   * The purged accounts and the likes removed with them, by name: at most 200 of each, people
   * (the purges' mistakes) before bots, and how many more there were.
   */
  readonly purged?: {
    readonly accounts: readonly { readonly userId: string; readonly kind: string; readonly purge: 'bot' | 'inactive'; readonly atMs: number; readonly score: number | null; readonly reasons: readonly string[] }[]
    readonly accountsNotListed: number
    readonly likes: readonly { readonly userId: string; readonly videoId: string; readonly kind: string; readonly purge: 'bot' | 'inactive'; readonly removedAtMs: number }[]
    readonly likesNotListed: number
    /**
     * The views the purges removed, per account and video (views: how many), bounded and ordered
     * as the likes; absent when no purge removed a view (the system keeps purged accounts' views,
     * or they had none).
     */
    readonly views?: readonly { readonly userId: string; readonly videoId: string; readonly views: number; readonly kind: string; readonly purge: 'bot' | 'inactive'; readonly removedAtMs: number }[]
    readonly viewsNotListed?: number
  }
}
