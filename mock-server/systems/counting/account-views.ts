// Each account's views, kept so that a purge can take them out of the counts (issue 18: a view
// farm's inflation must not survive the purge of its accounts). A record of (user, video) -> views
// the system counted for the account, with the one unique viewer the pair was, enumerable per user.
// A counting system keeps it only when its design removes views and a purge may run at all
// (SystemSettings.purgesMayRun): a run that cannot purge pays nothing for it (issue 20).
//
// Removal and anti-entropy: replicas count views per origin row as a G-counter (region-replica.ts),
// whose rows only grow and merge by max, so a purge lowers no row: each replica takes the removal
// once, apart from the rows (RegionReplica.removeViews). A view of the account still on its way
// between regions at the purge lands in its row later: the region reads a little low until then
// and ends right (the record counted that view at its origin, where it was served). A region down
// at the purge takes the removal when it is back, as it takes a purge's likes (design.durablePurges).
import { NO_PAIR, PairIndex } from '../../core/pair-index.ts'
import type { RegionReplica } from '../../core/region-replica.ts'
import { grown } from '../../core/typed-arrays.ts'
import type { PurgedViews } from '../system.ts'

export class AccountViews {
  /** The (video, user) pairs viewed, with a dense id each and a chain of each user's pairs. */
  private readonly pairs = new PairIndex()
  /** By pair id: the views counted for the pair (0 once purged). */
  private views = new Int32Array(0)
  /** By pair id: 1 when the pair's first view (its unique viewer) was counted here. */
  private unique = new Uint8Array(0)
  /** Per region: removals it missed while down, as (video, views, uniques) triples, applied when it is back. */
  private readonly missed: number[][]

  constructor({ regions }: { regions: number }) {
    this.missed = Array.from({ length: regions }, () => [])
  }

  /** A view the system counted for `user` (first: it was the pair's first view, a unique viewer). */
  record(video: number, user: number, first: boolean): void {
    const pair = this.pairs.intern(video, user)
    if (pair >= this.views.length) {
      const ids = this.pairs.idCapacity
      this.views = grown(this.views, new Int32Array(ids))
      this.unique = grown(this.unique, new Uint8Array(ids))
    }
    this.views[pair] = (this.views[pair] as number) + 1
    if (first) this.unique[pair] = 1
  }

  /**
   * Take every view of `user` out of every replica (a region that is down gets it when it is
   * back, when `durable`; never otherwise), forget them, and append one entry per video to
   * `removed`, in video order.
   */
  purge(user: number, { replicas, isDown, durable }: { replicas: readonly RegionReplica[]; isDown: (region: number) => boolean; durable: boolean }, removed: PurgedViews[] | undefined): void {
    const viewed: number[] = []
    // A pair purged before holds no views: a purged account is refused from then on.
    for (let pair = this.pairs.newestOf(user); pair !== NO_PAIR; pair = this.pairs.olderThan(pair)) if ((this.views[pair] as number) > 0) viewed.push(pair)
    viewed.sort((a, b) => this.pairs.videoOf(a) - this.pairs.videoOf(b))
    for (const pair of viewed) {
      const video = this.pairs.videoOf(pair)
      const views = this.views[pair] as number
      const uniques = this.unique[pair] as number
      replicas.forEach((replica, region) => {
        if (!isDown(region)) replica.removeViews(video, views, uniques)
        else if (durable) (this.missed[region] as number[]).push(video, views, uniques)
      })
      removed?.push({ user, video, views })
      this.views[pair] = 0
      this.unique[pair] = 0
    }
  }

  /** The region is back: the removals it missed while down. */
  recover(region: number, replica: RegionReplica): void {
    const missed = this.missed[region] as number[]
    for (let at = 0; at < missed.length; at += 3) replica.removeViews(missed[at] as number, missed[at + 1] as number, missed[at + 2] as number)
    this.missed[region] = []
  }

  /** Removals `region` has yet to take (it is down). */
  pendingFor(region: number): number {
    return (this.missed[region] as number[]).length / 3
  }
}
