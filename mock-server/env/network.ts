// The network between regions: one link per ordered pair of regions, each with a fixed one-way
// delay, so a link is a FIFO queue (what is sent first arrives first). A message is due `lagMs`
// after it was sent; when it is due and its destination is down or cut off from its sender, it is
// lost, as on a real network. Nothing is retried here: that is the system's protocol.
// Bound: the messages in flight, which a system's own window bounds (a link never holds more than
// its sender sent during one delay).

/** Entries consumed from the front of a link before its arrays are compacted. */
const COMPACT_AT = 4096

interface Link<M> {
  readonly from: number
  readonly to: number
  readonly lagMs: number
  dueMs: number[]
  messages: M[]
  head: number
}

export interface NetworkStats {
  sent: number
  delivered: number
  /** Due while the destination was down or cut off from the sender. */
  lost: number
}

export class Network<M> {
  private readonly links: Link<M>[] = []
  private readonly linkOf: (Link<M> | undefined)[]
  private readonly regions: number
  /** Earliest due time over every link (Infinity: nothing in flight). */
  private nextDueMs = Infinity
  readonly stats: NetworkStats = { sent: 0, delivered: 0, lost: 0 }

  constructor({ regions, lagMs }: { regions: number; lagMs: (from: number, to: number) => number }) {
    this.regions = regions
    this.linkOf = new Array<Link<M> | undefined>(regions * regions).fill(undefined)
    for (let from = 0; from < regions; from++) {
      for (let to = 0; to < regions; to++) {
        if (from === to) continue
        const link: Link<M> = { from, to, lagMs: lagMs(from, to), dueMs: [], messages: [], head: 0 }
        this.links.push(link)
        this.linkOf[from * regions + to] = link
      }
    }
  }

  send(from: number, to: number, message: M, nowMs: number): void {
    const link = this.linkOf[from * this.regions + to]
    if (link === undefined) throw new RangeError(`no link from region ${from} to region ${to}`)
    const dueMs = nowMs + link.lagMs
    link.dueMs.push(dueMs)
    link.messages.push(message)
    this.stats.sent++
    if (dueMs < this.nextDueMs) this.nextDueMs = dueMs
  }

  get earliestDueMs(): number {
    return this.nextDueMs
  }

  /**
   * Deliver every message due by `nowMs`, link by link in a fixed order (deterministic). A message
   * a handler sends that is already due (a zero-delay link) is delivered in the same call.
   */
  deliverUpTo(nowMs: number, reachable: (from: number, to: number) => boolean, deliver: (to: number, from: number, message: M) => void): void {
    while (this.nextDueMs <= nowMs) {
      let nextDue = Infinity
      for (const link of this.links) {
        while (link.head < link.dueMs.length && (link.dueMs[link.head] as number) <= nowMs) {
          const message = link.messages[link.head] as M
          link.head++
          if (reachable(link.from, link.to)) {
            this.stats.delivered++
            deliver(link.to, link.from, message)
          } else {
            this.stats.lost++
          }
        }
        if (link.head >= COMPACT_AT && link.head * 2 >= link.dueMs.length) compact(link)
        if (link.head < link.dueMs.length && (link.dueMs[link.head] as number) < nextDue) nextDue = link.dueMs[link.head] as number
      }
      // Handlers may have sent on links already passed: take every link's head into account.
      for (const link of this.links) if (link.head < link.dueMs.length && (link.dueMs[link.head] as number) < nextDue) nextDue = link.dueMs[link.head] as number
      this.nextDueMs = nextDue
    }
  }

  /** Messages in flight to a region. */
  inFlightTo(to: number): number {
    let count = 0
    for (const link of this.links) if (link.to === to) count += link.dueMs.length - link.head
    return count
  }
}

function compact<M>(link: Link<M>): void {
  link.dueMs = link.dueMs.slice(link.head)
  link.messages = link.messages.slice(link.head)
  link.head = 0
}
