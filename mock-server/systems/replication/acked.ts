// Robust replication: every region keeps its own writes in a durable log (origin-log.ts), numbered,
// and streams them to every other region in one batch per tick (the rows copied as they are in the
// log). A destination applies them in order and says how far it got in a status message every
// tick (which also tells the others how far its own log goes, for their watermarks). A sender that
// hears no progress for RETRANSMIT_MS goes back to its oldest unacknowledged write, sends one batch
// from there and waits for the peer to answer before streaming on (go-back-N), so a write lost to
// an outage or a partition is sent again until it is acknowledged: nothing acknowledged to a
// client is lost.
//
// Bounds: a log keeps what some peer has yet to acknowledge, at most `backlogMaxEntries` per peer.
// Past that the backlog for that peer is let go and, once the peer answers again, it is sent a
// snapshot of the origin's replica instead (anti-entropy), acknowledged like any write.
import { AT_FLAG, AT_KIND, AT_STAMP, AT_TS, AT_USER, AT_VIDEO, F64_PER_ENTRY, I32_PER_ENTRY, OriginLog } from '../../core/origin-log.ts'
import type { ReplicaSnapshot } from '../../core/region-replica.ts'
import { SYSTEM_TICK_MS, type SystemEnv } from '../system.ts'
import type { ReplicationCounters, Replicator, ReplicatorSetup } from './replicator.ts'

/** Without progress for this long, a sender probes the peer instead of streaming into the void. */
export const RETRANSMIT_MS = 1000
/** Unacknowledged writes a sender streams ahead of the peer's acknowledgement. */
const WINDOW_ENTRIES = 1 << 20
/** Writes in one batch (a busy region's tick fits in one). */
const BATCH_MAX_ENTRIES = 1 << 16

export type AckedMessage =
  /** Writes `first` to `first + count - 1`: rows of F64_PER_ENTRY doubles as in origin-log.ts; the sender's log ended at `end` when it sent them at `atMs`. */
  | { readonly type: 'entries'; readonly first: number; readonly rows: Float64Array; readonly end: number; readonly atMs: number }
  /**
   * Every tick: "I applied your writes below `next`; my own log ends at `end` as of `atMs`".
   * `resend`: writes you sent before your last status never arrived (the link is FIFO, so a
   * status that names an end beyond what arrived proves a loss): go back to `next`.
   */
  | { readonly type: 'status'; readonly next: number; readonly end: number; readonly atMs: number; readonly resend: boolean }
  | { readonly type: 'snapshot'; readonly end: number; readonly atMs: number; readonly data: ReplicaSnapshot }

export class AckedReplication implements Replicator<AckedMessage> {
  private readonly env: SystemEnv<AckedMessage>
  private readonly setup: ReplicatorSetup<AckedMessage>
  private readonly regions: number
  private readonly logs: OriginLog[]
  // Sender side, at origin * regions + peer.
  private readonly acked: Float64Array
  private readonly sent: Float64Array
  private readonly lastProgressMs: Float64Array
  private readonly probing: Uint8Array
  private readonly needsSnapshot: Uint8Array
  private readonly snapshotSentMs: Float64Array
  // Receiver side, at region * regions + origin.
  private readonly next: Float64Array
  private readonly appliedTsMs: Float64Array
  private readonly caughtUpMs: Float64Array
  private readonly pendingEnd: Float64Array
  private readonly pendingAtMs: Float64Array
  /** A loss was seen: ask the origin to go back (at region * regions + origin), and when it was last asked. */
  private readonly wantResend: Uint8Array
  private readonly askedMs: Float64Array
  /** The last batch sent, and by whom (the next peer in step shares it). */
  private lastBatch: Extract<AckedMessage, { type: 'entries' }> | undefined
  private lastBatchOrigin = -1
  /** When the system began serving: no region wrote anything before. */
  private startMs = Number.NaN
  private readonly stats: ReplicationCounters = { applied: 0, dropped: 0, overflows: 0, overflowedEntries: 0, resyncs: 0, resyncedPairs: 0, retained: 0 }

  constructor(setup: ReplicatorSetup<AckedMessage>) {
    this.setup = setup
    this.env = setup.env
    this.regions = setup.replicas.length
    const links = this.regions * this.regions
    this.logs = setup.replicas.map(() => new OriginLog())
    this.acked = new Float64Array(links)
    this.sent = new Float64Array(links)
    this.lastProgressMs = new Float64Array(links).fill(-Infinity)
    this.probing = new Uint8Array(links)
    this.needsSnapshot = new Uint8Array(links)
    this.snapshotSentMs = new Float64Array(links).fill(-Infinity)
    this.next = new Float64Array(links)
    this.appliedTsMs = new Float64Array(links).fill(-Infinity)
    this.caughtUpMs = new Float64Array(links).fill(-Infinity)
    this.pendingEnd = new Float64Array(links).fill(-1)
    this.pendingAtMs = new Float64Array(links)
    this.wantResend = new Uint8Array(links)
    this.askedMs = new Float64Array(links).fill(-Infinity)
  }

  get counters(): ReplicationCounters {
    let retained = 0
    for (const log of this.logs) retained += log.retained
    this.stats.retained = retained
    return this.stats
  }

  append(origin: number, kind: number, video: number, user: number, stamp: number, flag: boolean, nowMs: number): void {
    if (Number.isNaN(this.startMs)) this.startMs = nowMs
    // With no other region there is no one to send to: nothing is kept.
    if (this.regions > 1) (this.logs[origin] as OriginLog).append(kind, video, user, stamp, flag, nowMs)
  }

  onMessage(to: number, from: number, message: AckedMessage): boolean {
    if (message.type === 'entries') this.receiveEntries(to, from, message)
    else if (message.type === 'status') this.receiveStatus(to, from, message)
    else if (message.type === 'snapshot') this.receiveSnapshot(to, from, message)
    else return false
    return true
  }

  onTick(region: number, nowMs: number): void {
    if (Number.isNaN(this.startMs)) this.startMs = nowMs
    const log = this.logs[region] as OriginLog
    let minAcked = log.end
    for (let peer = 0; peer < this.regions; peer++) {
      if (peer === region) continue
      const link = region * this.regions + peer
      this.checkLink(link, region, peer, nowMs)
      if (this.probing[link] === 0 && this.needsSnapshot[link] === 0) this.pump(region, peer, link, nowMs)
      if ((this.acked[link] as number) < minAcked) minAcked = this.acked[link] as number
      const at = region * this.regions + peer
      const resend = this.wantResend[at] === 1
      this.wantResend[at] = 0
      this.env.send(region, peer, { type: 'status', next: this.next[at] as number, end: log.end, atMs: nowMs, resend })
    }
    log.compact(minAcked)
  }

  onOutage(): void {
    // The log and the receive cursors are durable: an outage loses nothing.
  }

  watermarkMs(region: number, nowMs: number): number {
    let watermark = nowMs
    const start = Number.isNaN(this.startMs) ? nowMs : this.startMs
    for (let origin = 0; origin < this.regions; origin++) {
      if (origin === region) continue
      const at = region * this.regions + origin
      const mark = Math.max(this.appliedTsMs[at] as number, this.caughtUpMs[at] as number, start)
      if (mark < watermark) watermark = mark
    }
    return watermark
  }

  pendingFor(region: number): number {
    let pending = 0
    for (let origin = 0; origin < this.regions; origin++) {
      // What an overflowed link let go comes by snapshot, not by replay: it is not pending.
      if (origin !== region && this.needsSnapshot[origin * this.regions + region] === 0) pending += Math.max(0, (this.logs[origin] as OriginLog).end - (this.next[region * this.regions + origin] as number))
    }
    return pending
  }

  resyncPending(region: number): boolean {
    for (let origin = 0; origin < this.regions; origin++) if (origin !== region && this.needsSnapshot[origin * this.regions + region] === 1) return true
    return false
  }

  /** A sender's timers for one peer: the backlog bound, and a probe when the peer stopped answering. */
  private checkLink(link: number, origin: number, peer: number, nowMs: number): void {
    const end = (this.logs[origin] as OriginLog).end
    const acked = this.acked[link] as number
    if (this.needsSnapshot[link] === 1) {
      // Until the snapshot goes out, what the peer misses is let go: the snapshot will hold it.
      if (this.snapshotSentMs[link] === -Infinity) {
        this.stats.overflowedEntries += end - acked
        this.acked[link] = end
        this.sent[link] = end
      }
      return
    }
    if (acked >= end) {
      this.lastProgressMs[link] = nowMs
      return
    }
    // Only for a peer that stopped answering: a busy link's writes in flight are no backlog.
    if (this.probing[link] === 1 && end - acked > this.setup.backlogMaxEntries) {
      this.stats.overflows++
      this.stats.overflowedEntries += end - acked
      this.acked[link] = end
      this.sent[link] = end
      this.needsSnapshot[link] = 1
      this.probing[link] = 1
      return
    }
    if (nowMs - (this.lastProgressMs[link] as number) < RETRANSMIT_MS) return
    this.lastProgressMs[link] = nowMs
    this.probing[link] = 1
    if (acked >= end) return
    // Go back to the first write the peer has not acknowledged; stream on once it answers.
    this.sent[link] = acked
    this.pump(origin, peer, link, nowMs)
  }

  private receiveEntries(region: number, origin: number, batch: Extract<AckedMessage, { type: 'entries' }>): void {
    const at = region * this.regions + origin
    const replica = this.setup.replicas[region]
    const next = this.next[at] as number
    const count = batch.rows.length / F64_PER_ENTRY
    // Past a gap (the sender goes back for what is missing), or nothing new.
    if (batch.first > next || batch.first + count <= next || replica === undefined) return
    const f64 = batch.rows
    const i32 = new Int32Array(f64.buffer, f64.byteOffset, f64.length * 2)
    for (let slot = next - batch.first; slot < count; slot++) {
      const word = slot * I32_PER_ENTRY
      replica.applyEntry(i32[word + AT_KIND] as number, i32[word + AT_VIDEO] as number, i32[word + AT_USER] as number, f64[slot * F64_PER_ENTRY + AT_STAMP] as number, i32[word + AT_FLAG] === 1, origin)
    }
    this.stats.applied += batch.first + count - next
    this.next[at] = batch.first + count
    this.appliedTsMs[at] = f64[(count - 1) * F64_PER_ENTRY + AT_TS] as number
    if (batch.first + count >= batch.end) this.caughtUpMs[at] = Math.max(this.caughtUpMs[at] as number, batch.atMs)
    if ((this.pendingEnd[at] as number) >= 0 && batch.first + count >= (this.pendingEnd[at] as number)) {
      this.caughtUpMs[at] = Math.max(this.caughtUpMs[at] as number, this.pendingAtMs[at] as number)
      this.pendingEnd[at] = -1
    }
  }

  private receiveStatus(region: number, peer: number, status: Extract<AckedMessage, { type: 'status' }>): void {
    // As a receiver of the peer's writes: everything it wrote before atMs is below `end`.
    const at = region * this.regions + peer
    const nowMs = this.env.nowMs()
    if ((this.next[at] as number) >= status.end) this.caughtUpMs[at] = Math.max(this.caughtUpMs[at] as number, status.atMs)
    else {
      this.pendingEnd[at] = status.end
      this.pendingAtMs[at] = status.atMs
      // Whatever the peer sent before this status has arrived, or never will: ask once per round trip.
      if (nowMs - (this.askedMs[at] as number) > 2 * (nowMs - status.atMs) + 2 * SYSTEM_TICK_MS) {
        this.wantResend[at] = 1
        this.askedMs[at] = nowMs
      }
    }
    // As the sender to the peer: how far it got.
    const link = region * this.regions + peer
    if (status.resend && status.next >= (this.acked[link] as number) && this.needsSnapshot[link] === 0) {
      this.acked[link] = status.next
      this.sent[link] = status.next
      this.probing[link] = 0
      this.lastProgressMs[link] = nowMs
      return
    }
    if (this.needsSnapshot[link] === 1) {
      if (this.snapshotSentMs[link] !== -Infinity && status.next >= (this.acked[link] as number)) {
        // The snapshot arrived: stream what was written since.
        this.needsSnapshot[link] = 0
        this.snapshotSentMs[link] = -Infinity
        this.acked[link] = status.next
        this.sent[link] = status.next
        this.probing[link] = 0
        this.lastProgressMs[link] = nowMs
      } else if (nowMs - (this.snapshotSentMs[link] as number) >= RETRANSMIT_MS) {
        this.sendSnapshot(region, peer, link, nowMs)
      }
      return
    }
    if (status.next > (this.acked[link] as number)) {
      this.acked[link] = status.next
      this.lastProgressMs[link] = nowMs
      this.probing[link] = 0
    } else if (this.probing[link] === 1) {
      // The peer answers again: go back to its first missing write and stream from there.
      this.sent[link] = this.acked[link] as number
      this.probing[link] = 0
      this.lastProgressMs[link] = nowMs
    }
    if ((this.sent[link] as number) < (this.acked[link] as number)) this.sent[link] = this.acked[link] as number
  }

  private receiveSnapshot(region: number, origin: number, snapshot: Extract<AckedMessage, { type: 'snapshot' }>): void {
    const at = region * this.regions + origin
    const replica = this.setup.replicas[region]
    if (replica === undefined) return
    this.stats.resyncedPairs += replica.mergeSnapshot(snapshot.data, origin)
    this.stats.resyncs++
    if (snapshot.end > (this.next[at] as number)) this.next[at] = snapshot.end
    this.caughtUpMs[at] = Math.max(this.caughtUpMs[at] as number, snapshot.atMs)
  }

  private sendSnapshot(origin: number, peer: number, link: number, nowMs: number): void {
    const replica = this.setup.replicas[origin]
    if (replica === undefined) return
    const end = (this.logs[origin] as OriginLog).end
    this.snapshotSentMs[link] = nowMs
    this.acked[link] = end
    this.sent[link] = end
    this.env.send(origin, peer, { type: 'snapshot', end, atMs: nowMs, data: replica.snapshot(origin) })
  }

  /** Send what the peer has not been sent, as one batch within the window. */
  private pump(origin: number, peer: number, link: number, nowMs: number): void {
    const log = this.logs[origin] as OriginLog
    const sent = this.sent[link] as number
    const upTo = Math.min(log.end, (this.acked[link] as number) + WINDOW_ENTRIES, sent + BATCH_MAX_ENTRIES)
    if (upTo <= sent) return
    // Peers in step get the same batch (it is read only), so a tick copies a region's writes once.
    let batch = this.lastBatch
    if (batch === undefined || batch.first !== sent || batch.rows.length !== (upTo - sent) * F64_PER_ENTRY || batch.atMs !== nowMs || this.lastBatchOrigin !== origin) {
      batch = { type: 'entries', first: sent, rows: log.f64.slice((sent - log.base) * F64_PER_ENTRY, (upTo - log.base) * F64_PER_ENTRY), end: log.end, atMs: nowMs }
      this.lastBatch = batch
      this.lastBatchOrigin = origin
    }
    this.env.send(origin, peer, batch)
    this.sent[link] = upTo
  }
}
