// A counting system's purges of accounts: the likes an account's purge removes in every region, the
// removals a region down at the purge missed (applied when it is back, when the design's purges are
// durable), and the account's views when the design removes them (account-views.ts).
import type { RegionReplica } from '../../core/region-replica.ts'
import type { PurgedPair, PurgedViews } from '../system.ts'
import type { AccountViews } from './account-views.ts'

export class AccountPurges {
  private readonly replicas: readonly RegionReplica[]
  private readonly durable: boolean
  /** Each account's views, for purges to remove: only when the design removes them and a purge may run. */
  private readonly accountViews: AccountViews | undefined
  /** Purge removals a region missed while down (applied when it is back), when purges are durable. */
  private readonly missedPurges: number[][]
  /** Regions the environment said are down. */
  private readonly down = new Set<number>()

  constructor({ replicas, durable, accountViews }: { replicas: readonly RegionReplica[]; durable: boolean; accountViews: AccountViews | undefined }) {
    this.replicas = replicas
    this.durable = durable
    this.accountViews = accountViews
    this.missedPurges = replicas.map(() => [])
  }

  outage(region: number): void {
    this.down.add(region)
  }

  recover(region: number): void {
    this.down.delete(region)
    const missed = this.missedPurges[region] as number[]
    const replica = this.replicas[region] as RegionReplica
    for (let at = 0; at < missed.length; at += 3) replica.applyLikeState(missed[at] as number, missed[at + 1] as number, missed[at + 2] as number, false)
    this.missedPurges[region] = []
    this.accountViews?.recover(region, replica)
  }

  /** Removes `user`'s likes (at `stamp`) and, when kept, views: each removed like is pushed to `removed`. */
  purge(user: number, stamp: number, removed: PurgedPair[], removedViews?: PurgedViews[]): void {
    const videos = new Set<number>()
    for (const replica of this.replicas) for (const video of replica.likedVideos(user) ?? []) videos.add(video)
    for (const video of Array.from(videos).sort((a, b) => a - b)) {
      this.replicas.forEach((replica, region) => {
        if (!this.down.has(region)) replica.applyLikeState(video, user, stamp, false)
        else if (this.durable) (this.missedPurges[region] as number[]).push(video, user, stamp)
      })
      removed.push({ user, video })
    }
    this.accountViews?.purge(user, { replicas: this.replicas, isDown: (region) => this.down.has(region), durable: this.durable }, removedViews)
  }

  /** The removals `region` has still to take (likes, then views). */
  pendingFor(region: number): number {
    return (this.missedPurges[region] as number[]).length / 3 + (this.accountViews?.pendingFor(region) ?? 0)
  }
}
