// Bot detection: the bounded LikeLog, lockstep clustering (CopyCatch-style) and per-account rules,
// combined by the Detector. Built directly, without the engagement core.
import { describe, expect, it } from 'vitest'
import { DEFAULT_DETECTION, type DetectionConfig } from '../../../mock-server/core/detection/detection-config.ts'
import { builtInDetectorModule, Detector } from '../../../mock-server/core/detection/detector.ts'
import { LikeLog } from '../../../mock-server/core/detection/like-log.ts'
import { findLockstepClusters, lockstepWindowMsAt } from '../../../mock-server/core/detection/lockstep-detector.ts'
import { evaluateRules, type AccountFacts } from '../../../mock-server/core/detection/rules.ts'
import { Jitter } from '../../../mock-server/core/jitter.ts'

const DAY_MS = 86_400_000
const NOW = 6 * 3_600_000

// ---- a small world: genuine users, a bot farm, facts arrays indexed by user ----------------------

const GENUINE = 1000 // users 0 .. 999: old accounts with a profile, each on its own /24
const BOTS = 60 // users 1000 .. 1059: new, empty, from two shared /24 blocks
const FIRST_BOT = GENUINE
const TARGETS = Array.from({ length: 12 }, (_, i) => 500 + i) // the campaign's videos
const BURST_AT = 3_600_000 // aligned to the 60 s lockstep window

function facts(): AccountFacts {
  const total = GENUINE + BOTS + 10
  const createdAtMs: number[] = []
  const uploads: number[] = []
  const followers: number[] = []
  const ipBlock: number[] = []
  for (let user = 0; user < total; user++) {
    const bot = user >= FIRST_BOT && user < FIRST_BOT + BOTS
    createdAtMs.push(bot ? NOW - 5 * DAY_MS : NOW - 400 * DAY_MS)
    uploads.push(bot ? 0 : 2)
    followers.push(bot ? 0 : 120)
    ipBlock.push(bot ? 90_000 + (user % 2) : user)
  }
  return { createdAtMs, uploads, followers, ipBlock }
}

interface Like {
  user: number
  video: number
  atMs: number
  viewed: boolean
}

function genuineLikes(count: number, seed: number): Like[] {
  const rng = new Jitter(seed)
  return Array.from({ length: count }, () => ({
    user: Math.floor(rng.next() * GENUINE),
    video: Math.floor(rng.next() * 200),
    atMs: Math.floor(rng.next() * NOW),
    viewed: true,
  }))
}

/** Each bot likes a random half (6) of the 12 targets, inside a 30 s burst, without viewing. */
function botLikes(seed: number): Like[] {
  const rng = new Jitter(seed)
  const likes: Like[] = []
  for (let bot = FIRST_BOT; bot < FIRST_BOT + BOTS; bot++) {
    const order = [...TARGETS]
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1))
      ;[order[i], order[j]] = [order[j] as number, order[i] as number]
    }
    for (const video of order.slice(0, TARGETS.length / 2)) {
      likes.push({ user: bot, video, atMs: BURST_AT + Math.floor(rng.next() * 30_000), viewed: false })
    }
  }
  return likes
}

/** @param creatorOf who owns a video (default: every video its own creator) */
function detector(likes: Like[], config: DetectionConfig = DEFAULT_DETECTION, creatorOf?: (video: number) => number): Detector {
  const d = new Detector({ config, logCapacity: 1_000_000 })
  for (const like of [...likes].sort((a, b) => a.atMs - b.atMs)) {
    if (creatorOf === undefined) d.recordLike(like.user, like.video, like.atMs, like.viewed)
    else d.like({ user: like.user, video: like.video, creator: creatorOf(like.video), atMs: like.atMs, viewedBefore: like.viewed } as never)
  }
  return d
}

/** The accounts a purge would remove: scoring at least the built-in module's purgeScoreMin (the flag score). */
function flaggedBy(d: Detector, accountFacts: AccountFacts, nowMs: number): Array<{ user: number; reasons: readonly string[] }> {
  return d
    .detect(accountFacts, nowMs)
    .filter((scored) => scored.score >= builtInDetectorModule().purgeScoreMin)
    .map(({ user, reasons }) => ({ user, reasons }))
}

function isBot(user: number): boolean {
  return user >= FIRST_BOT && user < FIRST_BOT + BOTS
}

// ---- tests -----------------------------------------------------------------------------------

describe('LikeLog', () => {
  it('keeps entries in append order with their fields', () => {
    const log = new LikeLog(100)
    log.append(1, 2, 10, true)
    log.append(3, 4, 20, false)
    const seen: unknown[] = []
    log.forEach((user, video, atMs, viewed) => seen.push([user, video, atMs, viewed]))
    expect(seen).toEqual([
      [1, 2, 10, true],
      [3, 4, 20, false],
    ])
    expect(log.size).toBe(2)
    expect(log.overwritten).toBe(0)
  })

  it('grows past its initial arrays, then overwrites the oldest past its capacity (counted)', () => {
    const capacity = 20_000 // initial arrays hold 16384
    const log = new LikeLog(capacity)
    for (let i = 0; i < capacity + 5; i++) log.append(i, i % 7, i, i % 2 === 0)
    expect(log.size).toBe(capacity)
    expect(log.overwritten).toBe(5)
    const users: number[] = []
    log.forEach((user) => users.push(user))
    expect(users[0]).toBe(5)
    expect(users[users.length - 1]).toBe(capacity + 4)
    expect(users.every((user, i) => user === i + 5)).toBe(true)
  })

  it('clear empties it', () => {
    const log = new LikeLog(10)
    log.append(1, 1, 1, true)
    log.clear()
    expect(log.size).toBe(0)
    let visits = 0
    log.forEach(() => visits++)
    expect(visits).toBe(0)
  })
})

describe('lockstep detection', () => {
  it('finds a planted lockstep group: one cluster over the target videos whose members are the bots', () => {
    const d = detector([...genuineLikes(3000, 1), ...botLikes(2)])
    const clusters = findLockstepClusters(d.log, DEFAULT_DETECTION)
    expect(clusters).toHaveLength(1)
    const [cluster] = clusters
    expect(cluster?.videos).toEqual(TARGETS)
    expect(cluster?.members).toEqual(Array.from({ length: BOTS }, (_, i) => FIRST_BOT + i))
  })

  it('flags every bot with a lockstep reason and no genuine account', () => {
    const d = detector([...genuineLikes(3000, 1), ...botLikes(2)])
    const flagged = flaggedBy(d, facts(), BURST_AT + 60_000)
    expect(flagged.map((f) => f.user)).toEqual(Array.from({ length: BOTS }, (_, i) => FIRST_BOT + i))
    expect(flagged.every((f) => isBot(f.user))).toBe(true)
    for (const account of flagged) expect(account.reasons).toContain(`lockstep(${TARGETS.length} videos)`)
    // the result is sorted by user and lists each reason once
    for (const account of flagged) expect(new Set(account.reasons).size).toBe(account.reasons.length)
  })

  it('finds a group whose burst straddles a window boundary (the offset grid catches it whole)', () => {
    // 2 x (lockstepMinGroup - 1) bots each like all 12 targets in the 30 s around a minute's turn:
    // every video gets lockstepMinGroup - 1 likers on each side (too few for a cell of the first
    // grid), and all of them in one cell of the grid offset by half a window.
    const bots = 2 * (DEFAULT_DETECTION.lockstepMinGroup - 1)
    const likes: Like[] = []
    for (let i = 0; i < bots; i++) {
      TARGETS.forEach((video, j) => likes.push({ user: FIRST_BOT + i, video, atMs: BURST_AT + 45_000 + ((i + j) % bots) * (30_000 / bots), viewed: true }))
    }
    const clusters = findLockstepClusters(detector(likes).log, DEFAULT_DETECTION)
    expect(clusters).toHaveLength(1)
    expect(clusters[0]?.videos).toEqual(TARGETS)
    expect(clusters[0]?.members).toEqual(Array.from({ length: bots }, (_, i) => FIRST_BOT + i))
  })

  it('a burst on one creator\'s videos is a campaign when its accounts like without watching (a bought farm), not when they watch (fans)', () => {
    // Both groups like the same creator's 12 videos in one burst; fans watched first, bots did not.
    const fans = detector(botLikes(2).map((like) => ({ ...like, viewed: true })), DEFAULT_DETECTION, () => 7)
    expect(flaggedBy(fans, facts(), BURST_AT + 60_000)).toEqual([])
    const farm = flaggedBy(detector(botLikes(2), DEFAULT_DETECTION, () => 7), facts(), BURST_AT + 60_000)
    expect(farm.map((f) => f.user)).toEqual(Array.from({ length: BOTS }, (_, i) => FIRST_BOT + i))
    for (const account of farm) expect(account.reasons).toContain(`lockstep(${TARGETS.length} videos)`)
  })

  it('does not flag a few thousand genuine likes spread over time with views', () => {
    const d = detector(genuineLikes(4000, 3))
    expect(findLockstepClusters(d.log, DEFAULT_DETECTION)).toEqual([])
    expect(flaggedBy(d, facts(), NOW)).toEqual([])
  })

  it('does not link viral videos whose audiences are different people (low Jaccard)', () => {
    const rng = new Jitter(9)
    const likes: Like[] = []
    // six videos each liked by 40 random genuine users in the same minute
    for (let video = 700; video < 706; video++) {
      const likers = new Set<number>()
      while (likers.size < 40) likers.add(Math.floor(rng.next() * GENUINE))
      for (const user of likers) likes.push({ user, video, atMs: BURST_AT + Math.floor(rng.next() * 30_000), viewed: true })
    }
    const d = detector(likes)
    expect(findLockstepClusters(d.log, DEFAULT_DETECTION)).toEqual([])
    expect(flaggedBy(d, facts(), NOW)).toEqual([])
  })

  it('ignores a group below the minimum group size', () => {
    // lockstepMinGroup - 1 bots liking all 12 targets together
    const likes: Like[] = []
    for (let bot = FIRST_BOT; bot < FIRST_BOT + DEFAULT_DETECTION.lockstepMinGroup - 1; bot++) for (const video of TARGETS) likes.push({ user: bot, video, atMs: BURST_AT + bot, viewed: true })
    expect(findLockstepClusters(detector(likes).log, DEFAULT_DETECTION)).toEqual([])
  })

  it('a group spanning fewer videos than lockstepMinClusterVideos is not a campaign', () => {
    const likes = botLikes(2).filter((like) => like.video < TARGETS[4]!)
    expect(findLockstepClusters(detector(likes).log, DEFAULT_DETECTION)).toEqual([])
  })

  it('handles imported likes with negative times', () => {
    const likes = botLikes(2).map((like) => ({ ...like, atMs: like.atMs - 100 * DAY_MS }))
    const clusters = findLockstepClusters(detector(likes).log, DEFAULT_DETECTION)
    expect(clusters).toHaveLength(1)
    expect(clusters[0]?.members).toHaveLength(BOTS)
  })
})

describe('lockstep cells and the watch', () => {
  it('are the configured window, at most half of what the detector has watched, and at least a second', () => {
    expect(lockstepWindowMsAt(DEFAULT_DETECTION, 150_000)).toBe(DEFAULT_DETECTION.lockstepWindowMs)
    expect(lockstepWindowMsAt(DEFAULT_DETECTION, 41_000)).toBe(20_500)
    expect(lockstepWindowMsAt(DEFAULT_DETECTION, 0)).toBe(1000)
  })
})

describe('rules', () => {
  const NEW_EMPTY = GENUINE + BOTS // users past the bots: set up per test below
  function accountFacts(overrides: Record<number, { createdAtMs?: number; uploads?: number; followers?: number; ipBlock?: number }>): AccountFacts {
    const base = facts()
    const copy = {
      createdAtMs: [...base.createdAtMs],
      uploads: [...base.uploads],
      followers: [...base.followers],
      ipBlock: [...base.ipBlock],
    }
    for (const [user, o] of Object.entries(overrides)) {
      const u = Number(user)
      if (o.createdAtMs !== undefined) copy.createdAtMs[u] = o.createdAtMs
      if (o.uploads !== undefined) copy.uploads[u] = o.uploads
      if (o.followers !== undefined) copy.followers[u] = o.followers
      if (o.ipBlock !== undefined) copy.ipBlock[u] = o.ipBlock
    }
    return copy
  }
  const newEmpty = { createdAtMs: NOW - DAY_MS, uploads: 0, followers: 0 }

  /** `count` likes of distinct videos, one every `everyMs`. */
  function steady(user: number, count: number, everyMs: number, viewed: boolean): Like[] {
    return Array.from({ length: count }, (_, i) => ({ user, video: 1000 + i, atMs: i * everyMs, viewed }))
  }

  it('flags a new, empty account with many likes without views', () => {
    const d = detector(steady(NEW_EMPTY, 30, 40 * 60_000, false)) // 30 likes over 20 h: no velocity
    const flagged = flaggedBy(d, accountFacts({ [NEW_EMPTY]: newEmpty }), NOW)
    expect(flagged).toEqual([{ user: NEW_EMPTY, reasons: ['volume', 'like-without-view', 'new-account', 'empty-profile'] }])
    const verdicts = evaluateRules(d.log, accountFacts({ [NEW_EMPTY]: newEmpty }), DEFAULT_DETECTION, NOW)
    expect(verdicts).toHaveLength(1)
    expect(verdicts[0]?.score).toBeCloseTo(3.75, 10)
  })

  it('the same behaviour from an old account with a profile stays below the flag score', () => {
    const d = detector(steady(5, 30, 40 * 60_000, false))
    expect(flaggedBy(d, facts(), NOW)).toEqual([])
  })

  it('account facts alone (new + empty profile) never flag', () => {
    const d = detector(steady(NEW_EMPTY, 3, 60 * 60_000, true))
    expect(flaggedBy(d, accountFacts({ [NEW_EMPTY]: newEmpty }), NOW)).toEqual([])
    // even with a threshold that the fact weights alone would reach
    const lenient = { ...DEFAULT_DETECTION, flagScore: 1 }
    expect(evaluateRules(d.log, accountFacts({ [NEW_EMPTY]: newEmpty }), lenient, NOW)).toEqual([])
  })

  it('velocity: 12 likes inside one rule window', () => {
    const d = detector(steady(NEW_EMPTY, 12, 4000, true)) // 12 likes in 44 s
    const verdicts = evaluateRules(d.log, accountFacts({ [NEW_EMPTY]: newEmpty }), { ...DEFAULT_DETECTION, flagScore: 0 }, NOW)
    expect(verdicts[0]?.reasons).toEqual(['velocity', 'new-account', 'empty-profile'])
    // 11 likes in the window do not fire it
    const slower = detector(steady(NEW_EMPTY, 12, 6000, true)) // 12 likes over 66 s
    expect(evaluateRules(slower.log, accountFacts({ [NEW_EMPTY]: newEmpty }), { ...DEFAULT_DETECTION, flagScore: 0 }, NOW)).toEqual([])
  })

  it('like-without-view needs ratioMinLikes likes and the share of unviewed likes', () => {
    const config = { ...DEFAULT_DETECTION, flagScore: 0 }
    const three = detector(steady(7, 3, 3_600_000, false))
    expect(evaluateRules(three.log, facts(), config, NOW)).toEqual([])
    const mixed = detector([...steady(7, 2, 3_600_000, false), ...steady(7, 3, 3_600_000, true).map((l) => ({ ...l, video: l.video + 50 }))])
    expect(evaluateRules(mixed.log, facts(), config, NOW)).toEqual([]) // 2/5 < 0.6
    const mostly = detector([...steady(7, 3, 3_600_000, false), ...steady(7, 1, 3_600_000, true).map((l) => ({ ...l, video: l.video + 50 }))])
    expect(evaluateRules(mostly.log, facts(), config, NOW).map((v) => v.reasons)).toEqual([['like-without-view']])
  })

  it('shared /24 block: five accounts of one block liking one video within a window', () => {
    const block = 77_777
    const users = [1050, 1051, 1052, 1053, 1054].map((u) => u + 10) // past the bots
    const overrides = Object.fromEntries(users.map((u) => [u, { ipBlock: block }]))
    const likes = users.map((user, i) => ({ user, video: 42, atMs: 120_000 + i * 1000, viewed: true }))
    const config = { ...DEFAULT_DETECTION, flagScore: 0 }
    const crowd = evaluateRules(detector(likes).log, accountFacts(overrides), config, NOW)
    expect(crowd.map((v) => v.user)).toEqual(users)
    expect(crowd.every((v) => v.reasons.includes('shared-ip-block'))).toBe(true)
    // four are not a crowd
    expect(evaluateRules(detector(likes.slice(0, 4)).log, accountFacts(overrides), config, NOW)).toEqual([])
  })
})
