// Co-like campaigns: a farm that spreads its likes over hours has no lockstep burst, but its
// accounts like the same paid-for videos far beyond chance, at every scale; fans liking one
// creator's videos together are no campaign.
import { describe, expect, it } from 'vitest'
import { coLikeCampaignSteps } from '../../../mock-server/core/detection/colike-campaigns.ts'
import { DEFAULT_DETECTION } from '../../../mock-server/core/detection/detection-config.ts'
import { findLockstepClusters } from '../../../mock-server/core/detection/lockstep-detector.ts'
import { LikeLog } from '../../../mock-server/core/detection/like-log.ts'
import { Jitter } from '../../../mock-server/core/jitter.ts'
import { runSteps, WHOLE } from '../../../mock-server/core/work-slice.ts'

const HOUR_MS = 3_600_000
const VIDEOS = 400
const TARGETS = Array.from({ length: 20 }, (_, i) => 300 + i)

interface World {
  readonly log: LikeLog
  readonly creatorOf: number[]
  readonly bots: number[]
  readonly fans: number[]
}

/**
 * `scale` x (1000 people liking 5 videos each, popular ones more often; 100 accounts of a farm
 * each liking half of 20 targets of 10 creators at random times over 3 hours, and 10 popular
 * videos; 50 fans liking half of one creator's 20 videos).
 */
function world(scale: number, seed: number): World {
  const rng = new Jitter(seed)
  const creatorOf = Array.from({ length: VIDEOS }, (_, video) => video % 40)
  for (const [i, video] of TARGETS.entries()) creatorOf[video] = 100 + (i % 10)
  const fanVideos = Array.from({ length: 20 }, (_, i) => 200 + i)
  for (const video of fanVideos) creatorOf[video] = 99
  const likes: Array<[number, number, number]> = []
  const popular = (): number => Math.floor(VIDEOS * rng.next() ** 3)
  let user = 0
  for (let i = 0; i < 1000 * scale; i++, user++) for (let k = 0; k < 5; k++) likes.push([user, popular(), rng.next() * 3 * HOUR_MS])
  const bots: number[] = []
  for (let i = 0; i < 100 * scale; i++, user++) {
    bots.push(user)
    for (const video of TARGETS) if (rng.next() < 0.5) likes.push([user, video, rng.next() * 3 * HOUR_MS])
    for (let k = 0; k < 10; k++) likes.push([user, popular(), rng.next() * 3 * HOUR_MS])
  }
  const fans: number[] = []
  for (let i = 0; i < 50 * scale; i++, user++) {
    fans.push(user)
    for (const video of fanVideos) if (rng.next() < 0.5) likes.push([user, video, rng.next() * 3 * HOUR_MS])
  }
  likes.sort((a, b) => a[2] - b[2])
  const log = new LikeLog(1_000_000)
  for (const [u, video, atMs] of likes) log.append(u, video, atMs, true)
  return { log, creatorOf, bots, fans }
}

describe('co-like campaigns', () => {
  for (const scale of [1, 4]) {
    it(`finds a farm spread over hours, and only its accounts, at scale ${scale}`, () => {
      const { log, creatorOf, bots } = world(scale, 7)
      const campaigns = runSteps(coLikeCampaignSteps(log, creatorOf, DEFAULT_DETECTION, WHOLE(), log.total))
      expect(campaigns).toHaveLength(1)
      expect(campaigns[0]?.videos).toEqual(TARGETS)
      const members = new Set(campaigns[0]?.members)
      const caught = bots.filter((bot) => members.has(bot)).length
      expect(caught / bots.length).toBeGreaterThanOrEqual(0.97)
      expect(members.size).toBe(caught)
    })
  }

  it('the same farm slips past lockstep clustering: its likes have no burst', () => {
    const { log, bots } = world(4, 7)
    const members = new Set(findLockstepClusters(log, DEFAULT_DETECTION).flatMap((c) => c.members))
    expect(bots.filter((bot) => members.has(bot)).length / bots.length).toBeLessThan(0.5)
  })

  it("fans liking one creator's videos together are no campaign", () => {
    const { log, creatorOf, fans } = world(2, 11)
    const members = new Set(runSteps(coLikeCampaignSteps(log, creatorOf, DEFAULT_DETECTION, WHOLE(), log.total)).flatMap((c) => c.members))
    expect(fans.filter((fan) => members.has(fan))).toEqual([])
    // ...while without creators (each video its own) they would be one
    const unknown = runSteps(coLikeCampaignSteps(log, [], DEFAULT_DETECTION, WHOLE(), log.total)).flatMap((c) => c.members)
    expect(fans.filter((fan) => unknown.includes(fan)).length).toBeGreaterThan(fans.length / 2)
  })

  it('judges each account against the campaign around its likes, when farms share targets and form one component', () => {
    // Three farms of 20 targets each (10 creators), the second sharing one target with the first
    // and the third one with the second: one 58-video component, a share of which (12) asks for
    // more likes than a farm account makes (11 of its 20).
    const rng = new Jitter(5)
    const farmTargets = [0, 1, 2].map((farm) => Array.from({ length: 20 }, (_, i) => 300 + farm * 19 + i))
    const creatorOf = Array.from({ length: VIDEOS }, (_, video) => (video >= 300 ? 100 + (video % 10) : video % 40))
    const likes: Array<[number, number, number]> = []
    let user = 0
    for (let i = 0; i < 2000; i++, user++) for (let k = 0; k < 5; k++) likes.push([user, Math.floor(VIDEOS * rng.next() ** 3), rng.next() * 3 * HOUR_MS])
    const bots: number[] = []
    for (const targets of farmTargets) {
      for (let i = 0; i < 80; i++, user++) {
        bots.push(user)
        for (const video of pick(rng, targets, 11)) likes.push([user, video, rng.next() * 3 * HOUR_MS])
      }
    }
    likes.sort((a, b) => a[2] - b[2])
    const log = new LikeLog(1_000_000)
    for (const [u, video, atMs] of likes) log.append(u, video, atMs, true)
    const campaigns = runSteps(coLikeCampaignSteps(log, creatorOf, DEFAULT_DETECTION, WHOLE(), log.total))
    expect(campaigns).toHaveLength(1)
    expect(campaigns[0]?.videos.length).toBeGreaterThan(55)
    const members = new Set(campaigns[0]?.members)
    expect(bots.filter((bot) => members.has(bot)).length / bots.length).toBeGreaterThanOrEqual(0.95)
    expect(Array.from(members).filter((member) => member < 2000)).toEqual([])
  })
})

/** `count` of `videos` at random, each once. */
function pick(rng: Jitter, videos: readonly number[], count: number): number[] {
  const left = [...videos]
  const picked: number[] = []
  while (picked.length < count && left.length > 0) picked.push(left.splice(Math.floor(rng.next() * left.length), 1)[0] as number)
  return picked
}
