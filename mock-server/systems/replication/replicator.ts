// What a counting system asks of its replication protocol: each region's own writes go out to the
// other regions through the environment's network, and what arrives is applied to the local
// replica. Two protocols implement it: acked.ts (robust: retransmits until acknowledged) and
// volatile.ts (naive: fire and forget from an in-memory queue).
import type { RegionReplica } from '../../core/region-replica.ts'
import type { SystemEnv, SystemMessage } from '../system.ts'

export interface ReplicationCounters {
  /** Entries applied at a destination. */
  applied: number
  /** Entries a protocol knows it lost (a crashed region's unsent queue). */
  dropped: number
  /** Links whose unacknowledged backlog passed its bound (the destination resyncs instead). */
  overflows: number
  overflowedEntries: number
  /** Full copies of a region's data into another after an overflow. */
  resyncs: number
  resyncedPairs: number
  /** Entries the senders keep now (a gauge). */
  retained: number
}

export interface Replicator<M extends SystemMessage> {
  /** A write served at `origin`, already applied there. */
  append(origin: number, kind: number, video: number, user: number, stamp: number, flag: boolean, nowMs: number): void
  /** Whether this protocol's message is handled here (false: not a replication message). */
  onMessage(to: number, from: number, message: M): boolean
  onTick(region: number, nowMs: number): void
  onOutage(region: number): void
  /** Time up to which every other region's writes are applied at `region` (exclusive bound). */
  watermarkMs(region: number, nowMs: number): number
  /** Writes made elsewhere not yet applied at `region`. */
  pendingFor(region: number): number
  resyncPending(region: number): boolean
  readonly counters: ReplicationCounters
}

export interface ReplicatorSetup<M extends SystemMessage> {
  readonly env: SystemEnv<M>
  readonly replicas: readonly RegionReplica[]
  readonly backlogMaxEntries: number
}
