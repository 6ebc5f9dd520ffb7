// A world for purge tests: a farm of `bots` new, empty accounts that each like `likesPerBot`
// videos within a minute without viewing them (volume, velocity and like-without-view flag them),
// and as many genuine year-old accounts that view, then like, three videos each. Everything is
// written through the core's API in time order, so detection sees it as it would live.
import { DEFAULT_CORE_CONFIG } from '../../mock-server/core/config.ts'
import { EngagementCore } from '../../mock-server/core/engagement-core.ts'
import { ROBUST, type StrategyBehaviour } from '../../mock-server/core/strategy.ts'
import type { UserRecord } from '../../mock-server/core/types.ts'
import { CoreReply } from '../../mock-server/core/core-reply.ts'
import type { DetectorModule } from '../../mock-server/core/detection/detector-module.ts'

const DAY_MS = 86_400_000
export const FARM_REGIONS = ['us-east', 'eu-west', 'ap-southeast'] as const

export interface BotFarmWorld {
  readonly core: EngagementCore
  /** Just after the last like. */
  readonly endMs: number
}

export function botFarmWorld({ bots, likesPerBot, videos = 500, strategy = ROBUST, detector }: { bots: number; likesPerBot: number; videos?: number; strategy?: StrategyBehaviour; detector?: DetectorModule }): BotFarmWorld {
  const users: UserRecord[] = []
  // Each account on its own /24, so per-network rate limits never get in the way of the fixture.
  const ip = (i: number, a: number) => `${a}.${(i >> 8) & 255}.${i & 255}.1`
  const account = (userId: string, i: number, a: number, fresh: boolean): UserRecord => ({
    userId,
    handle: `@${userId}`,
    ip: ip(i, a),
    homeRegion: 'us-east',
    createdAtMs: fresh ? -3 * DAY_MS : -400 * DAY_MS,
    lastActiveAtMs: fresh ? -3 * DAY_MS : -DAY_MS,
    uploads: fresh ? 0 : 2,
    followers: fresh ? 0 : 80,
  })
  for (let i = 0; i < bots; i++) users.push(account(`b${i}`, i, 10, true))
  for (let i = 0; i < bots; i++) users.push(account(`g${i}`, i, 11, false))
  users.push({ ...account('creator', 0, 12, false), uploads: 9, followers: 900 })
  const regions = FARM_REGIONS.map((id) => ({ id, capacityRps: 1e9, cacheCapacityOpsPerS: 1e9 }))
  const config = { ...DEFAULT_CORE_CONFIG, regions, counterWritesPerSPerShard: 1e9 }
  const core = detector === undefined ? new EngagementCore(config, strategy) : new EngagementCore(config, strategy, { detector })
  core.loadDirectory({ users, videos: Array.from({ length: videos }, (_, v) => ({ videoId: `v${v}`, creatorId: 'creator' })) })
  // [atMs, user, video] triples, written in time order.
  const events: Array<[number, number, number]> = []
  for (let b = 0; b < bots; b++) {
    const startMs = (b % 100) * 1000
    for (let k = 0; k < likesPerBot; k++) events.push([startMs + Math.floor((k * 50_000) / likesPerBot), b, (b * 7 + k * 13) % videos])
  }
  for (let g = 0; g < bots; g++) {
    const startMs = (g % 100) * 1000
    for (let k = 0; k < 3; k++) events.push([startMs + k * 20_000 + 7, bots + g, (g * 11 + k * 17) % videos])
  }
  events.sort((a, b) => a[0] - b[0])
  let endMs = 0
  for (const [atMs, user, video] of events) {
    const region = user % FARM_REGIONS.length
    if (user >= bots) core.viewInto(new CoreReply(), atMs - 5, region, user, video, 20_000, undefined)
    const result = core.likeInto(new CoreReply(), atMs, region, user, video, undefined, true)
    if (!result.ok) throw new Error(`fixture like refused: ${result.code}`)
    endMs = atMs
  }
  return { core, endMs: endMs + 1000 }
}
