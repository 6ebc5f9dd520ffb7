// The world's traffic: a lazy, time-ordered stream of operations with the right rates and the
// causal shape of a session (view before like), overloads, flash crowds and bot farms.
import { describe, expect, it } from 'vitest'
import type { FaultSpec } from '../../sim/faults.ts'
import { keyOperation, newOperationRecord, OpKind, type Operation } from '../../sim/operation.ts'
import { buildPopulation, UserKind, type Population } from '../../sim/population.ts'
import { RateProfile } from '../../sim/rate-profile.ts'
import { Rng } from '../../sim/rng.ts'
import { TrafficGenerator } from '../../sim/traffic.ts'
import { resolveWorldSpec, type WorldSpec, type WorldSpecInput } from '../../sim/world-spec.ts'

const flat = (ratePerS: number, endS: number, startS = 0): RateProfile =>
  new RateProfile([
    { tS: startS, ratePerS },
    { tS: endS, ratePerS },
  ])

interface Run {
  readonly spec: WorldSpec
  readonly population: Population
  readonly ops: Operation[]
}

const WORLD: WorldSpecInput = { genuineUsers: 1500, creators: 40, videos: 150, diurnalAmplitude: 0 }

function generate({
  world = WORLD,
  faults = [],
  rate = flat(100, 120),
  durationS = 120,
  seed = 5,
}: { world?: WorldSpecInput; faults?: FaultSpec[]; rate?: RateProfile; durationS?: number; seed?: number } = {}): Run {
  const spec = resolveWorldSpec(world)
  const rng = new Rng(seed)
  const population = buildPopulation(spec, rng)
  const gen = new TrafficGenerator({ spec, population, faults, rate, durationS, rng })
  const ops: Operation[] = []
  for (let op = gen.next(); op !== undefined; op = gen.next()) ops.push({ ...op })
  return { spec, population, ops }
}

const cache = new Map<string, Run>()
function cached(key: string, make: () => Run): Run {
  let run = cache.get(key)
  if (run === undefined) {
    run = make()
    cache.set(key, run)
  }
  return run
}

const FARMS: WorldSpecInput = {
  ...WORLD,
  farms: [
    { kind: 'careless', accounts: 40, startS: 30, burstS: 20, targetVideos: 10, likeShare: 0.5 },
    { kind: 'stealthy', accounts: 30, coverLikes: 5, watchShare: 0.5 },
  ],
}
const baseline = (): Run => cached('baseline', () => generate())
const withFarms = (): Run => cached('farms', () => generate({ world: FARMS }))

const isGenuine = (run: Run, user: number): boolean => run.population.truth.kind[user] === UserKind.Genuine
/** Sessions of genuine users: their first operation (a ReadVideo). */
function sessionStarts(run: Run): Operation[] {
  const seen = new Set<number>()
  const out: Operation[] = []
  for (const op of run.ops) {
    if (!isGenuine(run, op.user) || seen.has(op.session)) continue
    seen.add(op.session)
    out.push(op)
  }
  return out
}

describe('TrafficGenerator: the stream', () => {
  it('is time-ordered with ids 0, 1, 2, ... in order', () => {
    const { ops } = withFarms()
    expect(ops.length).toBeGreaterThan(10_000)
    let badId = -1
    let badTime = -1
    ops.forEach((op, i) => {
      if (op.id !== i && badId < 0) badId = i
      if (i > 0 && op.atMs < (ops[i - 1] as Operation).atMs && badTime < 0) badTime = i
    })
    expect(badId).toBe(-1)
    expect(badTime).toBe(-1)
  })

  it('peekTimeMs announces the next operation, then Infinity once done; emitted counts operations', () => {
    const spec = resolveWorldSpec(WORLD)
    const rng = new Rng(8)
    const population = buildPopulation(spec, rng)
    const gen = new TrafficGenerator({ spec, population, faults: [], rate: flat(20, 10), durationS: 10, rng })
    let count = 0
    for (;;) {
      const peek = gen.peekTimeMs()
      expect(gen.peekTimeMs()).toBe(peek)
      const op = gen.next()
      if (op === undefined) {
        expect(peek).toBe(Infinity)
        break
      }
      expect(op.atMs).toBe(peek)
      count++
    }
    expect(count).toBeGreaterThan(100)
    expect(gen.emitted).toBe(count)
    expect(gen.next()).toBeUndefined()
    expect(gen.peekTimeMs()).toBe(Infinity)
  })

  it('emits nothing at or after the duration even when the rate profile runs longer', () => {
    const run = cached('long-rate', () => generate({ world: FARMS, rate: flat(100, 400), durationS: 60 }))
    expect(run.ops.length).toBeGreaterThan(1000)
    expect(run.ops.filter((op) => op.atMs >= 60_000 || op.atMs < 0)).toEqual([])
    // ...and the stream does run up to close to the end.
    expect((run.ops[run.ops.length - 1] as Operation).atMs).toBeGreaterThan(59_000)
  })

  it('starts sessions only while the rate profile is on', () => {
    const run = cached('late-rate', () => generate({ rate: flat(100, 60, 20), durationS: 120 }))
    const starts = sessionStarts(run)
    expect(starts.length).toBeGreaterThan(3000)
    expect(starts.filter((op) => op.atMs < 20_000 || op.atMs >= 60_000)).toEqual([])
  })

  it('is empty with a zero rate and no farms', () => {
    const run = generate({ rate: flat(0, 120), durationS: 120 })
    expect(run.ops).toEqual([])
  })

  it('operations carry valid users, videos, devices and kinds', () => {
    const { ops, population } = withFarms()
    for (const op of ops) {
      if (op.user < 0 || op.user >= population.userCount) throw new Error(`bad user ${JSON.stringify(op)}`)
      if (op.video < 0 || op.video >= population.videoCount) throw new Error(`bad video ${JSON.stringify(op)}`)
      if (op.device !== 0 && op.device !== 1) throw new Error(`bad device ${JSON.stringify(op)}`)
      if (![OpKind.ReadVideo, OpKind.View, OpKind.Like, OpKind.Unlike, OpKind.ReadLiked].includes(op.kind)) throw new Error(`bad kind ${JSON.stringify(op)}`)
    }
    expect(ops.length).toBeGreaterThan(0)
  })
})

describe('TrafficGenerator: rates', () => {
  it('total sessions match the integral of a constant rate profile', () => {
    const starts = sessionStarts(baseline())
    // 100/s for 120 s: 12,000 expected (Poisson sd ~110).
    expect(starts.length).toBeGreaterThan(12_000 * 0.96)
    expect(starts.length).toBeLessThan(12_000 * 1.04)
  })

  it('sessions follow a ramp profile bin by bin', () => {
    const rate = new RateProfile([
      { tS: 0, ratePerS: 20 },
      { tS: 60, ratePerS: 200 },
      { tS: 90, ratePerS: 200 },
    ])
    const run = cached('ramp', () => generate({ rate, durationS: 90 }))
    const starts = sessionStarts(run)
    expect(starts.length / rate.totalArrivals()).toBeGreaterThan(0.96)
    expect(starts.length / rate.totalArrivals()).toBeLessThan(1.04)
    for (let bin = 0; bin < 90; bin += 15) {
      const expected = ((rate.rateAt(bin) + rate.rateBefore(bin + 15)) / 2) * 15
      const seen = starts.filter((op) => op.atMs >= bin * 1000 && op.atMs < (bin + 15) * 1000).length
      expect(Math.abs(seen - expected) / expected, `bin ${bin}: ${seen} vs ${expected}`).toBeLessThan(0.12)
    }
  })

  it('the diurnal curve modulates each region but averages out over whole days', () => {
    const run = cached('diurnal', () => generate({ world: { ...WORLD, diurnalAmplitude: 0.6, dayLengthS: 60 }, rate: flat(100, 120), durationS: 120 }))
    const starts = sessionStarts(run)
    expect(starts.length).toBeGreaterThan(12_000 * 0.95)
    expect(starts.length).toBeLessThan(12_000 * 1.05)
    // eu-west (UTC+0): peak at a quarter day (15 s, 75 s), trough at three quarters (45 s, 105 s).
    const euWest = run.population.regionIds.indexOf('eu-west')
    const near = (centreS: number): number =>
      starts.filter((op) => run.population.userRegion[op.user] === euWest && Math.abs(op.atMs / 1000 - centreS) < 5).length
    const peak = near(15) + near(75)
    const trough = near(45) + near(105)
    expect(peak / trough).toBeGreaterThan(2.5)
  })

  it('likes follow views at about likeAfterViewP, second-device likes at about secondDeviceP', () => {
    const run = baseline()
    const genuine = run.ops.filter((op) => isGenuine(run, op.user))
    const views = genuine.filter((op) => op.kind === OpKind.View).length
    const likes = genuine.filter((op) => op.kind === OpKind.Like && op.device === 0).length
    const second = genuine.filter((op) => op.kind === OpKind.Like && op.device === 1).length
    expect(views).toBeGreaterThan(11_000)
    expect(likes / views).toBeGreaterThan(0.05 * 0.85)
    expect(likes / views).toBeLessThan(0.05 * 1.15)
    expect(second / likes).toBeLessThan(0.08)
    expect(second).toBeGreaterThan(0)
  })

  it('a higher likeAfterViewP gives proportionally more likes; unlikes follow at about unlikeP', () => {
    const run = cached('likey', () => generate({ world: { ...WORLD, behaviour: { likeAfterViewP: 0.4, unlikeP: 0.25, secondDeviceP: 0 } }, rate: flat(50, 120) }))
    const views = run.ops.filter((op) => op.kind === OpKind.View).length
    const likes = run.ops.filter((op) => op.kind === OpKind.Like).length
    expect(likes / views).toBeGreaterThan(0.37)
    expect(likes / views).toBeLessThan(0.43)
    expect(run.ops.some((op) => op.device === 1)).toBe(false)
    // Likes in the first half: their unlike (3-60 s later) always falls inside the run.
    const early = new Set(run.ops.filter((op) => op.kind === OpKind.Like && op.atMs < 60_000).map((op) => op.session))
    const undone = new Set(run.ops.filter((op) => op.kind === OpKind.Unlike && early.has(op.session)).map((op) => op.session))
    expect(early.size).toBeGreaterThan(1000)
    expect(undone.size / early.size).toBeGreaterThan(0.21)
    expect(undone.size / early.size).toBeLessThan(0.29)
  })

  it('an overload multiplies its region\'s arrivals by ~factor inside its window only', () => {
    const faults: FaultSpec[] = [{ kind: 'overload', region: 'us-east', factor: 4, startS: 40, endS: 80 }]
    const run = cached('overload', () => generate({ faults }))
    const starts = sessionStarts(run)
    const perSecond = (region: string, inWindow: boolean): number => {
      const r = run.population.regionIds.indexOf(region)
      const n = starts.filter((op) => run.population.userRegion[op.user] === r && (op.atMs >= 40_000 && op.atMs < 80_000) === inWindow).length
      return n / (inWindow ? 40 : 80)
    }
    const usEast = perSecond('us-east', true) / perSecond('us-east', false)
    expect(usEast).toBeGreaterThan(3.5)
    expect(usEast).toBeLessThan(4.5)
    // Outside the window us-east runs at its normal share (35/s).
    expect(perSecond('us-east', false)).toBeGreaterThan(35 * 0.9)
    expect(perSecond('us-east', false)).toBeLessThan(35 * 1.1)
    for (const other of ['us-west', 'eu-west', 'ap-southeast']) {
      const ratio = perSecond(other, true) / perSecond(other, false)
      expect(ratio, other).toBeGreaterThan(0.8)
      expect(ratio, other).toBeLessThan(1.2)
    }
  })

  it('a flash crowd multiplies traffic on its video by ~factor inside its window', () => {
    const world: WorldSpecInput = { ...WORLD, flashCrowds: [{ videoRank: 1, startS: 40, endS: 80, factor: 10 }] }
    const run = cached('crowd', () => generate({ world }))
    const video = run.population.rankToVideo[0] as number
    const starts = sessionStarts(run).filter((op) => op.video === video)
    const inside = starts.filter((op) => op.atMs >= 40_000 && op.atMs < 80_000).length / 40
    const outside = starts.filter((op) => op.atMs < 40_000 || op.atMs >= 80_000).length / 80
    expect(inside / outside).toBeGreaterThan(8)
    expect(inside / outside).toBeLessThan(12)
    // Other videos are not affected.
    const others = sessionStarts(run).filter((op) => op.video !== video)
    const otherInside = others.filter((op) => op.atMs >= 40_000 && op.atMs < 80_000).length / 40
    const otherOutside = others.filter((op) => op.atMs < 40_000 || op.atMs >= 80_000).length / 80
    expect(otherInside / otherOutside).toBeGreaterThan(0.9)
    expect(otherInside / otherOutside).toBeLessThan(1.1)
  })
})

describe('TrafficGenerator: sessions', () => {
  it('genuine sessions start with a read of the counts, then a view of the same video by the same user', () => {
    const run = baseline()
    const bySession = new Map<number, Operation[]>()
    for (const op of run.ops) {
      const list = bySession.get(op.session)
      if (list === undefined) bySession.set(op.session, [op])
      else list.push(op)
    }
    const bad: Operation[][] = []
    for (const ops of bySession.values()) {
      const [first, second] = ops as [Operation, Operation | undefined]
      const ok =
        first.kind === OpKind.ReadVideo &&
        (second === undefined || (second.kind === OpKind.View && second.atMs > first.atMs)) &&
        ops.every((op) => op.user === first.user && op.video === first.video)
      if (!ok) bad.push(ops)
    }
    expect(bySession.size).toBeGreaterThan(10_000)
    expect(bad.slice(0, 3)).toEqual([])
  })

  it('every like by a genuine user comes after their view of that video in the same session', () => {
    const run = withFarms()
    const viewed = new Set<string>()
    const orphans: Operation[] = []
    let likes = 0
    for (const op of run.ops) {
      if (!isGenuine(run, op.user)) continue
      const key = `${op.session}/${op.user}/${op.video}`
      if (op.kind === OpKind.View) viewed.add(key)
      else if (op.kind === OpKind.Like || op.kind === OpKind.Unlike) {
        likes++
        if (!viewed.has(key)) orphans.push(op)
      }
    }
    expect(likes).toBeGreaterThan(300)
    expect(orphans).toEqual([])
  })

  it('an unlike comes after a like of the same pair in the same session', () => {
    const run = baseline()
    const liked = new Map<string, number>()
    let unlikes = 0
    for (const op of run.ops) {
      const key = `${op.session}/${op.user}/${op.video}`
      if (op.kind === OpKind.Like && !liked.has(key)) liked.set(key, op.atMs)
      if (op.kind === OpKind.Unlike) {
        unlikes++
        const at = liked.get(key)
        expect(at).toBeDefined()
        expect(op.atMs - (at as number)).toBeGreaterThanOrEqual(3000)
      }
    }
    expect(unlikes).toBeGreaterThan(10)
  })

  it('views carry a positive watch time capped at watchMaxMs; other genuine ops carry none', () => {
    const run = baseline()
    const views = run.ops.filter((op) => op.kind === OpKind.View)
    expect(views.every((op) => op.watchMs > 0 && op.watchMs <= run.spec.behaviour.watchMaxMs)).toBe(true)
    expect(run.ops.filter((op) => op.kind !== OpKind.View && op.watchMs !== 0)).toEqual([])
  })

  it('genuine sessions pick popular videos more often (Zipf)', () => {
    const run = baseline()
    const starts = sessionStarts(run)
    const top = run.population.rankToVideo[0] as number
    const hundredth = run.population.rankToVideo[99] as number
    const count = (video: number): number => starts.filter((op) => op.video === video).length
    expect(count(top)).toBeGreaterThan(20 * Math.max(1, count(hundredth)))
  })

  it('only genuine users start sessions', () => {
    const run = cached('with-inactive', () => generate({ world: { ...FARMS, inactiveAccounts: 100 } }))
    const kinds = new Set(sessionStarts(run).map((op) => run.population.truth.kind[op.user]))
    expect(kinds).toEqual(new Set([UserKind.Genuine]))
    const inactive = run.ops.filter((op) => run.population.truth.kind[op.user] === UserKind.Inactive)
    expect(inactive).toEqual([])
  })
})

describe('TrafficGenerator: bot farms', () => {
  it('careless farm likes fall inside the burst window and target only the farm\'s videos', () => {
    const run = withFarms()
    const farm = run.population.farms[0]
    if (farm === undefined) throw new Error('no careless farm')
    const targets = new Set(farm.targets)
    const ops = run.ops.filter((op) => run.population.truth.kind[op.user] === UserKind.CarelessBot)
    // 40 accounts x 10 targets x likeShare 0.5 = 200 expected.
    expect(ops.length).toBeGreaterThan(150)
    expect(ops.length).toBeLessThan(250)
    expect(ops.filter((op) => op.kind !== OpKind.Like)).toEqual([])
    expect(ops.filter((op) => op.atMs < 30_000 || op.atMs > 50_000)).toEqual([])
    expect(ops.filter((op) => !targets.has(op.video))).toEqual([])
    // Each account likes each target at most once.
    const pairs = ops.map((op) => `${op.user}/${op.video}`)
    expect(new Set(pairs).size).toBe(pairs.length)
  })

  it('careless farms work through their targets in order (lockstep slots)', () => {
    const run = withFarms()
    const farm = run.population.farms[0]
    if (farm === undefined) throw new Error('no careless farm')
    const ops = run.ops.filter((op) => run.population.truth.kind[op.user] === UserKind.CarelessBot)
    const meanAt = Array.from(farm.targets, (video) => {
      const times = ops.filter((op) => op.video === video).map((op) => op.atMs)
      return times.reduce((a, b) => a + b, 0) / times.length
    })
    for (let j = 1; j < meanAt.length; j++) expect(meanAt[j] as number).toBeGreaterThan(meanAt[j - 1] as number)
  })

  it('stealthy farm likes spread over the run, hit the farm targets, and any view precedes its like', () => {
    const run = withFarms()
    const farm = run.population.farms[1]
    if (farm === undefined) throw new Error('no stealthy farm')
    const ops = run.ops.filter((op) => run.population.truth.kind[op.user] === UserKind.StealthyBot)
    const likes = ops.filter((op) => op.kind === OpKind.Like)
    expect(likes.length).toBeGreaterThan(100)
    expect(likes.some((op) => op.atMs < 40_000)).toBe(true)
    expect(likes.some((op) => op.atMs > 80_000)).toBe(true)
    const targets = new Set(farm.targets)
    expect(likes.filter((op) => targets.has(op.video)).length).toBeGreaterThan(50)
    // Cover likes on non-targets too.
    expect(likes.filter((op) => !targets.has(op.video)).length).toBeGreaterThan(20)
    const likedAt = new Map(likes.map((op) => [`${op.user}/${op.video}`, op.atMs]))
    const views = ops.filter((op) => op.kind === OpKind.View)
    expect(views.length).toBeGreaterThan(20)
    for (const view of views) {
      const at = likedAt.get(`${view.user}/${view.video}`)
      expect(at).toBeDefined()
      expect(view.atMs).toBeLessThanOrEqual(at as number)
      expect(view.watchMs).toBeGreaterThanOrEqual(1000)
    }
  })
})

describe('TrafficGenerator: determinism', () => {
  it('the same seed gives the identical stream', () => {
    const a = withFarms()
    const b = generate({ world: FARMS })
    expect(b.ops.length).toBe(a.ops.length)
    expect(b.ops).toEqual(a.ops)
  })

  it('nextInto fills one record with the same stream as next: keys by id, the user\'s home region', () => {
    const world: WorldSpecInput = { ...FARMS, behaviour: { duplicateP: 0.2, flapSessionP: 0.3, likeAfterViewP: 0.3 } }
    const a = generate({ world })
    const spec = resolveWorldSpec(world)
    const rng = new Rng(5)
    const population = buildPopulation(spec, rng)
    const gen = new TrafficGenerator({ spec, population, faults: [], rate: flat(100, 120), durationS: 120, rng })
    const record = newOperationRecord()
    let i = 0
    let duplicates = 0
    let mismatches = 0
    while (gen.nextInto(record)) {
      const op = a.ops[i++] as Operation
      const same =
        record.id === op.id && record.atMs === op.atMs && record.kind === op.kind && record.user === op.user && record.video === op.video &&
        record.device === op.device && record.watchMs === op.watchMs && record.session === op.session && record.route === op.route &&
        record.keyId === keyOperation(op).id && record.home === population.userRegion[op.user]
      if (!same) mismatches++
      if (record.keyId !== record.id) duplicates++
    }
    expect(i).toBe(a.ops.length)
    expect(mismatches).toBe(0)
    expect(duplicates).toBeGreaterThan(100)
    expect(gen.emitted).toBe(i)
  })

  it('a different seed gives a different stream', () => {
    const a = withFarms()
    const b = generate({ world: FARMS, seed: 6 })
    expect(b.ops.slice(0, 200)).not.toEqual(a.ops.slice(0, 200))
  })
})
