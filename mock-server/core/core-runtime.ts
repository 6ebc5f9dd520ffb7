// An environment with a system under test in it, and what the platform around them does: loading
// the directory, the fault switches, detection and purges, and the observer's view (state,
// watermarks, digests). engagement-core.ts adds the request API on top.
import { Environment } from '../env/environment.ts'
import { faultReportOf } from '../systems/guard.ts'
import type { SystemFaultReport } from '../systems/fault-log.ts'
import type { EngagementSystem, SystemModule } from '../systems/system.ts'
import { SYSTEM_INTERFACE_VERSION } from '../systems/system.ts'
import { type CoreConfig, replicationLagFor, validateCoreConfig } from './config.ts'
import { builtInDetectorModule } from './detection/detector.ts'
import { DetectorFeed } from './detection/detector-feed.ts'
import type { DetectorModule } from './detection/detector-module.ts'
import type { Directory } from './directory.ts'
import { CoreConfigError } from './errors.ts'
import { botPurgeSteps, inactivePurgeSteps, PURGE_SLICE_UNITS, PurgeJob, type PurgeTarget } from './purge-job.ts'
import type { ActiveFault, CoreCounters, CoreState, DirectoryLoad, ImportedLike, PurgeReport } from './types.ts'
import { WorkSlice } from './work-slice.ts'

/** Counters the platform keeps itself (the system's come from `system.counters()`). */
interface PlatformCounters {
  requests: number
  purgedAccounts: number
  purgedLikes: number
}

export class CoreRuntime {
  readonly strategy: SystemModule
  readonly config: CoreConfig
  protected readonly env: Environment
  protected readonly system: EngagementSystem
  protected readonly detector: DetectorFeed
  protected readonly platform: PlatformCounters = { requests: 0, purgedAccounts: 0, purgedLikes: 0 }
  private readonly purgeTarget: PurgeTarget
  /** Whether a purge may run (SystemSettings.purgesMayRun): one begun when not is a harness bug. */
  private readonly purges: boolean

  /**
   * @param detection.detector the purges' detector (default: the built-in one, with config.detection)
   * @param detection.baselines detectors fed the same events whose scores each bot purge reports beside its own (result.json's detection.baselines)
   * @param detection.botPurges false when no bot purge will run (mode sim knows its faults): the detectors are fed nothing
   * @param detection.purges false when no purge of any kind will run (mode sim knows its faults): the system is told (SystemSettings.purgesMayRun) and keeps nothing only a purge would read
   */
  constructor(
    config: CoreConfig,
    strategy: SystemModule,
    { detector = builtInDetectorModule(config.detection), baselines = [], botPurges = true, purges = true }: { detector?: DetectorModule; baselines?: readonly DetectorModule[]; botPurges?: boolean; purges?: boolean } = {},
  ) {
    validateCoreConfig(config)
    if (strategy.interfaceVersion !== SYSTEM_INTERFACE_VERSION) {
      throw new CoreConfigError(`system ${strategy.name} implements interface version ${String(strategy.interfaceVersion)}; this harness speaks version ${SYSTEM_INTERFACE_VERSION}`)
    }
    this.config = config
    this.strategy = strategy
    this.purges = purges
    this.env = new Environment({
      regions: config.regions,
      lagMs: (from, to) => replicationLagFor(config, from, to),
      seed: config.seed,
      serviceTimeMs: config.serviceTimeMs,
      serviceJitterMeanMs: config.serviceJitterMeanMs,
      cacheTimeoutMs: config.cacheTimeoutMs,
    })
    this.system = strategy.create(this.env, {
      idempotencyTtlMs: config.idempotencyTtlMs,
      idempotencyMaxKeys: config.idempotencyMaxKeys,
      notificationDelayMs: config.notificationDelayMs,
      inboxMax: config.inboxMax,
      counterWritesPerSPerShard: config.counterWritesPerSPerShard,
      replicationBacklogMaxEntries: config.replicationBacklogMaxEntries,
      purgesMayRun: purges,
    })
    this.env.attach(this.system)
    this.detector = new DetectorFeed({ module: detector, eventsMax: config.detectionLogMax, baselines, fed: botPurges })
    // Only a system that declares it removes views is handed their list: older modules are called as before.
    const removesViews = strategy.removesPurgedViews === true
    this.purgeTarget = {
      directory: this.env.directory,
      removesViews,
      purgeAccount: (user, nowMs, removed, removedViews) => {
        this.advanceTo(nowMs)
        if (removesViews && removedViews !== undefined) this.system.purgeAccount(user, removed, removedViews)
        else this.system.purgeAccount(user, removed)
      },
      count: ({ accounts, likes }) => {
        this.platform.purgedAccounts += accounts
        this.platform.purgedLikes += likes
      },
    }
  }

  get directory(): Directory {
    return this.env.directory
  }

  get regionIds(): string[] {
    return [...this.env.regions]
  }

  loadDirectory(load: DirectoryLoad): { users: number; videos: number; rejectedVideos: string[] } {
    const directory = this.env.directory
    const known = directory.userCount
    const counts = load.counts ?? { users: Array.isArray(load.users) ? load.users.length : 0, videos: Array.isArray(load.videos) ? load.videos.length : 0 }
    directory.reserve({ users: known + counts.users, videos: directory.videoCount + counts.videos })
    for (const user of load.users) directory.addUser(user)
    this.detector.accounts(directory, known)
    const rejectedVideos: string[] = []
    for (const video of load.videos) if (directory.addVideo(video) < 0) rejectedVideos.push(video.videoId)
    this.system.onDirectory()
    return { users: directory.userCount, videos: directory.videoCount, rejectedVideos }
  }

  /** Likes the platform already holds from before the run: written to every region at once. */
  importLikes(likes: readonly ImportedLike[]): { imported: number; rejected: number } {
    let imported = 0
    let rejected = 0
    // Detection reads its log in time order: import oldest first whatever order we were given.
    const ordered = [...likes].sort((a, b) => a.atMs - b.atMs)
    for (const like of ordered) {
      const user = this.directory.user(like.userId)
      const video = this.directory.video(like.videoId)
      if (user < 0 || video < 0) {
        rejected++
        continue
      }
      // An imported like came through no region and from no known client.
      if (this.system.seedLike({ user, video, atMs: like.atMs })) this.detector.like(like.atMs, '', { user, video, clientBlock: -1 }, true)
      imported++
    }
    return { imported, rejected }
  }

  /** A sizing hint (about how many requests over how long): the growing tables start near their size. Changes no behaviour. */
  reserve(plan: { requests: number; durationMs: number }): void {
    // The view log needs no hint: it grows a bucket of 512 videos at a time (viewed-pairs.ts).
    this.system.reserve?.(plan)
  }

  advanceTo(nowMs: number): void {
    this.env.advanceTo(nowMs)
  }

  regionHandle(regionId: string): number {
    return this.env.regionHandle(regionId)
  }

  // ---- faults ----------------------------------------------------------------------------

  setRegionUp(regionId: string, up: boolean, nowMs: number): void {
    this.env.setRegionUp(regionId, up, nowMs)
  }

  setPartition(a: string, b: string, partitioned: boolean, nowMs: number): void {
    this.env.setPartition(a, b, partitioned, nowMs)
  }

  setSlowCache(regionId: string, latencyMs: number): void {
    this.env.setSlowCache(regionId, latencyMs)
  }

  setOverload(regionId: string, factor: number): void {
    this.env.setOverload(regionId, factor)
  }

  setTakenDown(videoIds: readonly string[], takenDown: boolean): string[] {
    return this.env.setTakenDown(videoIds, takenDown)
  }

  // ---- purges ----------------------------------------------------------------------------

  /** Detect bots and purge them now, all at once (in-process callers; the HTTP layer steps beginBotPurge). */
  runBotPurge(nowMs: number): PurgeReport {
    return runPurge(this.beginBotPurge(nowMs, { unitsPerSlice: Number.POSITIVE_INFINITY }), nowMs)
  }

  runInactivePurge(nowMs: number, { idleDays }: { idleDays: number }): PurgeReport {
    return runPurge(this.beginInactivePurge(nowMs, { idleDays, unitsPerSlice: Number.POSITIVE_INFINITY }), nowMs)
  }

  /**
   * A bot purge as of now, to run in slices: call `step(nowMs)` with the current time until it
   * returns true, serving other requests in between if you like, then read `report`. One purge at
   * a time: a second one begun before the first is done would find the same accounts.
   */
  beginBotPurge(nowMs: number, { unitsPerSlice = PURGE_SLICE_UNITS }: { unitsPerSlice?: number } = {}): PurgeJob {
    this.assertPurges('bot')
    this.advanceTo(nowMs)
    const slice = new WorkSlice(unitsPerSlice)
    const detect = this.detector.scoreSteps(nowMs, slice)
    const baselines = this.detector.baselineScores(nowMs, slice)
    const { name, purgeScoreMin } = this.detector.module
    return new PurgeJob({ kind: 'bot', atMs: nowMs, steps: (clock) => botPurgeSteps(this.purgeTarget, { clock, slice, detect, detector: { name, purgeScoreMin }, baselines }) })
  }

  /** An inactive-account purge as of now, to run in slices (see beginBotPurge). */
  beginInactivePurge(nowMs: number, { idleDays, unitsPerSlice = PURGE_SLICE_UNITS }: { idleDays: number; unitsPerSlice?: number }): PurgeJob {
    this.assertPurges('inactive')
    this.advanceTo(nowMs)
    const slice = new WorkSlice(unitsPerSlice)
    return new PurgeJob({ kind: 'inactive', atMs: nowMs, steps: (clock) => inactivePurgeSteps(this.purgeTarget, { clock, slice, idleDays }) })
  }

  /** The system was told no purge runs (it may keep nothing a purge would read): one that does is the caller's bug. */
  private assertPurges(kind: 'bot' | 'inactive'): void {
    if (!this.purges) throw new Error(`a ${kind} purge on a core made with purges: false (the system was told no purge runs)`)
  }

  // ---- observation -----------------------------------------------------------------------

  state(nowMs: number): CoreState {
    this.advanceTo(nowMs)
    const env = this.env
    const faults: ActiveFault[] = []
    env.regions.forEach((region, index) => {
      if (!env.isUp(index)) faults.push({ kind: 'region-outage', region })
      const slow = env.slowCaches.get(index)
      if (slow !== undefined) faults.push({ kind: 'slow-cache', region, latencyMs: slow })
      const factor = env.overloads.get(index)
      if (factor !== undefined) faults.push({ kind: 'overload', region, factor })
    })
    for (const [a, b] of env.partitionedPairs()) faults.push({ kind: 'partition', a, b })
    const takenDown = this.directory.takenDownVideos()
    if (takenDown.length > 0) faults.push({ kind: 'takedown', videoIds: takenDown.map((video) => this.directory.videoId(video)).sort() })
    return {
      nowMs,
      strategy: this.strategy.name,
      regions: env.regions.map((region, index) => {
        const seen = this.system.observe(index)
        return {
          region,
          up: env.isUp(index),
          likeTotal: seen.likeTotal,
          viewTotal: seen.viewTotal,
          countsDigest: seen.countsDigest,
          watermarkMs: seen.watermarkMs,
          replicationLagMs: nowMs - seen.watermarkMs,
          queueDelayMs: env.queueDelayMs(index),
          cacheDelayMs: env.cacheDelayMs(index),
          replicationPending: seen.replicationPending,
          resyncPending: seen.resyncPending,
        }
      }),
      faults,
      counters: this.counters(),
    }
  }

  /**
   * The modelled waiting a request arriving now at a region would see: its admission queue and
   * its counter cache. A server on real sockets can enact it as a delay, so that an overloaded
   * region is slow for real, not only on paper.
   */
  waitMs(regionId: string, nowMs: number): { queueMs: number; cacheMs: number } {
    const index = this.env.regionHandle(regionId)
    if (index < 0) return { queueMs: 0, cacheMs: 0 }
    this.advanceTo(nowMs)
    return { queueMs: this.env.queueDelayMs(index), cacheMs: this.env.cacheDelayMs(index) }
  }

  /** Per region, in region order: up to when every other region's writes are visible there. */
  regionWatermarks(nowMs: number): number[] {
    this.advanceTo(nowMs)
    return this.env.regions.map((_, index) => this.system.observe(index).watermarkMs)
  }

  /** Per region, in region order: the counts digest (equal digests, equal counts). */
  regionDigests(nowMs: number): string[] {
    this.advanceTo(nowMs)
    return this.env.regions.map((_, index) => this.system.observe(index).countsDigest)
  }

  /** What the guard around a user's system saw go wrong; undefined for a system that is not guarded (the built-in ones). */
  systemFaults(): SystemFaultReport | undefined {
    return faultReportOf(this.system)
  }

  private counters(): CoreCounters {
    const own = this.system.counters()
    const count = (name: string): number => own[name] ?? 0
    const network = this.env.networkStats
    return {
      requests: this.platform.requests,
      shed: count('shed'),
      rateLimited: count('rateLimited'),
      staleReads: count('staleReads'),
      degradedZeroReads: count('degradedZeroReads'),
      cacheTimeouts: count('cacheTimeouts'),
      idempotentReplays: count('idempotentReplays'),
      idempotencyStoreFull: count('idempotencyStoreFull'),
      replicationApplied: count('replicationApplied'),
      replicationDropped: count('replicationDropped'),
      replicationOverflows: count('replicationOverflows'),
      replicationOverflowedEntries: count('replicationOverflowedEntries'),
      replicationResyncs: count('replicationResyncs'),
      replicationResyncedPairs: count('replicationResyncedPairs'),
      replicationLogEntries: count('replicationLogEntries'),
      notificationsSent: count('notificationsSent'),
      notificationsDelivered: count('notificationsDelivered'),
      notificationsDropped: count('notificationsDropped'),
      purgedAccounts: this.platform.purgedAccounts,
      purgedLikes: this.platform.purgedLikes,
      networkMessagesSent: network.sent,
      networkMessagesLost: network.lost,
      ...(own['systemFaults'] === undefined ? {} : { systemFaults: own['systemFaults'] }),
    }
  }
}

/** Run a purge job to its end at one time (an in-process caller's purge is instantaneous). */
function runPurge(job: PurgeJob, nowMs: number): PurgeReport {
  while (!job.step(nowMs));
  return job.report
}
