// The scenario's k6 options and the script's plan. When the export bundles the script
// (bundle.ts), esbuild loads this module as the two literals instead, so script.js shows the
// options as k6 will run them; here they are only declared, for the type checker.
import type { Options } from 'k6/options'
import type { ScriptPlan } from '../plan-format.ts'

declare const __LIKESTORM_OPTIONS__: Options
declare const __LIKESTORM_PLAN__: ScriptPlan

export const OPTIONS: Options = __LIKESTORM_OPTIONS__
export const PLAN: ScriptPlan = __LIKESTORM_PLAN__
