// View lockstep: a view farm (accounts that view a campaign's videos in a burst, and like nothing)
// is found by lockstep clustering over the views, as a like farm is over the likes. Views are far
// denser than likes, so two more tests keep people out: a dense cell must be a burst above its
// video's own rate (viewBurstMin), and a member's views must be mostly the campaign's.
import { describe, expect, it } from 'vitest'
import { DEFAULT_DETECTION, type DetectionConfig } from '../../../mock-server/core/detection/detection-config.ts'
import { builtInDetectorModule, Detector } from '../../../mock-server/core/detection/detector.ts'
import type { AccountFacts } from '../../../mock-server/core/detection/rules.ts'
import { Jitter } from '../../../mock-server/core/jitter.ts'

const NOW_MS = 3_600_000
const BURST_AT_MS = 1_800_000
const USERS = 2000 // 0..1799 people, 1800..1829 regulars, 1900..1959 the view farm
const PEOPLE = 1800
const FIRST_BOT = 1900
const BOTS = 60
const TARGETS = Array.from({ length: 12 }, (_, i) => 500 + i)
/** Popular videos a small audience watches all day long. */
const POPULAR = Array.from({ length: 8 }, (_, i) => 900 + i)
const REGULARS = Array.from({ length: 30 }, (_, i) => PEOPLE + i)
/** A person who watched 3 of the campaign's videos during its burst, among many others. */
const BYSTANDER = 42

interface View {
  readonly user: number
  readonly video: number
  readonly atMs: number
}

/** Old accounts with a profile, each on its own network block: only behaviour can flag anyone here. */
function facts(): AccountFacts {
  const ids = Array.from({ length: USERS }, (_, user) => user)
  return { createdAtMs: ids.map(() => -400 * 86_400_000), uploads: ids.map(() => 2), followers: ids.map(() => 120), ipBlock: ids }
}

function world({ regulars }: { regulars: boolean }): View[] {
  const rng = new Jitter(11)
  const views: View[] = []
  // People: 20 views each of random videos at random times.
  for (let user = 0; user < PEOPLE; user++) for (let i = 0; i < 20; i++) views.push({ user, video: Math.floor(rng.next() * 400), atMs: Math.floor(rng.next() * NOW_MS) })
  // The bystander watched 3 targets in the burst and 40 other videos.
  for (const video of TARGETS.slice(0, 3)) views.push({ user: BYSTANDER, video, atMs: BURST_AT_MS + Math.floor(rng.next() * 30_000) })
  // Regulars: each watches each popular video about every 2 minutes, all day.
  if (regulars) for (const user of REGULARS) for (const video of POPULAR) for (let at = rng.next() * 120_000; at < NOW_MS; at += 60_000 + rng.next() * 120_000) views.push({ user, video, atMs: Math.floor(at) })
  // The farm: each bot views a random half of the targets inside a 30 s burst.
  for (let bot = FIRST_BOT; bot < FIRST_BOT + BOTS; bot++) {
    for (const video of TARGETS) if (rng.next() < 0.5) views.push({ user: bot, video, atMs: BURST_AT_MS + Math.floor(rng.next() * 30_000) })
  }
  return views.sort((a, b) => a.atMs - b.atMs)
}

/** The accounts a purge would remove, with their reasons. Videos belong to 5 creators. */
function flagged(views: readonly View[], config: DetectionConfig = DEFAULT_DETECTION): Map<number, readonly string[]> {
  const detector = new Detector({ config, logCapacity: 1_000_000 })
  for (const { user, video, atMs } of views) detector.view({ user, video, atMs, creator: video % 5, region: 'us-east', clientBlock: user, watchMs: 2000 })
  const purgeScoreMin = builtInDetectorModule(config).purgeScoreMin
  return new Map(detector.detect(facts(), NOW_MS).filter((scored) => scored.score >= purgeScoreMin).map((scored) => [scored.user, scored.reasons]))
}

const isBot = (user: number): boolean => user >= FIRST_BOT && user < FIRST_BOT + BOTS

describe('view lockstep', () => {
  it('flags the view farm, by its views alone, and nobody else', () => {
    const found = flagged(world({ regulars: true }))
    const bots = [...found.keys()].filter(isBot)
    expect(bots.length).toBeGreaterThanOrEqual(BOTS - 2)
    expect([...found.keys()].filter((user) => !isBot(user))).toEqual([])
    for (const user of bots) expect(found.get(user)?.some((reason) => /^view-lockstep\(\d+ videos\)$/.test(reason))).toBe(true)
  })

  it('a small audience watching the same popular videos the whole hour overlaps cell after cell: no burst, no campaign (without the burst test it is one)', () => {
    const views = world({ regulars: true })
    const withoutBurstTest = flagged(views, { ...DEFAULT_DETECTION, viewBurstMin: 0 })
    expect(REGULARS.filter((user) => withoutBurstTest.has(user)).length).toBeGreaterThan(REGULARS.length / 2)
    const found = flagged(views)
    expect(REGULARS.filter((user) => found.has(user))).toEqual([])
  })

  it("a person who watched some of the campaign's videos during its burst is no member: most of their views are elsewhere", () => {
    const found = flagged(world({ regulars: false }))
    expect(found.has(BYSTANDER)).toBe(false)
    // ...though the burst's cells hold them: with the bots' share of the campaign, they would be.
    const views = world({ regulars: false }).filter((view) => view.user !== BYSTANDER || TARGETS.includes(view.video))
    expect(flagged(views).has(BYSTANDER)).toBe(true)
  })
})
