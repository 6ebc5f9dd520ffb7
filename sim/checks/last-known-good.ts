// What each region had already told about a thing (a video's counts, a user's like of a video)
// when it answered about it marked stale: the newest time it had claimed in a fresh read about
// it that completed before it was asked. A stale answer is last-known-good: it may not be older
// than that. And whether a request about it went unseen (the client gave up: the region may have
// served it and learned something the history does not show). What a --target answered the
// harness itself before the run (History.countsReadBefore) counts as told: a system that remembers
// every good read may serve one of those as its last known good, from before the run began.
import { History, Outcome, pairOf } from '../history.ts'
import { EventQueue } from '../event-queue.ts'
import { OpKind } from '../operation.ts'
import { indexOfSorted } from '../sorted-search.ts'

export interface KnownGood {
  /** The newest asOf of a fresh answer about the same thing, completed before the stale one was asked; -Infinity if none. */
  readonly newestFreshAsOfMs: number
  /** A request about it that may have been served unseen was sent before the stale one. */
  readonly unseenBefore: boolean
}

const UPDATE = 0
const UNSEEN = 1
const QUERY = 2

/**
 * What each stale answer's region had told before, in typed columns (a run has millions of
 * answers: a record or a map entry each would cost more than the history's own row).
 */
export class KnownGoodTable {
  /** The stale answers, as history indices in ascending order. */
  readonly rows: Int32Array
  private readonly newestFresh: Float64Array
  private readonly unseen: Uint8Array

  constructor(count: number) {
    this.rows = new Int32Array(count)
    this.newestFresh = new Float64Array(count)
    this.unseen = new Uint8Array(count)
  }

  /** The position of stale answer `row` in rows, -1 when it is not one. */
  positionOf(row: number): number {
    return indexOfSorted(this.rows, row)
  }

  at(position: number): KnownGood {
    return { newestFreshAsOfMs: this.newestFresh[position] as number, unseenBefore: this.unseen[position] === 1 }
  }

  set(position: number, { newestFreshAsOfMs, unseenBefore }: KnownGood): void {
    this.newestFresh[position] = newestFreshAsOfMs
    this.unseen[position] = unseenBefore ? 1 : 0
  }
}

/** Whether attempt i is an event of the fold below, and which. */
function eventTypeOf(history: History, i: number): number {
  const kind = history.kindOf(i)
  if (kind === OpKind.View) return -1
  const outcome = history.outcomeOf(i)
  if (outcome === Outcome.Ok) {
    if (Number.isNaN(history.asOfMsOf(i))) return -1
    if (history.isStale(i)) return QUERY
    // A write may be answered from the idempotency store: the answer an earlier request with its
    // key got, from the region that applied it — a retry failed over from us-west before its
    // outage (swarm-59469696371079), a duplicate sent to another region (swarm-118666721872868).
    // Such an answer tells nothing of this region, and the history cannot tell a replay from a
    // write applied here: only reads count as what a region told.
    if (kind === OpKind.Like || kind === OpKind.Unlike) return -1
    return UPDATE
  }
  return outcome === Outcome.Fail ? -1 : UNSEEN
}

/** For each stale answer (by history index): what its region had told about the same thing before. */
export function lastKnownGood(history: History, regionCount: number): KnownGoodTable {
  // Events in time order: fresh answers at their completion, unseen requests when sent, stale
  // answers when asked; at equal times what happened before a question counts for it.
  let queries = 0
  let invokeOrdered = true
  for (let i = 0; i < history.length; i++) {
    if (eventTypeOf(history, i) === QUERY) queries++
    if (i > 0 && history.invokeMsOf(i) < history.invokeMsOf(i - 1)) invokeOrdered = false
  }
  const table = new KnownGoodTable(queries)
  let q = 0
  for (let i = 0; i < history.length; i++) if (eventTypeOf(history, i) === QUERY) table.rows[q++] = i
  const told = new Told(history, regionCount, table)
  if (invokeOrdered) foldInInvokeOrder(history, told)
  else foldSorted(history, told)
  return told.table
}

/**
 * The events in time order without sorting them (a run's history is in the order its attempts
 * were sent: mode sim, the driver): unseen requests and stale answers come in that order, and
 * fresh answers wait for their completion in a queue that holds only the answers in flight. At
 * equal times the questions come after the fresh answers and the unseen requests, as in the sort
 * below.
 */
function foldInInvokeOrder(history: History, told: Told): void {
  const inFlight = new EventQueue<{ atMs: number; row: number }>()
  for (let i = 0; i < history.length; ) {
    const nowMs = history.invokeMsOf(i)
    let end = i
    while (end < history.length && history.invokeMsOf(end) === nowMs) end++
    // Fresh answers and unseen requests change different things (what was told, what went
    // unseen): only the questions must wait for both.
    let questions = false
    for (let k = i; k < end; k++) {
      const type = eventTypeOf(history, k)
      if (type === UPDATE) inFlight.push({ atMs: history.completeMsOf(k), row: k })
      else if (type === UNSEEN) told.unseenRequest(k)
      else if (type === QUERY) questions = true
    }
    while (inFlight.peekTimeMs() <= nowMs) told.update((inFlight.pop() as { row: number }).row)
    if (questions) for (let k = i; k < end; k++) if (eventTypeOf(history, k) === QUERY) told.query(k)
    i = end
  }
  while (inFlight.size > 0) told.update((inFlight.pop() as { row: number }).row)
}

/** The events sorted by time (a history not in the order its attempts were sent: an ingested k6 run's may not be). */
function foldSorted(history: History, told: Told): void {
  let events = 0
  for (let i = 0; i < history.length; i++) if (eventTypeOf(history, i) >= 0) events++
  const atMs = new Float64Array(events)
  const type = new Uint8Array(events)
  const row = new Int32Array(events)
  let e = 0
  for (let i = 0; i < history.length; i++) {
    const t = eventTypeOf(history, i)
    if (t < 0) continue
    atMs[e] = t === UPDATE ? history.completeMsOf(i) : history.invokeMsOf(i)
    type[e] = t
    row[e++] = i
  }
  const order = new Int32Array(events)
  for (let k = 0; k < events; k++) order[k] = k
  order.sort((a, b) => (atMs[a] as number) - (atMs[b] as number) || (type[a] as number) - (type[b] as number) || a - b)
  for (const event of order) {
    const i = row[event] as number
    if (type[event] === UPDATE) told.update(i)
    else if (type[event] === UNSEEN) told.unseenRequest(i)
    else told.query(i)
  }
}

/** What each region had told so far, per thing, and the stale answers' table it fills. */
class Told {
  private readonly newest = new Map<number, number>()
  private readonly unseen = new Set<number>()

  constructor(
    private readonly history: History,
    private readonly regionCount: number,
    readonly table: KnownGoodTable,
  ) {
    // Answered before every event of the run.
    for (const before of history.countsReadBefore) {
      const key = countsKey(before.video, before.region, regionCount)
      if (!((this.newest.get(key) ?? -Infinity) >= before.asOfMs)) this.newest.set(key, before.asOfMs)
    }
  }

  update(i: number): void {
    const asOfMs = this.history.asOfMsOf(i)
    for (const key of keysOf(this.history, i, this.regionCount)) if (!((this.newest.get(key) ?? -Infinity) >= asOfMs)) this.newest.set(key, asOfMs)
  }

  unseenRequest(i: number): void {
    for (const key of keysOf(this.history, i, this.regionCount)) this.unseen.add(key)
  }

  /** A stale answer is about its own key: a video's counts, or a user's like (a read-back). */
  query(i: number): void {
    const key = keysOf(this.history, i, this.regionCount)[0] as number
    const table = this.table
    table.set(table.positionOf(i), { newestFreshAsOfMs: this.newest.get(key) ?? -Infinity, unseenBefore: this.unseen.has(key) })
  }
}

/**
 * What an answer tells about, as keys per region: a video read about its counts, a read-back
 * about a user's like, a like or unlike about both (its answer carries the count). The answer's
 * own subject first.
 */
function keysOf(history: History, i: number, regionCount: number): number[] {
  const region = history.regionOf(i)
  const video = history.videoOf(i)
  const counts = countsKey(video, region, regionCount)
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

/** The key of a video's counts in a region (negative: apart from the like keys). */
function countsKey(video: number, region: number, regionCount: number): number {
  return -1 - (video * regionCount + region)
}
