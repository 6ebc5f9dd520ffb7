// Mode sim's network between clients and regions: a client's round trip to its home region is
// short; to another region, twice the one-way replication lag between the two (sim/regions.ts).
import type { RegionSpec } from '../../sim/regions.ts'
import { defaultReplicationLagMs } from '../../sim/regions.ts'

/** Round trip from a client to its own region's front door. */
const HOME_ROUND_TRIP_MS = 20

export class SimRoundTrip {
  private readonly regionCount: number
  private readonly rttMs: Float64Array

  constructor(regions: readonly RegionSpec[]) {
    const n = regions.length
    this.regionCount = n
    this.rttMs = new Float64Array(n * n)
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        this.rttMs[a * n + b] = a === b ? HOME_ROUND_TRIP_MS : 2 * defaultReplicationLagMs((regions[a] as RegionSpec).id, (regions[b] as RegionSpec).id)
      }
    }
  }

  /** Round trip from a client at home in `home` to `region`, ms. */
  ms(home: number, region: number): number {
    return this.rttMs[home * this.regionCount + region] as number
  }
}
