// What the world looks like: who lives in it, what they watch and like, which farms inflate
// whom. Defaults come from ../shared REFERENCES (copied into the comments, since a clone has no
// shared folder): Zipf s = 0.99 (YCSB), likes ~5% of views, unlikes 5-30% of likes, bot farms of
// 50/500/7,000 accounts liking about half of >= 10 targets, accounts < 60 days old.
import { farmTraitProblems, ownsAccounts, type FarmTraits } from './farm-traits.ts'
import { DEFAULT_REGIONS, type RegionSpec } from './regions.ts'

/** A farm: a behaviour template (kind) and its parameters, plus optional traits (sim/farm-traits.ts). */
export interface FarmSpec extends FarmTraits {
  /**
   * careless: lockstep bursts on ordered targets; stealthy: spread over the run, mixed with
   * popular videos; flood: a request flood from a few /24 blocks (a DDoS; see the `ddos` fault).
   */
  readonly kind: 'careless' | 'stealthy' | 'flood'
  readonly accounts: number
  /** Videos the farm was paid to inflate (>= 10). */
  readonly targetVideos: number
  /** Share of the targets each account likes (about half). */
  readonly likeShare: number
  /** careless: when the campaign starts; stealthy: ignored (likes spread over the whole run). */
  readonly startS: number
  /** careless: how long the burst lasts (compressed minutes). */
  readonly burstS: number
  /** careless: size of the farm's own small IP pool, in /24 blocks (stealthy farms rent residential addresses). */
  readonly ipBlocks: number
  readonly region: string
  /** stealthy: likes on popular videos per account, to blend in. */
  readonly coverLikes: number
  /** stealthy: share of likes preceded by a (short) view. */
  readonly watchShare: number
  /** flood: requests per second each account sends during the burst. */
  readonly requestsPerS: number
}

/**
 * Genuine fans of one creator: they like that creator's videos together over the run and gather
 * for watch parties (a video liked by most of them within a few minutes), from a few shared
 * networks (a campus, a carrier NAT). People, not bots: purging them is a false positive.
 */
export interface FanGroupSpec {
  readonly members: number
  /** The creator of the video at this popularity rank is the one they follow. */
  readonly creatorRank: number
  /** Share of the creator's videos (at most 20 of them) each fan likes over the run. */
  readonly likeShare: number
  /** Watch parties: one of the creator's videos liked together within partyWindowS. */
  readonly parties: number
  readonly partyWindowS: number
  /** Share of the fans who join a party. */
  readonly partyShare: number
  /** The shared networks the fans use, in /24 blocks. */
  readonly ipBlocks: number
}

export interface FlashCrowdSpec {
  /** Popularity rank of the video that goes viral (1 = most popular). */
  readonly videoRank: number
  readonly startS: number
  readonly endS: number
  /** Traffic on that video relative to normal (REFERENCES: ~25x). */
  readonly factor: number
}

export interface BehaviourSpec {
  /** Probability that a view is followed by a like (REFERENCES: ~4-5%). */
  readonly likeAfterViewP: number
  /** Probability that a like is undone later in the run (REFERENCES: 5-30%). */
  readonly unlikeP: number
  /** Probability that the same user likes again from a second device (double tap, phone + tablet). */
  readonly secondDeviceP: number
  /** Probability that a liker reads their own like back ("is it still liked?"). */
  readonly readBackP: number
  /** Probability that a session re-reads the counts after liking. */
  readonly rereadP: number
  readonly watchMedianMs: number
  readonly watchSigma: number
  readonly watchMaxMs: number
  /** Share of liking sessions that turn into a like-flap: rapid like/unlike taps from two devices. */
  readonly flapSessionP: number
  readonly flapTapsMin: number
  readonly flapTapsMax: number
  readonly flapGapMinMs: number
  readonly flapGapMaxMs: number
  /** Probability that the network delivers a write twice (same request, same idempotency key). */
  readonly duplicateP: number
  /** Probability that a like arrives without its view recorded (a double tap in the feed before playback reports). */
  readonly likeWithoutViewP: number
}

export interface WorldSpec {
  readonly regions: readonly RegionSpec[]
  readonly genuineUsers: number
  readonly creators: number
  readonly videos: number
  /** Zipf exponent of video popularity. */
  readonly zipfS: number
  /** Share of genuine accounts younger than 60 days. */
  readonly newAccountShare: number
  /** Pareto shape of per-user activity (heavier tail when smaller). */
  readonly activityAlpha: number
  /** Cap on one user's activity relative to the least active (no single user floods the run). */
  readonly activityCapRatio: number
  /** Genuine users per /24 block (carrier pools are shared). */
  readonly usersPerIpBlock: number
  /** Accounts idle for > 90 days that still hold likes from the past. */
  readonly inactiveAccounts: number
  readonly inactiveLikesPerAccount: number
  readonly farms: readonly FarmSpec[]
  readonly fanGroups: readonly FanGroupSpec[]
  readonly flashCrowds: readonly FlashCrowdSpec[]
  readonly behaviour: BehaviourSpec
  /** Length of a compressed day for the diurnal curve. */
  readonly dayLengthS: number
  /** Diurnal amplitude a: rate x (1 + a sin): peak/mean 1 + a, peak/trough (1 + a)/(1 - a). a = 0.6 gives 1.6 and 4. */
  readonly diurnalAmplitude: number
}

export const DEFAULT_BEHAVIOUR: BehaviourSpec = {
  likeAfterViewP: 0.05,
  unlikeP: 0.1,
  secondDeviceP: 0.03,
  readBackP: 0.3,
  rereadP: 0.2,
  watchMedianMs: 6000,
  watchSigma: 0.8,
  watchMaxMs: 60_000,
  flapSessionP: 0,
  flapTapsMin: 3,
  flapTapsMax: 9,
  flapGapMinMs: 60,
  flapGapMaxMs: 400,
  duplicateP: 0,
  likeWithoutViewP: 0,
}

export const DEFAULT_WORLD: WorldSpec = {
  regions: DEFAULT_REGIONS,
  genuineUsers: 20_000,
  creators: 800,
  videos: 2_000,
  zipfS: 0.99,
  newAccountShare: 0.06,
  activityAlpha: 1.5,
  activityCapRatio: 50,
  usersPerIpBlock: 20,
  inactiveAccounts: 0,
  inactiveLikesPerAccount: 3,
  farms: [],
  fanGroups: [],
  flashCrowds: [],
  behaviour: DEFAULT_BEHAVIOUR,
  dayLengthS: 240,
  diurnalAmplitude: 0.6,
}

export const DEFAULT_FARM: Omit<FarmSpec, 'kind' | 'accounts'> = {
  targetVideos: 10,
  likeShare: 0.5,
  startS: 30,
  burstS: 30,
  ipBlocks: 3,
  region: 'us-east',
  coverLikes: 15,
  watchShare: 0.5,
  requestsPerS: 20,
}

export const DEFAULT_FAN_GROUP: Omit<FanGroupSpec, 'members'> = {
  creatorRank: 50,
  likeShare: 0.5,
  parties: 3,
  partyWindowS: 120,
  partyShare: 0.7,
  ipBlocks: 2,
}

export type WorldSpecInput = Partial<Omit<WorldSpec, 'behaviour' | 'farms' | 'fanGroups'>> & {
  readonly fanGroups?: ReadonlyArray<Partial<FanGroupSpec> & Pick<FanGroupSpec, 'members'>>
  readonly behaviour?: Partial<BehaviourSpec>
  readonly farms?: ReadonlyArray<Partial<FarmSpec> & Pick<FarmSpec, 'kind' | 'accounts'>>
}

export function resolveWorldSpec(input: WorldSpecInput = {}): WorldSpec {
  return {
    ...DEFAULT_WORLD,
    ...input,
    behaviour: { ...DEFAULT_BEHAVIOUR, ...input.behaviour },
    farms: (input.farms ?? []).map((farm) => ({ ...DEFAULT_FARM, ...farm })),
    fanGroups: (input.fanGroups ?? []).map((group) => ({ ...DEFAULT_FAN_GROUP, ...group })),
    flashCrowds: input.flashCrowds ?? [],
    regions: input.regions ?? DEFAULT_REGIONS,
  }
}

/** The same world, bigger or smaller: populations scale; shares, times and behaviour do not. */
export function scaleWorldSpec(spec: WorldSpec, scale: number): WorldSpec {
  const n = (value: number, min: number): number => Math.max(min, Math.round(value * scale))
  return {
    ...spec,
    genuineUsers: n(spec.genuineUsers, 50),
    creators: n(spec.creators, 5),
    videos: n(spec.videos, 20),
    inactiveAccounts: spec.inactiveAccounts === 0 ? 0 : n(spec.inactiveAccounts, 1),
    farms: spec.farms.map((farm) => ({ ...farm, accounts: n(farm.accounts, 5) })),
    fanGroups: spec.fanGroups.map((group) => ({ ...group, members: n(group.members, 5) })),
  }
}

/** Every problem with a world spec, as `field: reason` lines (empty when valid). */
/**
 * What the world's layouts hold: a (user, video) pair is one number, video x 2^22 + user
 * (sim/history.ts, PAIR_USER_LIMIT), so a world has at most 2^22 accounts; regions are a
 * bitmask of 8 in the systems' replicas; the traffic numbers its event sources with farms and
 * crowds below 1000 each (sim/traffic.ts).
 */
export const WORLD_LIMITS = { accounts: 1 << 22, regions: 8, farms: 999, flashCrowds: 999 } as const

/** Every account of the world: genuine, inactive and the farms'. */
export function accountCount(spec: WorldSpec): number {
  // A reused farm's accounts are another farm's.
  return spec.genuineUsers + spec.inactiveAccounts + spec.farms.reduce((sum, farm) => sum + (ownsAccounts(farm) ? farm.accounts : 0), 0)
}

/** Why a (scaled) world exceeds what the layouts hold (empty: it fits). */
export function worldLimitProblems(spec: WorldSpec): string[] {
  const problems: string[] = []
  const accounts = accountCount(spec)
  if (accounts > WORLD_LIMITS.accounts) problems.push(`the world would have ${accounts.toLocaleString('en-US')} accounts; at most ${WORLD_LIMITS.accounts.toLocaleString('en-US')} fit (lower --scale)`)
  if (spec.regions.length > WORLD_LIMITS.regions) problems.push(`the world has ${spec.regions.length} regions; at most ${WORLD_LIMITS.regions}`)
  return problems
}

export function validateWorldSpec(spec: WorldSpec, durationS: number, prefix = 'world'): string[] {
  const problems: string[] = []
  const positiveInt = (value: number, field: string): void => {
    if (!Number.isInteger(value) || value <= 0) problems.push(`${prefix}.${field}: must be a positive integer, got ${value}`)
  }
  const share = (value: number, field: string): void => {
    if (!(value >= 0 && value <= 1)) problems.push(`${prefix}.${field}: must be between 0 and 1, got ${value}`)
  }
  positiveInt(spec.genuineUsers, 'genuineUsers')
  positiveInt(spec.creators, 'creators')
  positiveInt(spec.videos, 'videos')
  if (spec.creators > spec.genuineUsers) problems.push(`${prefix}.creators: cannot exceed genuineUsers (${spec.genuineUsers})`)
  if (!(spec.zipfS > 0 && spec.zipfS < 3)) problems.push(`${prefix}.zipfS: must be in (0, 3), got ${spec.zipfS}`)
  share(spec.newAccountShare, 'newAccountShare')
  if (!(spec.activityAlpha > 0)) problems.push(`${prefix}.activityAlpha: must be > 0`)
  if (!(spec.activityCapRatio >= 1)) problems.push(`${prefix}.activityCapRatio: must be >= 1`)
  positiveInt(spec.usersPerIpBlock, 'usersPerIpBlock')
  if (!Number.isInteger(spec.inactiveAccounts) || spec.inactiveAccounts < 0) problems.push(`${prefix}.inactiveAccounts: must be a whole number >= 0`)
  if (spec.regions.length === 0) problems.push(`${prefix}.regions: at least one region`)
  if (spec.regions.length > WORLD_LIMITS.regions) problems.push(`${prefix}.regions: at most ${WORLD_LIMITS.regions}, got ${spec.regions.length}`)
  if (spec.farms.length > WORLD_LIMITS.farms) problems.push(`${prefix}.farms: at most ${WORLD_LIMITS.farms}, got ${spec.farms.length}`)
  if (spec.flashCrowds.length > WORLD_LIMITS.flashCrowds) problems.push(`${prefix}.flashCrowds: at most ${WORLD_LIMITS.flashCrowds}, got ${spec.flashCrowds.length}`)
  const regionIds = new Set(spec.regions.map((region) => region.id))
  spec.farms.forEach((farm, i) => {
    const at = `farms[${i}]`
    if (farm.kind !== 'careless' && farm.kind !== 'stealthy' && farm.kind !== 'flood') problems.push(`${prefix}.${at}.kind: must be careless, stealthy or flood, got ${String(farm.kind)}`)
    positiveInt(farm.accounts, `${at}.accounts`)
    if (farm.kind !== 'flood') {
      if (!Number.isInteger(farm.targetVideos) || farm.targetVideos < 10) problems.push(`${prefix}.${at}.targetVideos: must be >= 10 (a campaign), got ${farm.targetVideos}`)
      if (farm.targetVideos > spec.videos / 2) problems.push(`${prefix}.${at}.targetVideos: at most half the videos (${spec.videos / 2})`)
    } else if (!(farm.requestsPerS > 0 && farm.requestsPerS <= 1000)) {
      problems.push(`${prefix}.${at}.requestsPerS: must be in (0, 1000], got ${farm.requestsPerS}`)
    }
    share(farm.likeShare, `${at}.likeShare`)
    share(farm.watchShare, `${at}.watchShare`)
    if (!regionIds.has(farm.region)) problems.push(`${prefix}.${at}.region: unknown region ${farm.region}`)
    if (farm.kind !== 'stealthy' && !(farm.startS >= 0 && farm.startS + farm.burstS <= durationS)) {
      problems.push(`${prefix}.${at}: the burst [${farm.startS}s, ${farm.startS + farm.burstS}s] must lie inside the run (0-${durationS}s)`)
    }
    if (!(farm.burstS > 0)) problems.push(`${prefix}.${at}.burstS: must be > 0`)
    if (!(farm.ipBlocks >= 1)) problems.push(`${prefix}.${at}.ipBlocks: must be >= 1`)
  })
  problems.push(...farmTraitProblems(spec.farms, durationS, prefix))
  const fans = spec.fanGroups.reduce((sum, group) => sum + group.members, 0)
  if (fans > 0 && fans > spec.genuineUsers - spec.creators) problems.push(`${prefix}.fanGroups: ${fans} fans in all; at most the genuine users who are not creators (${spec.genuineUsers - spec.creators})`)
  spec.fanGroups.forEach((group, i) => {
    const at = `fanGroups[${i}]`
    positiveInt(group.members, `${at}.members`)
    if (!Number.isInteger(group.creatorRank) || group.creatorRank < 1 || group.creatorRank > spec.videos) problems.push(`${prefix}.${at}.creatorRank: must be a rank from 1 to ${spec.videos}`)
    share(group.likeShare, `${at}.likeShare`)
    share(group.partyShare, `${at}.partyShare`)
    if (!(Number.isInteger(group.parties) && group.parties >= 0 && group.parties <= 100)) problems.push(`${prefix}.${at}.parties: must be a whole number from 0 to 100`)
    if (!(group.partyWindowS > 0 && group.partyWindowS <= durationS)) problems.push(`${prefix}.${at}.partyWindowS: must be in (0, ${durationS}]`)
    positiveInt(group.ipBlocks, `${at}.ipBlocks`)
  })
  spec.flashCrowds.forEach((crowd, i) => {
    const at = `flashCrowds[${i}]`
    if (!Number.isInteger(crowd.videoRank) || crowd.videoRank < 1 || crowd.videoRank > spec.videos) {
      problems.push(`${prefix}.${at}.videoRank: must be a rank from 1 to ${spec.videos}`)
    }
    if (!(crowd.startS >= 0 && crowd.endS > crowd.startS && crowd.endS <= durationS)) problems.push(`${prefix}.${at}: needs 0 <= startS < endS <= ${durationS}`)
    if (!(crowd.factor >= 1)) problems.push(`${prefix}.${at}.factor: must be >= 1`)
  })
  const b = spec.behaviour
  share(b.likeAfterViewP, 'behaviour.likeAfterViewP')
  share(b.unlikeP, 'behaviour.unlikeP')
  share(b.secondDeviceP, 'behaviour.secondDeviceP')
  share(b.readBackP, 'behaviour.readBackP')
  share(b.rereadP, 'behaviour.rereadP')
  share(b.flapSessionP, 'behaviour.flapSessionP')
  share(b.duplicateP, 'behaviour.duplicateP')
  share(b.likeWithoutViewP, 'behaviour.likeWithoutViewP')
  if (!(Number.isInteger(b.flapTapsMin) && b.flapTapsMin >= 2 && b.flapTapsMax >= b.flapTapsMin && b.flapTapsMax <= 50)) {
    problems.push(`${prefix}.behaviour: needs whole numbers 2 <= flapTapsMin <= flapTapsMax <= 50`)
  }
  if (!(b.flapGapMinMs > 0 && b.flapGapMaxMs >= b.flapGapMinMs)) problems.push(`${prefix}.behaviour: needs 0 < flapGapMinMs <= flapGapMaxMs`)
  if (!(b.watchMedianMs > 0 && b.watchMaxMs >= b.watchMedianMs)) problems.push(`${prefix}.behaviour: needs 0 < watchMedianMs <= watchMaxMs`)
  if (!(spec.dayLengthS > 0)) problems.push(`${prefix}.dayLengthS: must be > 0`)
  if (!(spec.diurnalAmplitude >= 0 && spec.diurnalAmplitude < 1)) problems.push(`${prefix}.diurnalAmplitude: must be in [0, 1)`)
  return problems
}
