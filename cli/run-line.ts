// One run in one line (pure), what `run` with several scenarios and the tour print for each run
// by default: verdict, scenario, strategy, mode and scale, whether it matched its expected
// outcome, where its report is, then the names of the checks that failed or could not be judged
// (or, when all is well, a figure). Plain ASCII, so a column is a byte in any log. The names of
// failed checks are never dropped: when they do not fit after the path they continue on the next
// lines, indented; only the figure gives way. The report holds each check's examples.
import type { RunResult } from '../result/result.ts'
import { checkNamesWith, VERDICT_LABEL } from '../reports/check-status.ts'
import { isStopSignal } from './exit-codes.ts'
import { headThenTokens, joinLists, LINE_WIDTH, listTokens } from './fold.ts'

export interface RunLineOptions {
  /** Where the run's report is (its result.json when no report was written). */
  readonly path?: string | undefined
  /** Scenario names are padded to this, so the lines of one command align. */
  readonly nameWidth?: number
  readonly width?: number
}

/** Continuation lines start under the scenario name. */
const CONTINUATION = ' '.repeat(6)

/** The scale a run was driven at, and in mode http its time scale: `0.25`, `0.05 time 0.5`. */
export function scaleText(result: Pick<RunResult, 'mode' | 'scale' | 'config'>): string {
  const timeScale = result.mode === 'http' ? result.config.http?.timeScale : undefined
  return `${result.scale}${timeScale === undefined ? '' : ` time ${timeScale}`}`
}

/** The mode and scale a run was driven at: `sim scale 0.25`, `http scale 0.05 time 0.5`. */
export function runShape(result: Pick<RunResult, 'mode' | 'scale' | 'config'>): string {
  return `${result.mode} scale ${scaleText(result)}`
}

/** The run as one line, or more when the names of its failed checks do not fit on one. */
export function renderRunLine(result: RunResult, { path, nameWidth = 0, width = LINE_WIDTH }: RunLineOptions = {}): string {
  const expectation = result.expectation === null ? '' : (result.expectation.matched ? 'as expected' : 'NOT as expected').padEnd(15)
  const head = [VERDICT_LABEL[result.verdict].padEnd(4), result.scenario.name.padEnd(nameWidth), result.strategy.name.padEnd(6), runShape(result).padEnd(14), expectation, ...stopTags(result)]
    .filter((part) => part !== '')
    .join('  ')
  // The path on the run's line if it fits there, else first on the next (a path is never cut).
  const first = path === undefined ? head.trimEnd() : head.length + 2 + path.length <= width ? `${head}  ${path}` : `${head.trimEnd()}\n${CONTINUATION}${path}`
  const names = mustShow(result)
  if (names.length > 0) return headThenTokens(first, names, { indent: CONTINUATION, width })
  if (first.includes('\n')) return first
  let line = first
  for (const figure of figures(result)) if (line.length + 2 + figure.length <= width) line += `  ${figure}`
  return line
}

/** The checks that failed, then those that could not be judged, as tokens for foldTokens. */
function checkTokens(result: Pick<RunResult, 'checks'>, { failedLabel }: { failedLabel: string }): string[][] {
  return [listTokens(failedLabel, checkNamesWith(result, 'fail')), listTokens('inconclusive:', checkNamesWith(result, 'inconclusive'))]
}

/** What a reader must see: the checks that failed or could not be judged (and why, when the load generator says), and where that is not what was expected. */
function mustShow(result: RunResult): string[] {
  const lists = checkTokens(result, { failedLabel: 'failed:' })
  const expectation = result.expectation
  if (expectation !== null && !expectation.matched) {
    // Where the run parted from its expected outcome (expectations speak of judged invariant checks).
    const status = (name: string): string | undefined => result.checks.find((check) => check.name === name)?.status
    const unexpected = result.checks.filter((check) => check.kind === 'invariant' && check.status === 'fail' && !expectation.failing.includes(check.name)).map((check) => check.name)
    const held = expectation.failing.filter((name) => status(name) === 'pass')
    lists.push(listTokens('not expected to fail:', unexpected), listTokens('expected to fail but passed:', held))
  }
  // Mode http: why its timing checks could not be judged (the load generator's own measure).
  const health = result.config.http?.health
  if (health !== undefined && !health.scheduleKept) lists.push(`harness: ${health.cause ?? 'it could not keep the offered schedule'}`.split(' '))
  return joinLists(lists)
}

/** Why the run stopped early, in a word or two (the summary's stop line says it in full). */
function stopTags(result: RunResult): string[] {
  const tags: string[] = []
  const stopped = result.stoppedBy
  if (stopped !== undefined) {
    const tag = { signal: isStopSignal(stopped.detail) ? `INTERRUPTED by ${stopped.detail}` : 'INTERRUPTED', 'time-limit': 'STOPPED at its time limit', 'operation-cap': 'STOPPED at its operation cap', 'abort-on-fail': 'ABORTED by a threshold', 'incomplete-output': 'INCOMPLETE output' }[stopped.kind]
    tags.push(tag)
  }
  const skipped = result.faults.filter((fault) => fault.skipped !== undefined).length
  if (skipped > 0) tags.push(`${skipped} fault(s) skipped`)
  return tags
}

/** A passing run's figures, each shown if it fits. */
function figures(result: RunResult): string[] {
  const p99 = result.metrics.latencyMs.p99Ms
  return [`${result.metrics.operations.toLocaleString('en-US')} ops`, ...(p99 === null ? [] : [`p99 ${p99.toFixed(1)} ms`])]
}
