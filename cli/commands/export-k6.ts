// likestorm export-k6 <scenario|file> --out DIR [--seed N] [--scale F] [--target URL]
// The scenario as a k6 script (script.js), its seeded workload (workload.json), a manifest for
// ingest-k6 (likestorm.json), a k6-operator TestRun and a README saying how to run it.
import { UsageError } from '../../scenarios/errors.ts'
import { exportK6, type ExportRequest } from '../../scenarios/k6/export.ts'
import { isScenarioFileArg } from '../../scenarios/scenario-file.ts'
import { intFlag, numberFlag, parseFlags, type FlagSpec } from '../args.ts'
import { EXIT } from '../exit-codes.ts'
import { runnableScenario, scenarioArg } from '../scenario-arg.ts'

export const EXPORT_K6_FLAGS = {
  out: { type: 'string', value: 'DIR', help: 'folder for script.js, workload.json, likestorm.json, README.md, k6-operator-testrun.yaml (required)' },
  seed: { type: 'string', value: 'N', help: 'world seed (default 7)' },
  scale: { type: 'string', value: 'F', help: 'population and load multiplier, 0 < F <= 1000 (default 1: the k6 options unchanged)' },
  target: { type: 'string', value: 'URL', help: 'first region\'s URL, the others on the next ports, or region=URL,… (default http://127.0.0.1:8080)' },
} as const satisfies FlagSpec

export function exportK6Command(argv: readonly string[], io: { out: NodeJS.WritableStream; err: NodeJS.WriteStream }): number | Promise<number> {
  const { values, positionals } = parseFlags(argv, EXPORT_K6_FLAGS, 'export-k6')
  if (positionals.length !== 1) throw new UsageError('LS_BAD_USAGE', 'likestorm export-k6: name one scenario, e.g. likestorm export-k6 baseline --out out/k6-export/baseline')
  if (typeof values.out !== 'string' || values.out === '') throw new UsageError('LS_BAD_FLAG', 'likestorm export-k6: --out DIR is required (the folder for script.js, workload.json, likestorm.json and README.md)')
  const request = {
    seed: intFlag(values.seed, '--seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 7 }),
    scale: numberFlag(values.scale, '--scale', { min: 0, max: 1000, fallback: 1 }),
    ...(typeof values.target === 'string' ? { target: values.target } : {}),
    outDir: values.out,
  }
  const arg = positionals[0] as string
  // A library name is exported at once; a file is loaded first (a TypeScript file compiles on import).
  if (!isScenarioFileArg(arg)) return writeExport({ ...request, scenario: runnableScenario(arg) }, io)
  return scenarioArg(arg, { cwd: process.cwd(), mode: 'http', command: 'export-k6' }).then((loaded) => writeExport({ ...request, ...loaded }, io))
}

function writeExport(request: ExportRequest, io: { out: NodeJS.WritableStream }): number {
  const summary = exportK6(request)
  const m = summary.manifest
  const lines = [
    `exported ${m.scenario} (seed ${m.seed}, scale ${m.scale}) for k6 ≥ ${m.k6.minVersion} → ${summary.dir}`,
    `  ${m.sessions.toLocaleString('en-US')} sessions, ${m.operations.toLocaleString('en-US')} operations; k6 scenarios: ${m.k6.scenarios.join(', ')}`,
    `  target ${m.regions.map((region) => `${region}=${m.urls[region] as string}`).join(', ')} (override with LIKESTORM_TARGET)`,
    ...summary.warnings.map((warning) => `  note: ${warning}`),
    `  run:   cd ${summary.dir} && ADMIN_TOKEN=… k6 run --out json=k6-out.json script.js`,
    `  judge: npx likestorm ingest-k6 ${summary.dir}/k6-out.json --export ${summary.dir}`,
    `  more (several instances, the k6 operator): ${summary.files.readme}`,
  ]
  io.out.write(`${lines.join('\n')}\n`)
  return EXIT.OK
}
