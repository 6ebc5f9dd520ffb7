/// <reference types="k6" />
// The k6 script of a LikeStorm export (this is its TypeScript source; `likestorm export-k6`
// bundles it with esbuild into script.js, ES2017 modules, so k6 releases back to v0.46 run it).
// Only k6 APIs here and in what it imports: no Node.
//
//   options          the scenario's k6 options (executors, thresholds) plus likestorm_faults
//                    and likestorm_final
//   default          one iteration of the scenario's own k6 scenarios = one world session
//   likestormFaults  the fault timeline through the admin API, lag samples, convergence probes
//   likestormFinal   one task of the final phase
//
// Environment (k6 passes it as __ENV): ADMIN_TOKEN (the admin API's bearer token),
// LIKESTORM_TARGET (override the export's target URLs), LIKESTORM_WORKLOAD (path of workload.json).
import { runFaultsIteration } from './faults.ts'
import { runFinalIteration } from './final.ts'
import { OPTIONS } from './runtime.ts'
import { runSessionIteration } from './sessions.ts'

export const options = OPTIONS

export default function (): void {
  runSessionIteration()
}

export function likestormFaults(): void {
  runFaultsIteration()
}

export function likestormFinal(): void {
  runFinalIteration()
}
