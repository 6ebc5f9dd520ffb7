// The seeded population: genuine users, creators and their videos, bot farms and inactive
// accounts. The ground truth (who is a bot, which farm) stays here in `truth`; the directory the
// system under test receives carries only what a platform would know about an account.
import { drawAccountFacts } from './account-facts.ts'
import { assignAddresses } from './addresses.ts'
import { AliasTable } from './alias-table.ts'
import { pareto, sampleDistinct, zipfWeights } from './distributions.ts'
import { AccountHandles } from './handles.ts'
import { hostIn, uniqueId, uniqueIpBlock } from './ids.ts'
import { ImportedLikes } from './imported-likes.ts'
import type { Ipv4Column } from './ipv4-column.ts'
import { PackedStrings } from './packed-strings.ts'
import type { Rng } from './rng.ts'
import { FRESH_ACCOUNT_SHARE, farmLabel, ownsAccounts } from './farm-traits.ts'
import { accountCount, type FanGroupSpec, type FarmSpec, type WorldSpec } from './world-spec.ts'

import { UserKind } from './user-kind.ts'

export { DAY_MS, UserKind, USER_KIND_NAMES } from './user-kind.ts'

export interface FarmInstance {
  readonly index: number
  readonly spec: FarmSpec
  readonly members: Int32Array
  /** Target videos in the order the farm works through them. */
  readonly targets: Int32Array
  /** A returning farm's replacement accounts: silent until its return (empty otherwise). */
  readonly fresh: Int32Array
}

/** Genuine fans of one creator (people: their truth is genuine). */
export interface FanGroupInstance {
  readonly index: number
  readonly spec: FanGroupSpec
  readonly members: Int32Array
  readonly creator: number
  /** The creator's videos they like (at most FAN_VIDEOS_MAX). */
  readonly videos: Int32Array
}

const FAN_VIDEOS_MAX = 20

export interface Truth {
  readonly kind: Uint8Array
  /** Farm index, -1 for non-bots. */
  readonly farm: Int16Array
}

export interface Population {
  readonly regionIds: readonly string[]
  readonly userCount: number
  /** Ids, handles and addresses packed (issue 20): `userIds.get(user)`, `userIds.indexOf(userId)`. */
  readonly userIds: PackedStrings
  /** Made on first use (handles.ts): only a world export asks. */
  readonly handles: AccountHandles
  readonly ips: Ipv4Column
  readonly userRegion: Uint8Array
  readonly createdAtMs: Float64Array
  readonly lastActiveAtMs: Float64Array
  readonly uploads: Int32Array
  readonly followers: Int32Array
  /** Relative activity of genuine users (0 for everyone else). */
  readonly activity: Float64Array
  readonly videoCount: number
  readonly videoIds: PackedStrings
  readonly videoCreator: Int32Array
  /** rankToVideo[rank - 1] is the video at that popularity rank. */
  readonly rankToVideo: Int32Array
  /** Samples a popularity rank index (0-based) by Zipf weight. */
  readonly popularity: AliasTable
  /**
   * Per region, a sampler of its genuine users by activity, answering user indices (null: the
   * region has none). The only copy of each region's member list: the traffic draws from it, on
   * another thread for big runs (its columns are shared memory).
   */
  readonly regionUserPickers: readonly (AliasTable | null)[]
  readonly farms: readonly FarmInstance[]
  readonly fanGroups: readonly FanGroupInstance[]
  readonly truth: Truth
  readonly importedLikes: ImportedLikes
}

export function buildPopulation(spec: WorldSpec, rng: Rng): Population {
  const stream = rng.stream('population')
  const regionIds = spec.regions.map((region) => region.id)
  const regionOf = new Map(regionIds.map((id, index) => [id, index]))
  const userCount = accountCount(spec)

  // Kinds in blocks, then a shuffled placement so that an index says nothing about its owner.
  const draftKind: number[] = []
  const draftFarm: number[] = []
  for (let i = 0; i < spec.genuineUsers; i++) pushDraft(draftKind, draftFarm, UserKind.Genuine, -1)
  for (let i = 0; i < spec.inactiveAccounts; i++) pushDraft(draftKind, draftFarm, UserKind.Inactive, -1)
  spec.farms.forEach((farm, f) => {
    if (!ownsAccounts(farm)) return
    const kind = farm.kind === 'careless' ? UserKind.CarelessBot : farm.kind === 'stealthy' ? UserKind.StealthyBot : UserKind.Flood
    for (let i = 0; i < farm.accounts; i++) pushDraft(draftKind, draftFarm, kind, f)
  })
  const placement = stream.shuffle(Array.from({ length: userCount }, (_, i) => i))
  const kind = new Uint8Array(userCount)
  const farmOf = new Int16Array(userCount)
  placement.forEach((draft, index) => {
    kind[index] = draftKind[draft] as number
    farmOf[index] = draftFarm[draft] as number
  })

  const idStream = rng.stream('ids')
  const userIds = new PackedStrings({ expectedCount: userCount, bytesPerString: 12 })
  // uniqueId adds each id to the table it checks against.
  for (let user = 0; user < userCount; user++) uniqueId(idStream, 'u_', userIds)
  const handles = new AccountHandles(() => rng.stream('faker'), userCount)

  // Home regions.
  const regionShares = new AliasTable(spec.regions.map((region) => region.userShare))
  const userRegion = new Uint8Array(userCount)
  for (let user = 0; user < userCount; user++) {
    const farm = farmOf[user] as number
    userRegion[user] = farm >= 0 ? (regionOf.get((spec.farms[farm] as FarmSpec).region) as number) : regionShares.sample(stream)
  }

  const ips = assignAddresses({ spec, rng, kind, farmOf, userRegion, regionCount: regionIds.length })

  const { createdAtMs, lastActiveAtMs, uploads, followers } = drawAccountFacts({ spec, rng, kind, farmOf })

  // Creators and their videos.
  const genuine: number[] = []
  for (let user = 0; user < userCount; user++) if (kind[user] === UserKind.Genuine) genuine.push(user)
  const creatorPicks = sampleDistinct(stream, { n: genuine.length, k: spec.creators }).map((i) => genuine[i] as number)
  const creatorWeights = creatorPicks.map(() => pareto(stream, { xMin: 1, alpha: 1.2 }))
  const creatorTable = new AliasTable(creatorWeights)
  const videoIds = new PackedStrings({ expectedCount: spec.videos, bytesPerString: 12 })
  const videoCreator = new Int32Array(spec.videos)
  for (let video = 0; video < spec.videos; video++) {
    uniqueId(idStream, 'v_', videoIds)
    const creator = creatorPicks[creatorTable.sample(stream)] as number
    videoCreator[video] = creator
    uploads[creator] = (uploads[creator] as number) + 1
    followers[creator] = (followers[creator] as number) + 50
  }
  const rankToVideo = Int32Array.from(stream.shuffle(Array.from({ length: spec.videos }, (_, i) => i)))
  const popularity = new AliasTable(zipfWeights({ n: spec.videos, s: spec.zipfS }))

  // Activity of genuine users: heavy-tailed, capped.
  const activity = new Float64Array(userCount)
  const regionMembers: number[][] = regionIds.map(() => [])
  for (const user of genuine) {
    activity[user] = Math.min(spec.activityCapRatio, pareto(stream, { xMin: 1, alpha: spec.activityAlpha }))
    regionMembers[userRegion[user] as number]?.push(user)
  }
  const regionUserPickers = regionMembers.map((members) =>
    members.length === 0 ? null : new AliasTable(members.map((user) => activity[user] as number), members),
  )

  const farms = buildFarms(spec, rng, farmOf, rankToVideo)
  const fanGroups = buildFanGroups({ spec, rng, genuine, creators: new Set(creatorPicks), videoCreator, rankToVideo, ips })
  const importedLikes = buildImportedLikes({ spec, rng, kind, createdAtMs, lastActiveAtMs, popularity, rankToVideo })

  return {
    regionIds,
    userCount,
    userIds,
    handles,
    ips,
    userRegion,
    createdAtMs,
    lastActiveAtMs,
    uploads,
    followers,
    activity,
    videoCount: spec.videos,
    videoIds,
    videoCreator,
    rankToVideo,
    popularity,
    regionUserPickers,
    farms,
    fanGroups,
    truth: { kind, farm: farmOf },
    importedLikes,
  }
}

function pushDraft(kinds: number[], farms: number[], kind: number, farm: number): void {
  kinds.push(kind)
  farms.push(farm)
}

function buildFarms(spec: WorldSpec, rng: Rng, farmOf: Int16Array, rankToVideo: Int32Array): FarmInstance[] {
  const labels = spec.farms.map(farmLabel)
  const owned = spec.farms.map((_, index) => {
    const members: number[] = []
    for (let user = 0; user < farmOf.length; user++) if (farmOf[user] === index) members.push(user)
    return members
  })
  return spec.farms.map((farmSpec, index) => {
    const stream = rng.stream(`farm-${index}`)
    // A reused farm's accounts are the first of its original's (as many as it asks for).
    const members = ownsAccounts(farmSpec) ? (owned[index] as number[]) : (owned[labels.indexOf(farmSpec.reuseOf as string)] ?? []).slice(0, farmSpec.accounts)
    // Paid-for targets sit in the long tail: creators who buy likes are not the famous ones.
    // (A flood has no targets: it hammers whatever is popular.)
    const tailStart = Math.floor(spec.videos * 0.3)
    const ranks = farmSpec.kind === 'flood' ? [] : sampleDistinct(stream, { n: spec.videos - tailStart, k: farmSpec.targetVideos }).map((i) => tailStart + i)
    // A returning farm's replacements: drawn from a stream of their own (the others stay as they were).
    const fresh = farmSpec.returnsAfterPurgeS === undefined ? [] : rng.stream(`farm-fresh-${index}`).shuffle([...members]).slice(0, Math.ceil(members.length * FRESH_ACCOUNT_SHARE))
    return {
      index,
      spec: farmSpec,
      members: Int32Array.from(members),
      targets: Int32Array.from(ranks.map((rank) => rankToVideo[rank] as number)),
      fresh: Int32Array.from(fresh.sort((a, b) => a - b)),
    }
  })
}

function buildImportedLikes({
  spec,
  rng,
  kind,
  createdAtMs,
  lastActiveAtMs,
  popularity,
  rankToVideo,
}: {
  spec: WorldSpec
  rng: Rng
  kind: Uint8Array
  createdAtMs: Float64Array
  lastActiveAtMs: Float64Array
  popularity: AliasTable
  rankToVideo: Int32Array
}): ImportedLikes {
  const likes = { user: [] as number[], video: [] as number[], atMs: [] as number[] }
  if (spec.inactiveAccounts === 0) return new ImportedLikes(likes)
  const stream = rng.stream('imported-likes')
  for (let user = 0; user < kind.length; user++) {
    if (kind[user] !== UserKind.Inactive) continue
    const seen = new Set<number>()
    for (let i = 0; i < spec.inactiveLikesPerAccount; i++) {
      const video = rankToVideo[popularity.sample(stream)] as number
      if (seen.has(video)) continue
      seen.add(video)
      likes.user.push(user)
      likes.video.push(video)
      likes.atMs.push(stream.between(createdAtMs[user] as number, lastActiveAtMs[user] as number))
    }
  }
  return new ImportedLikes(likes)
}

/** Fans: genuine users who are not creators, following the creator of a video of the given rank, on a few shared networks. */
function buildFanGroups({
  spec,
  rng,
  genuine,
  creators,
  videoCreator,
  rankToVideo,
  ips,
}: {
  spec: WorldSpec
  rng: Rng
  genuine: readonly number[]
  creators: ReadonlySet<number>
  videoCreator: Int32Array
  rankToVideo: Int32Array
  ips: Ipv4Column
}): FanGroupInstance[] {
  if (spec.fanGroups.length === 0) return []
  const stream = rng.stream('fan-groups')
  const free = stream.shuffle(genuine.filter((user) => !creators.has(user)))
  const taken = new Set<string>()
  for (const ip of ips) taken.add(ip.slice(0, ip.lastIndexOf('.')))
  let next = 0
  return spec.fanGroups.map((group, index) => {
    const members = Int32Array.from(free.slice(next, next + group.members))
    next += group.members
    const creator = videoCreator[rankToVideo[group.creatorRank - 1] as number] as number
    const videos: number[] = []
    for (let video = 0; video < videoCreator.length && videos.length < FAN_VIDEOS_MAX; video++) if (videoCreator[video] === creator) videos.push(video)
    const blocks = Array.from({ length: group.ipBlocks }, () => uniqueIpBlock(stream, taken))
    for (const user of members) ips.set(user, hostIn(stream, stream.pick(blocks)))
    return { index, spec: group, members, creator, videos: Int32Array.from(videos) }
  })
}
