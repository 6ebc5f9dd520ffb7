// "Someone liked your video" notifications. A like enqueues one for the video's creator; it lands
// after a normal delay, or later when the region is overloaded (deferred), or never (dropped),
// depending on the strategy. The 2020-07-23 incident broke notifications too.
import { Inboxes, type InboxItem } from './inboxes.ts'
import { MinHeap } from './min-heap.ts'

export type { InboxItem } from './inboxes.ts'

interface PendingNotification {
  readonly creator: number
  readonly video: number
  readonly fromUser: number
  readonly likedAtMs: number
  readonly deliverAtMs: number
}

export interface NotificationCounters {
  sent: number
  delivered: number
  dropped: number
  inboxEvicted: number
}

export class NotificationService {
  private readonly pending = new MinHeap<PendingNotification>()
  private readonly inboxes: Inboxes
  readonly counters: NotificationCounters = { sent: 0, delivered: 0, dropped: 0, inboxEvicted: 0 }

  constructor({ inboxMax }: { inboxMax: number }) {
    this.inboxes = new Inboxes(inboxMax)
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
    return this.inboxes.latest(creator, limit)
  }

  get pendingCount(): number {
    return this.pending.size
  }

  private deliver(item: PendingNotification): void {
    if (this.inboxes.deliver(item.creator, { video: item.video, fromUser: item.fromUser, likedAtMs: item.likedAtMs, deliveredAtMs: item.deliverAtMs })) this.counters.inboxEvicted++
    this.counters.delivered++
  }
}
