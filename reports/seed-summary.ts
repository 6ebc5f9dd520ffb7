// One scenario run over several seeds (`likestorm run --seeds`), summarised: for each number of
// result.json's `detection` the mean, sample standard deviation, range and the 95% confidence
// interval of the mean (Student t), and how many seeds passed, failed or could not judge each
// check. Pure: the runs' results in, seeds.json's content out (the command writes it). The schema
// below is the file's contract; its type is derived from it, so the two cannot drift.
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import type { DetectionQuality, RunResult } from '../result/result.ts'
import { sampleStats } from './sample-stats.ts'

export const SEED_SUMMARY_FILE = 'seeds.json'
export const SEED_SUMMARY_FORMAT_VERSION = 1
/** The confidence level of every interval in seeds.json. */
export const SEED_SUMMARY_LEVEL = 0.95

const Ratio = Type.Number()
const Stats = Type.Object(
  {
    n: Type.Integer({ minimum: 1, description: 'seeds with a value' }),
    mean: Ratio,
    sd: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'sample standard deviation (n - 1); null when n = 1' }),
    min: Type.Number(),
    max: Type.Number(),
    ci: Type.Union([Type.Object({ low: Type.Number(), high: Type.Number() }, { additionalProperties: false }), Type.Null()], { description: 'confidence interval of the mean, Student t with n - 1 degrees of freedom; null when n = 1' }),
  },
  { additionalProperties: false },
)

const Metric = Type.Object(
  {
    path: Type.String({ description: "the field in result.json, e.g. 'detection.byFarmKind.stealthy.recall'" }),
    label: Type.String(),
    missing: Type.Integer({ minimum: 0, description: 'complete runs in which the field was absent or null (nothing flagged, no purge of that kind)' }),
    stats: Type.Union([Stats, Type.Null()], { description: 'null when no run had a value' }),
  },
  { additionalProperties: false },
)

const Seeds = Type.Array(Type.Integer({ minimum: 0 }), { maxItems: 1000 })

export const SeedSummarySchema = Type.Object(
  {
    kind: Type.Literal('likestorm-seed-summary'),
    formatVersion: Type.Literal(SEED_SUMMARY_FORMAT_VERSION),
    scenario: Type.String(),
    mode: Type.Union([Type.Literal('sim'), Type.Literal('http')]),
    strategy: Type.String(),
    detector: Type.Union([Type.String(), Type.Null()], { description: "the bot purges' detector module's name; null: the built-in one" }),
    scale: Type.Number(),
    seeds: Seeds,
    notRun: Type.Array(Type.Integer({ minimum: 0 }), { description: 'seeds asked for that did not run (a stop signal came first)' }),
    interval: Type.Object({ level: Type.Literal(SEED_SUMMARY_LEVEL), method: Type.Literal('student-t') }, { additionalProperties: false }),
    runs: Type.Array(
      Type.Object(
        {
          seed: Type.Integer({ minimum: 0 }),
          verdict: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('inconclusive')]),
          stoppedBy: Type.Union([Type.String(), Type.Null()], { description: 'why the run ended early; such a run counts in the verdicts but not in the metrics' }),
          result: Type.String({ description: "the run's result.json, relative to seeds.json" }),
          replay: Type.String({ description: 'the command that replays this run' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 1000 },
    ),
    verdicts: Type.Object({ pass: Type.Integer({ minimum: 0 }), fail: Type.Integer({ minimum: 0 }), inconclusive: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
    checks: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          pass: Type.Integer({ minimum: 0 }),
          fail: Type.Integer({ minimum: 0 }),
          inconclusive: Type.Integer({ minimum: 0 }),
          notApplicable: Type.Integer({ minimum: 0 }),
          failedSeeds: Seeds,
          inconclusiveSeeds: Seeds,
        },
        { additionalProperties: false },
      ),
    ),
    metrics: Type.Array(Metric, { description: 'the numbers of detection over the complete runs; empty when the scenario has no purges' }),
  },
  { additionalProperties: false },
)

export type SeedSummary = Static<typeof SeedSummarySchema>
export type SeedMetric = Static<typeof Metric>

/** Every way `value` is not a seeds.json (empty when it is one), a line each, at most 20. */
export function validateSeedSummary(value: unknown): string[] {
  return [...Value.Errors(SeedSummarySchema, value)].slice(0, 20).map((error) => `${error.instancePath || '/'}: ${error.message}`)
}

interface MetricSpec {
  readonly path: string
  readonly label: string
  readonly pick: (d: DetectionQuality) => number | null | undefined
  /** Decimals in the table (3 when absent: a ratio). */
  readonly digits?: number
}

/** The numbers summarised, in the table's order: the purges' quality, their cost, their speed, then the facts-only baseline. */
const METRICS: readonly MetricSpec[] = [
  { path: 'detection.precision', label: 'precision', pick: (d) => d.precision },
  { path: 'detection.recall', label: 'recall', pick: (d) => d.recall },
  { path: 'detection.byFarmKind.careless.precision', label: 'careless precision', pick: (d) => d.byFarmKind.careless.precision },
  { path: 'detection.byFarmKind.careless.recall', label: 'careless recall', pick: (d) => d.byFarmKind.careless.recall },
  { path: 'detection.byFarmKind.stealthy.precision', label: 'stealthy precision', pick: (d) => d.byFarmKind.stealthy.precision },
  { path: 'detection.byFarmKind.stealthy.recall', label: 'stealthy recall', pick: (d) => d.byFarmKind.stealthy.recall },
  { path: 'detection.curve.recallAtPrecision.recall', label: 'recall at precision 0.99', pick: (d) => d.curve?.recallAtPrecision.recall },
  { path: 'detection.curve.recallAtGenuineFpr.recall', label: 'recall at genuine FPR 0.1%', pick: (d) => d.curve?.recallAtGenuineFpr.recall },
  { path: 'detection.genuineLikesRemovedRatio', label: 'genuine likes removed (share)', pick: (d) => d.genuineLikesRemovedRatio, digits: 4 },
  { path: 'detection.genuineAccountsPurged', label: 'genuine accounts purged', pick: (d) => d.genuineAccountsPurged, digits: 1 },
  { path: 'detection.falsePositiveCost.creatorsAffected', label: 'creators affected', pick: (d) => d.falsePositiveCost?.creatorsAffected, digits: 1 },
  { path: 'detection.timeToDetection.careless.p50S', label: 'careless time to detection p50 s', pick: (d) => d.timeToDetection?.careless?.p50S, digits: 1 },
  { path: 'detection.timeToDetection.stealthy.p50S', label: 'stealthy time to detection p50 s', pick: (d) => d.timeToDetection?.stealthy?.p50S, digits: 1 },
  { path: 'detection.timeToDetection.stealthy.p90S', label: 'stealthy time to detection p90 s', pick: (d) => d.timeToDetection?.stealthy?.p90S, digits: 1 },
  { path: 'detection.inactive.precision', label: 'inactive purge precision', pick: (d) => (d.inactivePurges > 0 ? d.inactive.precision : undefined) },
  { path: 'detection.inactive.recall', label: 'inactive purge recall', pick: (d) => (d.inactivePurges > 0 ? d.inactive.recall : undefined) },
  { path: 'detection.baselines.factsOnly.precision', label: 'facts-only precision', pick: (d) => d.baselines?.factsOnly?.precision },
  { path: 'detection.baselines.factsOnly.recall', label: 'facts-only recall', pick: (d) => d.baselines?.factsOnly?.recall },
  { path: 'detection.baselines.factsOnly.byFarmKind.stealthy.recall', label: 'facts-only stealthy recall', pick: (d) => d.baselines?.factsOnly?.byFarmKind.stealthy.recall },
  { path: 'detection.baselines.factsOnly.recallAtPrecision.recall', label: 'facts-only recall at precision 0.99', pick: (d) => d.baselines?.factsOnly?.recallAtPrecision.recall },
]

/** Farms summarised by label at most (a world holds up to 999; the table stays readable). */
const FARM_METRICS_MAX = 30

/** Each farm's recall by its label (detection.byFarm), in the order the runs name the farms. */
function farmMetrics(detections: readonly DetectionQuality[]): MetricSpec[] {
  const labels: string[] = []
  for (const d of detections) for (const farm of d.byFarm ?? []) if (!labels.includes(farm.label) && labels.length < FARM_METRICS_MAX) labels.push(farm.label)
  return labels.map((label) => ({
    path: `detection.byFarm[${label}].recall`,
    label: `farm ${label} recall`,
    pick: (d) => d.byFarm?.find((farm) => farm.label === label)?.recall,
  }))
}

/** How many decimals the table shows of the metric at `path`. */
export function metricDigits(path: string): number {
  return METRICS.find((spec) => spec.path === path)?.digits ?? 3
}

/** One seed's run: its result and where its result.json is, relative to seeds.json. */
export interface SeedRun {
  readonly result: Pick<RunResult, 'replay' | 'scenario' | 'mode' | 'strategy' | 'detector' | 'scale' | 'seed' | 'verdict' | 'stoppedBy' | 'checks' | 'detection'>
  readonly resultFile: string
}

/**
 * The summary of one scenario's runs over `seeds` (those asked for; `runs` are those that ran, of
 * that scenario, in order). A run that stopped early (a signal, a bound) counts in the verdicts
 * and checks but not in the metrics: its numbers describe part of a run.
 */
export function summarizeSeeds(seeds: readonly number[], runs: readonly SeedRun[]): SeedSummary {
  const first = runs[0]?.result
  if (first === undefined) throw new Error('summarizeSeeds: no run to summarise')
  const ran = new Set(runs.map((run) => run.result.seed))
  const complete = runs.filter((run) => run.result.stoppedBy === undefined)
  const detections = complete.flatMap((run) => (run.result.detection === null ? [] : [run.result.detection]))
  return {
    kind: 'likestorm-seed-summary',
    formatVersion: SEED_SUMMARY_FORMAT_VERSION,
    scenario: first.scenario.name,
    mode: first.mode,
    strategy: first.strategy.name,
    detector: first.detector?.name ?? null,
    scale: first.scale,
    seeds: [...seeds],
    notRun: seeds.filter((seed) => !ran.has(seed)),
    interval: { level: SEED_SUMMARY_LEVEL, method: 'student-t' },
    runs: runs.map(({ result, resultFile }) => ({ seed: result.seed, verdict: result.verdict, stoppedBy: result.stoppedBy === undefined ? null : `${result.stoppedBy.kind}: ${result.stoppedBy.detail}`, result: resultFile, replay: result.replay })),
    verdicts: {
      pass: runs.filter((run) => run.result.verdict === 'pass').length,
      fail: runs.filter((run) => run.result.verdict === 'fail').length,
      inconclusive: runs.filter((run) => run.result.verdict === 'inconclusive').length,
    },
    checks: checkCounts(runs),
    metrics: detections.length === 0 ? [] : [...METRICS, ...farmMetrics(detections)].map((spec) => metricOver(spec, detections, complete.length)),
  }
}

function metricOver(spec: MetricSpec, detections: readonly DetectionQuality[], completeRuns: number): SeedMetric {
  const values = detections.map(spec.pick).filter((value): value is number => typeof value === 'number' && Number.isFinite(value))
  const stats = sampleStats(values, { level: SEED_SUMMARY_LEVEL })
  return { path: spec.path, label: spec.label, missing: completeRuns - values.length, stats: stats === null ? null : { n: stats.n, mean: stats.mean, sd: stats.sd, min: stats.min, max: stats.max, ci: stats.ci } }
}

/** Per check, in the order the runs name them: how many seeds each status, and which failed or could not judge it. */
function checkCounts(runs: readonly SeedRun[]): SeedSummary['checks'] {
  const byName = new Map<string, SeedSummary['checks'][number]>()
  for (const { result } of runs) {
    for (const check of result.checks) {
      let entry = byName.get(check.name)
      if (entry === undefined) {
        entry = { name: check.name, pass: 0, fail: 0, inconclusive: 0, notApplicable: 0, failedSeeds: [], inconclusiveSeeds: [] }
        byName.set(check.name, entry)
      }
      if (check.status === 'pass') entry.pass++
      else if (check.status === 'fail') (entry.fail++, entry.failedSeeds.push(result.seed))
      else if (check.status === 'inconclusive') (entry.inconclusive++, entry.inconclusiveSeeds.push(result.seed))
      else entry.notApplicable++
    }
  }
  return [...byName.values()]
}
