// The seeded population: ground truth stays in `truth`; nothing a platform sees (ids, handles,
// addresses, index order) gives a bot away except what bots genuinely do differently.
import { describe, expect, it } from 'vitest'
import { buildPopulation, DAY_MS, UserKind, type Population } from '../../sim/population.ts'
import { Rng } from '../../sim/rng.ts'
import type { AliasTable } from '../../sim/alias-table.ts'
import { runScenario } from '../../scenarios/run/runner.ts'
import { scenario } from '../helpers/runs.ts'
import { resolveWorldSpec, type WorldSpecInput } from '../../sim/world-spec.ts'

const INPUT: WorldSpecInput = {
  genuineUsers: 2000,
  creators: 50,
  videos: 200,
  inactiveAccounts: 100,
  inactiveLikesPerAccount: 4,
  farms: [
    { kind: 'careless', accounts: 80, ipBlocks: 3, region: 'us-east' },
    { kind: 'stealthy', accounts: 60, region: 'eu-west' },
  ],
}
const SPEC = resolveWorldSpec(INPUT)
const SEED = 1234

const cache = new Map<number, Population>()
function population(seed = SEED): Population {
  let p = cache.get(seed)
  if (p === undefined) {
    p = buildPopulation(SPEC, new Rng(seed))
    cache.set(seed, p)
  }
  return p
}

const usersOfKind = (p: Population, kind: UserKind): number[] => {
  const out: number[] = []
  for (let u = 0; u < p.userCount; u++) if (p.truth.kind[u] === kind) out.push(u)
  return out
}
const blockOf = (ip: string): string => ip.split('.').slice(0, 3).join('.')

describe('buildPopulation: determinism', () => {
  it('is identical for the same seed', () => {
    const a = population()
    const b = buildPopulation(SPEC, new Rng(SEED))
    expect([...b.userIds]).toEqual([...a.userIds])
    expect([...b.handles]).toEqual([...a.handles])
    expect([...b.ips]).toEqual([...a.ips])
    expect(Array.from(b.truth.kind)).toEqual(Array.from(a.truth.kind))
    expect(Array.from(b.truth.farm)).toEqual(Array.from(a.truth.farm))
    expect(Array.from(b.createdAtMs)).toEqual(Array.from(a.createdAtMs))
    expect(Array.from(b.userRegion)).toEqual(Array.from(a.userRegion))
    expect([...b.videoIds]).toEqual([...a.videoIds])
    expect(Array.from(b.videoCreator)).toEqual(Array.from(a.videoCreator))
    expect(Array.from(b.rankToVideo)).toEqual(Array.from(a.rankToVideo))
    expect([...b.importedLikes]).toEqual([...a.importedLikes])
    expect(b.farms.map((f) => [Array.from(f.members), Array.from(f.targets)])).toEqual(a.farms.map((f) => [Array.from(f.members), Array.from(f.targets)]))
  })

  it('differs for another seed', () => {
    const a = population()
    const b = population(SEED + 1)
    expect(b.userCount).toBe(a.userCount)
    expect([...b.userIds]).not.toEqual([...a.userIds])
    expect([...b.handles]).not.toEqual([...a.handles])
    expect([...b.ips]).not.toEqual([...a.ips])
    expect(Array.from(b.truth.kind)).not.toEqual(Array.from(a.truth.kind))
    expect(Array.from(b.rankToVideo)).not.toEqual(Array.from(a.rankToVideo))
  })
})

describe('buildPopulation: nothing on the surface gives a bot away', () => {
  it('every account id has the same shape (u_ + 10 base-36 chars) and ids are unique', () => {
    const p = population()
    expect(p.userIds).toHaveLength(p.userCount)
    expect([...p.userIds].filter((id) => !/^u_[0-9a-z]{10}$/.test(id))).toEqual([])
    expect(new Set(p.userIds).size).toBe(p.userCount)
  })

  it('handles are unique, lower-case name-like strings with no bot/farm marker token', () => {
    const p = population()
    expect(p.handles).toHaveLength(p.userCount)
    expect(new Set(p.handles).size).toBe(p.userCount)
    expect([...p.handles].filter((h) => !/^[a-z]+[._]?[a-z]+\d{0,4}$/.test(h))).toEqual([])
    // Surnames such as "Abbott" or "Botsford" legitimately contain "bot"; a marker token does not.
    const marker = /(^|[._\d])(bots?|farm|fake|spam|sybil)([._\d]|$)/
    expect([...p.handles].filter((h) => marker.test(h))).toEqual([])
  })

  it('makes the handles when first asked, from their own stream: a sim run never asks (issue 20)', () => {
    const outcome = runScenario({ scenario: scenario('baseline'), seed: 3, scale: 0.05 })
    expect(outcome.population.handles.isMade).toBe(false)
    const early = buildPopulation(SPEC, new Rng(SEED))
    const lateRng = new Rng(SEED)
    const late = buildPopulation(SPEC, lateRng)
    expect(late.handles.isMade).toBe(false)
    // Made later, after other streams were drawn, they are the same handles.
    for (let i = 0; i < 100; i++) lateRng.stream('arrivals').next()
    expect([...late.handles]).toEqual([...early.handles])
    expect(late.handles.isMade).toBe(true)
  })

  it('ids and handles depend only on the index and seed, not on the account kind', () => {
    // Same number of accounts, once with 140 bots and 100 inactive, once all genuine.
    const allGenuine = buildPopulation(resolveWorldSpec({ genuineUsers: 2240, creators: 50, videos: 200 }), new Rng(SEED))
    const p = population()
    expect(allGenuine.userCount).toBe(p.userCount)
    expect([...allGenuine.userIds]).toEqual([...p.userIds])
    expect([...allGenuine.handles]).toEqual([...p.handles])
  })

  it('"bot"-looking handles are no more common among bots than among genuine users', () => {
    const p = population()
    const rate = (users: number[]): number => users.filter((u) => (p.handles.get(u) as string).includes('bot')).length / users.length
    const bots = [...usersOfKind(p, UserKind.CarelessBot), ...usersOfKind(p, UserKind.StealthyBot)]
    expect(rate(bots)).toBeLessThan(0.05)
    expect(rate(bots)).toBeLessThanOrEqual(rate(usersOfKind(p, UserKind.Genuine)) + 0.03)
  })

  it('kinds are interleaved across indices, not placed in blocks', () => {
    const p = population()
    const n = p.userCount
    for (const kind of [UserKind.CarelessBot, UserKind.StealthyBot, UserKind.Inactive]) {
      const users = usersOfKind(p, kind)
      expect(Math.min(...users)).toBeLessThan(n * 0.2)
      expect(Math.max(...users)).toBeGreaterThan(n * 0.8)
      const meanIndex = users.reduce((a, b) => a + b, 0) / users.length
      expect(meanIndex).toBeGreaterThan(n * 0.35)
      expect(meanIndex).toBeLessThan(n * 0.65)
    }
    // The last 240 accounts (where blocked bots/inactive would sit) are mostly genuine.
    const tail = Array.from(p.truth.kind.slice(n - 240))
    expect(tail.filter((k) => k === UserKind.Genuine).length).toBeGreaterThan(180)
    // Many switches between genuine and non-genuine along the index.
    let switches = 0
    for (let u = 1; u < n; u++) if ((p.truth.kind[u] === UserKind.Genuine) !== (p.truth.kind[u - 1] === UserKind.Genuine)) switches++
    expect(switches).toBeGreaterThan(300)
  })
})

describe('buildPopulation: ground truth', () => {
  it('counts per kind match the spec', () => {
    const p = population()
    expect(p.userCount).toBe(2000 + 100 + 80 + 60)
    expect(usersOfKind(p, UserKind.Genuine)).toHaveLength(2000)
    expect(usersOfKind(p, UserKind.Inactive)).toHaveLength(100)
    expect(usersOfKind(p, UserKind.CarelessBot)).toHaveLength(80)
    expect(usersOfKind(p, UserKind.StealthyBot)).toHaveLength(60)
  })

  it('farm membership: bots carry their farm index, everyone else -1, and farms list their members', () => {
    const p = population()
    for (let u = 0; u < p.userCount; u++) {
      const kind = p.truth.kind[u]
      const farm = p.truth.farm[u]
      if (kind === UserKind.CarelessBot) expect(farm).toBe(0)
      else if (kind === UserKind.StealthyBot) expect(farm).toBe(1)
      else expect(farm).toBe(-1)
    }
    expect(p.farms).toHaveLength(2)
    expect(Array.from(p.farms[0]?.members ?? [])).toEqual(usersOfKind(p, UserKind.CarelessBot))
    expect(Array.from(p.farms[1]?.members ?? [])).toEqual(usersOfKind(p, UserKind.StealthyBot))
    expect(p.farms.map((f) => f.index)).toEqual([0, 1])
    expect(p.farms[0]?.spec).toEqual(SPEC.farms[0])
  })

  it('farm members live in the farm region', () => {
    const p = population()
    const usEast = p.regionIds.indexOf('us-east')
    const euWest = p.regionIds.indexOf('eu-west')
    for (const u of usersOfKind(p, UserKind.CarelessBot)) expect(p.userRegion[u]).toBe(usEast)
    for (const u of usersOfKind(p, UserKind.StealthyBot)) expect(p.userRegion[u]).toBe(euWest)
  })

  it('farm targets are distinct, in the long tail of popularity', () => {
    const p = population()
    const rankOf = new Map(Array.from(p.rankToVideo, (video, rankIndex) => [video, rankIndex]))
    for (const farm of p.farms) {
      expect(farm.targets).toHaveLength(10)
      expect(new Set(farm.targets).size).toBe(10)
      for (const video of farm.targets) expect(rankOf.get(video)).toBeGreaterThanOrEqual(Math.floor(200 * 0.3))
    }
  })
})

describe('buildPopulation: addresses', () => {
  it('every address is a host 1..254 in a /24 block', () => {
    const p = population()
    expect(p.ips).toHaveLength(p.userCount)
    const bad = [...p.ips].filter((ip) => {
      const octets = ip.split('.').map(Number)
      return octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) || (octets[3] as number) < 1 || (octets[3] as number) > 254
    })
    expect(bad).toEqual([])
  })

  it('careless farm members share a few /24 blocks of their own', () => {
    const p = population()
    const careless = usersOfKind(p, UserKind.CarelessBot)
    const farmBlocks = new Set(careless.map((u) => blockOf(p.ips.get(u) as string)))
    expect(farmBlocks.size).toBeLessThanOrEqual(3)
    expect(farmBlocks.size).toBeGreaterThanOrEqual(2)
    const nonCareless = new Set([...p.ips].filter((_, u) => p.truth.kind[u] !== UserKind.CarelessBot).map(blockOf))
    for (const block of farmBlocks) expect(nonCareless.has(block)).toBe(false)
  })

  it('stealthy farm members use genuine carrier blocks of their region', () => {
    const p = population()
    const euWest = p.regionIds.indexOf('eu-west')
    const genuineBlocks = new Set(usersOfKind(p, UserKind.Genuine).filter((u) => p.userRegion[u] === euWest).map((u) => blockOf(p.ips.get(u) as string)))
    const stealthy = usersOfKind(p, UserKind.StealthyBot)
    expect(stealthy.filter((u) => !genuineBlocks.has(blockOf(p.ips.get(u) as string)))).toEqual([])
    // Spread over many blocks, like residential users, not a farm pool.
    expect(new Set(stealthy.map((u) => blockOf(p.ips.get(u) as string))).size).toBeGreaterThan(10)
  })

  it('genuine users share carrier blocks at about usersPerIpBlock per block', () => {
    const p = population()
    const genuine = usersOfKind(p, UserKind.Genuine)
    const blocks = new Set(genuine.map((u) => blockOf(p.ips.get(u) as string)))
    // ceil(users per region / 20) blocks per region: about 100 for 2000 users.
    expect(blocks.size).toBeGreaterThanOrEqual(95)
    expect(blocks.size).toBeLessThanOrEqual(104)
  })
})

describe('buildPopulation: account facts', () => {
  it("farm accounts' facts overlap people's: no age, follower or upload boundary separates them", () => {
    const p = population()
    const share = (users: number[], test: (u: number) => boolean): number => users.filter(test).length / users.length
    const careless = usersOfKind(p, UserKind.CarelessBot)
    const stealthy = usersOfKind(p, UserKind.StealthyBot)
    const genuine = usersOfKind(p, UserKind.Genuine)
    const older = (days: number) => (u: number): boolean => (p.createdAtMs[u] as number) < -days * DAY_MS
    // careless farms skew young, but not all under 60 days; stealthy ones are mostly aged
    expect(share(careless, older(60))).toBeGreaterThan(0.2)
    expect(share(careless, older(60))).toBeLessThan(0.8)
    expect(share(stealthy, older(60))).toBeGreaterThan(0.8)
    for (const users of [careless, stealthy, genuine]) {
      expect(share(users, (u) => (p.followers[u] as number) >= 10)).toBeGreaterThan(0.2)
      expect(share(users, (u) => (p.followers[u] as number) < 10)).toBeGreaterThan(0.05)
      expect(share(users, (u) => (p.lastActiveAtMs[u] as number) < -2 * DAY_MS)).toBeGreaterThan(0.5)
    }
    expect(share(careless, (u) => (p.uploads[u] as number) > 0)).toBeGreaterThan(0)
    expect(share(stealthy, (u) => (p.uploads[u] as number) > 0)).toBeGreaterThan(0.1)
  })

  it('inactive accounts have been idle for more than 90 days and are old', () => {
    const p = population()
    for (const u of usersOfKind(p, UserKind.Inactive)) {
      expect(p.lastActiveAtMs[u]).toBeLessThan(-90 * DAY_MS)
      expect(p.createdAtMs[u]).toBeLessThan(p.lastActiveAtMs[u] as number)
    }
  })

  it('genuine users were active recently; about newAccountShare of them are new', () => {
    const p = population()
    const genuine = usersOfKind(p, UserKind.Genuine)
    for (const u of genuine) expect(p.lastActiveAtMs[u]).toBeGreaterThanOrEqual(-20 * DAY_MS)
    const young = genuine.filter((u) => (p.createdAtMs[u] as number) > -60 * DAY_MS).length / genuine.length
    expect(young).toBeGreaterThan(0.035)
    expect(young).toBeLessThan(0.09)
  })

  it('for everyone, created <= last active <= now', () => {
    const p = population()
    for (let u = 0; u < p.userCount; u++) {
      expect(p.createdAtMs[u]).toBeLessThanOrEqual(p.lastActiveAtMs[u] as number)
      expect(p.lastActiveAtMs[u]).toBeLessThanOrEqual(0)
    }
  })

  it('inactive accounts hold imported likes from their active past (negative times)', () => {
    const p = population()
    expect(p.importedLikes.length).toBeGreaterThan(100)
    const seen = new Set<string>()
    const perUser = new Map<number, number>()
    for (const like of p.importedLikes) {
      expect(p.truth.kind[like.user]).toBe(UserKind.Inactive)
      expect(like.atMs).toBeLessThan(0)
      expect(like.atMs).toBeGreaterThanOrEqual(p.createdAtMs[like.user] as number)
      expect(like.atMs).toBeLessThanOrEqual(p.lastActiveAtMs[like.user] as number)
      expect(like.video).toBeGreaterThanOrEqual(0)
      expect(like.video).toBeLessThan(p.videoCount)
      const key = `${like.user}/${like.video}`
      expect(seen.has(key)).toBe(false)
      seen.add(key)
      perUser.set(like.user, (perUser.get(like.user) ?? 0) + 1)
    }
    for (const count of perUser.values()) expect(count).toBeLessThanOrEqual(4)
    // Sorted by time.
    for (let i = 1; i < p.importedLikes.length; i++) expect(p.importedLikes.atMs[i]).toBeGreaterThanOrEqual(p.importedLikes.atMs[i - 1] as number)
  })

  it('no imported likes without inactive accounts', () => {
    const p = buildPopulation(resolveWorldSpec({ genuineUsers: 100, creators: 5, videos: 20 }), new Rng(3))
    expect([...p.importedLikes]).toEqual([])
  })
})

describe('buildPopulation: creators, videos and activity', () => {
  it('every video has a genuine creator, at most spec.creators of them', () => {
    const p = population()
    expect(p.videoCount).toBe(200)
    expect(p.videoCreator).toHaveLength(200)
    const creators = new Set(p.videoCreator)
    expect(creators.size).toBeLessThanOrEqual(50)
    expect(creators.size).toBeGreaterThan(10)
    for (const c of creators) expect(p.truth.kind[c]).toBe(UserKind.Genuine)
  })

  it("uploads count the videos a user owns (a farm account's uploads are facts it bought, outside the world's videos)", () => {
    const p = population()
    const owned = new Int32Array(p.userCount)
    for (const c of p.videoCreator) owned[c] = (owned[c] as number) + 1
    for (let u = 0; u < p.userCount; u++) {
      if (p.truth.kind[u] === UserKind.StealthyBot || p.truth.kind[u] === UserKind.CarelessBot) continue
      expect(p.uploads[u]).toBe(owned[u])
    }
  })

  it('video ids are unique, v_-prefixed', () => {
    const p = population()
    expect(p.videoIds).toHaveLength(200)
    expect(new Set(p.videoIds).size).toBe(200)
    expect([...p.videoIds].filter((id) => !/^v_[0-9a-z]{10}$/.test(id))).toEqual([])
  })

  it('rankToVideo is a permutation of the videos and popularity covers every rank', () => {
    const p = population()
    expect(Array.from(p.rankToVideo).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i))
    expect(p.popularity.size).toBe(200)
    // Not the identity: popularity is not hidden in the video index.
    expect(Array.from(p.rankToVideo)).not.toEqual(Array.from({ length: 200 }, (_, i) => i))
  })

  it("the regions' user pickers partition the genuine users by home region", () => {
    const p = population()
    expect(p.regionUserPickers).toHaveLength(p.regionIds.length)
    const all: number[] = []
    p.regionUserPickers.forEach((picker, region) => {
      for (const u of pickerMembers(picker)) {
        expect(p.userRegion[u]).toBe(region)
        expect(p.truth.kind[u]).toBe(UserKind.Genuine)
        all.push(u)
      }
    })
    expect(all.sort((a, b) => a - b)).toEqual(usersOfKind(p, UserKind.Genuine))
  })

  it('genuine users spread over regions by userShare', () => {
    const p = population()
    SPEC.regions.forEach((region, r) => {
      const share = pickerMembers(p.regionUserPickers[r] ?? null).length / 2000
      expect(Math.abs(share - region.userShare)).toBeLessThan(0.04)
    })
  })

  it('activity is heavy-tailed and capped for genuine users, zero for everyone else', () => {
    const p = population()
    for (let u = 0; u < p.userCount; u++) {
      if (p.truth.kind[u] === UserKind.Genuine) {
        expect(p.activity[u]).toBeGreaterThanOrEqual(1)
        expect(p.activity[u]).toBeLessThanOrEqual(SPEC.activityCapRatio)
      } else {
        expect(p.activity[u]).toBe(0)
      }
    }
  })
})

/** The users a region's picker draws from: column c's own outcome is member c (sim/alias-table.ts). */
function pickerMembers(picker: AliasTable | null): number[] {
  if (picker === null) return []
  const words = new Int32Array(picker.columns.buffer, picker.columns.byteOffset, picker.size * 4)
  return Array.from({ length: picker.size }, (_, column) => words[column * 4 + 2] as number)
}
