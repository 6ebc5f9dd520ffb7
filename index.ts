// The likestorm package's programmatic API: define a scenario (defineScenario), run it in mode sim or http, check it, compare it
// with a baseline, render its reports, export it to k6 and judge k6's output. `import { runScenario, compareResults } from 'likestorm'`.
export { runScenario, resolveStrategy, type RunOptions, type RunOutcome } from './scenarios/run/runner.ts'
export { runScenarioHttp, type HttpScenarioOptions, type HttpRunOutcome } from './scenarios/run/http/http-runner.ts'
export { exportK6, type ExportRequest, type ExportSummary } from './scenarios/k6/export.ts'
export { ingestK6, type IngestRequest, type IngestOutcome } from './scenarios/k6/ingest.ts'
export { LIBRARY, scenarioByName } from './scenarios/library/index.ts'
export { defineScenario, type ClientSpec, type ExpectedOutcome, type Scenario, type ScenarioDefinition, type SystemSpec } from './scenarios/scenario.ts'
export { loadScenarioFiles, type LoadedScenario, type ScenarioFileRef } from './scenarios/scenario-file.ts'
export { resolveDefinition, type DefinitionOutcome } from './scenarios/scenario-definition.ts'
export type { FaultSpec } from './sim/faults.ts'
export type { WorldSpecInput } from './sim/world-spec.ts'
export type { CheckConfig, CheckName } from './sim/checks/check-types.ts'
export type { Options as LoadOptions } from 'k6/options'
export {
  RESULT_SCHEMA_VERSION,
  type CheckOutcome,
  type FaultOutcome,
  type HotVideoSeries,
  type KindMetrics,
  type RunMetricsSummary,
  type RunMode,
  type RunResult,
  type TimeSeriesResult,
} from './result/result.ts'
export type { CheckExample } from './sim/checks/check-types.ts'
export type { DetectionQuality, KindQuality } from './sim/checks/detection-quality.ts'
export type { LatencySummary } from './scenarios/run/latency-histogram.ts'
export { UsageError } from './scenarios/errors.ts'

// Your own system under test (`likestorm run --system ./my-system.ts`, docs/systems.md): the
// versioned interface a module implements, and the loader and guard the command line uses.
export {
  SYSTEM_INTERFACE_VERSION,
  SYSTEM_TICK_MS,
  type DirectoryView,
  type EngagementSystem,
  type HarnessReplyCode,
  type InboxItem,
  type PurgedPair,
  type PurgedViews,
  type RegionObservation,
  type SeedLike,
  type SystemEnv,
  type SystemErrorCode,
  type SystemMessage,
  type SystemModule,
  type SystemReply,
  type SystemRequest,
  type SystemSettings,
} from './mock-server/systems/system.ts'
export { loadSystemFile, type SystemFileOutcome, type SystemFileRef } from './mock-server/systems/system-file.ts'
export type { SystemRecord } from './result/result.ts'

// Your own bot detector (`likestorm run --detector ./my-detector.ts`, docs/detectors.md): the
// versioned interface a module implements, the loader the command line uses, and the facts-only
// baseline every bot purge's result compares with.
export {
  DETECTOR_INTERFACE_VERSION,
  defineDetector,
  type AccountDetector,
  type AccountScore,
  type DetectorAccount,
  type DetectorEvent,
  type DetectorLike,
  type DetectorModule,
  type DetectorSettings,
  type DetectorUnlike,
  type DetectorView,
  type ScoreOutcome,
  type ScoreRequest,
  type WorkBudget,
} from './mock-server/core/detection/detector-module.ts'
export { factsOnlyDetector } from './mock-server/core/detection/facts-only-detector.ts'
export { builtInDetectorModule } from './mock-server/core/detection/detector.ts'
export { loadDetectorFile, type DetectorFileOutcome, type DetectorFileRef } from './mock-server/detector-file.ts'
export type { DetectorRecord } from './result/result.ts'

// Your own service's API (`likestorm run --mode http --target URL --adapter ./my-api.adapter.ts`,
// docs/targets.md): the versioned interface an adapter implements.
export {
  ADAPTER_INTERFACE_VERSION,
  ADAPTER_FAILURES,
  defineAdapter,
  type Adapter,
  type AdapterFailure,
  type AdapterOperation,
  type AdapterOutcome,
  type AdapterRequest,
  type AdapterResponse,
  type AdapterValues,
} from './scenarios/run/http/adapter.ts'

export { compareResults, DEFAULT_COMPARE_LIMITS, type Comparison, type CompareLimits, type ComparisonRow, type Regression, type RowStatus } from './reports/compare.ts'
export { renderComparisonMarkdown, renderComparisonTable } from './reports/comparison-text.ts'
export { RESULT_SCHEMA, RESULT_SCHEMA_ID, validateResult } from './result/result-schema.ts'
export { parseResult, readResultFile } from './result/result-file.ts'
export { ResultError, RESULT_ERROR_CODES, type ResultErrorCode } from './result/result-error.ts'
export { renderMarkdownReport } from './reports/markdown-report.ts'
export { renderJunitReport } from './reports/junit-report.ts'
export { writeIndex, writeReports, type ReportPaths } from './reports/write-reports.ts'
