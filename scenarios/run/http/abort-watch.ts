// abortOnFail during an http run, as k6 does it: thresholds marked abortOnFail are judged while
// the run goes on (after their delayAbortEval), and the first one crossed stops the run. The
// metrics are fed incrementally from the history's settled prefix: every attempt up to the oldest
// one still waiting for its answer (bounded by the client timeout), each fed exactly once.
// A threshold with nothing measured yet is not judged. reads_zero_while_liked needs the whole
// history's like timelines, so thresholds on it are judged at the end only.
import { Outcome, type History } from '../../../sim/history.ts'
import { evaluateThresholds, HistoryMetrics } from '../metric-store.ts'
import type { Threshold } from '../threshold.ts'

const END_ONLY_METRICS = new Set(['reads_zero_while_liked', 'dropped_iterations', 'vus'])

export class AbortWatch {
  private readonly thresholds: readonly Threshold[]
  private readonly metrics: HistoryMetrics
  private settled = 0

  constructor({ thresholds, regionIds, scenario, timeScale }: { thresholds: readonly Threshold[]; regionIds: readonly string[]; scenario: string; timeScale: number }) {
    this.thresholds = thresholds.filter((t) => t.abortOnFail && !END_ONLY_METRICS.has(t.key.metric))
    this.metrics = new HistoryMetrics({ regionIds, scenario, timeScale })
  }

  /** Whether any threshold may abort the run. */
  get active(): boolean {
    return this.thresholds.length > 0
  }

  /** Feed what settled since the last call; the name of a crossed threshold, or undefined. */
  check(history: History, elapsedMs: number): string | undefined {
    const from = this.settled
    let to = from
    while (to < history.length && history.outcomeOf(to) !== Outcome.Pending) to++
    this.metrics.record(history, from, to)
    this.settled = to
    const due = this.thresholds.filter((t) => t.delayAbortEvalMs <= elapsedMs)
    const crossed = evaluateThresholds(this.metrics.store, due).find((outcome) => outcome.observed !== null && !outcome.passed)
    return crossed === undefined ? undefined : `${crossed.name} (observed ${Math.round(crossed.observed as number * 1000) / 1000})`
  }
}
