// What each region had already told about a thing (a video's counts, a user's like of a video)
// when it answered about it marked stale: the newest time it had claimed in a fresh answer about
// it that completed before it was asked. A stale answer is last-known-good: it may not be older
// than that. And whether a request about it went unseen (the client gave up: the region may have
// served it and learned something the history does not show).
import { History, Outcome, pairOf } from '../history.ts'
import { OpKind } from '../operation.ts'

export interface KnownGood {
  /** The newest asOf of a fresh answer about the same thing, completed before the stale one was asked; -Infinity if none. */
  readonly newestFreshAsOfMs: number
  /** A request about it that may have been served unseen was sent before the stale one. */
  readonly unseenBefore: boolean
}

const UPDATE = 0
const UNSEEN = 1
const QUERY = 2

/** For each stale answer (by history index): what its region had told about the same thing before. */
export function lastKnownGood(history: History, regionCount: number): Map<number, KnownGood> {
  // Events in time order: fresh answers at their completion, unseen requests when sent, stale
  // answers when asked; at equal times what happened before a question counts for it.
  const atMs: number[] = []
  const type: number[] = []
  const row: number[] = []
  for (let i = 0; i < history.length; i++) {
    const kind = history.kindOf(i)
    if (kind === OpKind.View) continue
    const outcome = history.outcomeOf(i)
    if (outcome === Outcome.Ok) {
      if (Number.isNaN(history.asOfMsOf(i))) continue
      const stale = history.isStale(i)
      atMs.push(stale ? history.invokeMsOf(i) : history.completeMsOf(i))
      type.push(stale ? QUERY : UPDATE)
      row.push(i)
    } else if (outcome !== Outcome.Fail) {
      atMs.push(history.invokeMsOf(i))
      type.push(UNSEEN)
      row.push(i)
    }
  }
  const order = Array.from(atMs.keys()).sort((a, b) => (atMs[a] as number) - (atMs[b] as number) || (type[a] as number) - (type[b] as number) || a - b)
  const newest = new Map<number, number>()
  const unseen = new Set<number>()
  const known = new Map<number, KnownGood>()
  for (const e of order) {
    const i = row[e] as number
    const keys = keysOf(history, i, regionCount)
    if (type[e] === UPDATE) {
      const asOfMs = history.asOfMsOf(i)
      for (const key of keys) if (!((newest.get(key) ?? -Infinity) >= asOfMs)) newest.set(key, asOfMs)
    } else if (type[e] === UNSEEN) {
      for (const key of keys) unseen.add(key)
    } else {
      // A stale answer is about its own key: a video's counts, or a user's like (a read-back).
      const key = keys[0] as number
      known.set(i, { newestFreshAsOfMs: newest.get(key) ?? -Infinity, unseenBefore: unseen.has(key) })
    }
  }
  return known
}

/**
 * What an answer tells about, as keys per region: a video read about its counts, a read-back
 * about a user's like, a like or unlike about both (its answer carries the count). The answer's
 * own subject first.
 */
function keysOf(history: History, i: number, regionCount: number): number[] {
  const region = history.regionOf(i)
  const video = history.videoOf(i)
  const counts = -1 - (video * regionCount + region)
  const like = pairOf(video, history.userOf(i)) * regionCount + region
  switch (history.kindOf(i)) {
    case OpKind.ReadVideo:
      return [counts]
    case OpKind.ReadLiked:
      return [like]
    default:
      return [counts, like]
  }
}
