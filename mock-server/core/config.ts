// Configuration of the engagement core. Everything has a limit; defaults are documented here.
import { CoreConfigError } from './errors.ts'
import type { DetectionConfig } from './detection/detection-config.ts'
import { DEFAULT_DETECTION } from './detection/detection-config.ts'

export interface RegionConfig {
  readonly id: string
  /** Requests per second the region's front door serves before its queue grows. */
  readonly capacityRps: number
  /** Operations per second the region's counter cache serves before it times out. */
  readonly cacheCapacityOpsPerS: number
}

export interface CoreConfig {
  readonly regions: readonly RegionConfig[]
  /** One-way replication lag, ms, keyed `${from}>${to}`; missing pairs use defaultReplicationLagMs. */
  readonly replicationLagMs: Readonly<Record<string, number>>
  readonly defaultReplicationLagMs: number
  /**
   * Bound on the writes of one region a durable replication log keeps for a link that cannot
   * deliver (its destination down or cut off), 32 bytes each. Past it the backlog is let go and
   * the destination takes a full copy of that region's data when the link comes back (counted:
   * replicationOverflows, replicationResyncs). Nothing acknowledged is lost either way.
   */
  readonly replicationBacklogMaxEntries: number
  /** Seed for the core's own service-time jitter (the core reads no global, unseeded randomness). */
  readonly seed: number
  /** Base service time of one request, ms, before queueing. */
  readonly serviceTimeMs: number
  /** Mean of the exponential jitter added to the service time, ms. */
  readonly serviceJitterMeanMs: number
  /** A counter-cache call slower than this times out. */
  readonly cacheTimeoutMs: number
  /**
   * How long an Idempotency-Key's stored response is kept, at least, in the core's time (a server
   * on a scaled clock: in scenario time). A retry later than this is a new request.
   */
  readonly idempotencyTtlMs: number
  /**
   * Bound on live idempotency keys. Keys are never dropped before their TTL: at the bound, new
   * keyed writes are refused (503 LS_CORE_IDEMPOTENCY_STORE_FULL, not applied) until the oldest
   * key expires; replays of stored keys are still answered. Size it above write rate x TTL.
   */
  readonly idempotencyMaxKeys: number
  /** Normal delay before a "someone liked your video" notification lands. */
  readonly notificationDelayMs: number
  /** Bound on a creator's inbox (oldest dropped, counted). */
  readonly inboxMax: number
  /** Writes per second one shard of a video's counter takes (hot-key contention). */
  readonly counterWritesPerSPerShard: number
  /** Bound on the recent-likes log kept for detection. */
  readonly detectionLogMax: number
  readonly detection: DetectionConfig
}

export const DEFAULT_CORE_CONFIG: Omit<CoreConfig, 'regions'> = {
  replicationLagMs: {},
  defaultReplicationLagMs: 100,
  // 1M entries = 32 MB per (region, paused link): minutes of a busy region's writes.
  replicationBacklogMaxEntries: 1_000_000,
  seed: 1,
  serviceTimeMs: 4,
  serviceJitterMeanMs: 2,
  cacheTimeoutMs: 50,
  idempotencyTtlMs: 30_000,
  idempotencyMaxKeys: 2_000_000,
  notificationDelayMs: 500,
  inboxMax: 100,
  counterWritesPerSPerShard: 150,
  detectionLogMax: 4_000_000,
  detection: DEFAULT_DETECTION,
}

export function validateCoreConfig(config: CoreConfig): void {
  const problems: string[] = []
  if (config.regions.length === 0) problems.push('regions: at least one region is required')
  if (config.regions.length > 8) problems.push('regions: at most 8 regions are supported')
  const seen = new Set<string>()
  for (const region of config.regions) {
    if (seen.has(region.id)) problems.push(`regions: duplicate region ${region.id}`)
    seen.add(region.id)
    if (!(region.capacityRps > 0)) problems.push(`regions.${region.id}.capacityRps must be > 0`)
    if (!(region.cacheCapacityOpsPerS > 0)) problems.push(`regions.${region.id}.cacheCapacityOpsPerS must be > 0`)
  }
  for (const [key, lagMs] of Object.entries(config.replicationLagMs)) {
    if (!(lagMs >= 0)) problems.push(`replicationLagMs.${key} must be >= 0`)
  }
  if (!(config.defaultReplicationLagMs >= 0)) problems.push('defaultReplicationLagMs must be >= 0')
  if (!(Number.isInteger(config.replicationBacklogMaxEntries) && config.replicationBacklogMaxEntries > 0)) problems.push('replicationBacklogMaxEntries must be a whole number > 0')
  if (!(config.serviceTimeMs > 0)) problems.push('serviceTimeMs must be > 0')
  if (!(config.cacheTimeoutMs > 0)) problems.push('cacheTimeoutMs must be > 0')
  if (!(config.idempotencyTtlMs > 0 && Number.isFinite(config.idempotencyTtlMs))) problems.push('idempotencyTtlMs must be a finite number > 0')
  if (!(config.idempotencyMaxKeys > 0)) problems.push('idempotencyMaxKeys must be > 0')
  if (!(config.counterWritesPerSPerShard > 0)) problems.push('counterWritesPerSPerShard must be > 0')
  if (!(Number.isInteger(config.inboxMax) && config.inboxMax >= 0)) problems.push('inboxMax must be a whole number >= 0')
  if (problems.length > 0) throw new CoreConfigError(`invalid core config: ${problems.join('; ')}`)
}

export function replicationLagFor(config: CoreConfig, from: string, to: string): number {
  return config.replicationLagMs[`${from}>${to}`] ?? config.defaultReplicationLagMs
}
