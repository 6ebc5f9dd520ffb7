// The world's traffic piped from a second thread: the very stream the in-process generator
// gives, field for field; a thread that fails is an error on the reading side, never a hang.
import { describe, expect, it } from 'vitest'
import { newOperationRecord, type OperationRecord, type OperationSource } from '../../../../sim/operation.ts'
import { BATCH_OPS } from '../../../../scenarios/run/traffic-pipe/operation-ring.ts'
import { buildPopulation, type Population } from '../../../../sim/population.ts'
import { RateProfile } from '../../../../sim/rate-profile.ts'
import { Rng } from '../../../../sim/rng.ts'
import { TrafficGenerator, type TrafficOptions } from '../../../../sim/traffic.ts'
import { PipedTraffic } from '../../../../scenarios/run/traffic-pipe/traffic-pipe.ts'
import { resolveWorldSpec, type WorldSpecInput } from '../../../../sim/world-spec.ts'
import type { FaultSpec } from '../../../../sim/faults.ts'

const WORLD: WorldSpecInput = {
  genuineUsers: 3000,
  creators: 60,
  videos: 300,
  flashCrowds: [{ videoRank: 3, startS: 20, endS: 40, factor: 4 }],
  farms: [{ kind: 'careless', accounts: 40, targetVideos: 12, startS: 10, burstS: 30 }],
}
const FAULTS: FaultSpec[] = [{ kind: 'overload', region: 'us-east', startS: 30, endS: 50, factor: 3 }]

function options(seed: number, tweak?: (population: Population) => Population): TrafficOptions {
  const spec = resolveWorldSpec(WORLD)
  const rng = new Rng(seed)
  const built = buildPopulation(spec, rng)
  const population = tweak === undefined ? built : tweak(built)
  const rate = new RateProfile([
    { tS: 0, ratePerS: 150 },
    { tS: 90, ratePerS: 300 },
  ])
  return { spec, population, faults: FAULTS, rate, durationS: 90, rng }
}

function drain(source: OperationSource): OperationRecord[] {
  const ops: OperationRecord[] = []
  const record = newOperationRecord()
  for (;;) {
    const peekMs = source.peekTimeMs()
    if (!source.nextInto(record)) {
      expect(peekMs).toBe(Infinity)
      break
    }
    expect(record.atMs).toBe(peekMs)
    ops.push({ ...record })
  }
  return ops
}

describe('piped traffic', () => {
  it('yields the in-process generator’s stream, field for field, across many batches', async () => {
    const local = drain(new TrafficGenerator(options(9)))
    const piped = new PipedTraffic(options(9))
    const remote = drain(piped)
    expect(local.length).toBeGreaterThan(3 * BATCH_OPS)
    expect(remote).toEqual(local)
    expect(piped.nextInto(newOperationRecord())).toBe(false)
    expect(await piped.exited).toBeTypeOf('number')
  })

  it('carries the traffic streams’ positions: draws made before it are not repeated', () => {
    const drawnFirst = (): TrafficOptions => {
      const opts = options(4)
      for (let i = 0; i < 17; i++) opts.rng.stream('sessions').next()
      opts.rng.stream('arrivals').next()
      return opts
    }
    const local = drain(new TrafficGenerator(drawnFirst()))
    expect(drain(new PipedTraffic(drawnFirst()))).toEqual(local)
    expect(local).not.toEqual(drain(new TrafficGenerator(options(4))))
  })

  it('turns a failure on the thread into an error on the reading side', async () => {
    // The popularity ranks no longer match the popularity table: the generator throws as it is built.
    const broken = options(3, (population) => ({ ...population, rankToVideo: Int32Array.from([...population.rankToVideo, 0]) }))
    expect(() => new TrafficGenerator(broken)).toThrow(/alias table/)
    const piped = new PipedTraffic(broken)
    expect(() => piped.peekTimeMs()).toThrow(/traffic thread failed: .*alias table/s)
    expect(await piped.exited).toBeTypeOf('number')
  })

  it('stops the thread when closed early, and yields nothing more', async () => {
    const piped = new PipedTraffic(options(5))
    const record = newOperationRecord()
    expect(piped.nextInto(record)).toBe(true)
    piped.close()
    piped.close()
    expect(await piped.exited).toBeTypeOf('number')
    expect(piped.nextInto(record)).toBe(false)
    expect(piped.peekTimeMs()).toBe(Infinity)
  })
})
