// TypeBox schemas of every request and response of the mock server. fastify validates requests
// and serializes responses with them, @fastify/swagger turns them into /openapi.json, and the
// HTTP driver imports them to check what it sends and receives: one definition per boundary.
import { Type, type Static } from 'typebox'
import { ERROR_CODES } from './errors.ts'

// ---- limits ----------------------------------------------------------------------------------

export const ID_LENGTH_MAX = 128
export const ID_PATTERN = '^[A-Za-z0-9_.-]+$'
export const IDEMPOTENCY_KEY_LENGTH_MAX = 255
export const WATCH_MS_MAX = 86_400_000
export const LIKES_PAGE_LIMIT_MAX = 1000
export const LIKES_PAGE_LIMIT_DEFAULT = 100
export const NOTIFICATIONS_LIMIT_MAX = 100
export const NOTIFICATIONS_LIMIT_DEFAULT = 20
export const TAKEDOWN_VIDEOS_MAX = 1000
export const IDLE_DAYS_MAX = 36_500
export const SLOW_CACHE_LATENCY_MS_MAX = 60_000
export const OVERLOAD_FACTOR_MAX = 1000
export const SCALE_MAX = 1000

// ---- pieces ----------------------------------------------------------------------------------

const id = (description: string) => Type.String({ minLength: 1, maxLength: ID_LENGTH_MAX, pattern: ID_PATTERN, description })

export const VideoId = id('a video id: 1 to 128 characters from A-Z a-z 0-9 _ - .')
export const UserId = id('a user id: 1 to 128 characters from A-Z a-z 0-9 _ - .')
export const RegionId = Type.String({ minLength: 1, maxLength: 64, pattern: ID_PATTERN, description: 'a region id, e.g. us-east' })
const MsSinceStart = Type.Number({ description: 'ms on the server clock (since the world started)' })

export const ErrorBody = Type.Object(
  {
    code: Type.Unsafe<string>({ type: 'string', enum: ERROR_CODES, description: 'stable error code (LS_HTTP_* or LS_CORE_*)' }),
    message: Type.String(),
  },
  { additionalProperties: false, description: 'every error response: a stable code and a one-line message' },
)
export type ErrorBody = Static<typeof ErrorBody>

/** Responses a route may add to its own: every 4xx and 5xx is an ErrorBody. */
export const ERROR_RESPONSES = { '4xx': ErrorBody, '5xx': ErrorBody } as const

const RegionHeader = Type.String({
  maxLength: 64,
  description: 'serve the request as this region instead of the listener’s own (a front door routing to another region); unknown regions are refused',
})

const DeadlineHeader = Type.String({
  description:
    'the milliseconds left in the client’s budget for this attempt when it sent it (a whole number, 0 to 86400000; relative, so clock skew does not matter). ' +
    'If the time since the request arrived plus the wait it would meet is past it, the request is not executed and is answered at once with 504 LS_HTTP_DEADLINE_EXCEEDED (nothing applied, no idempotency key stored); ' +
    'any other value is a 400 LS_HTTP_BAD_DEADLINE',
})

export const WriteHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: IDEMPOTENCY_KEY_LENGTH_MAX,
      pattern: '^[\\x21-\\x7e]+$',
      description: 'retries with the same key replay the first response; the same key with another request is refused (422)',
    }),
  ),
  'x-likestorm-region': Type.Optional(RegionHeader),
  'x-likestorm-deadline-ms': Type.Optional(DeadlineHeader),
})

/** The query string of a route that takes no parameters: any is refused. */
export const NoQuery = Type.Object({}, { additionalProperties: false })

export const ReadHeaders = Type.Object({
  'x-likestorm-region': Type.Optional(RegionHeader),
  'x-likestorm-deadline-ms': Type.Optional(DeadlineHeader),
})

// ---- /v1 -------------------------------------------------------------------------------------

export const VideoParams = Type.Object({ videoId: VideoId })
export const VideoUserParams = Type.Object({ videoId: VideoId, userId: UserId })
export const UserParams = Type.Object({ userId: UserId })
export const UserVideoParams = Type.Object({ userId: UserId, videoId: VideoId })

export const LikeBody = Type.Object({ userId: UserId }, { additionalProperties: false })
export type LikeBody = Static<typeof LikeBody>

export const ViewBody = Type.Object(
  {
    userId: UserId,
    watchMs: Type.Integer({ minimum: 0, maximum: WATCH_MS_MAX, description: 'how long the user watched, whole ms, at most one day' }),
  },
  { additionalProperties: false },
)
export type ViewBody = Static<typeof ViewBody>

export const LikeResponse = Type.Object({
  videoId: VideoId,
  userId: UserId,
  liked: Type.Boolean(),
  likeCount: Type.Integer({ minimum: 0 }),
  stale: Type.Boolean({ description: 'true when the count is a last-known-good value' }),
  asOfMs: MsSinceStart,
})
export type LikeResponse = Static<typeof LikeResponse>

export const ViewResponse = Type.Object({
  videoId: VideoId,
  viewCount: Type.Integer({ minimum: 0 }),
  uniqueViewers: Type.Integer({ minimum: 0 }),
})
export type ViewResponse = Static<typeof ViewResponse>

export const VideoCountsResponse = Type.Object({
  videoId: VideoId,
  likeCount: Type.Integer({ minimum: 0 }),
  viewCount: Type.Integer({ minimum: 0 }),
  uniqueViewers: Type.Integer({ minimum: 0 }),
  stale: Type.Boolean({ description: 'true when the counter cache is slow and the counts are last-known-good' }),
  asOfMs: MsSinceStart,
})
export type VideoCountsResponse = Static<typeof VideoCountsResponse>

export const LikedResponse = Type.Object({
  userId: UserId,
  videoId: VideoId,
  liked: Type.Boolean(),
  stale: Type.Boolean(),
  asOfMs: MsSinceStart,
})
export type LikedResponse = Static<typeof LikedResponse>

export const LikesPageQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: ID_LENGTH_MAX, pattern: '^[A-Za-z0-9_.-]*$', description: 'nextCursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIKES_PAGE_LIMIT_MAX, default: LIKES_PAGE_LIMIT_DEFAULT })),
  },
  { additionalProperties: false },
)

export const LikesPageResponse = Type.Object({
  userId: UserId,
  videoIds: Type.Array(VideoId),
  nextCursor: Type.Union([VideoId, Type.Null()]),
  asOfMs: MsSinceStart,
})
export type LikesPageResponse = Static<typeof LikesPageResponse>

export const NotificationsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: NOTIFICATIONS_LIMIT_MAX, default: NOTIFICATIONS_LIMIT_DEFAULT })) },
  { additionalProperties: false },
)

export const NotificationsResponse = Type.Object({
  userId: UserId,
  notifications: Type.Array(
  Type.Object({
      videoId: VideoId,
      fromUserId: UserId,
      likedAtMs: MsSinceStart,
      deliveredAtMs: MsSinceStart,
    }),
  ),
})
export type NotificationsResponse = Static<typeof NotificationsResponse>

// ---- operations ------------------------------------------------------------------------------

export const HealthResponse = Type.Object({ status: Type.Literal('ok'), region: RegionId })
export const ReadyResponse = Type.Object({ status: Type.Literal('ready'), region: RegionId })
export const MetricsResponse = Type.String({ description: 'Prometheus text exposition format' })
export const OpenApiResponse = Type.Object({}, { additionalProperties: true, description: 'this document' })

// ---- /admin/v1 -------------------------------------------------------------------------------

export const AdminHeaders = Type.Object({
  authorization: Type.Optional(Type.String({ description: 'Bearer <admin token>' })),
})

const FaultAction = Type.Union([Type.Literal('start'), Type.Literal('stop')])

const FAULT_BRANCHES = [
  Type.Object({ kind: Type.Literal('region-outage'), action: FaultAction, region: RegionId }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('partition'), action: FaultAction, a: RegionId, b: RegionId }, { additionalProperties: false }),
  Type.Object(
      {
        kind: Type.Literal('slow-cache'),
        action: FaultAction,
        region: RegionId,
        latencyMs: Type.Optional(Type.Integer({ minimum: 1, maximum: SLOW_CACHE_LATENCY_MS_MAX, description: 'extra latency of every counter-cache call; needed to start' })),
      },
      { additionalProperties: false },
    ),
  Type.Object(
      {
        kind: Type.Literal('network-loss'),
        action: FaultAction,
        region: RegionId,
        share: Type.Optional(
          Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'share of the requests to the region lost (half before it handles them, half after, unanswered); needed to start' }),
        ),
      },
      { additionalProperties: false },
    ),
  Type.Object(
      {
        kind: Type.Literal('overload'),
        action: FaultAction,
        region: RegionId,
        factor: Type.Optional(Type.Number({ exclusiveMinimum: 1, maximum: OVERLOAD_FACTOR_MAX, description: 'capacity is divided by this; needed to start' })),
      },
      { additionalProperties: false },
    ),
  Type.Object(
      { kind: Type.Literal('takedown'), action: FaultAction, videoIds: Type.Array(VideoId, { minItems: 1, maxItems: TAKEDOWN_VIDEOS_MAX }) },
      { additionalProperties: false },
    ),
] as const

/**
 * One fault switch, discriminated by `kind` (ajv's `discriminator`: a body is checked against the
 * branch its kind names, so errors speak about that branch, and an unknown kind is named as such).
 */
export const FaultRequest = Type.Unsafe<Static<(typeof FAULT_BRANCHES)[number]>>({
  type: 'object',
  description: 'start or stop one fault of the timeline',
  required: ['kind'],
  properties: { kind: { type: 'string', enum: ['region-outage', 'partition', 'slow-cache', 'network-loss', 'overload', 'takedown'] } },
  discriminator: { propertyName: 'kind' },
  oneOf: FAULT_BRANCHES,
})
export type FaultRequest = Static<typeof FaultRequest>

export const ActiveFault = Type.Object({
  kind: Type.String(),
  region: Type.Optional(RegionId),
  a: Type.Optional(RegionId),
  b: Type.Optional(RegionId),
  latencyMs: Type.Optional(Type.Number()),
  factor: Type.Optional(Type.Number()),
  share: Type.Optional(Type.Number()),
  videoIds: Type.Optional(Type.Array(VideoId)),
})

export const RegionStateSchema = Type.Object({
  region: RegionId,
  up: Type.Boolean(),
  url: Type.Union([Type.String(), Type.Null()], { description: 'where the region listens; null when it is not listening' }),
  listening: Type.Boolean(),
  inFlight: Type.Integer(),
  queued: Type.Integer(),
  likeTotal: Type.Integer(),
  viewTotal: Type.Integer(),
  countsDigest: Type.String(),
  watermarkMs: Type.Number(),
  replicationLagMs: Type.Number(),
  queueDelayMs: Type.Number(),
  cacheDelayMs: Type.Number(),
  replicationPending: Type.Integer({ description: 'replication entries written elsewhere and not yet applied here' }),
  resyncPending: Type.Boolean({ description: 'a replication backlog into this region passed its bound: it takes a full copy from that region when the link comes back' }),
})

export const CoreCountersSchema = Type.Object({
  requests: Type.Integer(),
  shed: Type.Integer(),
  rateLimited: Type.Integer(),
  staleReads: Type.Integer(),
  degradedZeroReads: Type.Integer(),
  cacheTimeouts: Type.Integer(),
  idempotentReplays: Type.Integer(),
  idempotencyStoreFull: Type.Integer({ description: 'keyed writes refused (503) because the idempotency store held idempotencyMaxKeys live keys' }),
  replicationApplied: Type.Integer(),
  replicationDropped: Type.Integer(),
  replicationOverflows: Type.Integer({ description: 'paused replication links whose backlog passed replicationBacklogMaxEntries' }),
  replicationOverflowedEntries: Type.Integer({ description: 'log entries those links let go (replaced by a full resync, not lost)' }),
  replicationResyncs: Type.Integer({ description: 'full copies of a region’s like set and view counts into another after an overflow' }),
  replicationResyncedPairs: Type.Integer(),
  replicationLogEntries: Type.Integer({ description: 'entries the replication logs hold now (a gauge)' }),
  notificationsSent: Type.Integer(),
  notificationsDelivered: Type.Integer(),
  notificationsDropped: Type.Integer(),
  purgedAccounts: Type.Integer(),
  purgedLikes: Type.Integer(),
  systemFaults: Type.Optional(Type.Integer({ description: "a user's --system module: calls that threw or answered malformed (absent for the built-in systems)" })),
})

export const WorldInfo = Type.Object({
  scenario: Type.String(),
  seed: Type.Integer(),
  scale: Type.Number(),
  strategy: Type.String(),
  users: Type.Integer(),
  videos: Type.Integer(),
})
export type WorldInfo = Static<typeof WorldInfo>

export const StateResponse = Type.Object({
  nowMs: MsSinceStart,
  strategy: Type.String(),
  world: WorldInfo,
  draining: Type.Boolean(),
  regions: Type.Array(RegionStateSchema),
  faults: Type.Array(ActiveFault),
  counters: CoreCountersSchema,
})
export type StateResponse = Static<typeof StateResponse>

export const FaultsResponse = Type.Object({ faults: Type.Array(ActiveFault) })

/** A detector's scores at a bot purge: every account it scored (the rest scored 0), and the score from which it purges. */
const PurgeScoresSchema = Type.Object({
  name: Type.String(),
  purgeScoreMin: Type.Number(),
  scored: Type.Array(Type.Object({ userId: UserId, score: Type.Number() })),
})

export const PurgeReportSchema = Type.Object({
  kind: Type.Union([Type.Literal('bot'), Type.Literal('inactive')]),
  atMs: MsSinceStart,
  accounts: Type.Array(Type.Object({ userId: UserId, reasons: Type.Array(Type.String()), score: Type.Optional(Type.Number()) })),
  removedLikes: Type.Array(Type.Object({ userId: UserId, videoId: VideoId })),
  removedViews: Type.Optional(
    Type.Array(Type.Object({ userId: UserId, videoId: VideoId, views: Type.Integer({ minimum: 1 }) }), {
      description: "the purged accounts' views the system removed, per (account, video); absent when the system does not remove views (they keep counting)",
    }),
  ),
  detectorError: Type.Optional(Type.String({ description: "a bot purge whose detector failed: why (it removed nobody)" })),
  scores: Type.Optional(PurgeScoresSchema),
  baselines: Type.Optional(Type.Record(Type.String(), PurgeScoresSchema, { description: 'baseline detectors scored on the same events, by name: reported, never acted on' })),
})

export const InactivePurgeBody = Type.Object(
  { idleDays: Type.Integer({ minimum: 0, maximum: IDLE_DAYS_MAX, description: 'accounts idle for longer than this are purged' }) },
  { additionalProperties: false },
)

export const TakedownBody = Type.Object({ videoIds: Type.Array(VideoId, { minItems: 1, maxItems: TAKEDOWN_VIDEOS_MAX }) }, { additionalProperties: false })
export const TakedownResponse = Type.Object({ takenDown: Type.Array(VideoId) })

export const ResetBody = Type.Object(
  {
    seed: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    scenario: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: ID_PATTERN })),
    scale: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: SCALE_MAX })),
    strategy: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: ID_PATTERN })),
  },
  { additionalProperties: false },
)
export type ResetBody = Static<typeof ResetBody>

export const DirectoryQuery = Type.Object(
  {
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 100 })),
  },
  { additionalProperties: false },
)

export const DirectoryResponse = Type.Object({
  userTotal: Type.Integer(),
  videoTotal: Type.Integer(),
  userIds: Type.Array(UserId),
  videoIds: Type.Array(VideoId),
})
