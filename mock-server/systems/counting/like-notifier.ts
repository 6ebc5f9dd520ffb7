// A counting system's notifications of new likes to the video's creator, and what it does with them
// in an overload: drop them when the overload lasts (design 'drop'), or defer them past the backlog.
import type { NotificationService } from '../../core/notifications.ts'
import type { SystemEnv, SystemMessage, SystemSettings } from '../system.ts'
import type { CacheTimeouts } from './cache-timeouts.ts'
import type { CountingDesign } from './design.ts'
import type { FrontDoor } from './front-door.ts'

export class LikeNotifier<M extends SystemMessage> {
  private readonly env: SystemEnv<M>
  private readonly settings: SystemSettings
  private readonly design: CountingDesign
  private readonly door: FrontDoor
  private readonly inbox: NotificationService
  private readonly cacheTimeouts: CacheTimeouts

  constructor(parts: { env: SystemEnv<M>; settings: SystemSettings; design: CountingDesign; door: FrontDoor; inbox: NotificationService; cacheTimeouts: CacheTimeouts }) {
    this.env = parts.env
    this.settings = parts.settings
    this.design = parts.design
    this.door = parts.door
    this.inbox = parts.inbox
    this.cacheTimeouts = parts.cacheTimeouts
  }

  notify(region: number, video: number, fromUser: number, nowMs: number, queueMs: number): void {
    let deferMs = 0
    if (this.design.notificationsOnOverload === 'drop') {
      // Shed in an overload that lasts, not in a burst that has one call meet the cache's timeout.
      if (this.door.overloadedForLong(region, queueMs, () => this.cacheTimeouts.failing(region, nowMs))) {
        this.inbox.drop()
        return
      }
    } else if (this.door.overloaded(region, queueMs)) {
      // Deferred: the notification waits out the backlog it met.
      deferMs = queueMs + this.env.cacheDelayMs(region) * 10
    }
    const creator = this.env.directory.creatorOf(video)
    this.inbox.enqueue({ creator, video, fromUser, likedAtMs: nowMs, deliverAtMs: nowMs + this.settings.notificationDelayMs + deferMs })
  }
}
