// Requests and responses of the engagement core. Ids are strings; time is ms handed in by the caller.
import type { CoreErrorCode } from './errors.ts'

export interface UserRecord {
  readonly userId: string
  /** The public name (a world export has it; the core keeps none, so an in-process load may leave it out). */
  readonly handle?: string
  /** The client address the platform sees for this account (IPv4 dotted quad). */
  readonly ip: string
  readonly homeRegion: string
  /** Signup time on the run's clock (negative: before the run). */
  readonly createdAtMs: number
  /** Last activity before the run started (negative). */
  readonly lastActiveAtMs: number
  readonly uploads: number
  readonly followers: number
}

export interface VideoRecord {
  readonly videoId: string
  readonly creatorId: string
}

/** Read once, in order, by the loader: arrays, or records made as they are read (a world of millions). */
export interface DirectoryLoad {
  readonly users: Iterable<UserRecord>
  readonly videos: Iterable<VideoRecord>
  /** How many records the load holds, when the iterables do not say (arrays do): the directory makes room once. */
  readonly counts?: { readonly users: number; readonly videos: number }
}

/** A like imported from before the run (history the platform already holds). */
export interface ImportedLike {
  readonly userId: string
  readonly videoId: string
  readonly atMs: number
}

interface RequestBase {
  readonly nowMs: number
  /** Region that receives the request. */
  readonly region: string
  /** The client's address, for per-client limits (default: the user's registered address). */
  readonly clientIp?: string | undefined
}

export interface LikeRequest extends RequestBase {
  readonly userId: string
  readonly videoId: string
  readonly idempotencyKey?: string | undefined
}

export interface ViewRequest extends LikeRequest {
  readonly watchMs: number
}

export interface VideoReadRequest extends RequestBase {
  readonly videoId: string
  /** The reader, when known (rate limits key on the reader's network). */
  readonly userId?: string | undefined
}

export interface LikedReadRequest extends RequestBase {
  readonly userId: string
  readonly videoId: string
}

export interface LikesPageRequest extends RequestBase {
  readonly userId: string
  readonly cursor?: string | undefined
  readonly limit: number
}

export interface NotificationsRequest extends RequestBase {
  readonly userId: string
  readonly limit: number
}

export interface LikeResponse {
  readonly videoId: string
  readonly userId: string
  readonly liked: boolean
  readonly likeCount: number
  readonly stale: boolean
  readonly asOfMs: number
}

export interface ViewResponse {
  readonly videoId: string
  readonly viewCount: number
  readonly uniqueViewers: number
}

export interface VideoCountsResponse {
  readonly videoId: string
  readonly likeCount: number
  readonly viewCount: number
  readonly uniqueViewers: number
  readonly stale: boolean
  readonly asOfMs: number
}

export interface LikedResponse {
  readonly liked: boolean
  readonly stale: boolean
  readonly asOfMs: number
}

export interface LikesPageResponse {
  readonly userId: string
  readonly videoIds: readonly string[]
  readonly nextCursor: string | null
  readonly asOfMs: number
}

export interface Notification {
  readonly videoId: string
  readonly fromUserId: string
  readonly likedAtMs: number
  readonly deliveredAtMs: number
}

export interface NotificationsResponse {
  readonly userId: string
  readonly notifications: readonly Notification[]
}

export interface CoreFailure {
  readonly ok: false
  readonly code: CoreErrorCode
  /** Modelled time until the client learns of the failure. */
  readonly latencyMs: number
  /** For shed requests: when to retry. */
  readonly retryAfterMs?: number
}

export interface CoreSuccess<T> {
  readonly ok: true
  readonly value: T
  /** Modelled service time: queueing + work + cache. */
  readonly latencyMs: number
  /** True when an Idempotency-Key replayed a stored response. */
  readonly replayed: boolean
}

export type CoreResult<T> = CoreSuccess<T> | CoreFailure

export interface PurgedAccount {
  readonly userId: string
  readonly reasons: readonly string[]
  /** The detector's score (bot purges). */
  readonly score?: number
}

export interface PurgedLike {
  readonly userId: string
  readonly videoId: string
}

/** An account's views of one video a purge removed (with the account as one of its unique viewers). */
export interface PurgedViews {
  readonly userId: string
  readonly videoId: string
  readonly views: number
}

/** An account's score at a bot purge. */
export interface ScoredAccount {
  readonly userId: string
  readonly score: number
}

/** A detector's answer at a bot purge: every account it scored (the rest scored 0), and the score from which it purges. */
export interface PurgeScores {
  readonly name: string
  readonly purgeScoreMin: number
  readonly scored: readonly ScoredAccount[]
}

export interface PurgeReport {
  readonly kind: 'bot' | 'inactive'
  readonly atMs: number
  readonly accounts: readonly PurgedAccount[]
  readonly removedLikes: readonly PurgedLike[]
  /**
   * The purged accounts' views the system removed, one entry per (account, video). Absent when the
   * system does not remove views (SystemModule.removesPurgedViews): its purges leave them counted.
   */
  readonly removedViews?: readonly PurgedViews[]
  /** A bot purge whose detector failed (a user's --detector threw or answered malformed scores): why; it removed nobody. */
  readonly detectorError?: string
  /**
   * Bot purges: the purge's detector's scores, from which result.json draws a curve over
   * thresholds, and each baseline's on the same events, by name (the admin route streams them
   * too; a target that sends none gets no curve).
   */
  readonly scores?: PurgeScores
  readonly baselines?: Readonly<Record<string, PurgeScores>>
}

export interface RegionState {
  readonly region: string
  readonly up: boolean
  readonly likeTotal: number
  readonly viewTotal: number
  /** Order-independent digest of every video's like and view count: equal digests, equal counts. */
  readonly countsDigest: string
  /** Time up to which every other region's writes are visible here. */
  readonly watermarkMs: number
  /** nowMs - watermarkMs. */
  readonly replicationLagMs: number
  readonly queueDelayMs: number
  readonly cacheDelayMs: number
  /** Replication entries written elsewhere and not yet applied here (kept in the durable log). */
  readonly replicationPending: number
  /** A link into this region overflowed its backlog bound: it takes a full copy when the link comes back. */
  readonly resyncPending: boolean
}

export type ActiveFault =
  | { readonly kind: 'region-outage'; readonly region: string }
  | { readonly kind: 'partition'; readonly a: string; readonly b: string }
  | { readonly kind: 'slow-cache'; readonly region: string; readonly latencyMs: number }
  | { readonly kind: 'overload'; readonly region: string; readonly factor: number }
  | { readonly kind: 'takedown'; readonly videoIds: readonly string[] }

export interface CoreState {
  readonly nowMs: number
  readonly strategy: string
  readonly regions: readonly RegionState[]
  readonly faults: readonly ActiveFault[]
  readonly counters: CoreCounters
}

export interface CoreCounters {
  readonly requests: number
  readonly shed: number
  readonly rateLimited: number
  readonly staleReads: number
  readonly degradedZeroReads: number
  readonly cacheTimeouts: number
  readonly idempotentReplays: number
  /** Keyed writes refused because the idempotency store was full. */
  readonly idempotencyStoreFull: number
  readonly replicationApplied: number
  readonly replicationDropped: number
  /** Paused links whose backlog passed replicationBacklogMaxEntries (their destination resyncs). */
  readonly replicationOverflows: number
  /** Log entries let go by those links (replaced by the resync, not lost). */
  readonly replicationOverflowedEntries: number
  /** Full copies of a region's data into another after an overflow. */
  readonly replicationResyncs: number
  readonly replicationResyncedPairs: number
  /** Entries the replication logs hold now (a gauge). */
  readonly replicationLogEntries: number
  readonly notificationsSent: number
  readonly notificationsDelivered: number
  readonly notificationsDropped: number
  readonly purgedAccounts: number
  readonly purgedLikes: number
  /** Messages the system sent between regions through the environment's network. */
  readonly networkMessagesSent: number
  /** Of those, the ones due while their destination was down or cut off (lost, as on a real network). */
  readonly networkMessagesLost: number
  /** A user's system (--system, guarded: systems/guard.ts): calls that threw or answered malformed. Absent for the built-in systems. */
  readonly systemFaults?: number
}
