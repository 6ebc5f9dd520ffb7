// Co-like campaigns: the farms that spread their likes over hours (stealthy, drip, paid humans)
// leave no lockstep burst, but their accounts still like the same paid-for videos. Two videos are
// linked when far more accounts liked both than chance would give, measured as *lift*: the
// accounts that liked both, over what independent audiences of their sizes would share among the
// distinct likers in the log (co-likers × likers / (audience A × audience B)). Lift is a ratio of
// counts, so it is the same at every scale: a fixed Jaccard over fixed windows is not (a farm's
// cells shrink with the world, and their chance overlap swings, which made recall a function of
// the scale rather than of the farm).
//
// A linked component spanning enough videos from enough creators is a campaign: people who
// like one creator together (fans, watch parties) form components of one creator's videos and
// are left alone. Its members are the accounts that liked a share of the campaign's videos
// around their own likes (those videos and the ones linked to them), at most half of that share
// from any one creator.
// Cost: one pass over the log, then pairs of videos counted through each account's list (accounts
// liking more than PAIR_LIKES_MAX distinct videos are not paired: heavy users would cost the square
// of their likes, and an account liking that much is judged by volume instead).
import type { Steps } from '../work-slice.ts'
import type { DetectionConfig } from './detection-config.ts'
import type { WorkBudget } from './detector-module.ts'
import type { LikeLog } from './like-log.ts'

export interface CoLikeCampaign {
  readonly videos: readonly number[]
  readonly members: readonly number[]
}

const PAIR_LIKES_MAX = 200

/**
 * @param creatorOf the creator of each video (-1 unknown: counts as its own creator)
 * @param end scan the log up to this `total`
 */
export function* coLikeCampaignSteps(log: LikeLog, creatorOf: readonly number[], config: DetectionConfig, slice: WorkBudget, end: number): Steps<CoLikeCampaign[]> {
  const videosOf = new Map<number, number[]>()
  const audience = new Map<number, number>()
  const seen = new Set<number>()
  yield* log.scan(slice, end, (user, video) => {
    // A (video, user) pair once: a like, unlike and like again is one liker.
    const key = video * 4_194_304 + user
    if (seen.has(key)) return
    seen.add(key)
    let list = videosOf.get(user)
    if (list === undefined) {
      list = []
      videosOf.set(user, list)
    }
    list.push(video)
    audience.set(video, (audience.get(video) ?? 0) + 1)
  })
  seen.clear()
  const likers = videosOf.size
  const minGroup = config.lockstepMinGroup
  // Pairs of videos with enough likers each, counted through each account's list.
  const pairs = new Map<number, number>()
  let videoCount = 0
  for (const video of audience.keys()) if (video >= videoCount) videoCount = video + 1
  for (const list of videosOf.values()) {
    if (slice.tick()) yield
    if (list.length > PAIR_LIKES_MAX || list.length < 2) continue
    const dense = list.filter((video) => (audience.get(video) as number) >= minGroup).sort((a, b) => a - b)
    for (let i = 0; i < dense.length; i++) {
      for (let j = i + 1; j < dense.length; j++) {
        const key = (dense[i] as number) * videoCount + (dense[j] as number)
        pairs.set(key, (pairs.get(key) ?? 0) + 1)
      }
      if (slice.tick(dense.length - i)) yield
    }
  }
  // The link graph's k-core (every video linked to at least minClusterVideos - 1 others in it):
  // a farm's targets are linked to each other; a video that a farm's cover likes happened to
  // push over the lift once or twice is peeled off, and does not dilute the members' share.
  const links = new Map<number, Set<number>>()
  const link = (a: number, b: number): void => {
    let set = links.get(a)
    if (set === undefined) {
      set = new Set()
      links.set(a, set)
    }
    set.add(b)
  }
  for (const [key, both] of pairs) {
    if (slice.tick()) yield
    if (both < minGroup) continue
    const a = Math.floor(key / videoCount)
    const b = key % videoCount
    const audienceA = audience.get(a) as number
    const audienceB = audience.get(b) as number
    if ((both * likers) / (audienceA * audienceB) < config.coLikeMinLift) continue
    if (both / (audienceA + audienceB - both) < config.coLikeMinJaccard) continue
    link(a, b)
    link(b, a)
  }
  pairs.clear()
  const degreeMin = config.lockstepMinClusterVideos - 1
  const peel = Array.from(links.keys()).filter((video) => (links.get(video) as Set<number>).size < degreeMin)
  while (peel.length > 0) {
    if (slice.tick()) yield
    const video = peel.pop() as number
    const neighbours = links.get(video)
    if (neighbours === undefined) continue
    links.delete(video)
    for (const other of neighbours) {
      const set = links.get(other)
      if (set === undefined) continue
      set.delete(video)
      if (set.size === degreeMin - 1) peel.push(other)
    }
  }
  // Connected components of the core.
  const components: number[][] = []
  const placed = new Set<number>()
  for (const start of Array.from(links.keys()).sort((a, b) => a - b)) {
    if (placed.has(start)) continue
    const component: number[] = []
    const stack = [start]
    placed.add(start)
    while (stack.length > 0) {
      if (slice.tick()) yield
      const video = stack.pop() as number
      component.push(video)
      for (const other of links.get(video) as Set<number>) {
        if (placed.has(other)) continue
        placed.add(other)
        stack.push(other)
      }
    }
    components.push(component.sort((a, b) => a - b))
  }
  const campaigns: CoLikeCampaign[] = []
  for (const videos of components) {
    if (videos.length < config.lockstepMinClusterVideos) continue
    if (new Set(videos.map((video) => creatorKey(video, creatorOf))).size < config.campaignMinCreators) continue
    const inCampaign = new Set(videos)
    // The share is of the campaign around the account's own likes (the videos it liked and their
    // links), not of the whole component: over days, farms' target sets get bridged into one
    // component (drip-farm at scale 0.25: five farms' 82 targets), where a share of the whole asks
    // each account for more likes than any one farm's campaign holds.
    const members: number[] = []
    for (const [user, list] of videosOf) {
      if (slice.tick()) yield
      const around = new Set<number>()
      for (const video of list) {
        if (!inCampaign.has(video)) continue
        around.add(video)
        for (const other of links.get(video) as Set<number>) around.add(other)
      }
      if (around.size === 0) continue
      const needed = Math.max(config.lockstepMinVideos, Math.ceil(config.lockstepMinShare * around.size))
      // No one creator carries a membership: a fan liking many of one creator's videos is not a
      // member unless the account also likes the campaign's other creators.
      if (creatorCappedCount(list, inCampaign, creatorOf, needed) >= needed) members.push(user)
    }
    members.sort((a, b) => a - b)
    campaigns.push({ videos, members })
  }
  return campaigns
}

/** A video's creator, or a key of its own when the creator is unknown. */
function creatorKey(video: number, creatorOf: readonly number[]): number {
  const creator = creatorOf[video] ?? -1
  return creator >= 0 ? creator : -1 - video
}

/**
 * How many of `liked` are in `campaign`, counting at most half of `needed` from any one creator:
 * a membership needs the campaign's videos of several creators.
 */
export function creatorCappedCount(liked: readonly number[], campaign: ReadonlySet<number>, creatorOf: readonly number[], needed: number): number {
  const perCreatorMax = Math.ceil(needed / 2)
  const fromCreator = new Map<number, number>()
  let counted = 0
  for (const video of liked) {
    if (!campaign.has(video)) continue
    const creator = creatorKey(video, creatorOf)
    const already = fromCreator.get(creator) ?? 0
    fromCreator.set(creator, already + 1)
    if (already < perCreatorMax) counted++
  }
  return counted
}
