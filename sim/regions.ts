// The world's regions: where users live, which time zone drives their diurnal curve, and the
// order in which a client tries other regions when its own refuses connections.

export interface RegionSpec {
  readonly id: string
  /** Share of the genuine user base living here (shares are normalised). */
  readonly userShare: number
  /** UTC offset in hours: shifts the diurnal peak. */
  readonly utcOffsetH: number
  /** Regions a client fails over to, nearest first. */
  readonly failoverOrder: readonly string[]
}

export const DEFAULT_REGIONS: readonly RegionSpec[] = [
  { id: 'us-east', userShare: 0.35, utcOffsetH: -5, failoverOrder: ['us-west', 'eu-west', 'ap-southeast'] },
  { id: 'us-west', userShare: 0.2, utcOffsetH: -8, failoverOrder: ['us-east', 'ap-southeast', 'eu-west'] },
  { id: 'eu-west', userShare: 0.25, utcOffsetH: 0, failoverOrder: ['us-east', 'us-west', 'ap-southeast'] },
  { id: 'ap-southeast', userShare: 0.2, utcOffsetH: 8, failoverOrder: ['us-west', 'eu-west', 'us-east'] },
]

/** One-way replication lag between two regions, ms: half a plausible RTT plus batching. */
export function defaultReplicationLagMs(from: string, to: string): number {
  if (from === to) return 0
  const pair = [from, to].sort().join('|')
  const table: Record<string, number> = {
    'us-east|us-west': 60,
    'eu-west|us-east': 80,
    'ap-southeast|us-west': 110,
    'eu-west|us-west': 120,
    'ap-southeast|us-east': 140,
    'ap-southeast|eu-west': 150,
  }
  return table[pair] ?? 150
}
