// The last-writer-wins stamps a counting system gives its writes: one origin per region, then one
// for purges, each origin's stamps strictly increasing so that two writes never tie.
import { lwwStamp } from '../../core/region-replica.ts'

export class LwwStamps {
  /** The origin of purges (and seeded likes): after the regions'. */
  readonly purgeOrigin: number
  /** Last LWW stamp per origin (regions, then purges): strictly increasing per origin. */
  private readonly lastStamp: Float64Array

  constructor({ regions }: { regions: number }) {
    this.purgeOrigin = regions
    this.lastStamp = new Float64Array(regions + 1).fill(-Infinity)
  }

  next(nowMs: number, origin: number): number {
    let stamp = lwwStamp(nowMs, origin)
    const last = this.lastStamp[origin] as number
    // The next free stamp of this origin: one microsecond slot later, same origin bits.
    if (stamp <= last) stamp = last + 16
    this.lastStamp[origin] = stamp
    return stamp
  }
}
