// The thread side of a piped traffic stream (see traffic-pipe.ts): rebuild the generator from
// plain data, then fill the ring batch by batch, waiting whenever the driving thread is a whole
// ring behind.
import { AliasTable } from '../../../sim/alias-table.ts'
import type { FaultSpec } from '../../../sim/faults.ts'
import { newOperationRecord } from '../../../sim/operation.ts'
import { BATCH_OPS, OperationRing, RING_BATCHES, RING_DONE, type RingBuffers } from './operation-ring.ts'
import type { FanGroupInstance, FarmInstance } from '../../../sim/population.ts'
import { RateProfile, type RateKnot } from '../../../sim/rate-profile.ts'
import { Rng, type RngSnapshot } from '../../../sim/rng.ts'
import { TrafficGenerator, type TrafficPopulation } from '../../../sim/traffic.ts'
import type { WorldSpec } from '../../../sim/world-spec.ts'

/** Everything the generator is built from, as data a structured clone carries. */
export interface TrafficWorkerInput {
  readonly spec: WorldSpec
  readonly population: {
    readonly farms: readonly FarmInstance[]
    readonly fanGroups: readonly FanGroupInstance[]
    /** Shared memory: the worker draws from the population's own tables. */
    readonly regionUserPickers: readonly (Float64Array | null)[]
    readonly popularity: Float64Array
    readonly rankToVideo: Int32Array
    readonly userRegion: Uint8Array
  }
  readonly faults: readonly FaultSpec[]
  readonly rateKnots: readonly RateKnot[]
  readonly durationS: number
  readonly rng: RngSnapshot
  readonly ring: RingBuffers
}

/** How long the producer sleeps at most before looking at the ring again. */
const WAIT_SLICE_MS = 1000

export function runTrafficWorker(input: TrafficWorkerInput): void {
  const { population } = input
  const traffic: TrafficPopulation = {
    farms: population.farms,
    fanGroups: population.fanGroups,
    regionUserPickers: population.regionUserPickers.map((columns) => (columns === null ? null : AliasTable.sharing(columns))),
    popularity: AliasTable.sharing(population.popularity),
    rankToVideo: population.rankToVideo,
    userRegion: population.userRegion,
  }
  const generator = new TrafficGenerator({
    spec: input.spec,
    population: traffic,
    faults: input.faults,
    rate: new RateProfile(input.rateKnots),
    durationS: input.durationS,
    rng: Rng.restore(input.rng),
  })
  const ring = new OperationRing(input.ring)
  const record = newOperationRecord()
  for (let batch = 0; ; batch++) {
    waitForRoom(ring, batch)
    let count = 0
    while (count < BATCH_OPS && generator.nextInto(record)) ring.write(OperationRing.at(batch, count++), record)
    if (count > 0) ring.publish(batch, count)
    if (count < BATCH_OPS) break
  }
  ring.finish(RING_DONE)
}

/** Sleep while the ring is full: batch `batch` may only be written once the one a ring earlier was read. */
function waitForRoom(ring: OperationRing, batch: number): void {
  for (;;) {
    const seen = ring.signal
    if (batch - ring.released < RING_BATCHES) return
    ring.sleep(seen, WAIT_SLICE_MS)
  }
}
