// The fault timeline: validation, overload factors, disturbance end and descriptions.
import { describe, expect, it } from 'vitest'
import { describeFault, FAULT_KINDS, lastDisturbanceEndMs, overloadFactorAt, validateFaults, type FaultSpec } from '../../sim/faults.ts'

const CTX = { durationS: 300, regionIds: ['us-east', 'us-west', 'eu-west'], videos: 100 }

describe('validateFaults', () => {
  it('accepts a valid timeline of every kind', () => {
    const faults: FaultSpec[] = [
      { kind: 'overload', region: 'us-east', factor: 3, startS: 30, endS: 90 },
      { kind: 'region-outage', region: 'us-west', startS: 100, endS: 150 },
      { kind: 'partition', a: 'us-east', b: 'eu-west', startS: 0, endS: 300 },
      { kind: 'slow-cache', region: 'eu-west', latencyMs: 200, startS: 10, endS: 20 },
      { kind: 'network-loss', region: 'us-east', share: 0.2, startS: 30, endS: 90 },
      { kind: 'network-loss', region: 'us-west', share: 1, startS: 0, endS: 300 },
      { kind: 'bot-purge', startS: 200, endS: 260 },
      { kind: 'inactive-purge', idleDays: 90, startS: 150, endS: 150 },
      { kind: 'takedown', videoRanks: [1, 100], startS: 50, endS: 60 },
    ]
    expect(validateFaults(faults, CTX)).toEqual([])
  })

  it('reports every problem in one pass, each with its index and field', () => {
    const faults = [
      { kind: 'overload', region: 'mars', factor: 1, startS: 30, endS: 20 },
      { kind: 'region-outage', region: 'venus', startS: -1, endS: 10 },
      { kind: 'partition', a: 'us-east', b: 'us-east', startS: 0, endS: 10 },
      { kind: 'partition', a: 'pluto', b: 'us-east', startS: 0, endS: 10 },
      { kind: 'slow-cache', region: 'eu-west', latencyMs: 0, startS: 0, endS: 301 },
      { kind: 'inactive-purge', idleDays: 0, startS: 10, endS: 20 },
      { kind: 'takedown', videoRanks: [0, 5, 101, 2.5], startS: 0, endS: 10 },
      { kind: 'takedown', videoRanks: [], startS: 0, endS: 10 },
      { kind: 'earthquake', startS: 0, endS: 10 },
      { kind: 'overload', region: 'us-east', factor: 101, startS: 0, endS: 10 },
      { kind: 'network-loss', region: 'moon', share: 0, startS: 20, endS: 10 },
      { kind: 'network-loss', region: 'us-east', share: 1.5, startS: 0, endS: 10 },
      { kind: 'network-loss', region: 'us-east', startS: 0, endS: 10 },
    ] as unknown as FaultSpec[]
    const problems = validateFaults(faults, CTX, 'f')
    const expected: Array<[string, RegExp]> = [
      ['f[0].region', /unknown region mars; known: us-east, us-west, eu-west/],
      ['f[0].factor', /must be in \(1, 100\], got 1/],
      ['f[0]:', /startS <= endS <= duration \(300s\), got 30s-20s/],
      ['f[1].region', /unknown region venus/],
      ['f[1]:', /got -1s-10s/],
      ['f[2]:', /two different regions/],
      ['f[3].a', /unknown region pluto/],
      ['f[4].latencyMs', /must be > 0/],
      ['f[4]:', /got 0s-301s/],
      ['f[5].idleDays', /must be > 0/],
      ['f[6].videoRanks', /rank 0 is not in 1..100/],
      ['f[6].videoRanks', /rank 101 is not in 1..100/],
      ['f[6].videoRanks', /rank 2.5 is not in 1..100/],
      ['f[7].videoRanks', /at least one video rank/],
      ['f[8].kind', /unknown fault kind earthquake; allowed: overload, region-outage/],
      ['f[9].factor', /got 101/],
      ['f[10].region', /unknown region moon/],
      ['f[10].share', /must be in \(0, 1\], got 0$/],
      ['f[10]:', /got 20s-10s/],
      ['f[11].share', /got 1.5$/],
      ['f[12].share', /got undefined$/],
    ]
    for (const [prefix, pattern] of expected) {
      expect(
        problems.some((p) => p.startsWith(prefix) && pattern.test(p)),
        `missing ${prefix} ${pattern} in\n${problems.join('\n')}`,
      ).toBe(true)
    }
    expect(problems).toHaveLength(expected.length)
    // A valid rank in a bad list is not reported.
    expect(problems.some((p) => p.includes('rank 5 '))).toBe(false)
  })

  it('accepts the boundaries: factor 100, window [0, duration], zero-length window', () => {
    expect(
      validateFaults(
        [
          { kind: 'overload', region: 'eu-west', factor: 100, startS: 0, endS: 300 },
          { kind: 'bot-purge', startS: 300, endS: 300 },
        ],
        CTX,
      ),
    ).toEqual([])
  })

  it('uses the default prefix', () => {
    expect(validateFaults([{ kind: 'region-outage', region: 'x', startS: 0, endS: 1 }], CTX)[0]).toMatch(/^faults\[0\]\.region/)
  })

  it('lists every fault kind', () => {
    expect([...FAULT_KINDS].sort()).toEqual(['bot-purge', 'ddos', 'inactive-purge', 'network-loss', 'overload', 'partition', 'region-outage', 'slow-cache', 'takedown'])
  })
})

describe('overloadFactorAt', () => {
  const faults: FaultSpec[] = [
    { kind: 'overload', region: 'us-east', factor: 3, startS: 10, endS: 30 },
    { kind: 'overload', region: 'us-east', factor: 2, startS: 20, endS: 40 },
    { kind: 'overload', region: 'eu-west', factor: 5, startS: 0, endS: 100 },
    { kind: 'region-outage', region: 'us-east', startS: 0, endS: 100 },
  ]

  it('is 1 with no overload active', () => {
    expect(overloadFactorAt(faults, 'us-east', 5_000)).toBe(1)
    expect(overloadFactorAt(faults, 'us-west', 25_000)).toBe(1)
    expect(overloadFactorAt([], 'us-east', 0)).toBe(1)
  })

  it('applies a single overload in its window [start, end)', () => {
    expect(overloadFactorAt(faults, 'us-east', 10_000)).toBe(3)
    expect(overloadFactorAt(faults, 'us-east', 19_999)).toBe(3)
    expect(overloadFactorAt(faults, 'us-east', 30_000)).toBe(2)
    expect(overloadFactorAt(faults, 'us-east', 39_999)).toBe(2)
    expect(overloadFactorAt(faults, 'us-east', 40_000)).toBe(1)
  })

  it('multiplies overlapping overloads of the same region', () => {
    expect(overloadFactorAt(faults, 'us-east', 20_000)).toBe(6)
    expect(overloadFactorAt(faults, 'us-east', 29_999)).toBe(6)
  })

  it('only affects the named region', () => {
    expect(overloadFactorAt(faults, 'eu-west', 25_000)).toBe(5)
    expect(overloadFactorAt(faults, 'eu-west', 100_000)).toBe(1)
  })
})

describe('lastDisturbanceEndMs', () => {
  it('is 0 with no faults', () => {
    expect(lastDisturbanceEndMs([])).toBe(0)
  })

  it('is the latest end of outages, partitions, slow caches and overloads, in ms', () => {
    expect(
      lastDisturbanceEndMs([
        { kind: 'overload', region: 'us-east', factor: 2, startS: 0, endS: 50 },
        { kind: 'region-outage', region: 'us-east', startS: 10, endS: 120 },
        { kind: 'partition', a: 'us-east', b: 'eu-west', startS: 0, endS: 80 },
        { kind: 'slow-cache', region: 'eu-west', latencyMs: 10, startS: 0, endS: 90 },
      ]),
    ).toBe(120_000)
  })

  it('counts a purge at its start (the job), not the end of its report window', () => {
    expect(lastDisturbanceEndMs([{ kind: 'bot-purge', startS: 100, endS: 250 }])).toBe(100_000)
    expect(lastDisturbanceEndMs([{ kind: 'inactive-purge', idleDays: 90, startS: 60, endS: 200 }])).toBe(60_000)
    expect(
      lastDisturbanceEndMs([
        { kind: 'bot-purge', startS: 100, endS: 250 },
        { kind: 'overload', region: 'us-east', factor: 2, startS: 0, endS: 90 },
      ]),
    ).toBe(100_000)
  })
})

describe('describeFault', () => {
  it.each<[FaultSpec, string]>([
    [{ kind: 'overload', region: 'us-east', factor: 3, startS: 30, endS: 90 }, 'overload us-east x3 [30s-90s]'],
    [{ kind: 'region-outage', region: 'us-west', startS: 0, endS: 10 }, 'region-outage us-west [0s-10s]'],
    [{ kind: 'partition', a: 'us-east', b: 'eu-west', startS: 5, endS: 15 }, 'partition us-east<->eu-west [5s-15s]'],
    [{ kind: 'slow-cache', region: 'eu-west', latencyMs: 250, startS: 1, endS: 2 }, 'slow-cache eu-west +250ms [1s-2s]'],
    [{ kind: 'network-loss', region: 'us-east', share: 0.2, startS: 30, endS: 90 }, 'network-loss us-east 20% lost [30s-90s]'],
    [{ kind: 'network-loss', region: 'us-east', share: 0.125, startS: 30, endS: 90 }, 'network-loss us-east 12.5% lost [30s-90s]'],
    [{ kind: 'bot-purge', startS: 100, endS: 160 }, 'bot-purge [100s-160s]'],
    [{ kind: 'inactive-purge', idleDays: 90, startS: 100, endS: 160 }, 'inactive-purge idle>90d [100s-160s]'],
    [{ kind: 'takedown', videoRanks: [1, 2, 3], startS: 20, endS: 40 }, 'takedown 3 video(s) [20s-40s]'],
  ])('describes %j', (fault, text) => {
    expect(describeFault(fault)).toBe(text)
  })
})
