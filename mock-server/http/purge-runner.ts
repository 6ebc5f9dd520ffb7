// Runs the core's purge jobs for the admin routes without holding the event loop that every
// region shares: the job's slices run for at most `turnMsMax` of wall time per event-loop turn,
// then the runner yields (setImmediate) so the regions answer the requests that arrived
// meanwhile; the report's JSON (a million removed likes are ~40 MB of it) is streamed the same
// way. One purge at a time per server: a second purge request waits for the first to finish,
// then begins (at its own time), so two purges never pick the same accounts.
import { Readable } from 'node:stream'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { EngagementCore } from '../core/engagement-core.ts'
import type { PurgeJob } from '../core/purge-job.ts'
import type { PurgeReport, PurgeScores } from '../core/types.ts'
import { MonotonicClock } from './clock.ts'
import type { LiveWorld } from './live-world.ts'

/** Wall time a purge may hold the event loop per turn before it yields. */
export const PURGE_TURN_MS_MAX = 8
/** Accounts, removed likes or removed views serialized per piece of the report's JSON (~100 KB). */
const ITEMS_PER_PIECE = 2000

export interface PurgeOutcome {
  readonly report: PurgeReport
  /** The report as the route's JSON body, made in pieces as it is sent. */
  readonly body: Readable
  /** Event-loop turns the purge took (1: it never had to yield). */
  readonly turns: number
}

export class PurgeRunner {
  private readonly world: LiveWorld
  private readonly turnMsMax: number
  private readonly wall = new MonotonicClock()
  private last: Promise<unknown> = Promise.resolve()

  constructor({ world, turnMsMax = PURGE_TURN_MS_MAX }: { world: LiveWorld; turnMsMax?: number }) {
    this.world = world
    this.turnMsMax = turnMsMax
  }

  /** Begin a purge once the one before it is done, and run it in turns. */
  run(begin: (core: EngagementCore, nowMs: number) => PurgeJob): Promise<PurgeOutcome> {
    const outcome = this.last.then(() => this.drive(begin))
    // A failed purge (a bug: a 500) must not stop the ones queued after it.
    this.last = outcome.catch(() => undefined)
    return outcome
  }

  private async drive(begin: (core: EngagementCore, nowMs: number) => PurgeJob): Promise<PurgeOutcome> {
    const { world } = this
    // The job keeps the core it began on: a reset meanwhile does not move it to the new world.
    const job = begin(world.core, world.clock.nowMs())
    let turns = 1
    for (;;) {
      const turnStartMs = this.wall.nowMs()
      let done = false
      while (!done && this.wall.nowMs() - turnStartMs < this.turnMsMax) done = job.step(world.clock.nowMs())
      if (done) break
      turns++
      await nextTurn()
    }
    return { report: job.report, body: Readable.from(this.jsonPieces(job.report), { objectMode: false }), turns }
  }

  /**
   * The report's JSON (the text JSON.stringify(report) gives) as buffers of a few hundred items,
   * made as the socket takes them and yielding between turns: neither one 40 MB string nor the
   * one-go encoding of it to bytes ever holds the event loop.
   */
  private async *jsonPieces(report: PurgeReport): AsyncGenerator<Buffer> {
    yield Buffer.from(`{"kind":${JSON.stringify(report.kind)},"atMs":${JSON.stringify(report.atMs)},"accounts":`)
    yield* this.arrayPieces(report.accounts)
    yield Buffer.from(',"removedLikes":')
    yield* this.arrayPieces(report.removedLikes)
    if (report.removedViews !== undefined) {
      yield Buffer.from(',"removedViews":')
      yield* this.arrayPieces(report.removedViews)
    }
    if (report.detectorError !== undefined) yield Buffer.from(`,"detectorError":${JSON.stringify(report.detectorError)}`)
    if (report.scores !== undefined) {
      yield Buffer.from(',"scores":')
      yield* this.scoresPieces(report.scores)
    }
    if (report.baselines !== undefined) {
      yield Buffer.from(',"baselines":{')
      let first = true
      for (const [name, scores] of Object.entries(report.baselines)) {
        yield Buffer.from(`${first ? '' : ','}${JSON.stringify(name)}:`)
        yield* this.scoresPieces(scores)
        first = false
      }
      yield Buffer.from('}')
    }
    yield Buffer.from('}')
  }

  /** A detector's scores of every account it scored (what result.json's curve is drawn from). */
  private async *scoresPieces(scores: PurgeScores): AsyncGenerator<Buffer> {
    yield Buffer.from(`{"name":${JSON.stringify(scores.name)},"purgeScoreMin":${JSON.stringify(scores.purgeScoreMin)},"scored":`)
    yield* this.arrayPieces(scores.scored)
    yield Buffer.from('}')
  }

  private async *arrayPieces(items: readonly unknown[]): AsyncGenerator<Buffer> {
    if (items.length === 0) {
      yield Buffer.from('[]')
      return
    }
    let turnStartMs = this.wall.nowMs()
    for (let from = 0; from < items.length; from += ITEMS_PER_PIECE) {
      const json = JSON.stringify(items.slice(from, from + ITEMS_PER_PIECE))
      const last = from + ITEMS_PER_PIECE >= items.length
      // '[a,b' + ',c,d' + ... + ',y,z]': the brackets of the pieces between are dropped.
      yield Buffer.from(`${from === 0 ? '[' : ','}${json.slice(1, -1)}${last ? ']' : ''}`)
      if (this.wall.nowMs() - turnStartMs >= this.turnMsMax) {
        await nextTurn()
        turnStartMs = this.wall.nowMs()
      }
    }
  }
}
