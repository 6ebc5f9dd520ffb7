// Notifications for set-counter.ts: "someone liked your video", delivered to the video's creator
// after the notification delay. One service the regions share, as a platform's notification
// service is, and durable: a region that goes down loses none. Bounded: an inbox keeps its newest
// `inboxMax` items; what waits is what was liked within one delay.
import type { InboxItem, SystemSettings } from 'likestorm'

export class Inboxes {
  /** Waiting for their delivery time, in that order (every one waits the same delay). */
  private readonly due: { creator: number; item: InboxItem }[] = []
  /** By creator, newest first. */
  private readonly inboxes = new Map<number, InboxItem[]>()
  readonly counters = { notificationsSent: 0, notificationsDelivered: 0 }

  constructor(private readonly settings: Pick<SystemSettings, 'notificationDelayMs' | 'inboxMax'>) {}

  notify(creator: number, like: { video: number; fromUser: number; likedAtMs: number }): void {
    this.due.push({ creator, item: { ...like, deliveredAtMs: like.likedAtMs + this.settings.notificationDelayMs } })
    this.counters.notificationsSent++
  }

  /** Move the notifications due by `nowMs` into their creators' inboxes. */
  deliver(nowMs: number): void {
    let delivered = 0
    for (const { creator, item } of this.due) {
      if (item.deliveredAtMs > nowMs) break
      const inbox = this.inboxes.get(creator) ?? []
      inbox.unshift(item)
      if (inbox.length > this.settings.inboxMax) inbox.pop()
      this.inboxes.set(creator, inbox)
      delivered++
    }
    this.due.splice(0, delivered)
    this.counters.notificationsDelivered += delivered
  }

  /** A user's newest notifications as of `nowMs`, at most `limit`. */
  read(user: number, nowMs: number, limit: number): readonly InboxItem[] {
    this.deliver(nowMs)
    return (this.inboxes.get(user) ?? []).slice(0, limit)
  }
}
