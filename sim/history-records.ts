// What a run's history holds besides its attempts: fault events (with a purge's report), the
// final reads of every region, the creators' inboxes and the convergence probes.
import type { FaultSpec } from './faults.ts'
import { PairKeySet, type PairKeys } from './pair-key-set.ts'

export interface PurgeRecord {
  readonly kind: 'bot' | 'inactive'
  readonly atMs: number
  /**
   * When the purge was surely complete: a purge that runs in slices (a server answering requests
   * meanwhile) removes likes between atMs and this, so a read in between may count them or not.
   * Absent: it removed them all at atMs (mode sim).
   */
  readonly doneAtMs?: number
  /** Purged accounts, as world user indices, with the system's reasons. */
  readonly accounts: readonly number[]
  readonly reasons: readonly (readonly string[])[]
  /** The detector's score of each purged account (bot purges whose report carries scores), in the order of `accounts`. */
  readonly accountScores?: readonly number[]
  /** A bot purge whose detector failed (the user's --detector threw or answered malformed scores): why. It removed nobody. */
  readonly detectorError?: string
  /** Bot purges in mode sim: the purge's detector's score of every account it scored, and each baseline's (by name). */
  readonly detector?: PurgeScoresRecord
  readonly baselines?: Readonly<Record<string, PurgeScoresRecord>>
  /** Removed likes the system reported, as world indices. */
  readonly removedUsers: readonly number[]
  readonly removedVideos: readonly number[]
  /**
   * Views the system reported removing, as world indices: per entry the account, the video and how
   * many views. Absent when the system does not remove purged accounts' views (its report has no
   * removedViews): the checks then expect them to keep counting.
   */
  readonly removedViews?: RemovedViewsRecord
  /** Ids in the system's report the world does not know (should be 0). */
  readonly unknownIds: number
}

/** A purge's removed views, as parallel columns of world indices. */
export interface RemovedViewsRecord {
  readonly users: readonly number[]
  readonly videos: readonly number[]
  readonly views: readonly number[]
}

/** A detector's scores at a purge, as world user indices; accounts not listed scored 0. */
export interface PurgeScoresRecord {
  readonly name: string
  readonly purgeScoreMin: number
  readonly users: readonly number[]
  readonly scores: readonly number[]
}

export interface FaultRecord {
  readonly spec: FaultSpec
  readonly startMs: number
  readonly endMs: number
  /** Set when the fault could not be applied (e.g. the target has no admin API). */
  skipped?: string
  /** Mode http: what enacted it (the target's admin API, or LikeStorm's fault proxy in front of the target). */
  via?: 'admin' | 'proxy'
  purge?: PurgeRecord
}

export interface RegionFinal {
  readonly region: string
  readonly readAtMs: number
  readonly likeCount: Int32Array
  readonly viewCount: Int32Array
  readonly uniqueViewers: Int32Array
  /** 1 when the final read of that video succeeded. */
  readonly readOk: Uint8Array
  /** (user, video) pairs the region lists as liked, as pair keys, in the order they were listed. */
  readonly likedPairs: PairKeys
  /** Users whose liked list could not be read. */
  readonly listFailures: number
  /**
   * Set when the like states were read on a sample of the pairs (a target without liked lists,
   * past the read-back bound): a pair outside it is unknown, never "not liked". Absent: every pair
   * the mode reads was read.
   */
  readonly likeSample?: LikeStateSample
}

/** The pairs whose final like state was read, out of how many the run touched. */
export interface LikeStateSample {
  /** Pair keys read. */
  readonly pairs: ReadonlySet<number>
  /** Pairs the run touched (that may hold a like): the sample's population. */
  readonly of: number
}

/** Whether the region's final read says anything about the pair's like state. */
export function likeStateRead(region: Pick<RegionFinal, 'likeSample'>, pair: number): boolean {
  return region.likeSample === undefined || region.likeSample.pairs.has(pair)
}

/** The sample the final like states were read on, when they were sampled (the same in every region). */
export function likeSampleOf(final: { readonly regions: readonly RegionFinal[] }): LikeStateSample | undefined {
  return final.regions.find((region) => region.likeSample !== undefined)?.likeSample
}

/** A region's final snapshot while the final reads fill it in. */
export type RegionFinalDraft = { -readonly [K in keyof Omit<RegionFinal, 'likedPairs'>]: RegionFinal[K] } & { readonly likedPairs: PairKeySet }

/** A region's final snapshot before any read: no video read, nothing listed. */
export function emptyRegionFinal(region: string, videoCount: number): RegionFinalDraft {
  return {
    region,
    readAtMs: 0,
    likeCount: new Int32Array(videoCount),
    viewCount: new Int32Array(videoCount),
    uniqueViewers: new Int32Array(videoCount),
    readOk: new Uint8Array(videoCount),
    likedPairs: new PairKeySet(),
    listFailures: 0,
  }
}

export interface InboxEntry {
  readonly fromUser: number
  readonly video: number
  readonly likedAtMs: number
  readonly deliveredAtMs: number
}

export interface FinalSnapshot {
  readonly atMs: number
  readonly regions: readonly RegionFinal[]
  /** Notifications each creator holds at the end (creators whose videos got likes), by world index. */
  readonly inboxes: ReadonlyMap<number, readonly InboxEntry[]>
  /** The bound of an inbox: a creator may hold at most this many. */
  readonly inboxMax: number
  /** Creators whose inbox could not be read. */
  readonly inboxFailures: number
}

export interface ConvergenceProbe {
  readonly atMs: number
  /** Per region, in region order: up to when every other region's writes are visible. */
  readonly watermarkMs: readonly number[]
  readonly digests: readonly string[]
}
