// Detection quality per farm (issue 18's farm library): each farm's accounts, how many a bot
// purge took, and what the farm cost, so a team sees "caught 98% of a $X farm" per farm. Where a
// purge removed views (a system that removes purged accounts' views), also the views each farm
// still has counted after the purges: a view farm's inflation before and after.
import { farmCostUsd } from '../farm-cost.ts'
import { farmLabel, farmTraitNames, ownsAccounts } from '../farm-traits.ts'
import { OpKind } from '../operation.ts'
import type { CheckContext } from './check-types.ts'
import { viewsRemovedFrom } from './purged-views.ts'

export interface FarmQuality {
  readonly label: string
  readonly kind: 'careless' | 'stealthy' | 'flood'
  /** Trait names (sim/farm-traits.ts farmTraitNames), empty for a plain farm. */
  readonly traits: readonly string[]
  /** Accounts serving this farm (a reused farm's are its original's). */
  readonly accounts: number
  /** ...of which a bot purge took. */
  readonly purged: number
  /** purged / (purged + people wrongly bot-purged): "had only this farm existed". */
  readonly precision: number | null
  readonly recall: number | null
  /** Acknowledged likes and views of its members on its targets: what it delivered. */
  readonly paidLikes: number
  readonly paidViews: number
  /** Of paidViews, those still counted after the purges (absent when no purge removed views). */
  readonly paidViewsLeft?: number
  /** sim/farm-cost.ts: accounts bought plus engagement delivered, at assumed prices. */
  readonly costUsd: number
}

/**
 * One entry per farm (bounded by WORLD_LIMITS.farms). `botPurged[user]` is 1 when a bot purge
 * took the account; `peoplePurged` counts genuine and inactive accounts bot purges took.
 */
export function measureFarms(ctx: CheckContext, { botPurged, peoplePurged, botPurges }: { botPurged: Uint8Array; peoplePurged: number; botPurges: number }): FarmQuality[] {
  const { history, population } = ctx
  const farms = population.farms
  if (farms.length === 0) return []
  // Which farms each account serves (a reused account serves two) and each farm's targets.
  const servesFarms = new Map<number, number[]>()
  for (const farm of farms) for (const user of farm.members) servesFarms.set(user, [...(servesFarms.get(user) ?? []), farm.index])
  const targets = farms.map((farm) => new Set(farm.targets))
  const likes = new Array<number>(farms.length).fill(0)
  const views = new Array<number>(farms.length).fill(0)
  const viewsLeft = new Array<number>(farms.length).fill(0)
  // Accounts a purge removed with their views; reported only where a purge removed some.
  const removed = viewsRemovedFrom(ctx)
  const reportLeft = history.faults.some((fault) => (fault.purge?.removedViews?.users.length ?? 0) > 0)
  for (let i = 0; i < history.length; i++) {
    const like = history.isAcknowledged(i, OpKind.Like)
    if (!like && !history.isAcknowledged(i, OpKind.View)) continue
    const served = servesFarms.get(history.userOf(i))
    if (served === undefined) continue
    const video = history.videoOf(i)
    const left = removed?.[history.userOf(i)] !== 1
    for (const f of served) {
      if (!(targets[f] as Set<number>).has(video)) continue
      if (like) likes[f] = (likes[f] as number) + 1
      else {
        views[f] = (views[f] as number) + 1
        if (left) viewsLeft[f] = (viewsLeft[f] as number) + 1
      }
    }
  }
  return farms.map((farm) => {
    let purged = 0
    for (const user of farm.members) if (botPurged[user] === 1) purged++
    const accounts = farm.members.length
    const active = botPurges > 0
    return {
      label: farmLabel(farm.spec, farm.index),
      kind: farm.spec.kind,
      traits: farmTraitNames(farm.spec),
      accounts,
      purged,
      precision: active && purged + peoplePurged > 0 ? purged / (purged + peoplePurged) : null,
      recall: active && accounts > 0 ? purged / accounts : null,
      paidLikes: likes[farm.index] as number,
      paidViews: views[farm.index] as number,
      ...(reportLeft ? { paidViewsLeft: viewsLeft[farm.index] as number } : {}),
      costUsd: farmCostUsd(farm.spec, { accounts: ownsAccounts(farm.spec) ? accounts : 0, likes: likes[farm.index] as number, views: views[farm.index] as number }),
    }
  })
}
