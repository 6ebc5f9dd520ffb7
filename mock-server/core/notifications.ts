// "Someone liked your video" notifications. A like enqueues one for the video's creator; it lands
// after a normal delay, or later when the region is overloaded (deferred), or never (dropped),
// depending on the strategy. The 2020-07-23 incident broke notifications too.
import { MinHeap } from './min-heap.ts'

interface PendingNotification {
  readonly creator: number
  readonly video: number
  readonly fromUser: number
  readonly likedAtMs: number
  readonly deliverAtMs: number
}

/** A delivered notification, by handle. */
export interface InboxItem {
  readonly video: number
  readonly fromUser: number
  readonly likedAtMs: number
  readonly deliveredAtMs: number
}

export interface NotificationCounters {
  sent: number
  delivered: number
  dropped: number
  inboxEvicted: number
}

export class NotificationService {
  private readonly pending = new MinHeap<PendingNotification>()
  private readonly inboxes = new Map<number, InboxItem[]>()
  private readonly inboxMax: number
  readonly counters: NotificationCounters = { sent: 0, delivered: 0, dropped: 0, inboxEvicted: 0 }

  constructor({ inboxMax }: { inboxMax: number }) {
    this.inboxMax = inboxMax
  }

  enqueue(notification: PendingNotification): void {
    this.counters.sent++
    this.pending.push(notification, notification.deliverAtMs)
  }

  drop(): void {
    this.counters.sent++
    this.counters.dropped++
  }

  advanceTo(nowMs: number): void {
    while (this.pending.peekPriority() <= nowMs) this.deliver(this.pending.pop() as PendingNotification)
  }

  /** A creator's latest `limit` notifications, newest first. */
  inbox(creator: number, limit: number): InboxItem[] {
    const items = this.inboxes.get(creator) ?? []
    const out: InboxItem[] = []
    for (let i = items.length - 1; i >= 0 && out.length < limit; i--) {
      const item = items[i]
      if (item !== undefined) out.push(item)
    }
    return out
  }

  get pendingCount(): number {
    return this.pending.size
  }

  private deliver(item: PendingNotification): void {
    let inbox = this.inboxes.get(item.creator)
    if (inbox === undefined) {
      inbox = []
      this.inboxes.set(item.creator, inbox)
    }
    inbox.push({ video: item.video, fromUser: item.fromUser, likedAtMs: item.likedAtMs, deliveredAtMs: item.deliverAtMs })
    if (inbox.length > this.inboxMax) {
      inbox.shift()
      this.counters.inboxEvicted++
    }
    this.counters.delivered++
  }
}
