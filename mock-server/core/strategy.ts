// Counting strategies: how the service stores likes, counts them, degrades under load and
// replicates between regions. `robust` is what we would ship; `naive` reproduces the
// 2020-07-23 incident; the `broken-*` variants each plant exactly one defect so that a test can
// prove the matching checker fails (they are not offered on the command line).

export interface StrategyBugs {
  /** Acknowledge every Nth like without storing it (violates no-lost-likes). */
  readonly dropAckedLikeEveryN?: number
  /** Every Nth like bumps the count once more than the like set says (violates no-double-count). */
  readonly extraCountEveryN?: number
  /** Every Nth video read returns a made-up 0 marked fresh (violates never-zero). */
  readonly zeroReadEveryN?: number
  /** Every Nth video read reports one like more than exists (violates counter-bounds). */
  readonly inflateReadEveryN?: number
  /** Every Nth read-back of a user's own like says "not liked" (violates no-flip). */
  readonly flipReadBackEveryN?: number
  /** Replication to this region silently drops every Nth entry (violates convergence). */
  readonly dropReplicationTo?: { readonly region: string; readonly everyN: number }
  /** Every Nth view is counted twice (violates view-counts). */
  readonly doubleCountViewEveryN?: number
  /** A bot purge also removes every Nth like of accounts it did not flag (violates purge-accuracy). */
  readonly purgeUnflaggedLikeEveryN?: number
  /** Every Nth "someone liked your video" notification is silently dropped (violates notifications). */
  readonly dropNotificationEveryN?: number
  /** Service time creeps up by this many ms per 100,000 requests served, like a leak (violates steady-state). */
  readonly slowdownMsPer100kRequests?: number
}

export interface StrategyBehaviour {
  readonly name: string
  readonly description: string
  /** Replay the stored response for a repeated Idempotency-Key instead of applying again. */
  readonly honourIdempotencyKeys: boolean
  /** Count = |likers| derived from the (user, video) set; otherwise a separate +1/-1 counter. */
  readonly countFromLikeSet: boolean
  /** What a count read serves when the counter cache times out. */
  readonly degradedRead: 'last-known-good' | 'zero'
  /** Replication log survives region outages and partitions (delivered late, never dropped). */
  readonly durableReplication: boolean
  /** Reads say how fresh they are (stale flag, asOfMs = replication watermark). */
  readonly reportsStaleness: boolean
  /** Admission queue bound: requests that would wait longer are shed with 503 + Retry-After. */
  readonly queueMaxMs: number
  /** Notifications when the region is overloaded: deferred until it recovers, or dropped. */
  readonly notificationsOnOverload: 'defer' | 'drop'
  /** Per-client (/24) token bucket at each region's edge, or none. */
  readonly clientRateLimit: { readonly ratePerS: number; readonly burst: number } | null
  /** Shards of each video's counter: write capacity per key is shards x the config's per-shard rate. */
  readonly counterShards: number
  /** Taking a video down evicts its counters (the cache was the only copy of the count). */
  readonly takedownEvictsCounts: boolean
  readonly bugs: StrategyBugs
}

export const ROBUST: StrategyBehaviour = {
  name: 'robust',
  description:
    'idempotent like set, per-region CRDT counts over sharded counters, durable replication log, fast 503s under overload, per-client rate limits, last-known-good reads marked stale (never a made-up 0)',
  honourIdempotencyKeys: true,
  countFromLikeSet: true,
  degradedRead: 'last-known-good',
  durableReplication: true,
  reportsStaleness: true,
  queueMaxMs: 200,
  notificationsOnOverload: 'defer',
  clientRateLimit: { ratePerS: 50, burst: 100 },
  counterShards: 16,
  takedownEvictsCounts: false,
  bugs: {},
}

export const NAIVE: StrategyBehaviour = {
  name: 'naive',
  description:
    'one cached counter per video: reads 0 when the cache times out, retries and double taps double-count, one hot counter key per video, deep queues instead of shedding and no per-client limits, volatile replication that loses what a dead region had not shipped, takedowns that evict the count',
  honourIdempotencyKeys: false,
  countFromLikeSet: false,
  degradedRead: 'zero',
  durableReplication: false,
  reportsStaleness: false,
  queueMaxMs: 30_000,
  notificationsOnOverload: 'drop',
  clientRateLimit: null,
  counterShards: 1,
  takedownEvictsCounts: true,
  bugs: {},
}

function brokenRobust(name: string, description: string, bugs: StrategyBugs, overrides: Partial<StrategyBehaviour> = {}): StrategyBehaviour {
  return { ...ROBUST, ...overrides, name, description: `robust with one planted defect: ${description}`, bugs }
}

/** One variant per invariant, used by the tests that prove each checker can fail. */
export const BROKEN_STRATEGIES: Readonly<Record<string, StrategyBehaviour>> = {
  'broken-lost-likes': brokenRobust('broken-lost-likes', 'acknowledges every 40th like without storing it', { dropAckedLikeEveryN: 40 }),
  'broken-double-count': brokenRobust('broken-double-count', 'every 25th like bumps the count twice', { extraCountEveryN: 25 }),
  'broken-zero-reads': brokenRobust('broken-zero-reads', 'every 50th video read returns a fresh-looking 0', { zeroReadEveryN: 50 }),
  'broken-counter-bounds': brokenRobust('broken-counter-bounds', 'every 30th video read reports one like too many', { inflateReadEveryN: 30 }),
  'broken-flip': brokenRobust('broken-flip', 'every 20th read-back of an own like says unliked', { flipReadBackEveryN: 20 }),
  'broken-no-converge': brokenRobust('broken-no-converge', 'replication to ap-southeast drops every 15th entry', {
    dropReplicationTo: { region: 'ap-southeast', everyN: 15 },
  }),
  'broken-view-counts': brokenRobust('broken-view-counts', 'every 30th view is counted twice', { doubleCountViewEveryN: 30 }),
  'broken-purge': brokenRobust('broken-purge', 'a bot purge also removes every 5th like of unflagged accounts', { purgeUnflaggedLikeEveryN: 5 }),
  'broken-no-shed': brokenRobust('broken-no-shed', 'queues for 30 s instead of shedding', {}, { queueMaxMs: 30_000 }),
  'broken-replay': brokenRobust('broken-replay', 'applies a repeated request again instead of replaying its idempotency key', {}, { honourIdempotencyKeys: false }),
  'broken-notifications': brokenRobust('broken-notifications', 'drops every 10th notification', { dropNotificationEveryN: 10 }),
  'broken-takedown': brokenRobust('broken-takedown', 'evicts the counts of a taken-down video', {}, { takedownEvictsCounts: true }),
  'broken-leak': brokenRobust('broken-leak', 'gets 40 ms slower every 100,000 requests', { slowdownMsPer100kRequests: 40 }),
}

export const STRATEGIES: Readonly<Record<string, StrategyBehaviour>> = { robust: ROBUST, naive: NAIVE }

/** Names accepted on the command line. */
export const PUBLIC_STRATEGY_NAMES = Object.keys(STRATEGIES)

export function strategyByName(name: string): StrategyBehaviour | undefined {
  return STRATEGIES[name] ?? BROKEN_STRATEGIES[name]
}
