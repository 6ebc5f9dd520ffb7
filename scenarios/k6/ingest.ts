// likestorm ingest-k6: judge a k6 run of an export from k6's JSON output. The world is prepared
// again from the export's manifest (scenario, seed, scale), the history rebuilt from the output's
// points (one file, or one per k6 instance, merged by time), and the same judge as every mode runs
// the checkers and the scenario's k6 thresholds on it. Only the output is trusted: what it does
// not show did not happen (a session it lacks was never sent).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { scenarioByName } from '../library/index.ts'
import { describeFault } from '../../sim/faults.ts'
import { judgeRun } from '../run/judge.ts'
import type { RunResult } from '../../result/result.ts'
import { prepareRun, type RunSetup } from '../run/run-setup.ts'
import type { Scenario } from '../scenario.ts'
import { swarmScenarioByName } from '../swarm.ts'
import { shellWord } from '../scenario-file.ts'
import { validateScenario } from '../validate.ts'
import { LIKESTORM_VERSION } from '../version.ts'
import { k6Error } from './errors.ts'
import { sha256 } from './export.ts'
import { k6Health } from './k6-health.ts'
import { rebuildHistory, sendDelay, type SendDelay } from './k6-history.ts'
import { parseK6Line, readK6Output } from './k6-json.ts'
import { MANIFEST_FILE, parseManifest, WORKLOAD_FILE, SCRIPT_FILE, type ExportManifest } from './manifest.ts'
import { OutputCollector } from './output-collector.ts'
import { SpillFile } from '../run/history-spill.ts'

export interface IngestRequest {
  /** The export folder (its likestorm.json). */
  readonly exportDir: string
  /** k6 JSON output files (.json or .json.gz), one per k6 instance. */
  readonly outputs: readonly string[]
  readonly examplesMax?: number
}

export interface IngestOutcome {
  readonly result: RunResult
  readonly setup: RunSetup
  readonly manifest: ExportManifest
  readonly notes: readonly string[]
  readonly attempts: number
  /** How late operations were sent against their due times (first attempts). */
  readonly sendDelay: SendDelay
}

export const K6_TARGET_STRATEGY = 'k6-target'

export async function ingestK6(request: IngestRequest): Promise<IngestOutcome> {
  if (request.outputs.length === 0) throw k6Error('LS_K6_BAD_OUTPUT', 'name at least one k6 JSON output file (k6 run --out json=FILE)')
  const manifest = readExport(request.exportDir)
  const scenario = exportedScenario(manifest)
  const setup = prepareRun({ scenario, seed: manifest.seed, scale: manifest.scale })
  // The attempts spill to a file as they are read (attempt-rows.ts), and so does a long run's
  // history: memory holds what orders the attempts (16 bytes each), not the attempts.
  const attemptsFile = new SpillFile()
  try {
    const collector = new OutputCollector({ exportId: manifest.exportId, population: setup.population, store: attemptsFile })
    for (const path of request.outputs) {
      collector.startFile(path)
      for await (const { line, text } of readK6Output(path)) {
        const where = `${path}:${line}`
        const parsed = parseK6Line(text, where)
        if (parsed !== undefined) collector.add(parsed, where, () => (parsed.kind === 'point' ? Date.parse(parsed.time) : 0), line)
      }
    }
    collector.finish()
    return judgeOutput({ request, manifest, scenario, setup, collector })
  } finally {
    attemptsFile.close()
  }
}

interface Gathered {
  readonly request: IngestRequest
  readonly manifest: ExportManifest
  readonly scenario: Scenario
  readonly setup: RunSetup
  readonly collector: OutputCollector
}

/** From this many attempts the rebuilt history spills to a file but for a few chunks (as mode sim's does). */
const HISTORY_SPILL_MIN_ATTEMPTS = 1_000_000

function judgeOutput({ request, manifest, scenario, setup, collector }: Gathered): IngestOutcome {
  const notes: string[] = []
  if (manifest.likestormVersion !== LIKESTORM_VERSION) {
    notes.push(`exported by LikeStorm ${manifest.likestormVersion}, judged by ${LIKESTORM_VERSION}: the world is rebuilt from the seed by this version's code; export and run again if the two differ`)
  }
  const points = collector.pointsPerFile.reduce((sum, n) => sum + n, 0)
  if (points === 0) throw k6Error('LS_K6_BAD_OUTPUT', `${request.outputs.join(', ')}: no LikeStorm points (likestorm_op, likestorm_admin, likestorm_final); is this the JSON output of ${join(request.exportDir, SCRIPT_FILE)}?`)
  collector.pointsPerFile.forEach((n, i) => {
    if (n === 0) notes.push(`${request.outputs[i]} has no LikeStorm points`)
  })
  checkWorld(collector, manifest)
  const historyFile = collector.attempts.length >= HISTORY_SPILL_MIN_ATTEMPTS ? new SpillFile() : undefined
  const rebuilt = rebuildHistory({ collector, population: setup.population, faults: scenario.faults, durationMs: setup.durationMs, ...(historyFile === undefined ? {} : { store: historyFile }) })
  // The history outlives the ingest (the reports read it): its file goes with it.
  historyFile?.releaseWith(rebuilt.history)
  notes.push(...rebuilt.notes)
  const unsent = Math.max(0, manifest.sessions - collector.sessions.size)
  if (unsent > 0) notes.push(`${unsent.toLocaleString('en-US')} of ${manifest.sessions.toLocaleString('en-US')} sessions have no request in the output (never sent: counted as dropped iterations)`)
  const delay = sendDelay(collector.attempts)
  if (delay.count > 0) {
    const ms = (value: number | null): string => `${(value ?? 0).toFixed(1)} ms`
    notes.push(`operations were sent ${ms(delay.p50Ms)} after their due time at the median, ${ms(delay.p99Ms)} at p99, ${ms(delay.maxMs)} at most (${delay.count.toLocaleString('en-US')} first attempts)`)
  }
  const target = rebuilt.targetReported ?? manifest.urls[manifest.regions[0] as string] ?? manifest.target
  const strategy = k6TargetStrategy({ target, strategy: rebuilt.strategyReported })
  const droppedIterations = unsent
  const harness = k6Health({ delay, unsent, sessions: manifest.sessions })
  const vus = peakVus(collector.vusPerFile)
  const judged = judgeRun({
    setup: withEmulatedOverload(setup),
    mode: 'http',
    strategy,
    history: rebuilt.history,
    stoppedBy: rebuilt.incomplete ? { kind: 'incomplete-output', detail: 'the k6 outputs do not cover the whole test' } : undefined,
    systemCounters: rebuilt.systemCounters,
    examplesMax: request.examplesMax ?? 10,
    droppedIterations,
    peakVus: vus,
    ...(harness === undefined ? {} : { harness }),
    // How k6 drove it: each k6 VU keeps its own connections, so they number about the peak of VUs;
    // the wall time is the output's span.
    http: {
      target,
      timeScale: 1,
      connections: Math.max(1, vus),
      wallMs: Math.round(rebuilt.spanMs),
      droppedIterations,
      peakVus: vus,
      skippedFaults: rebuilt.history.faults.filter((fault) => fault.skipped !== undefined).map((fault) => `${describeFault(fault.spec)}: ${fault.skipped as string}`),
    },
  })
  // The configured capacities, as every result shows them; the run is replayed by exporting it
  // again (and running k6), not by `likestorm run`.
  const result: RunResult = {
    ...judged,
    ...(manifest.scenarioFile === undefined ? {} : { scenario: { ...judged.scenario, file: manifest.scenarioFile } }),
    config: { ...judged.config, capacityRps: setup.capacityRps },
    replay: exportCommand(manifest, request.exportDir),
  }
  return { result, setup, manifest, notes, attempts: collector.attempts.length, sendDelay: delay }
}

/** The export's manifest, with the files it names checked against their digests. */
export function readExport(dir: string): ExportManifest {
  const path = join(dir, MANIFEST_FILE)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw k6Error('LS_K6_BAD_EXPORT', `--export ${dir}: cannot read ${MANIFEST_FILE} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); name the folder likestorm export-k6 wrote`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw k6Error('LS_K6_BAD_EXPORT', `${path} is not JSON (${(error as Error).message})`)
  }
  const manifest = parseManifest(json, path)
  for (const file of [SCRIPT_FILE, WORKLOAD_FILE]) {
    const expected = manifest.files[file]
    let content: Buffer
    try {
      content = readFileSync(join(dir, file))
    } catch {
      // Only the manifest is needed to judge; a folder without the big files is fine.
      continue
    }
    if (expected !== undefined && sha256(content) !== expected) {
      throw k6Error('LS_K6_BAD_EXPORT', `${join(dir, file)} does not match ${MANIFEST_FILE} (sha256 differs): the folder mixes two exports; export again`)
    }
  }
  return manifest
}

function exportedScenario(manifest: ExportManifest): Scenario {
  if (manifest.definition !== undefined) {
    const problems = validateScenario(manifest.definition)
    if (problems.length > 0) throw k6Error('LS_K6_BAD_EXPORT', `the scenario ${manifest.scenario} in ${MANIFEST_FILE} is not valid`, problems)
    return manifest.definition
  }
  const scenario = scenarioByName(manifest.scenario) ?? swarmScenarioByName(manifest.scenario)
  if (scenario === undefined) throw k6Error('LS_K6_BAD_EXPORT', `the export is of scenario ${JSON.stringify(manifest.scenario)}, which this LikeStorm does not know`)
  return scenario
}

/** The state read at the start names the world the target served: it must be the export's. */
function checkWorld(collector: OutputCollector, manifest: ExportManifest): void {
  const expected = `${manifest.scenario}|${manifest.seed}|${manifest.scale}`
  for (const record of collector.admin) {
    const world = record.tags['world']
    if (world === undefined || world === expected) continue
    const [scenario, seed, scale] = world.split('|')
    throw k6Error(
      'LS_K6_EXPORT_MISMATCH',
      `${record.where}: the target served ${scenario} seed ${seed} scale ${scale}, but the export is ${manifest.scenario} seed ${manifest.seed} scale ${manifest.scale}: the run cannot be judged against this world`,
    )
  }
}

/** The system a k6 run drove, as the result names it (no LikeStorm strategy: the run says only what the target reported). */
export function k6TargetStrategy({ target, strategy }: { target: string; strategy: string | undefined }): { name: string; description: string } {
  const reported = strategy === undefined || strategy === '' || strategy === 'undefined' ? '' : ` (its admin API reports strategy ${strategy})`
  return { name: K6_TARGET_STRATEGY, description: `the system at ${target}, driven by k6${reported}` }
}

export function exportCommand(manifest: ExportManifest, dir: string): string {
  return `npx likestorm export-k6 ${manifest.scenarioFile === undefined ? manifest.scenario : shellWord(manifest.scenarioFile.path)} --seed ${manifest.seed}${manifest.scale === 1 ? '' : ` --scale ${manifest.scale}`} --target ${manifest.target} --out ${dir}`
}

/**
 * The export emulates an overload on the server (capacity ÷ factor) instead of sending the world's
 * surge, so goodput during it is judged against the capacity the server then had: the region's
 * capacity divided by its largest overload factor (goodput is the only check that reads capacity).
 */
export function withEmulatedOverload(setup: RunSetup): RunSetup {
  const capacityRps: Record<string, number> = { ...setup.capacityRps }
  let changed = false
  for (const fault of setup.scenario.faults) {
    if (fault.kind !== 'overload' || capacityRps[fault.region] === undefined) continue
    const factors = setup.scenario.faults.filter((f) => f.kind === 'overload' && f.region === fault.region).map((f) => (f.kind === 'overload' ? f.factor : 1))
    capacityRps[fault.region] = (setup.capacityRps[fault.region] as number) / Math.max(...factors)
    changed = true
  }
  return changed ? { ...setup, capacityRps } : setup
}

/** Busy VUs at the peak: per second, summed over the instances' files. */
function peakVus(perFile: ReadonlyArray<ReadonlyMap<number, number>>): number {
  const total = new Map<number, number>()
  for (const seconds of perFile) for (const [second, vus] of seconds) total.set(second, (total.get(second) ?? 0) + vus)
  return Math.max(0, ...total.values())
}
