// Likely causes, as the history tells them, for the checks' examples: what a reader should look
// at first. Why a video shows more likes than can stand, in order of how directly the history
// shows it: a like the region still holds though its unlike (or a purge) was acknowledged, a like
// retried after a timeout with the same key, a request the network delivered twice, two likes
// with different keys (a double tap, a second device), a like, unlike and like again. A request
// that arrived after a later intent and was applied again (strayRepeat); where a like was
// acknowledged, and which regions hold it. Only for examples: each call scans the history once,
// and checks call it for their first few examples.
import { likeStateRead, Outcome, pairOf, pairUserOf } from '../history.ts'
import { OpKind } from '../operation.ts'
import type { PairKeys } from '../pair-key-set.ts'
import { type CheckContext, seconds, userIdOf } from './check-types.ts'

export interface LikeCause {
  readonly userId: string
  readonly atMs: number
  /** "e.g. … : a lost unlike", to append to a message. */
  readonly text: string
}

/**
 * The likeliest cause of an excess of likes on the video as of `atMs`. `listed`: the pairs the
 * region lists as liked, when known (the final reads): a listed pair that cannot stand is a lost
 * unlike outright.
 */
export function excessLikeCause(ctx: CheckContext, video: number, { atMs, listed }: { atMs: number; listed?: PairKeys }): LikeCause | undefined {
  // Without the region's list a removed pair is only a suspect: a repeated like is likelier.
  if (listed === undefined) return repeatedLike(ctx, video, atMs) ?? removedButStanding(ctx, video, atMs, undefined)
  return removedButStanding(ctx, video, atMs, listed) ?? repeatedLike(ctx, video, atMs)
}

/** A pair whose last acknowledged removal (an unlike, a purge) came after every like, still standing. */
function removedButStanding(ctx: CheckContext, video: number, atMs: number, listed: PairKeys | undefined): LikeCause | undefined {
  const { pairs } = ctx
  const end = pairs.pairEndOf(video)
  for (let index = pairs.firstPairOf(video); index < end; index++) {
    const pair = pairs.pairKeyOf(index)
    if (listed !== undefined && !listed.has(pair)) continue
    if (pairs.mayBeLiked(index, atMs, atMs)) continue
    // The removal that overrode the last like: the latest one acknowledged by atMs.
    const removal = pairs.lastRemovalBy(index, atMs)
    if (removal < 0) continue
    const userId = userIdOf(ctx, pairUserOf(pair))
    const removedAtMs = pairs.eventCompleteMsOf(removal)
    const purge = pairs.eventAttemptOf(removal) < 0
    const stray = listed === undefined || purge ? '' : strayRepeat(ctx, { video, user: pairUserOf(pair), kind: OpKind.Like, fromMs: pairs.eventInvokeMsOf(removal), toMs: Infinity })
    return {
      userId,
      atMs: removedAtMs,
      text:
        listed === undefined
          ? `perhaps a lost ${purge ? 'purge' : 'unlike'}: e.g. ${userId}'s like was ${purge ? 'purged' : 'undone'} at ${seconds(removedAtMs)}`
          : purge
            ? `e.g. ${userId}'s like was removed by a purge at ${seconds(removedAtMs)}, yet it still counts: a purge not applied`
            : `e.g. ${userId} unliked it (acknowledged at ${seconds(removedAtMs)}), yet the like still counts${stray === '' ? ': a lost unlike' : stray}`,
    }
  }
  return undefined
}

/** A like that reached the system more than once, most telling first. */
function repeatedLike(ctx: CheckContext, video: number, atMs: number): LikeCause | undefined {
  const { history } = ctx
  // Attempts of the video's likes and unlikes by logical operation, in time order.
  const byOp = new Map<number, number[]>()
  for (let i = 0; i < history.length; i++) {
    const kind = history.kindOf(i)
    if (history.videoOf(i) !== video || (kind !== OpKind.Like && kind !== OpKind.Unlike) || history.invokeMsOf(i) > atMs) continue
    const list = byOp.get(history.opIdOf(i))
    if (list === undefined) byOp.set(history.opIdOf(i), [i])
    else list.push(i)
  }
  const name = (i: number): string => userIdOf(ctx, history.userOf(i))
  const landed = (i: number): boolean => history.outcomeOf(i) !== Outcome.Fail
  let duplicate: LikeCause | undefined
  for (const attempts of byOp.values()) {
    const first = attempts[0] as number
    if (history.kindOf(first) !== OpKind.Like) continue
    // A retry: an attempt that may have landed (the client gave up on it), then another.
    const gaveUp = attempts.findIndex((i) => history.outcomeOf(i) === Outcome.Indeterminate)
    const again = gaveUp < 0 ? undefined : attempts.slice(gaveUp + 1).find((i) => landed(i) && history.attemptOf(i) > 1)
    if (again !== undefined) {
      return { userId: name(first), atMs: history.invokeMsOf(again), text: `e.g. ${name(first)}'s like at ${seconds(history.invokeMsOf(first))} timed out and was retried with the same key at ${seconds(history.invokeMsOf(again))}: the retry counted again` }
    }
    const copies = attempts.filter((i) => history.attemptOf(i) === 1 && landed(i))
    if (duplicate === undefined && copies.length > 1) {
      const copy = copies[1] as number
      duplicate = { userId: name(first), atMs: history.invokeMsOf(copy), text: `e.g. ${name(first)}'s like at ${seconds(history.invokeMsOf(first))} arrived again at ${seconds(history.invokeMsOf(copy))} (a duplicate request, same key): counted twice` }
    }
  }
  if (duplicate !== undefined) return duplicate
  // Two logical likes of one user: back to back (a double tap, a second device), or around an unlike.
  const perUser = new Map<number, number[]>()
  for (const attempts of byOp.values()) {
    const first = attempts[0] as number
    if (!attempts.some(landed)) continue
    const user = history.userOf(first)
    const list = perUser.get(user)
    if (list === undefined) perUser.set(user, [first])
    else list.push(first)
  }
  let flap: LikeCause | undefined
  for (const [user, ops] of perUser) {
    ops.sort((a, b) => history.invokeMsOf(a) - history.invokeMsOf(b))
    for (let k = 1; k < ops.length; k++) {
      const previous = ops[k - 1] as number
      const op = ops[k] as number
      if (history.kindOf(op) !== OpKind.Like) continue
      const userId = userIdOf(ctx, user)
      if (history.kindOf(previous) === OpKind.Like) {
        return { userId, atMs: history.invokeMsOf(op), text: `e.g. ${userId} liked it twice, at ${seconds(history.invokeMsOf(previous))} and ${seconds(history.invokeMsOf(op))} (different keys: a double tap or a second device): counted twice` }
      }
      if (flap === undefined && k >= 2 && history.kindOf(ops[k - 2] as number) === OpKind.Like) {
        flap = { userId, atMs: history.invokeMsOf(op), text: `e.g. ${userId} liked, unliked and liked it again (last at ${seconds(history.invokeMsOf(op))}): the count did not follow` }
      }
    }
  }
  return flap
}

/** Whether the pair's like was listed by any of the final regions, and by which (a region that did not read the pair's like state is in neither). */
export function regionsListing(ctx: CheckContext, video: number, user: number): { readonly listing: string[]; readonly notListing: string[] } {
  const pair = pairOf(video, user)
  const listing: string[] = []
  const notListing: string[] = []
  for (const region of ctx.history.final?.regions ?? []) if (likeStateRead(region, pair)) (region.likedPairs.has(pair) ? listing : notListing).push(region.region)
  return { listing, notListing }
}

/** The region that acknowledged the pair's like at `ackMs` (for examples). */
export function ackRegionOf(ctx: CheckContext, pair: number, ackMs: number): string | undefined {
  const { history } = ctx
  for (let i = 0; i < history.length; i++) {
    if (!history.isAcknowledged(i, OpKind.Like) || history.completeMsOf(i) !== ackMs) continue
    if (pairOf(history.videoOf(i), history.userOf(i)) === pair) return ctx.regionIds[history.regionOf(i)]
  }
  return undefined
}

/**
 * An attempt of an earlier like (or unlike) of the pair that reached the system after `fromMs`
 * (a later intent was sent): a retry or a network duplicate carrying the earlier request's key,
 * which a system that honours keys replays and one that does not applies again. For examples:
 * " — a duplicate of an earlier unlike (same key) arrived at 9.1s …", or '' when there is none.
 */
export function strayRepeat(ctx: CheckContext, { video, user, kind, fromMs, toMs }: { video: number; user: number; kind: OpKind; fromMs: number; toMs: number }): string {
  const { history } = ctx
  // When each of the pair's requests of that kind was first sent: one sent before fromMs is earlier.
  const firstMs = new Map<number, number>()
  for (let i = 0; i < history.length; i++) {
    if (history.videoOf(i) !== video || history.userOf(i) !== user || history.kindOf(i) !== kind) continue
    const op = history.opIdOf(i)
    if (!((firstMs.get(op) ?? Infinity) <= history.invokeMsOf(i))) firstMs.set(op, history.invokeMsOf(i))
  }
  for (let i = 0; i < history.length; i++) {
    if (history.videoOf(i) !== video || history.userOf(i) !== user || history.kindOf(i) !== kind || history.outcomeOf(i) === Outcome.Fail) continue
    const invokeMs = history.invokeMsOf(i)
    if (invokeMs < fromMs || invokeMs > toMs || (firstMs.get(history.opIdOf(i)) as number) >= fromMs) continue
    const what = history.attemptOf(i) > 1 ? 'a retry' : 'a duplicate'
    const name = kind === OpKind.Like ? 'like' : 'unlike'
    return ` — ${what} of an earlier ${name} (same key) arrived at ${seconds(invokeMs)}, after the last ${kind === OpKind.Like ? 'unlike' : 'like'} was sent, and was applied again instead of replayed`
  }
  return ''
}
