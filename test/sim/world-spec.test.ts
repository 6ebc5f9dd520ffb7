// World specs: defaults, scaling and validation that names every mistake at once.
import { describe, expect, it } from 'vitest'
import { DEFAULT_REGIONS, defaultReplicationLagMs } from '../../sim/regions.ts'
import { DEFAULT_BEHAVIOUR, DEFAULT_FARM, DEFAULT_WORLD, resolveWorldSpec, scaleWorldSpec, validateWorldSpec, type WorldSpec } from '../../sim/world-spec.ts'

describe('resolveWorldSpec', () => {
  it('with no input is the default world with no farms or crowds', () => {
    const spec = resolveWorldSpec()
    expect(spec).toEqual(DEFAULT_WORLD)
    expect(spec.farms).toEqual([])
    expect(spec.flashCrowds).toEqual([])
    expect(spec.regions).toBe(DEFAULT_REGIONS)
    expect(validateWorldSpec(spec, 300)).toEqual([])
  })

  it('overrides top-level fields and keeps the rest', () => {
    const spec = resolveWorldSpec({ genuineUsers: 123, zipfS: 1.2 })
    expect(spec.genuineUsers).toBe(123)
    expect(spec.zipfS).toBe(1.2)
    expect(spec.creators).toBe(DEFAULT_WORLD.creators)
    expect(spec.dayLengthS).toBe(DEFAULT_WORLD.dayLengthS)
  })

  it('merges partial behaviour with the default behaviour', () => {
    const spec = resolveWorldSpec({ behaviour: { likeAfterViewP: 0.2 } })
    expect(spec.behaviour).toEqual({ ...DEFAULT_BEHAVIOUR, likeAfterViewP: 0.2 })
  })

  it('fills each farm from the farm defaults', () => {
    const spec = resolveWorldSpec({ farms: [{ kind: 'careless', accounts: 50 }, { kind: 'stealthy', accounts: 20, region: 'eu-west', coverLikes: 3 }] })
    expect(spec.farms[0]).toEqual({ ...DEFAULT_FARM, kind: 'careless', accounts: 50 })
    expect(spec.farms[1]).toEqual({ ...DEFAULT_FARM, kind: 'stealthy', accounts: 20, region: 'eu-west', coverLikes: 3 })
  })

  it('does not share or mutate the default objects', () => {
    const spec = resolveWorldSpec({ behaviour: { unlikeP: 0.9 } })
    expect(spec.behaviour).not.toBe(DEFAULT_BEHAVIOUR)
    expect(DEFAULT_BEHAVIOUR.unlikeP).toBe(0.1)
    expect(DEFAULT_WORLD.behaviour.unlikeP).toBe(0.1)
  })

  it('uses given regions and flash crowds', () => {
    const regions = [{ id: 'solo', userShare: 1, utcOffsetH: 0, failoverOrder: [] }]
    const crowd = { videoRank: 1, startS: 10, endS: 20, factor: 25 }
    const spec = resolveWorldSpec({ regions, flashCrowds: [crowd] })
    expect(spec.regions).toBe(regions)
    expect(spec.flashCrowds).toEqual([crowd])
  })
})

describe('scaleWorldSpec', () => {
  const base = resolveWorldSpec({ inactiveAccounts: 400, farms: [{ kind: 'careless', accounts: 500 }, { kind: 'stealthy', accounts: 70 }] })

  it('scales populations only', () => {
    const half = scaleWorldSpec(base, 0.5)
    expect(half.genuineUsers).toBe(10_000)
    expect(half.creators).toBe(400)
    expect(half.videos).toBe(1_000)
    expect(half.inactiveAccounts).toBe(200)
    expect(half.farms.map((f) => f.accounts)).toEqual([250, 35])
    // Shares, times and behaviour do not scale.
    expect(half.behaviour).toEqual(base.behaviour)
    expect(half.zipfS).toBe(base.zipfS)
    expect(half.newAccountShare).toBe(base.newAccountShare)
    expect(half.usersPerIpBlock).toBe(base.usersPerIpBlock)
    expect(half.dayLengthS).toBe(base.dayLengthS)
    expect(half.diurnalAmplitude).toBe(base.diurnalAmplitude)
    expect(half.inactiveLikesPerAccount).toBe(base.inactiveLikesPerAccount)
    expect(half.regions).toBe(base.regions)
    half.farms.forEach((farm, i) => {
      const orig = base.farms[i] as (typeof base.farms)[number]
      expect({ ...farm, accounts: orig.accounts }).toEqual(orig)
    })
  })

  it('scales up too', () => {
    const double = scaleWorldSpec(base, 2)
    expect(double.genuineUsers).toBe(40_000)
    expect(double.videos).toBe(4_000)
    expect(double.farms.map((f) => f.accounts)).toEqual([1000, 140])
  })

  it('keeps floors so a tiny world is still a world', () => {
    const tiny = scaleWorldSpec(base, 0.0001)
    expect(tiny.genuineUsers).toBe(50)
    expect(tiny.creators).toBe(5)
    expect(tiny.videos).toBe(20)
    expect(tiny.inactiveAccounts).toBe(1)
    expect(tiny.farms.map((f) => f.accounts)).toEqual([5, 5])
    expect(validateWorldSpec(tiny, 300)).toEqual([])
  })

  it('keeps zero inactive accounts at zero', () => {
    expect(scaleWorldSpec(resolveWorldSpec(), 3).inactiveAccounts).toBe(0)
  })

  it('does not mutate its input', () => {
    const before = JSON.stringify(base)
    scaleWorldSpec(base, 0.1)
    expect(JSON.stringify(base)).toBe(before)
  })
})

describe('validateWorldSpec', () => {
  it('accepts a sensible world with farms and a flash crowd', () => {
    const spec = resolveWorldSpec({
      farms: [{ kind: 'careless', accounts: 50, startS: 30, burstS: 30 }, { kind: 'stealthy', accounts: 20 }],
      flashCrowds: [{ videoRank: 3, startS: 10, endS: 60, factor: 25 }],
    })
    expect(validateWorldSpec(spec, 120)).toEqual([])
  })

  it('returns every problem at once, each naming its field', () => {
    const good = resolveWorldSpec({ videos: 100 })
    const spec: WorldSpec = {
      ...good,
      genuineUsers: 10.5,
      creators: 0,
      zipfS: 3,
      newAccountShare: 1.5,
      activityAlpha: 0,
      activityCapRatio: 0.5,
      usersPerIpBlock: -1,
      inactiveAccounts: -2,
      regions: [],
      farms: [
        { ...DEFAULT_FARM, kind: 'robotic' as 'careless', accounts: 0, targetVideos: 5, likeShare: 2, watchShare: -0.1, region: 'mars', burstS: 0, ipBlocks: 0 },
        { ...DEFAULT_FARM, kind: 'careless', accounts: 5, targetVideos: 60, startS: 100, burstS: 50 },
      ],
      flashCrowds: [{ videoRank: 0, startS: 50, endS: 40, factor: 0.5 }],
      behaviour: { ...good.behaviour, likeAfterViewP: -1, unlikeP: 2, secondDeviceP: Number.NaN, readBackP: 1.1, rereadP: -0.5, watchMedianMs: 0 },
      dayLengthS: 0,
      diurnalAmplitude: 1,
    }
    const problems = validateWorldSpec(spec, 120, 'w')
    const expected = [
      'w.genuineUsers',
      'w.creators',
      'w.zipfS',
      'w.newAccountShare',
      'w.activityAlpha',
      'w.activityCapRatio',
      'w.usersPerIpBlock',
      'w.inactiveAccounts',
      'w.regions',
      'w.farms[0].kind',
      'w.farms[0].accounts',
      'w.farms[0].targetVideos: must be >= 10',
      'w.farms[0].likeShare',
      'w.farms[0].watchShare',
      'w.farms[0].region: unknown region mars',
      'w.farms[0].burstS',
      'w.farms[0].ipBlocks',
      'w.farms[1].targetVideos: at most half',
      'w.farms[1]: the burst [100s, 150s] must lie inside the run',
      'w.flashCrowds[0].videoRank',
      'w.flashCrowds[0]: needs 0 <= startS < endS',
      'w.flashCrowds[0].factor',
      'w.behaviour.likeAfterViewP',
      'w.behaviour.unlikeP',
      'w.behaviour.secondDeviceP',
      'w.behaviour.readBackP',
      'w.behaviour.rereadP',
      'w.behaviour: needs 0 < watchMedianMs',
      'w.dayLengthS',
      'w.diurnalAmplitude',
    ]
    for (const field of expected) {
      expect(
        problems.some((p) => p.startsWith(field)),
        `missing ${field} in\n${problems.join('\n')}`,
      ).toBe(true)
    }
    // Every problem is prefixed and none is reported for a field that is fine.
    expect(problems.every((p) => p.startsWith('w.'))).toBe(true)
    expect(problems.some((p) => p.startsWith('w.videos'))).toBe(false)
  })

  it('rejects more creators than genuine users', () => {
    const problems = validateWorldSpec(resolveWorldSpec({ genuineUsers: 10, creators: 11 }), 60)
    expect(problems).toEqual(['world.creators: cannot exceed genuineUsers (10)'])
  })

  it('checks the careless burst against the run length but not for stealthy farms', () => {
    const careless = resolveWorldSpec({ farms: [{ kind: 'careless', accounts: 5, startS: 50, burstS: 20 }] })
    expect(validateWorldSpec(careless, 70)).toEqual([])
    expect(validateWorldSpec(careless, 69)).toHaveLength(1)
    const stealthy = resolveWorldSpec({ farms: [{ kind: 'stealthy', accounts: 5, startS: 50, burstS: 20 }] })
    expect(validateWorldSpec(stealthy, 10)).toEqual([])
  })

  it('accepts boundary values (shares 0 and 1, zipfS just inside, amplitude 0)', () => {
    const spec = resolveWorldSpec({ newAccountShare: 1, zipfS: 2.99, diurnalAmplitude: 0, behaviour: { likeAfterViewP: 1, unlikeP: 0 } })
    expect(validateWorldSpec(spec, 60)).toEqual([])
  })
})

describe('regions', () => {
  it('default user shares sum to 1 and ids are distinct', () => {
    expect(DEFAULT_REGIONS.reduce((sum, r) => sum + r.userShare, 0)).toBeCloseTo(1, 12)
    expect(new Set(DEFAULT_REGIONS.map((r) => r.id)).size).toBe(DEFAULT_REGIONS.length)
  })

  it('each region fails over to every other region exactly once, never to itself', () => {
    const ids = DEFAULT_REGIONS.map((r) => r.id)
    for (const region of DEFAULT_REGIONS) {
      expect([...region.failoverOrder].sort()).toEqual(ids.filter((id) => id !== region.id).sort())
    }
  })

  it('replication lag is 0 within a region, symmetric and positive between regions', () => {
    for (const a of DEFAULT_REGIONS) {
      expect(defaultReplicationLagMs(a.id, a.id)).toBe(0)
      for (const b of DEFAULT_REGIONS) {
        if (a.id === b.id) continue
        expect(defaultReplicationLagMs(a.id, b.id)).toBe(defaultReplicationLagMs(b.id, a.id))
        expect(defaultReplicationLagMs(a.id, b.id)).toBeGreaterThan(0)
      }
    }
    expect(defaultReplicationLagMs('us-east', 'us-west')).toBe(60)
    expect(defaultReplicationLagMs('eu-west', 'ap-southeast')).toBe(150)
    expect(defaultReplicationLagMs('us-east', 'nowhere')).toBe(150)
  })
})
