// Everything a run needs before the first operation: the resolved world at the requested scale,
// its population, the load profile, the client policy and the system's configuration.
import { DEFAULT_CORE_CONFIG, type CoreConfig } from '../../mock-server/core/config.ts'
import type { DirectoryLoad, ImportedLike, UserRecord, VideoRecord } from '../../mock-server/core/types.ts'
import { buildPopulation, type Population } from '../../sim/population.ts'
import { RateProfile } from '../../sim/rate-profile.ts'
import { estimateOperations } from '../../sim/arrival-intensity.ts'
import { defaultReplicationLagMs } from '../../sim/regions.ts'
import { Rng } from '../../sim/rng.ts'
import { DEFAULT_FARM, resolveWorldSpec, scaleWorldSpec, worldLimitProblems, type WorldSpec } from '../../sim/world-spec.ts'
import { ddosFarms } from '../../sim/faults.ts'
import { UsageError } from '../errors.ts'
import { sessionRateProfile } from '../load-profile.ts'
import { DEFAULT_CLIENT, type ClientSpec, type Scenario } from '../scenario.ts'

export const DEFAULT_CACHE_CAPACITY_RATIO = 0.9

export interface RunSetup {
  readonly scenario: Scenario
  readonly seed: number
  readonly scale: number
  readonly rng: Rng
  readonly world: WorldSpec
  readonly population: Population
  readonly rate: RateProfile
  readonly client: ClientSpec
  readonly durationMs: number
  /** Region capacities after scaling. */
  readonly capacityRps: Readonly<Record<string, number>>
}

export function prepareRun({ scenario, seed, scale }: { scenario: Scenario; seed: number; scale: number }): RunSetup {
  const rng = new Rng(seed)
  const world = worldSpecFor(scenario, scale)
  throwIfUnfit(scenario, scale, world)
  const population = buildPopulation(world, rng)
  const capacityRps: Record<string, number> = {}
  for (const region of world.regions) capacityRps[region.id] = (scenario.system.capacityRps[region.id] ?? 0) * scale
  return {
    scenario,
    seed,
    scale,
    rng,
    world,
    population,
    rate: rateFor(scenario, scale),
    client: { ...DEFAULT_CLIENT, ...scenario.client },
    durationMs: scenario.durationS * 1000,
    capacityRps,
  }
}

/** The scenario's world at this scale. Attackers of a ddos fault are accounts of the world (a flood farm), scaled with it. */
function worldSpecFor(scenario: Scenario, scale: number): WorldSpec {
  const resolved = resolveWorldSpec(scenario.world)
  const floods = ddosFarms(scenario.faults).map((farm) => ({ ...DEFAULT_FARM, ...farm }))
  return scaleWorldSpec({ ...resolved, farms: [...resolved.farms, ...floods] }, scale)
}

function rateFor(scenario: Scenario, scale: number): RateProfile {
  return closedModelAware(sessionRateProfile(scenario.load, scale), scenario.durationS, scale)
}

/** About how many operations a run of the scenario has at this scale, without building its world (cheap). */
export function estimateRunOperations(scenario: Scenario, scale: number): number {
  return estimateOperations({ spec: worldSpecFor(scenario, scale), faults: scenario.faults, rate: rateFor(scenario, scale), durationS: scenario.durationS })
}

/** The usage error prepareRun would throw for this scale, without building the world (for a caller that checks many runs up front). */
export function assertFitsScale(scenario: Scenario, scale: number): void {
  throwIfUnfit(scenario, scale, worldSpecFor(scenario, scale))
}

function throwIfUnfit(scenario: Scenario, scale: number, world: WorldSpec): void {
  const unfit = [...worldLimitProblems(world), ...unfitAtScale(scenario, scale, world.videos)]
  if (unfit.length > 0) throw new UsageError('LS_BAD_SCALE', `scenario ${scenario.name} does not fit --scale ${scale}`, unfit)
}

/** Why the scenario cannot run at this scale (empty: it can). */
function unfitAtScale(scenario: Scenario, scale: number, videos: number): string[] {
  const problems: string[] = []
  if (scenario.minScale !== undefined && scale < scenario.minScale) problems.push(`it needs --scale >= ${scenario.minScale} (see minScale in its file)`)
  for (const fault of scenario.faults) {
    if (fault.kind !== 'takedown') continue
    const beyond = fault.videoRanks.filter((rank) => rank > videos)
    if (beyond.length > 0) problems.push(`its takedown names video rank(s) ${beyond.join(', ')} but the world has ${videos} videos at this scale`)
  }
  return problems
}

/**
 * The engagement core's configuration for this run. `idempotencyTtlMs` (the core's time) replaces
 * the default when the caller's clients retry for longer (mode http on a compressed clock); the
 * key bound then grows to hold every write of the run, as the core asks (write rate x TTL).
 */
/**
 * Whether the scenario purges bots. Then the core runs the facts-only baseline beside the purge's
 * detector, and the purge's report carries the baseline's scores too (result.json's
 * detection.baselines) — mode sim, the embedded server and `likestorm serve` alike. Without one,
 * mode sim feeds no detector at all (nothing can ask it for scores); a server still does, since
 * its admin route purges bots on demand.
 */
export function hasBotPurge(scenario: Scenario): boolean {
  return scenario.faults.some((fault) => fault.kind === 'bot-purge')
}

/**
 * Whether the scenario purges accounts at all (bot or inactive). Without one, mode sim tells the
 * system so (SystemSettings.purgesMayRun): it keeps nothing only a purge would read, such as each
 * account's views. A server (the embedded one, `likestorm serve`) always may purge.
 */
export function hasPurge(scenario: Scenario): boolean {
  return scenario.faults.some((fault) => fault.kind === 'bot-purge' || fault.kind === 'inactive-purge')
}

export function coreConfigFor(setup: RunSetup, { idempotencyTtlMs }: { idempotencyTtlMs?: number } = {}): CoreConfig {
  const ratio = setup.scenario.system.cacheCapacityRatio ?? DEFAULT_CACHE_CAPACITY_RATIO
  const ids = setup.world.regions.map((region) => region.id)
  const replicationLagMs: Record<string, number> = {}
  for (const from of ids) for (const to of ids) if (from !== to) replicationLagMs[`${from}>${to}`] = defaultReplicationLagMs(from, to)
  return {
    ...DEFAULT_CORE_CONFIG,
    seed: setup.rng.stream('core').seed32(),
    regions: ids.map((id) => ({
      id,
      capacityRps: setup.capacityRps[id] as number,
      cacheCapacityOpsPerS: (setup.capacityRps[id] as number) * ratio,
    })),
    replicationLagMs,
    counterWritesPerSPerShard: DEFAULT_CORE_CONFIG.counterWritesPerSPerShard * setup.scale,
    ...(idempotencyTtlMs === undefined
      ? {}
      : {
          idempotencyTtlMs,
          // Writes are fewer than operations; twice the estimate leaves room for retries and duplicates.
          idempotencyMaxKeys: Math.max(DEFAULT_CORE_CONFIG.idempotencyMaxKeys, 2 * estimateRunOperations(setup.scenario, setup.scale)),
        }),
  }
}

/**
 * What the platform knows about its accounts and videos: no ground truth. Each record is made as
 * the loader reads it, from the population's columns (issue 20: no array of millions of objects);
 * the load can be read more than once. A worker thread needs arrays (`directoryArraysFor`).
 * @param handles name each account's handle too: a world export does; a core keeps none.
 */
export function directoryFor(population: Population, { handles = false }: { handles?: boolean } = {}): DirectoryLoad {
  return {
    counts: { users: population.userCount, videos: population.videoCount },
    users: {
      *[Symbol.iterator]() {
        for (let user = 0; user < population.userCount; user++) yield userRecordOf(population, user, handles)
      },
    },
    videos: {
      *[Symbol.iterator]() {
        for (let video = 0; video < population.videoCount; video++) {
          yield { videoId: population.videoIds.get(video) as string, creatorId: population.userIds.get(population.videoCreator[video] as number) as string }
        }
      },
    },
  }
}

/** The directory as arrays: for a worker thread's structured clone, which would drop an iterable's records silently. */
export function directoryArraysFor(population: Population): { users: UserRecord[]; videos: VideoRecord[] } {
  const load = directoryFor(population)
  return { users: [...load.users], videos: [...load.videos] }
}

function userRecordOf(population: Population, user: number, withHandle: boolean): UserRecord {
  return {
    userId: population.userIds.get(user) as string,
    ...(withHandle ? { handle: population.handles.get(user) as string } : {}),
    ip: population.ips.get(user) as string,
    homeRegion: population.regionIds[population.userRegion[user] as number] as string,
    createdAtMs: population.createdAtMs[user] as number,
    lastActiveAtMs: population.lastActiveAtMs[user] as number,
    uploads: population.uploads[user] as number,
    followers: population.followers[user] as number,
  }
}

export function importedLikesFor(population: Population): ImportedLike[] {
  const likes = population.importedLikes
  return Array.from({ length: likes.length }, (_, i) => ({
    userId: population.userIds.get(likes.user[i] as number) as string,
    videoId: population.videoIds.get(likes.video[i] as number) as string,
    atMs: likes.atMs[i] as number,
  }))
}

/** Sessions a closed-model run draws its operations from, in order (their times are not used). */
export const CLOSED_MODEL_SESSION_RATE = 1000

/** With VU executors only there is no arrival rate: the world still needs a stream of sessions. */
function closedModelAware(profile: RateProfile, durationS: number, scale: number): RateProfile {
  if (profile.knots.length > 0) return profile
  const ratePerS = CLOSED_MODEL_SESSION_RATE * scale
  return new RateProfile([
    { tS: 0, ratePerS },
    { tS: durationS, ratePerS },
  ])
}
