// The system under test, as one versioned interface (modelled on Maelstrom's node protocol): it
// receives requests and writes replies; it talks to its other regions only through the
// environment's network; it reads time and randomness only from the environment. Everything the
// harness owns — the clock, regions up and down, the network between them, capacity and queueing,
// the counter cache and its faults, the directory of users and videos — is behind `SystemEnv`.
//
// A team writes a module exporting a `SystemModule` against this file alone: no fastify, no world,
// no runner. Ids are dense handles (numbers) handed out by the environment's directory; -1 is an
// id the directory does not know. Requests and replies are plain, reused objects: the caller owns
// them and reads a reply before its next call, so a system serves millions of calls without
// allocating.

/** Bumped on any change a system module must follow; a module declares the version it implements. */
export const SYSTEM_INTERFACE_VERSION = 1

/** The catalogue codes a system may answer with (each maps to one HTTP status: see mock-server/core/errors.ts). */
export type SystemErrorCode =
  | 'LS_CORE_OVERLOADED'
  | 'LS_CORE_RATE_LIMITED'
  | 'LS_CORE_COUNT_UNAVAILABLE'
  | 'LS_CORE_UNKNOWN_USER'
  | 'LS_CORE_UNKNOWN_VIDEO'
  | 'LS_CORE_ACCOUNT_DELETED'
  | 'LS_CORE_VIDEO_UNAVAILABLE'
  | 'LS_CORE_IDEMPOTENCY_MISMATCH'
  | 'LS_CORE_IDEMPOTENCY_STORE_FULL'
  | 'LS_CORE_BAD_WATCH_MS'

/**
 * Codes only the harness writes into a reply, never a system: the environment refuses a request to
 * a region that is down, and the guard around a user's module (guard.ts) answers for a handler that
 * threw or wrote a malformed reply.
 */
export type HarnessReplyCode = 'LS_CORE_REGION_DOWN' | 'LS_CORE_SYSTEM_FAULT'

/** One request as it reaches a region that is up (the environment refuses requests to a region that is down). */
export interface SystemRequest {
  /** Region handle: index into `SystemEnv.regions`. */
  region: number
  /** User handle; -1: unknown or not given (a read of counts may have no reader). */
  user: number
  /** Video handle; -1: unknown. */
  video: number
  /** The client's Idempotency-Key, when it sent one: a string (HTTP) or a number (in-process); they never collide. */
  key: string | number | undefined
  /** The client's interned /24 network (`SystemEnv.directory.ipBlockOf` for the user's own); -1: not given. */
  clientBlock: number
  /** Views: how long the video was watched. */
  watchMs: number
  /** Liked-list pages: the previous page's last video handle, -1 for the first page. */
  afterVideo: number
  /** Liked-list pages and notifications: the page size asked for. */
  limit: number
}

/** The answer to one request, written in place. Fields an operation does not produce keep their "none" value. */
export interface SystemReply {
  ok: boolean
  code: SystemErrorCode | HarnessReplyCode | ''
  /** Modelled time until the client has its answer: queueing + work + dependencies. */
  latencyMs: number
  /** Shed and rate-limited requests: when to retry; NaN otherwise. */
  retryAfterMs: number
  /** An Idempotency-Key replayed a stored response. */
  replayed: boolean
  likeCount: number
  viewCount: number
  uniqueViewers: number
  /** Likes and like reads: the pair's liked state. */
  liked: boolean
  stale: boolean
  /** As of when the answer holds (a read's replication watermark); NaN when not reported. */
  asOfMs: number
  /** A like or unlike that changed the stored state (the platform's event stream, which detection reads, records it). */
  changed: boolean
  /** A success with no values yet: the operation sets those it produces. */
  succeed(latencyMs: number, replayed: boolean): this
  fail(code: SystemErrorCode, latencyMs: number, retryAfterMs?: number): this
}

/** A delivered "someone liked your video" notification, by handle. */
export interface InboxItem {
  readonly video: number
  readonly fromUser: number
  readonly likedAtMs: number
  readonly deliveredAtMs: number
}

/** A message between regions: plain data with a type; a system defines its own union. */
export interface SystemMessage {
  readonly type: string
}

/** What the platform knows of its accounts and videos (the environment's; read-only to a system). */
export interface DirectoryView {
  readonly userCount: number
  readonly videoCount: number
  /** A video's id (a new string each call: keep handles, not ids, where it is hot). */
  videoId(video: number): string
  /** The order of two videos' ids (liked lists are ordered by id), as `<` on the strings says, without making them: < 0, 0 or > 0. */
  compareVideoIds(a: number, b: number): number
  /** A video's creator handle (who a like notifies); -1 for a video the directory does not have. */
  creatorOf(video: number): number
  /**
   * @deprecated `videoId(video)` and `compareVideoIds(a, b)`: the directory keeps its ids packed
   * (issue 20) and makes this list, a string per video, only for a module that reads it.
   */
  readonly videoIds: readonly string[]
  /** @deprecated `creatorOf(video)`; made on first use, as `videoIds` is. */
  readonly videoCreator: readonly number[]
  isDeleted(user: number): boolean
  isTakenDown(video: number): boolean
  /** The interned /24 network of the user's registered address. */
  ipBlockOf(user: number): number
}

/** Everything a system gets from the harness. */
export interface SystemEnv<M extends SystemMessage = SystemMessage> {
  /** Region ids; a region handle is an index into this list. */
  readonly regions: readonly string[]
  readonly directory: DirectoryView
  /** The current time, ms (virtual in mode sim, the scenario clock in mode http). */
  nowMs(): number
  /** Seeded uniform randomness in [0, 1). */
  random(): number
  /** The environment's service time of one request: base + jitter (how fast the region's machines are). */
  serviceMs(): number
  /**
   * Send a message to another region. It arrives after the link's delay through `onMessage`, or
   * never: a message to a region that is down or cut off from the sender when it is due is lost.
   */
  send(from: number, to: number, message: M): void
  /** Queue at a region's front door: the queueing delay of a request arriving now, or -1 when it would wait longer than `queueMaxMs`. */
  admit(region: number, queueMaxMs: number): number
  /** The queueing delay a request arriving now would see, without admitting it. */
  queueDelayMs(region: number): number
  /** When a client shed at this bound should come back. */
  retryAfterMs(region: number, queueMaxMs: number): number
  /** A call to the region's counter cache: its latency, or -1 when it times out. */
  cacheCall(region: number): number
  /** The wait a cache call made now would see (slow-cache faults included). */
  cacheDelayMs(region: number): number
  /** Past this a cache call times out. */
  readonly cacheTimeoutMs: number
  /**
   * The platform's view log, shared by every region (a dependency, like the cache): record that
   * `user` viewed `video`; true when it is the first time. A system calls it once for every view
   * it serves — detection reads the same log — and may use the answer for unique viewers.
   */
  firstView(video: number, user: number): boolean
}

/** Settings the harness passes to every system (from the scenario; a system may ignore any). */
export interface SystemSettings {
  readonly idempotencyTtlMs: number
  readonly idempotencyMaxKeys: number
  readonly notificationDelayMs: number
  readonly inboxMax: number
  /** Writes per second one shard of a video's counter takes (hot-key contention). */
  readonly counterWritesPerSPerShard: number
  /** Bound on what a replication protocol keeps for a region it cannot reach (entries). */
  readonly replicationBacklogMaxEntries: number
  /**
   * Whether a purge may run in this run (mode sim knows from the scenario's faults; a server always
   * may: its admin API purges on demand). False: `purgeAccount` is never called, so a system need
   * keep nothing a purge alone would read (e.g. each account's views, to remove them).
   */
  readonly purgesMayRun: boolean
}

/** Per region, what an observer (probes, /admin/v1/state) may see of the system's state. */
export interface RegionObservation {
  readonly likeTotal: number
  readonly viewTotal: number
  /** Order-independent digest of every video's like and view count: equal digests, equal counts. */
  readonly countsDigest: string
  /** Time up to which every other region's writes are visible here. */
  readonly watermarkMs: number
  /** Writes made elsewhere and not yet applied here. */
  readonly replicationPending: number
  /** This region will take a full copy from another when it can reach it again. */
  readonly resyncPending: boolean
}

/** A like held from before the run: written to every region at once. */
export interface SeedLike {
  readonly user: number
  readonly video: number
  readonly atMs: number
}

/** A like a purge removed. */
export interface PurgedPair {
  readonly user: number
  readonly video: number
}

/** The views of one (user, video) pair a purge removed: `views` of them, and the pair's one unique viewer. */
export interface PurgedViews {
  readonly user: number
  readonly video: number
  /** How many views of the video the system had counted for the account (at least 1). */
  readonly views: number
}

export interface EngagementSystem<M extends SystemMessage = SystemMessage> {
  like(request: SystemRequest, reply: SystemReply): SystemReply
  unlike(request: SystemRequest, reply: SystemReply): SystemReply
  view(request: SystemRequest, reply: SystemReply): SystemReply
  /** Counts of `video` (the reader, when known, is `user`). */
  readCounts(request: SystemRequest, reply: SystemReply): SystemReply
  /** Whether `user` likes `video`, in `reply.liked`. */
  readLike(request: SystemRequest, reply: SystemReply): SystemReply
  /** A page of `user`'s liked videos ordered by video id, after `afterVideo`; returns the page (empty on failure). */
  likedPage(request: SystemRequest, reply: SystemReply): { readonly videos: readonly number[]; readonly more: boolean }
  /** `user`'s latest notifications, newest first, at most `limit`. */
  notifications(request: SystemRequest, reply: SystemReply): readonly InboxItem[]

  /** A message from another region's instance, delivered by the environment. */
  onMessage(to: number, from: number, message: M): void
  /** Called for every region that is up, every `SYSTEM_TICK_MS` of the environment's time (timers: retransmits, flushes). */
  onTick(region: number, nowMs: number): void
  /** The region went down: what it held in memory only is gone. Requests and messages stop reaching it. */
  onOutage(region: number): void
  /** The region is back up (with whatever survived its outage). */
  onRecover(region: number): void
  /** The directory grew (loading a world): size the tables. */
  onDirectory(): void
  /** Videos were taken down or restored (the environment refuses nothing: the system decides). */
  onTakedown(videos: readonly number[], takenDown: boolean): void
  /** A like held from before the run, written to every region at once; true when it changed a region's state. */
  seedLike(like: SeedLike): boolean
  /**
   * A purge of an account (already refused as deleted by the directory): remove every like it
   * holds in any region, winning over every earlier write of them, and append each like removed
   * to `removed` (the purge's report says what the system removed).
   *
   * `removedViews` is given only to a module that declares `removesPurgedViews`: such a system
   * also takes the account's views out of every video's counts in every region — the views it
   * counted for the account and the one unique viewer the account was — for good (a view still
   * on its way between regions included), and appends one entry per video whose views it removed.
   */
  purgeAccount(user: number, removed: PurgedPair[], removedViews?: PurgedViews[]): void
  /** Per-region observation (probes, admin state). */
  observe(region: number): RegionObservation
  /** Counters the system keeps (shed, staleReads, replicationApplied, …); the admin state reports them. */
  counters(): Readonly<Record<string, number>>
  /** Optional sizing hint: about how many requests over how long. Must change no behaviour. */
  reserve?(plan: { readonly requests: number; readonly durationMs: number }): void
}

/** What a system module exports. */
export interface SystemModule<M extends SystemMessage = SystemMessage> {
  readonly interfaceVersion: typeof SYSTEM_INTERFACE_VERSION
  readonly name: string
  readonly description: string
  /** Writes wait on the counter cache (an HTTP server enacting modelled waits needs to know). */
  readonly writesWaitOnCache: boolean
  /**
   * Whether the system refuses an attempt its client's deadline (X-LikeStorm-Deadline-Ms) would
   * pass before it is answered, without executing it (deadline propagation, as gRPC does).
   * Default true. A system without it works on requests its clients already gave up on: they time
   * out, retry and add load (naive; in mode sim no client sends a deadline, and the two agree).
   */
  readonly honoursDeadlines?: boolean
  /**
   * Whether a purge removes the purged accounts' views as well as their likes (default false: a
   * purge removes likes only, and a view farm's views keep counting). A module that declares it
   * is handed `removedViews` in `purgeAccount`, the purge's report lists what it removed, and the
   * checks expect the final view counts without the purged accounts' views.
   */
  readonly removesPurgedViews?: boolean
  create(env: SystemEnv<M>, settings: SystemSettings): EngagementSystem<M>
  /**
   * Where another thread can load this module from (an embedded server runs on its own thread):
   * the module at `url` exports, under `exportName`, this system or a record of systems by name.
   * Not needed for the systems the command line offers by name.
   */
  readonly source?: { readonly url: string; readonly exportName: string }
}

/** Timer period of `onTick`, ms of the environment's clock. */
export const SYSTEM_TICK_MS = 10
