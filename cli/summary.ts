// The terminal summary of a run: pure, returns a string.
import { checkNamesWith, STATUS_MARK, VERDICT_LABEL } from '../reports/check-status.ts'
import type { HttpHealth, RunResult } from '../result/result.ts'


function fmt(value: number | null, digits = 3): string {
  return value === null ? 'n/a' : value.toFixed(digits)
}

export function renderRunSummary(result: RunResult, { resultPath, reportPath, wallMs, examples = 2 }: { resultPath?: string; reportPath?: string; wallMs?: number; examples?: number }): string {
  const lines: string[] = []
  const m = result.metrics
  lines.push(`${result.scenario.name} · ${result.scenario.title} · seed ${result.seed} · strategy ${result.strategy.name} · mode ${result.mode}${result.scale !== 1 ? ` · scale ${result.scale}` : ''}`)
  const wall = wallMs === undefined ? '' : ` (${(wallMs / 1000).toFixed(1)} s wall)`
  lines.push(
    `  ${m.operations.toLocaleString('en-US')} operations over ${result.config.durationS} s${result.mode === 'sim' ? ' virtual' : ''}${wall} · ${m.retries.toLocaleString('en-US')} retries · ` +
      `${(m.errors['LS_CORE_OVERLOADED'] ?? 0).toLocaleString('en-US')} shed · ${m.staleReads.toLocaleString('en-US')} stale reads · p99 ${fmt(m.latencyMs.p99Ms, 1)} ms`,
  )
  if (result.faults.length > 0) lines.push(`  faults: ${result.faults.map((f) => f.description + (f.skipped === undefined ? '' : ` (skipped: ${f.skipped})`)).join(' · ')}`)
  const health = result.config.http?.health
  if (health !== undefined) lines.push(`  ${renderHealthLine(health)}`)
  const width = Math.max(...result.checks.map((c) => c.name.length))
  for (const check of result.checks) {
    lines.push(`  ${STATUS_MARK[check.status]} ${check.name.padEnd(width)}  ${check.observed}`)
    if (check.status === 'fail') {
      lines.push(`    expected: ${check.expected}`)
      for (const example of check.examples.slice(0, examples)) lines.push(`    e.g. ${example.message}`)
    }
  }
  const d = result.detection
  if (d !== null) {
    lines.push(
      `  detection: careless P=${fmt(d.byFarmKind.careless.precision)} R=${fmt(d.byFarmKind.careless.recall)} · ` +
        `stealthy P=${fmt(d.byFarmKind.stealthy.precision)} R=${fmt(d.byFarmKind.stealthy.recall)} · ` +
        (d.inactivePurges > 0 ? `inactive P=${fmt(d.inactive.precision)} R=${fmt(d.inactive.recall)} · ` : '') +
        `${d.genuineAccountsPurged} genuine accounts purged · genuine likes removed ${fmt(d.genuineLikesRemovedRatio, 4)}`,
    )
  }
  if (resultPath !== undefined) lines.push(`  result: ${resultPath}`)
  if (reportPath !== undefined) lines.push(`  report: ${reportPath}`)
  const verdict = VERDICT_LABEL[result.verdict]
  const expectation = result.expectation
  // Expectations speak of invariant checks only; a failed threshold is said on its own.
  const failedThresholds = result.checks.filter((c) => c.kind === 'threshold' && c.status === 'fail').length
  const thresholdNote = failedThresholds === 0 ? '' : `; ${failedThresholds} threshold(s) failed`
  const invariantNote = expectation === null ? '' : expectation.matched ? `invariant checks as expected for ${result.strategy.name}` : `expected ${expectation.failing.length === 0 ? 'every invariant check to pass' : `invariant checks ${expectation.failing.join(', ')} to fail`}`
  const note = invariantNote === '' && thresholdNote === '' ? '' : ` (${invariantNote === '' ? thresholdNote.slice(2) : invariantNote + thresholdNote})`
  const stopLine = renderStopLine(result)
  if (stopLine !== undefined) lines.push(`  ${stopLine}`)
  lines.push(`  ${verdict}${note}`)
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

/** One row per run: scenario, strategy, verdict, failing checks, whether it matched expectations. */
export function renderTourTable(results: readonly RunResult[]): string {
  const rows = results.map((r) => [
    r.scenario.name,
    r.mode,
    r.strategy.name,
    r.verdict === 'pass' ? 'pass' : VERDICT_LABEL[r.verdict],
    checkNamesWith(r, 'fail').join(', ') || '-',
    r.expectation === null ? '-' : r.expectation.matched ? 'yes' : 'NO',
  ])
  const header = ['scenario', 'mode', 'strategy', 'verdict', 'failed checks', 'as expected']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)))
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ').trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

/** Scenario x check matrix: ✓ passed, ✗ failed, ? inconclusive, – not applicable, · not run. */
export function renderCheckMatrix(results: readonly RunResult[]): string {
  const names: string[] = []
  for (const result of results) for (const check of result.checks) if (!names.includes(check.name)) names.push(check.name)
  const rowLabel = (r: RunResult): string => (results.some((other) => other.strategy.name !== r.strategy.name) ? `${r.scenario.name} [${r.strategy.name}]` : r.scenario.name)
  const labelWidth = Math.max('scenario'.length, ...results.map((r) => rowLabel(r).length))
  const header = `${'scenario'.padEnd(labelWidth)}  ${names.map((_, i) => String(i + 1).padStart(2)).join(' ')}  verdict`
  const rows = results.map((r) => {
    const cells = names.map((name) => {
      const check = r.checks.find((c) => c.name === name)
      return (check === undefined ? '·' : STATUS_MARK[check.status]).padStart(2)
    })
    return `${rowLabel(r).padEnd(labelWidth)}  ${cells.join(' ')}  ${r.verdict === 'pass' ? 'pass' : VERDICT_LABEL[r.verdict]}`
  })
  const legend = names.map((name, i) => `${i + 1} ${name}`).join(' · ')
  return [header, ...rows, '', legend].join('\n')
}

/** Mode http: whether the load generator kept the offered schedule, in one line (timing checks are inconclusive when not). */
export function renderHealthLine(health: HttpHealth): string {
  if (!health.scheduleKept) return `load generator: INCONCLUSIVE timing: ${health.cause ?? 'it could not keep the offered schedule'}`
  const lag = health.scheduleLagP99Ms === null ? 'closed model' : `schedule lag p99 ${health.scheduleLagP99Ms} ms, ${(100 * health.lateShare).toFixed(1)}% sent > ${health.lateThresholdMs} ms late`
  const cpu = health.threadCpuCores === null ? '' : `, ${health.threadCpuCores} of a core`
  return `load generator: kept the schedule (${lag}, ${(100 * health.droppedShare).toFixed(1)}% dropped; event-loop delay p99 ${health.eventLoopDelayP99Ms} ms${cpu})`
}
