// Naive replication: a region queues its writes in memory and ships the queue to every other
// region once per tick, fire and forget. A batch that arrives while its destination is down or
// cut off is lost for good, and a region that crashes loses the queue it had not shipped yet:
// the 2020-07-23 incident's replication.
import type { ReplicationCounters, Replicator, ReplicatorSetup } from './replicator.ts'

/** Numbers per queued write: kind, video, user, stamp, flag (1/0). */
const WORDS = 5

export type VolatileMessage = { readonly type: 'batch'; readonly atMs: number; readonly writes: readonly number[] }

export class VolatileReplication implements Replicator<VolatileMessage> {
  private readonly setup: ReplicatorSetup<VolatileMessage>
  private readonly regions: number
  private queues: number[][]
  /** At region * regions + origin: the send time of the last batch applied. */
  private readonly shippedAtMs: Float64Array
  private startMs = Number.NaN
  readonly counters: ReplicationCounters = { applied: 0, dropped: 0, overflows: 0, overflowedEntries: 0, resyncs: 0, resyncedPairs: 0, retained: 0 }

  constructor(setup: ReplicatorSetup<VolatileMessage>) {
    this.setup = setup
    this.regions = setup.replicas.length
    this.queues = setup.replicas.map(() => [])
    this.shippedAtMs = new Float64Array(this.regions * this.regions).fill(-Infinity)
  }

  append(origin: number, kind: number, video: number, user: number, stamp: number, flag: boolean, nowMs: number): void {
    if (Number.isNaN(this.startMs)) this.startMs = nowMs
    if (this.regions === 1) return
    const queue = this.queues[origin] as number[]
    queue.push(kind, video, user, stamp, flag ? 1 : 0)
    this.counters.retained++
  }

  onMessage(to: number, from: number, message: VolatileMessage): boolean {
    if (message.type !== 'batch') return false
    const replica = this.setup.replicas[to]
    if (replica === undefined) return true
    const writes = message.writes
    for (let at = 0; at < writes.length; at += WORDS) {
      replica.applyEntry(writes[at] as number, writes[at + 1] as number, writes[at + 2] as number, writes[at + 3] as number, writes[at + 4] === 1, from)
    }
    this.counters.applied += writes.length / WORDS
    this.shippedAtMs[to * this.regions + from] = message.atMs
    return true
  }

  onTick(region: number, nowMs: number): void {
    if (Number.isNaN(this.startMs)) this.startMs = nowMs
    const writes = this.queues[region] as number[]
    this.counters.retained -= writes.length / WORDS
    this.queues[region] = []
    const batch: VolatileMessage = { type: 'batch', atMs: nowMs, writes }
    for (let peer = 0; peer < this.regions; peer++) if (peer !== region) this.setup.env.send(region, peer, batch)
  }

  onOutage(region: number): void {
    const lost = (this.queues[region] as number[]).length / WORDS
    this.counters.dropped += lost * (this.regions - 1)
    this.counters.retained -= lost
    this.queues[region] = []
  }

  watermarkMs(region: number, nowMs: number): number {
    let watermark = nowMs
    const start = Number.isNaN(this.startMs) ? nowMs : this.startMs
    for (let origin = 0; origin < this.regions; origin++) {
      if (origin === region) continue
      const mark = Math.max(this.shippedAtMs[region * this.regions + origin] as number, start)
      if (mark < watermark) watermark = mark
    }
    return watermark
  }

  pendingFor(region: number): number {
    let pending = 0
    for (let origin = 0; origin < this.regions; origin++) if (origin !== region) pending += (this.queues[origin] as number[]).length / WORDS
    return pending
  }

  resyncPending(): boolean {
    return false
  }
}
