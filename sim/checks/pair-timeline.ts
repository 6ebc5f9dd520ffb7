// What the history says about each (user, video) pair: every logical like and unlike that may
// have taken effect (acknowledged or indeterminate; an operation whose attempts all failed is
// proof of no effect and is left out), the system's reported purge removals, and likes imported
// from before the run.
//
// From these, for a read that claims to reflect the state as of T (its asOfMs) and that ended at
// E, a pair is
//   - surely liked   when some acknowledged like L completed by T, and every removal invoked by E
//                    completed before L began (so nothing can have overridden L);
//   - possibly liked when some like invoked by E is not definitely overridden: no removal both
//                    began after that like completed and completed by T.
// Summed over a video's pairs these are the Jepsen counter bounds with decrements (Maelstrom
// pn-counter): lower = surely liked, upper = possibly liked.
import { History, Outcome, PAIR_USER_LIMIT, pairOf } from '../history.ts'
import { OpKind } from '../operation.ts'
import { indexOfSorted } from '../sorted-search.ts'

export class PairTimeline {
  // Pairs and their events are columns; readers go through the accessors below. Indices below
  // the lengths always hold a value, which the `as number` reads rely on.
  /** Sorted distinct pair keys (video-major, so a video's pairs are contiguous). */
  private readonly pairs: Float64Array
  /** Events of pair i are [eventStart[i], eventStart[i + 1]). */
  private readonly eventStart: Int32Array
  private readonly invokeMs: Float64Array
  /** Infinity for indeterminate events. */
  private readonly completeMs: Float64Array
  /** 1 = like, 0 = removal (unlike or purge). */
  private readonly liked: Uint8Array
  /** History index of the operation's first attempt, -1 for purge removals and imported likes. */
  private readonly attempt: Int32Array
  /** First and one-past-last pair index of each video. */
  private readonly videoPairStart: Int32Array
  private readonly videoPairEnd: Int32Array

  constructor(history: History, { videoCount, importedLikes }: { videoCount: number; importedLikes: Iterable<{ user: number; video: number; atMs: number }> & { readonly length: number } }) {
    // Attempts sharing an idempotency key (retries, network duplicates) are one logical operation
    // (Jepsen): it takes effect at most once, between its first invocation and its first
    // acknowledgement; if no attempt was acknowledged and one may have landed, it may take effect
    // any time after its first invocation.
    const firstAttempt = history.firstAttempts(OpKind.Like, OpKind.Unlike)
    const opCount = firstAttempt.size
    const firstAck = new Float64Array(opCount).fill(Infinity)
    const mayLand = new Uint8Array(opCount)
    let landing = 0
    for (let i = 0; i < history.length; i++) {
      const kind = history.kindOf(i)
      if (kind !== OpKind.Like && kind !== OpKind.Unlike) continue
      const op = firstAttempt.positionOf(history.opIdOf(i))
      const outcome = history.outcomeOf(i)
      // Failed attempts prove nothing landed from them; pending ones (a run cut short) are as
      // uncertain as indeterminate ones.
      if (outcome !== Outcome.Fail && mayLand[op] !== 1) {
        mayLand[op] = 1
        landing++
      }
      if (outcome === Outcome.Ok && history.completeMsOf(i) < (firstAck[op] as number)) firstAck[op] = history.completeMsOf(i)
    }
    const imported = importedLikes.length
    let removals = 0
    for (const fault of history.faults) removals += fault.purge?.removedUsers.length ?? 0
    // The events in the order they are found (imported likes, operations by id, purges' removals), as columns.
    const events = new EventColumns(imported + landing + removals)
    for (const like of importedLikes) events.add(pairOf(like.video, like.user), like.atMs, like.atMs, true, -1)
    for (let op = 0; op < opCount; op++) {
      if (mayLand[op] !== 1) continue
      const i = firstAttempt.rows[op] as number
      events.add(pairOf(history.videoOf(i), history.userOf(i)), history.invokeMsOf(i), firstAck[op] as number, history.kindOf(i) === OpKind.Like, i)
    }
    for (const fault of history.faults) {
      const purge = fault.purge
      if (purge === undefined) continue
      for (let j = 0; j < purge.removedUsers.length; j++) {
        // A removal concurrent with every read between the purge's start and its completion.
        events.add(pairOf(purge.removedVideos[j] as number, purge.removedUsers[j] as number), purge.atMs, purge.doneAtMs ?? purge.atMs, false, -1)
      }
    }
    // Sorted by pair, then by invocation (then as found).
    const n = events.count
    const order = new Int32Array(n)
    for (let k = 0; k < n; k++) order[k] = k
    const { keys, invoke } = events
    order.sort((a, b) => (keys[a] as number) - (keys[b] as number) || (invoke[a] as number) - (invoke[b] as number) || a - b)
    this.invokeMs = new Float64Array(n)
    this.completeMs = new Float64Array(n)
    this.liked = new Uint8Array(n)
    this.attempt = new Int32Array(n)
    let pairCount = 0
    for (let position = 0; position < n; position++) {
      const source = order[position] as number
      if (position === 0 || keys[source] !== keys[order[position - 1] as number]) pairCount++
      this.invokeMs[position] = invoke[source] as number
      this.completeMs[position] = events.complete[source] as number
      this.liked[position] = events.liked[source] as number
      this.attempt[position] = events.attempt[source] as number
    }
    this.pairs = new Float64Array(pairCount)
    this.eventStart = new Int32Array(pairCount + 1)
    let pair = -1
    for (let position = 0; position < n; position++) {
      const key = keys[order[position] as number] as number
      if (pair < 0 || this.pairs[pair] !== key) {
        this.pairs[++pair] = key
        this.eventStart[pair] = position
      }
    }
    this.eventStart[pairCount] = n
    this.videoPairStart = new Int32Array(videoCount).fill(0)
    this.videoPairEnd = new Int32Array(videoCount).fill(0)
    for (let index = pairCount - 1; index >= 0; index--) {
      const video = Math.floor((this.pairs[index] as number) / PAIR_USER_LIMIT)
      if (video >= videoCount) continue
      this.videoPairStart[video] = index
      if (this.videoPairEnd[video] === 0) this.videoPairEnd[video] = index + 1
    }
  }

  get pairCount(): number {
    return this.pairs.length
  }

  get eventCount(): number {
    return this.invokeMs.length
  }

  /** The pair index of a pair key (pairOf), -1 when the history has no event of it. */
  indexOf(pair: number): number {
    return indexOfSorted(this.pairs, pair)
  }


  /** The pair key (pairOf) of pair index `index`. */
  pairKeyOf(index: number): number {
    return this.pairs[index] as number
  }

  /** The first pair index of the video's pairs; they run to pairEndOf(video). */
  firstPairOf(video: number): number {
    return this.videoPairStart[video] ?? 0
  }

  /** One past the video's last pair index. */
  pairEndOf(video: number): number {
    return this.videoPairEnd[video] ?? 0
  }

  /** The pair's events run from its first to lastEventOf(index), in invocation order. */
  firstEventOf(index: number): number {
    return this.eventStart[index] as number
  }

  lastEventOf(index: number): number {
    return (this.eventStart[index + 1] as number) - 1
  }

  eventInvokeMsOf(event: number): number {
    return this.invokeMs[event] as number
  }

  /** Infinity for an event not acknowledged (indeterminate). */
  eventCompleteMsOf(event: number): number {
    return this.completeMs[event] as number
  }

  /** A like; else a removal (an unlike or a purge). */
  isLikeEvent(event: number): boolean {
    return this.liked[event] === 1
  }

  /** History index of the event's first attempt; -1 for a purge's removal or an imported like. */
  eventAttemptOf(event: number): number {
    return this.attempt[event] as number
  }

  /** Any like of the pair may have been made (acknowledged, indeterminate or imported). */
  hasLike(index: number): boolean {
    for (let e = this.firstEventOf(index); e <= this.lastEventOf(index); e++) if (this.liked[e] === 1) return true
    return false
  }

  /** The pair's latest removal acknowledged by atMs (an event index), -1 when none. */
  lastRemovalBy(index: number, atMs: number): number {
    let removal = -1
    for (let e = this.firstEventOf(index); e <= this.lastEventOf(index); e++) {
      if (this.liked[e] === 0 && this.eventCompleteMsOf(e) <= atMs) removal = e
    }
    return removal
  }

  /** Surely liked as of T, given everything invoked by E. */
  mustBeLiked(index: number, tMs: number, eMs: number): boolean {
    const start = this.firstEventOf(index)
    const end = this.lastEventOf(index) + 1
    // The acknowledged like completed by T that began last: if anything can override it, so
    // can it override every earlier one.
    let lastInvoke = -Infinity
    for (let i = start; i < end; i++) {
      if (this.liked[i] === 1 && this.eventCompleteMsOf(i) <= tMs && this.eventInvokeMsOf(i) > lastInvoke) lastInvoke = this.eventInvokeMsOf(i)
    }
    if (lastInvoke === -Infinity) return false
    for (let i = start; i < end; i++) {
      if (this.liked[i] === 0 && this.eventInvokeMsOf(i) <= eMs && this.eventCompleteMsOf(i) >= lastInvoke) return false
    }
    return true
  }

  /** When the acknowledged like that makes the pair surely liked as of T began (for examples); -Infinity if none. */
  lastLikeInvokeMs(index: number, tMs: number): number {
    let lastInvoke = -Infinity
    for (let i = this.firstEventOf(index); i < this.lastEventOf(index) + 1; i++) {
      if (this.liked[i] === 1 && this.eventCompleteMsOf(i) <= tMs && this.eventInvokeMsOf(i) > lastInvoke) lastInvoke = this.eventInvokeMsOf(i)
    }
    return lastInvoke
  }

  /** Possibly liked as of T, given everything invoked by E. */
  mayBeLiked(index: number, tMs: number, eMs: number): boolean {
    const start = this.firstEventOf(index)
    const end = this.lastEventOf(index) + 1
    for (let i = start; i < end; i++) {
      if (this.liked[i] !== 1 || this.eventInvokeMsOf(i) > eMs) continue
      const likeComplete = this.eventCompleteMsOf(i)
      let overridden = false
      for (let j = start; j < end; j++) {
        if (this.liked[j] === 0 && this.eventInvokeMsOf(j) > likeComplete && this.eventCompleteMsOf(j) <= tMs) {
          overridden = true
          break
        }
      }
      if (!overridden) return true
    }
    return false
  }

  /** [surely, possibly] liked pairs of a video for a read claiming T and ending at E. */
  bounds(video: number, tMs: number, eMs: number): [number, number] {
    let lower = 0
    let upper = 0
    const end = this.pairEndOf(video)
    for (let index = this.firstPairOf(video); index < end; index++) {
      if (this.mayBeLiked(index, tMs, eMs)) {
        upper++
        if (this.mustBeLiked(index, tMs, eMs)) lower++
      }
    }
    return [lower, upper]
  }

  /** A surely-liked pair of the video (for an example), or -1. */
  firstSurelyLiked(video: number, tMs: number, eMs: number): number {
    const end = this.pairEndOf(video)
    for (let index = this.firstPairOf(video); index < end; index++) {
      if (this.mustBeLiked(index, tMs, eMs)) return index
    }
    return -1
  }

  /** The pair of the video whose like was acknowledged last by T (for examples), or -1. */
  lastLiked(video: number, tMs: number): number {
    let best = -1
    let bestAt = -Infinity
    const end = this.pairEndOf(video)
    for (let index = this.firstPairOf(video); index < end; index++) {
      const at = this.lastAckMs(index, tMs)
      if (!Number.isNaN(at) && at > bestAt) {
        bestAt = at
        best = index
      }
    }
    return best
  }

  /** When the pair's latest surely-complete like was acknowledged (for examples). */
  lastAckMs(index: number, tMs: number): number {
    let at = Number.NaN
    const end = this.lastEventOf(index) + 1
    for (let i = this.firstEventOf(index); i < end; i++) {
      if (this.liked[i] === 1 && this.eventCompleteMsOf(i) <= tMs) at = this.eventCompleteMsOf(i)
    }
    return at
  }
}

/** Events as found, before they are sorted: one row each. */
class EventColumns {
  readonly keys: Float64Array
  readonly invoke: Float64Array
  readonly complete: Float64Array
  readonly liked: Uint8Array
  readonly attempt: Int32Array
  count = 0

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity)
    this.invoke = new Float64Array(capacity)
    this.complete = new Float64Array(capacity)
    this.liked = new Uint8Array(capacity)
    this.attempt = new Int32Array(capacity)
  }

  add(key: number, invokeMs: number, completeMs: number, isLike: boolean, attempt: number): void {
    const at = this.count++
    this.keys[at] = key
    this.invoke[at] = invokeMs
    this.complete[at] = completeMs
    this.liked[at] = isLike ? 1 : 0
    this.attempt[at] = attempt
  }
}
