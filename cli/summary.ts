// The terminal summary of a run: pure, returns a string. How much of it prints is the command's
// choice (SummaryFormat): one line per run when there are several, a brief summary that fits
// LINE_WIDTH for one, everything (each check's expectation and examples) with --verbose.
import { checkNamesWith, STATUS_MARK, VERDICT_LABEL } from '../reports/check-status.ts'
import type { HttpHealth, RunResult } from '../result/result.ts'
import { cutLine, foldText, foldTokens, LINE_WIDTH } from './fold.ts'
import { renderRunLine, scaleText } from './run-line.ts'

/** How each run of a command is printed. */
export interface SummaryFormat {
  /** line: one line (several runs); brief: a summary within LINE_WIDTH (one run); full: every detail (--verbose). */
  readonly style: 'line' | 'brief' | 'full'
  /** Style line: scenario names are padded to this, so the lines align. */
  readonly nameWidth?: number
}

/** Settings that say how each run prints (absent: in full). */
export interface WithSummaryFormat {
  readonly summary?: SummaryFormat
}

/** The format of a command's runs: --verbose prints everything, several runs a line each, one run a brief summary. */
export function summaryFormat({ verbose, scenarioNames }: { verbose: boolean; scenarioNames: readonly string[] }): SummaryFormat {
  if (verbose) return { style: 'full' }
  if (scenarioNames.length > 1) return { style: 'line', nameWidth: Math.max(...scenarioNames.map((name) => name.length)) }
  return { style: 'brief' }
}

/** A run as its format says (no format: in full), ending with the blank line that parts it from the next, if any. */
export function renderRun(result: RunResult, format: SummaryFormat | undefined, paths: { resultPath?: string; reportPath?: string; wallMs?: number }): string {
  if (format?.style === 'line') return `${renderRunLine(result, { path: paths.reportPath ?? paths.resultPath, ...(format.nameWidth === undefined ? {} : { nameWidth: format.nameWidth }) })}\n`
  return `${renderRunSummary(result, { ...paths, brief: format?.style === 'brief' })}\n\n`
}

function fmt(value: number | null, digits = 3): string {
  return value === null ? 'n/a' : value.toFixed(digits)
}

/**
 * A run's summary. In full, every check with what it observed, and each failed one with what it
 * expects and examples. Brief, every line fits LINE_WIDTH (prose folds; a passing check's
 * observation is cut, its whole in the report), and a failed check's expectation and examples are
 * left to the report: its name, mark and observation stay. Paths and the replay command are never
 * folded.
 */
export function renderRunSummary(
  result: RunResult,
  { resultPath, reportPath, wallMs, wallLabel = 'wall', examples = 2, brief = false }: { resultPath?: string; reportPath?: string; wallMs?: number; /** What wallMs timed ('wall': the run itself). */ wallLabel?: string; examples?: number; brief?: boolean },
): string {
  const lines: string[] = []
  const prose = (text: string): void => {
    lines.push(brief ? foldText(text) : text)
  }
  const m = result.metrics
  prose(`${result.scenario.name} · ${result.scenario.title} · seed ${result.seed} · strategy ${result.strategy.name} · mode ${result.mode}${result.scale !== 1 ? ` · scale ${result.scale}` : ''}`)
  const wall = wallMs === undefined ? '' : ` (${(wallMs / 1000).toFixed(1)} s ${wallLabel})`
  prose(
    `  ${m.operations.toLocaleString('en-US')} operations over ${result.config.durationS} s${result.mode === 'sim' ? ' virtual' : ''}${wall} · ${m.retries.toLocaleString('en-US')} retries · ` +
      `${(m.errors['LS_CORE_OVERLOADED'] ?? 0).toLocaleString('en-US')} shed · ${m.staleReads.toLocaleString('en-US')} stale reads · p99 ${fmt(m.latencyMs.p99Ms, 1)} ms`,
  )
  if (result.faults.length > 0) prose(`  faults: ${result.faults.map((f) => f.description + (f.skipped === undefined ? '' : ` (skipped: ${f.skipped})`)).join(' · ')}`)
  const health = result.config.http?.health
  if (health !== undefined) prose(`  ${renderHealthLine(health)}`)
  const width = Math.max(...result.checks.map((c) => c.name.length))
  // Brief: the harness's cause is said once, on its line; a timing check it made inconclusive points there.
  const harnessCause = health?.scheduleKept === false && health.cause !== undefined ? `; INCONCLUSIVE: ${health.cause}` : undefined
  for (const check of result.checks) {
    const lead = `  ${STATUS_MARK[check.status]} ${check.name.padEnd(width)}  `
    const observed = brief && harnessCause !== undefined && check.observed.endsWith(harnessCause) ? `${check.observed.slice(0, -harnessCause.length)}; INCONCLUSIVE: see the harness line above` : check.observed
    // Brief: what a failed or unjudged check observed is folded in full (it is the evidence, or why); a passing one's is cut.
    if (!brief) lines.push(lead + observed)
    else if (check.status === 'pass' || check.status === 'not-applicable') lines.push(cutLine(lead + observed))
    else lines.push(...foldTokens(observed.split(' '), { first: lead, indent: ' '.repeat(lead.length) }))
    if (check.status === 'fail' && !brief) {
      lines.push(`    expected: ${check.expected}`)
      for (const example of check.examples.slice(0, examples)) lines.push(`    e.g. ${example.message}`)
    }
  }
  const d = result.detection
  if (d !== null) {
    prose(
      `  detection: careless P=${fmt(d.byFarmKind.careless.precision)} R=${fmt(d.byFarmKind.careless.recall)} · ` +
        `stealthy P=${fmt(d.byFarmKind.stealthy.precision)} R=${fmt(d.byFarmKind.stealthy.recall)} · ` +
        (d.inactivePurges > 0 ? `inactive P=${fmt(d.inactive.precision)} R=${fmt(d.inactive.recall)} · ` : '') +
        `${d.genuineAccountsPurged} genuine accounts purged · genuine likes removed ${fmt(d.genuineLikesRemovedRatio, 4)}`,
    )
  }
  if (resultPath !== undefined) lines.push(`  result: ${resultPath}`)
  if (reportPath !== undefined) lines.push(`  report: ${reportPath}`)
  if (brief && result.checks.some((c) => c.status === 'fail')) prose(`  what each failed check expects, with examples: in ${reportPath === undefined ? 'result.json' : 'the report'}, or run again with --verbose`)
  const verdict = VERDICT_LABEL[result.verdict]
  const expectation = result.expectation
  // Expectations speak of invariant checks only; a failed threshold is said on its own.
  const failedThresholds = result.checks.filter((c) => c.kind === 'threshold' && c.status === 'fail').length
  const thresholdNote = failedThresholds === 0 ? '' : `; ${failedThresholds} threshold(s) failed`
  const invariantNote = expectation === null ? '' : expectation.matched ? `invariant checks as expected for ${result.strategy.name}` : `expected ${expectation.failing.length === 0 ? 'every invariant check to pass' : `invariant checks ${expectation.failing.join(', ')} to fail`}`
  const note = invariantNote === '' && thresholdNote === '' ? '' : ` (${invariantNote === '' ? thresholdNote.slice(2) : invariantNote + thresholdNote})`
  const stopLine = renderStopLine(result)
  if (stopLine !== undefined) prose(`  ${stopLine}`)
  prose(`  ${verdict}${note}`)
  if (result.verdict !== 'pass') lines.push(`  replay: ${result.replay}`)
  return lines.join('\n')
}

/**
 * Why a run stopped before its end, on a line of its own: each cause reads differently and has
 * its own exit code (exit-codes.ts), so a bound reached never passes for an interruption.
 */
export function renderStopLine(result: Pick<RunResult, 'stoppedBy'>): string | undefined {
  const stopped = result.stoppedBy
  if (stopped === undefined) return undefined
  switch (stopped.kind) {
    case 'signal':
      return `INTERRUPTED by ${stopped.detail}: a partial run; checks judged what ran`
    case 'time-limit':
    case 'operation-cap':
      return `STOPPED: ${stopped.detail} before the scenario ended; checks judged what ran`
    case 'abort-on-fail':
      return `ABORTED: an abortOnFail threshold was crossed (${stopped.detail}); checks judged what ran`
    case 'incomplete-output':
      return `INCOMPLETE: ${stopped.detail}; checks judged what they cover`
  }
}

/**
 * One row per run: scenario, mode, strategy, scale, verdict, how many checks failed (and could not
 * be judged), whether it matched its expected outcome. The names are on each run's line above it.
 */
export function renderTourTable(results: readonly RunResult[]): string {
  const rows = results.map((r) => {
    const failed = checkNamesWith(r, 'fail').length
    const inconclusive = checkNamesWith(r, 'inconclusive').length
    const counted = `${failed} of ${r.checks.length}${inconclusive === 0 ? '' : `, ${inconclusive} inconclusive`}`
    return [r.scenario.name, r.mode, r.strategy.name, scaleText(r), r.verdict === 'pass' ? 'pass' : VERDICT_LABEL[r.verdict], counted, r.expectation === null ? '-' : r.expectation.matched ? 'yes' : 'NO']
  })
  const header = ['scenario', 'mode', 'strategy', 'scale', 'verdict', 'checks failed', 'as expected']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)))
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ').trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

/** Scenario x check matrix: ✓ passed, ✗ failed, ? inconclusive, – not applicable, · not run; the legend folds within `width`. */
export function renderCheckMatrix(results: readonly RunResult[], { width = LINE_WIDTH }: { width?: number } = {}): string {
  const names: string[] = []
  for (const result of results) for (const check of result.checks) if (!names.includes(check.name)) names.push(check.name)
  const mixed = (key: (r: RunResult) => string): boolean => results.some((other) => key(other) !== key(results[0] as RunResult))
  const tags = (r: RunResult): string[] => [...(mixed((x) => x.strategy.name) ? [r.strategy.name] : []), ...(mixed((x) => x.mode) ? [r.mode] : [])]
  const rowLabel = (r: RunResult): string => (tags(r).length === 0 ? r.scenario.name : `${r.scenario.name} [${tags(r).join(', ')}]`)
  const labelWidth = Math.max('scenario'.length, ...results.map((r) => rowLabel(r).length))
  const header = `${'scenario'.padEnd(labelWidth)}  ${names.map((_, i) => String(i + 1).padStart(2)).join(' ')}  verdict`
  const rows = results.map((r) => {
    const cells = names.map((name) => {
      const check = r.checks.find((c) => c.name === name)
      return (check === undefined ? '·' : STATUS_MARK[check.status]).padStart(2)
    })
    return `${rowLabel(r).padEnd(labelWidth)}  ${cells.join(' ')}  ${r.verdict === 'pass' ? 'pass' : VERDICT_LABEL[r.verdict]}`
  })
  const legend = foldTokens(
    names.map((name, i) => `${i + 1} ${name}${i < names.length - 1 ? ' ·' : ''}`),
    { indent: '', width },
  )
  return [header, ...rows, '', ...legend].join('\n')
}

/** Mode http: whether the load generator kept the offered schedule, in one line (timing checks are inconclusive when not). */
export function renderHealthLine(health: HttpHealth): string {
  if (!health.scheduleKept) return `harness: INCONCLUSIVE timing: ${health.cause ?? 'it could not keep the offered schedule'}`
  const lag = health.scheduleLagP99Ms === null ? 'closed model' : `schedule lag p99 ${health.scheduleLagP99Ms} ms, ${(100 * health.lateShare).toFixed(1)}% sent > ${health.lateThresholdMs} ms late`
  const cpu = health.threadCpuCores === null ? '' : `, ${health.threadCpuCores} of a core`
  return `load generator: kept the schedule (${lag}, ${(100 * health.droppedShare).toFixed(1)}% dropped; event-loop delay p99 ${health.eventLoopDelayP99Ms} ms${cpu})`
}
