// Check contexts built by hand around a run's history, and histories rewritten from a run's: what
// a system that breaks (or keeps) an invariant would have answered, for the checks' unit tests.
import { kindOfCode } from '../../../scenarios/protocol/answer-kind.ts'
import type { CheckConfig, CheckContext } from '../../../sim/checks/check-types.ts'
import { PairTimeline } from '../../../sim/checks/pair-timeline.ts'
import { History, Outcome, emptyRegionFinal } from '../../../sim/history.ts'
import type { RunOutcome } from '../../../scenarios/run/runner.ts'
import { scenario } from '../../helpers/runs.ts'

/** The context judgeRun would give the checks for this run, with another history or config if given. */
export function contextOf(outcome: RunOutcome, { history = outcome.history, config }: { history?: History; config?: CheckConfig } = {}): CheckContext {
  const { population } = outcome
  const spec = scenario(outcome.result.scenario.name)
  return {
    history,
    population,
    regionIds: population.regionIds,
    faults: spec.faults,
    durationMs: spec.durationS * 1000,
    pairs: new PairTimeline(history, { videoCount: population.videoCount, importedLikes: population.importedLikes }),
    config: config ?? spec.checks?.config ?? {},
    capacityRps: outcome.result.config.capacityRps,
    examplesMax: 10,
  }
}

/**
 * The run's history as a service would have produced it that answered every attempt with `code`
 * (a 404 to everything): the same requests at the same times, none acknowledged, and final reads
 * that all failed.
 */
export function everyAttemptFailed(source: History, { code, regionIds, videoCount }: { code: string; regionIds: readonly string[]; videoCount: number }): History {
  const history = new History({ capacity: source.length })
  for (let i = 0; i < source.length; i++) {
    const invokeMs = source.invokeMsOf(i)
    const index = history.invoke(source.invocationOf(i))
    history.fail(index, invokeMs + 1, 1, kindOfCode(code), code)
  }
  const atMs = source.final?.atMs ?? 0
  history.final = { atMs, regions: regionIds.map((region) => ({ ...emptyRegionFinal(region, videoCount), readAtMs: atMs })), inboxes: new Map(), inboxMax: 100, inboxFailures: 0 }
  return history
}

/** A copy of the history (its columns and final snapshot shared where not rewritten), its attempts in `order` when given (source rows). */
export function copyHistory(source: History, order?: readonly number[]): History {
  const history = new History({ capacity: source.length })
  for (let row = 0; row < source.length; row++) {
    const i = order === undefined ? row : (order[row] as number)
    const index = history.invoke(source.invocationOf(i))
    const outcome = source.outcomeOf(i)
    if (outcome === Outcome.Ok) history.ok(index, source.completeMsOf(i), source.latencyMsOf(i))
    else if (outcome === Outcome.Fail) history.fail(index, source.completeMsOf(i), source.latencyMsOf(i), source.failureOf(i), source.errorCode(i))
    else if (outcome === Outcome.Indeterminate) history.indeterminate(index, source.invokeMsOf(i) + source.latencyMsOf(i), source.failureOf(i), source.errorCode(i))
    const stale = source.isStale(i)
    const asOfMs = source.asOfMsOf(i)
    history.counts(index, { likeCount: source.likeCountOf(i), viewCount: source.viewCountOf(i), uniqueViewers: source.uniqueViewersOf(i), stale, asOfMs })
    const liked = source.likedOf(i)
    if (liked !== undefined) history.likedFlag(index, { liked, stale, asOfMs })
  }
  history.asOfSlackMs = source.asOfSlackMs
  history.faults.push(...source.faults)
  history.final = source.final
  history.convergenceFromMs = source.convergenceFromMs
  history.probes.push(...source.probes)
  history.lagSamples.push(...source.lagSamples)
  history.countsReadBefore.push(...source.countsReadBefore)
  return history
}

/**
 * Attempt i's answer as one claiming another age: recorded again with `stale` and `asOfMs`
 * changed (what a lying or mis-clocked target would have answered).
 */
export function restamp(history: History, i: number, claim: { stale?: boolean; asOfMs?: number }): void {
  const stale = claim.stale ?? history.isStale(i)
  const asOfMs = claim.asOfMs ?? history.asOfMsOf(i)
  const liked = history.likedOf(i)
  if (liked !== undefined) history.likedFlag(i, { liked, stale, asOfMs })
  else history.counts(i, { likeCount: history.likeCountOf(i), viewCount: history.viewCountOf(i), uniqueViewers: history.uniqueViewersOf(i), stale, asOfMs })
}
