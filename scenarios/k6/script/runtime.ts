/// <reference types="k6" />
// What every part of the k6 script shares: the plan and options bundled in at export time, the
// workload (loaded once per k6 instance into SharedArrays), the base URL of each region, the
// run's clock, the custom metrics and the execution segment this instance runs.
import { SharedArray } from 'k6/data'
import exec from 'k6/execution'
import { Counter, Trend } from 'k6/metrics'
import { METRIC, splitPoint, type Tags } from '../points.ts'
import { regionUrls } from '../target-urls.ts'
import { WORKLOAD_FORMAT, type FinalTask, type SessionRow, type WorkloadFile } from '../workload-format.ts'

import { PLAN } from './injected.ts'

export { OPTIONS, PLAN } from './injected.ts'

export const REGION_IDS: readonly string[] = PLAN.regions.map((region) => region.id)

// ---- the workload: parsed once per instance (SharedArray callbacks run in the first VU only) ----

const WORKLOAD_PATH = __ENV['LIKESTORM_WORKLOAD'] || './workload.json'
let workloadDocument: WorkloadFile | undefined

function workload(): WorkloadFile {
  if (workloadDocument === undefined) {
    const parsed = JSON.parse(open(WORKLOAD_PATH)) as WorkloadFile
    const world = PLAN.world
    if (parsed.format !== WORKLOAD_FORMAT || parsed.scenario !== world.scenario || parsed.seed !== world.seed || parsed.scale !== world.scale) {
      throw new Error(`${WORKLOAD_PATH} is not the workload of this export (${world.scenario} seed ${world.seed} scale ${world.scale}); export again or point LIKESTORM_WORKLOAD at the right file`)
    }
    workloadDocument = parsed
  }
  return workloadDocument
}

export const SESSIONS: Record<string, Array<SessionRow | null>> = {}
for (const name of PLAN.sessionScenarios) SESSIONS[name] = new SharedArray(`likestorm.sessions.${name}`, () => (workload().sessions[name] ?? []) as Array<SessionRow | null>)
export const FINAL_VIDEOS: string[] = new SharedArray('likestorm.final.videos', () => workload().final.videos as string[])
export const FINAL_LIKERS: string[] = new SharedArray('likestorm.final.likers', () => workload().final.likers as string[])
export const FINAL_CREATORS: string[] = new SharedArray('likestorm.final.creators', () => workload().final.creators as string[])
export const FINAL_TASKS: FinalTask[] = new SharedArray('likestorm.final.tasks', () => workload().final.tasks as FinalTask[])
// Only the SharedArrays keep the workload; the parsed document can go.
workloadDocument = undefined

// ---- where requests go --------------------------------------------------------------------------

function resolveUrls(): Readonly<Record<string, string>> {
  const override = __ENV['LIKESTORM_TARGET']
  if (override === undefined || override === '') return PLAN.urls
  const parsed = regionUrls(override, REGION_IDS)
  if (!parsed.ok) throw new Error(`LIKESTORM_TARGET: ${parsed.problem}`)
  return parsed.urls
}

export const URLS: Readonly<Record<string, string>> = resolveUrls()

export function urlOf(region: string, path: string): string {
  return `${URLS[region] as string}${path}`
}

export const ADMIN_TOKEN: string = __ENV['ADMIN_TOKEN'] || ''

// ---- the run's clock ------------------------------------------------------------------------------

/**
 * ms since this instance's test started: k6's own clock (exec.instance.currentTestRunDuration,
 * monotonic), the one origin every k6 scenario of the script shares. Each scenario's
 * exec.scenario.startTime is 0–5 ms off the test's start (and off each other's): timing operations
 * on one scenario's start and calibrating the server clock on another's put reads a few ms before
 * the acknowledgements they follow. Instances started together (k6-operator's starter) agree
 * within their start skew.
 */
export function runNowMs(): number {
  return exec.instance.currentTestRunDuration
}

/** Sleep until `atMs` of the run (no-op when it has passed). */
export function sleepUntil(atMs: number, sleep: (seconds: number) => void): void {
  const waitMs = atMs - runNowMs()
  if (waitMs > 0) sleep(waitMs / 1000)
}

// ---- custom metrics (created in the init context, as k6 requires) -----------------------------

export const OP_TREND = new Trend(METRIC.op, true)
export const ADMIN_TREND = new Trend(METRIC.admin, true)
export const FINAL_TREND = new Trend(METRIC.final, true)
export const PURGE_COUNTER = new Counter(METRIC.purge)

/**
 * LikeStorm's own metrics (scenarios/run/metric-store.ts), which a scenario's thresholds may name:
 * declared so that k6 accepts those thresholds as they are, and fed where the script can tell
 * (reads_zero_while_liked needs the whole history: only ingest-k6 measures it).
 */
export const RUN_METRICS = {
  okDuration: new Trend('likestorm_ok_duration', true),
  openModelDuration: new Trend('open_model_duration', true),
  likesAcknowledged: new Counter('likes_acknowledged'),
  readsStale: new Counter('reads_stale'),
  readsZeroWhileLiked: new Counter('reads_zero_while_liked'),
  shedRequests: new Counter('shed_requests'),
  failovers: new Counter('failovers'),
}

/**
 * Run `emit` with `metadata` on every sample the VU writes meanwhile (exec.vu.metrics.metadata,
 * k6 >= 0.45): ids go to the JSON output without becoming k6 time series.
 */
export function withMetadata<T>(metadata: Tags, emit: () => T): T {
  const held = exec.vu.metrics.metadata
  const keys = Object.keys(metadata)
  for (const key of keys) held[key] = metadata[key] as string
  // No try/finally: k6 v0.48's goja loses the try block's return value when the finally block runs
  // a loop (every request came back undefined). Should emit throw, the keys stay until the VU's
  // next point sets its own: points of one VU carry the same keys.
  const emitted = emit()
  for (const key of keys) delete held[key]
  return emitted
}

/** One LikeStorm point: its bounded fields as tags, the rest as metadata (points.ts, splitPoint). */
export function addPoint(metric: { add(value: number, tags?: Record<string, string>): void }, value: number, fields: Tags): void {
  const { tags, metadata } = splitPoint(fields)
  withMetadata(metadata, () => metric.add(value, tags))
}

let segment: string | undefined

/** The execution segment this instance runs ('0:1' for a whole test). */
export function executionSegment(): string {
  if (segment === undefined) {
    const value: unknown = exec.test.options.executionSegment
    segment = typeof value === 'string' && value !== '' ? value : '0:1'
  }
  return segment
}
