// The k6 script of an export, bundled with esbuild from its TypeScript source
// (scenarios/k6/script/main.ts) into one ES module at ES2017, the newest syntax k6 releases back
// to v0.46 parse (no object spread, `?.`, `??` or class fields: esbuild lowers them). k6's own
// modules stay imports; the scenario's options and the script's plan are defined as literals in
// script/injected.ts (the options then pretty-printed, so they read in script.js as k6 runs them).
import { buildSync } from 'esbuild'
import { fileURLToPath } from 'node:url'
import type { Options } from 'k6/options'
import type { ScriptPlan } from './plan-format.ts'

export const SCRIPT_ENTRY = fileURLToPath(new URL('./script/main.ts', import.meta.url))
export const K6_EXTERNALS = ['k6', 'k6/*']

export function bundleScript({ options, plan, banner }: { options: Options; plan: ScriptPlan; banner: string }): string {
  const built = buildSync({
    entryPoints: [SCRIPT_ENTRY],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2017',
    platform: 'neutral',
    external: K6_EXTERNALS,
    define: { __LIKESTORM_OPTIONS__: JSON.stringify(options), __LIKESTORM_PLAN__: JSON.stringify(plan) },
    banner: { js: banner },
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  })
  const output = built.outputFiles[0]
  if (output === undefined) throw new Error('bundle: esbuild produced no output')
  return prettyOptions(output.text, options)
}

/**
 * esbuild prints a defined object on one line; the options are what a reader of script.js looks
 * for, so their line is replaced by the same object as indented JSON. Should esbuild name the
 * binding otherwise, the one-line literal stays (as correct, less readable).
 */
function prettyOptions(text: string, options: Options): string {
  const marker = /(\/\/ <define:__LIKESTORM_OPTIONS__>\nvar [A-Za-z0-9_$]+ = )[^\n]*;\n/
  return text.replace(marker, (_match, head: string) => `${head}${JSON.stringify(options, null, 2)};\n`)
}

