// Replication for set-counter.ts: every region keeps a log of its own writes, numbered 0, 1, 2, …,
// and streams it to every other region through the environment's network (env.send). Each region
// tells each other one, every tick, how far into that one's log it has applied ("ack: I have your
// writes below N") and where its own log ends. A sender that hears no progress for RETRANSMIT_MS
// goes back to the first write not acknowledged and sends it again (go-back-N): a batch lost to an
// outage or a partition is sent until it arrives, so nothing acknowledged to a client is lost.
//
// A receiver applies a peer's writes in log order only, each exactly once (a view is a count, not
// a set: applying it twice would count it twice), and drops what comes after a gap: the sender
// goes back for it. The logs and the receive cursors are durable (they live with the region's
// data); only the send cursors are in memory, so a region that restarts resends from what its
// peers acknowledged.
//
// Bounds: a log keeps what some peer has not acknowledged; past `backlogMaxEntries` for a peer the
// region takes no more writes (the system sheds them) until that peer catches up again.
import type { SystemEnv } from 'likestorm'

/** One write, as the log keeps it and the network carries it. */
export type Write =
  | { readonly kind: 'like'; readonly user: number; readonly video: number; readonly liked: boolean; readonly stamp: number; readonly atMs: number }
  | { readonly kind: 'view'; readonly video: number; readonly firstView: boolean; readonly atMs: number }

export type ReplicationMessage =
  /** Writes `first`, `first + 1`, … of the sender's log, which ended at `end` when it sent them at `atMs`. */
  | { readonly type: 'writes'; readonly first: number; readonly writes: readonly Write[]; readonly end: number; readonly atMs: number }
  /** "I have applied your writes below `next`; my own log ended at `end` at `atMs`." */
  | { readonly type: 'ack'; readonly next: number; readonly end: number; readonly atMs: number }

/** Without progress for this long, a sender goes back to the first write not acknowledged. */
const RETRANSMIT_MS = 1000
/** Writes in one message (a busy region's tick fits in one; a catch-up takes several ticks). */
const BATCH_MAX = 4096

/** One region's log of its own writes: `writes[0]` is write number `base`. */
interface Log {
  writes: Write[]
  base: number
}

/** A sender's view of one peer (in memory): what it sent, what the peer acknowledged, when that last moved. */
interface Link {
  sent: number
  acked: number
  progressMs: number
  /** Gone back after a silence: one batch is out, the rest waits until the peer answers. */
  probing: boolean
}

/** A receiver's view of one origin (durable): the next write it expects, and the time up to which it has every write of it. */
interface Cursor {
  next: number
  caughtUpMs: number
}

export class Replication {
  private readonly logs: Log[]
  private readonly links: Link[][]
  private readonly cursors: Cursor[][]
  /** Each region's peers: every other region. */
  private readonly peerLists: number[][]
  /** When the system first served or ticked: nobody wrote anything before. */
  private startMs = Number.NaN

  constructor(
    private readonly env: SystemEnv<ReplicationMessage>,
    private readonly apply: (region: number, origin: number, write: Write) => void,
    private readonly backlogMaxEntries: number,
  ) {
    const regions = env.regions.length
    this.logs = env.regions.map(() => ({ writes: [], base: 0 }))
    this.links = env.regions.map(() => Array.from({ length: regions }, () => ({ sent: 0, acked: 0, progressMs: -Infinity, probing: false })))
    this.cursors = env.regions.map(() => Array.from({ length: regions }, () => ({ next: 0, caughtUpMs: -Infinity })))
    this.peerLists = env.regions.map((_, region) => env.regions.map((__, peer) => peer).filter((peer) => peer !== region))
  }

  /** A write served at `origin` (already applied there), to be sent to every other region. */
  record(origin: number, write: Write): void {
    this.start(write.atMs)
    if (this.env.regions.length > 1) (this.logs[origin] as Log).writes.push(write)
  }

  /** Whether `origin` holds as many writes as it may for some peer that has not acknowledged them. */
  backlogFull(origin: number): boolean {
    const end = this.endOf(origin)
    return this.peers(origin).some((peer) => end - this.link(origin, peer).acked >= this.backlogMaxEntries)
  }

  onTick(region: number, nowMs: number): void {
    this.start(nowMs)
    const end = this.endOf(region)
    for (const peer of this.peers(region)) {
      const link = this.link(region, peer)
      if (link.acked >= end) link.progressMs = nowMs
      else if (nowMs - link.progressMs >= RETRANSMIT_MS) {
        // Silence: go back to the first write the peer has not acknowledged, and probe with one batch.
        link.sent = link.acked
        link.progressMs = nowMs
        link.probing = true
        this.sendWrites(region, peer, nowMs)
      }
      if (!link.probing) this.sendWrites(region, peer, nowMs)
      this.env.send(region, peer, { type: 'ack', next: this.cursor(region, peer).next, end, atMs: nowMs })
    }
    this.compact(region)
  }

  onMessage(to: number, from: number, message: ReplicationMessage): void {
    const cursor = this.cursor(to, from)
    if (message.type === 'writes') {
      // After a gap (a batch lost on the way), wait for the sender to go back; a repeat adds nothing.
      if (message.first > cursor.next) return
      for (let i = cursor.next - message.first; i < message.writes.length; i++) {
        const write = message.writes[i] as Write
        this.apply(to, from, write)
        cursor.next++
        // Every write of `from` before this one's time is applied here (the log is in time order).
        cursor.caughtUpMs = Math.max(cursor.caughtUpMs, write.atMs)
      }
      if (cursor.next >= message.end) cursor.caughtUpMs = Math.max(cursor.caughtUpMs, message.atMs)
      return
    }
    // As a receiver: `from` wrote nothing before atMs beyond `end`; if we have all that, we are caught up to atMs.
    if (cursor.next >= message.end) cursor.caughtUpMs = Math.max(cursor.caughtUpMs, message.atMs)
    // As a sender: how far `from` got in our log. Any answer ends a probe: the peer is there.
    const link = this.link(to, from)
    if (message.next > link.acked) {
      link.acked = message.next
      link.progressMs = this.env.nowMs()
    }
    link.sent = Math.max(link.sent, link.acked)
    link.probing = false
  }

  /** The region restarts: what it had sent is forgotten (in memory); its peers' acknowledgements say where to resume. */
  onOutage(region: number): void {
    for (const peer of this.peers(region)) {
      const link = this.link(region, peer)
      link.sent = link.acked
      link.probing = false
    }
  }

  /** The time before which every other region's writes are applied at `region` (what a read there is "as of"). */
  watermarkMs(region: number, nowMs: number): number {
    let watermark = nowMs
    for (const origin of this.peers(region)) watermark = Math.min(watermark, Math.max(this.cursor(region, origin).caughtUpMs, this.startMs))
    return Number.isNaN(watermark) ? nowMs : watermark
  }

  /** Writes made elsewhere not yet applied at `region`. */
  pendingAt(region: number): number {
    let pending = 0
    for (const origin of this.peers(region)) pending += Math.max(0, this.endOf(origin) - this.cursor(region, origin).next)
    return pending
  }

  /** Writes the logs hold (not yet acknowledged by every peer). */
  get retained(): number {
    return this.logs.reduce((sum, log) => sum + log.writes.length, 0)
  }

  private sendWrites(origin: number, peer: number, nowMs: number): void {
    const log = this.logs[origin] as Log
    const link = this.link(origin, peer)
    const end = this.endOf(origin)
    const upTo = Math.min(end, link.sent + BATCH_MAX)
    if (upTo <= link.sent) return
    const writes = log.writes.slice(link.sent - log.base, upTo - log.base)
    this.env.send(origin, peer, { type: 'writes', first: link.sent, writes, end, atMs: nowMs })
    link.sent = upTo
  }

  /** Let go of the writes every peer has acknowledged (in chunks: splicing an array costs its length). */
  private compact(origin: number): void {
    const log = this.logs[origin] as Log
    let acked = this.endOf(origin)
    for (const peer of this.peers(origin)) acked = Math.min(acked, this.link(origin, peer).acked)
    const done = acked - log.base
    if (done >= 1024 && done * 2 >= log.writes.length) {
      log.writes = log.writes.slice(done)
      log.base = acked
    }
  }

  private start(nowMs: number): void {
    if (Number.isNaN(this.startMs)) this.startMs = nowMs
  }

  private endOf(origin: number): number {
    const log = this.logs[origin] as Log
    return log.base + log.writes.length
  }

  private peers(region: number): readonly number[] {
    return this.peerLists[region] as number[]
  }

  private link(origin: number, peer: number): Link {
    return (this.links[origin] as Link[])[peer] as Link
  }

  private cursor(region: number, origin: number): Cursor {
    return (this.cursors[region] as Cursor[])[origin] as Cursor
  }
}
