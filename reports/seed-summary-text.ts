// seeds.json as the terminal shows it after `likestorm run --seeds` (pure): a head line, the
// verdicts, each check some seed failed or could not judge (with those seeds), the replay command
// of each seed that did not pass, and a table of the detection numbers: n, mean, sample sd, min,
// max and the 95% confidence interval of the mean. Every line but a replay command fits 120
// columns: labels are at most 35 characters and the seed lists are cut.
import { STATUS_MARK } from './check-status.ts'
import { metricDigits, SEED_SUMMARY_FILE, type SeedMetric, type SeedSummary } from './seed-summary.ts'

/** Seeds listed on a check's line; the rest are counted (seeds.json lists them all). */
const SEEDS_SHOWN = 12

/** The seeds as a person would write them: `1..5,9`. */
export function seedListText(seeds: readonly number[]): string {
  const parts: string[] = []
  let start = 0
  for (let i = 1; i <= seeds.length; i++) {
    if (i < seeds.length && (seeds[i] as number) === (seeds[i - 1] as number) + 1) continue
    const first = seeds[start] as number
    const last = seeds[i - 1] as number
    parts.push(first === last ? `${first}` : last === first + 1 ? `${first},${last}` : `${first}..${last}`)
    start = i
  }
  return parts.join(',')
}

/** The summary as lines of text; `path` is where seeds.json was written. */
export function renderSeedSummary(summary: SeedSummary, { path }: { path?: string } = {}): string {
  const ran = summary.runs.length
  const shown = seedListText(summary.seeds)
  const lines = [
    `${summary.scenario} over ${summary.seeds.length} seeds (${shown.length > 40 ? `${shown.slice(0, 39)}…` : shown}) · ${summary.strategy} · ${summary.mode} scale ${summary.scale} · ${summary.detector === null ? 'built-in detector' : `detector ${summary.detector}`}`,
  ]
  const verdicts = (['pass', 'fail', 'inconclusive'] as const).filter((verdict) => summary.verdicts[verdict] > 0).map((verdict) => `${summary.verdicts[verdict]} ${verdict}`)
  const notRun = summary.notRun.length === 0 ? '' : ` · ${summary.notRun.length} not run (stopped first)`
  lines.push(`  verdicts of ${ran} runs: ${verdicts.join(' · ')}${notRun}`)
  const stopped = summary.runs.filter((run) => run.stoppedBy !== null).map((run) => run.seed)
  if (stopped.length > 0) lines.push(`  stopped early, so counted in the verdicts but not in the numbers: seed ${seedsText(stopped)}`)
  const troubled = summary.checks.filter((check) => check.fail > 0 || check.inconclusive > 0)
  if (troubled.length === 0) lines.push(`  every check that applies passed in every run`)
  const nameWidth = Math.max(0, ...troubled.map((check) => check.name.length))
  for (const check of troubled) {
    if (check.fail > 0) lines.push(`  ${STATUS_MARK.fail} ${check.name.padEnd(nameWidth)}  failed in ${check.fail} of ${ran}: seed ${seedsText(check.failedSeeds)}`)
    if (check.inconclusive > 0) lines.push(`  ${STATUS_MARK.inconclusive} ${check.name.padEnd(nameWidth)}  inconclusive in ${check.inconclusive} of ${ran}: seed ${seedsText(check.inconclusiveSeeds)}`)
  }
  // A failing or unjudged seed's replay command, never cut (a command cut in half replays nothing).
  const replays = summary.runs.filter((run) => run.verdict !== 'pass')
  for (const run of replays.slice(0, SEEDS_SHOWN)) lines.push(`  replay seed ${run.seed}: ${run.replay}`)
  if (replays.length > SEEDS_SHOWN) lines.push(`  … and ${replays.length - SEEDS_SHOWN} more failing seeds: their replay commands are in ${SEED_SUMMARY_FILE}`)
  // A number no run had (no inactive purge in the scenario) stays in seeds.json, out of the table.
  const measured = summary.metrics.filter((metric) => metric.stats !== null)
  const level = `${Math.round(summary.interval.level * 100)}%`
  if (measured.length === 0) lines.push('  no detection numbers: no complete run had a purge')
  else {
    lines.push('', ...metricTable(measured, level), '')
    lines.push(`  n: complete runs with a value (a/b: b complete runs, a of them with one) · sd: sample standard deviation`)
    lines.push(`  ${level} CI of the mean: mean ± t(n - 1) · sd / √n (Student t; wide for few seeds, and not clipped to a ratio's 0..1)`)
  }
  if (path !== undefined) lines.push(`  ${SEED_SUMMARY_FILE}: ${path}`)
  return lines.join('\n')
}

function seedsText(seeds: readonly number[]): string {
  const listed = seeds.slice(0, SEEDS_SHOWN).join(', ')
  return seeds.length > SEEDS_SHOWN ? `${listed} and ${seeds.length - SEEDS_SHOWN} more` : listed
}

function metricTable(metrics: readonly SeedMetric[], level: string): string[] {
  const labelWidth = Math.max(...metrics.map((metric) => metric.label.length))
  const header = ['n', 'mean', 'sd', 'min', 'max']
  const row = (label: string, cells: readonly string[], ci: string): string => `  ${label.padEnd(labelWidth)}  ${cells.map((cell, i) => cell.padStart(i === 0 ? 5 : 9)).join('')}   ${ci}`.trimEnd()
  return [
    row('', header, `${level} CI of the mean`),
    ...metrics.map((metric) => {
      const digits = metricDigits(metric.path)
      const s = metric.stats
      const n = `${s?.n ?? 0}${metric.missing === 0 ? '' : `/${(s?.n ?? 0) + metric.missing}`}`
      if (s === null) return row(metric.label, [n, '-', '-', '-', '-'], '-')
      const f = (value: number | null): string => (value === null ? '-' : unsigned(value.toFixed(digits)))
      return row(metric.label, [n, f(s.mean), f(s.sd), f(s.min), f(s.max)], s.ci === null ? '-' : `${f(s.ci.low)} .. ${f(s.ci.high)}`)
    }),
  ]
}

/** `-0.000` (a tiny negative rounded away) as `0.000`. */
function unsigned(text: string): string {
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text
}
