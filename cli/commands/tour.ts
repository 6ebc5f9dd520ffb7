// likestorm tour (npm start): the library in mode sim with both counting strategies, on embedded
// defaults; each scenario's expected outcome says which checks the naive counter must fail.
// Exit 0 when every run matched its expectation.
import { join } from 'node:path'
import { parseFlags, intFlag, numberFlag, stringFlag } from '../args.ts'
import { LIBRARY } from '../../scenarios/library/index.ts'
import { EXIT } from '../exit-codes.ts'
import { renderTourTable } from '../summary.ts'
import { runAndReport, writeRunsIndex, type RunSettings } from './run.ts'

export function tourCommand(argv: readonly string[], io: { out: NodeJS.WritableStream; err: NodeJS.WriteStream }): number {
  const { values } = parseFlags(argv, { seed: { type: 'string' }, scale: { type: 'string' }, out: { type: 'string' }, quiet: { type: 'boolean' } }, 'tour')
  const settings: RunSettings = {
    scenarios: LIBRARY,
    seed: intFlag(values.seed, '--seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 7 }),
    scale: numberFlag(values.scale, '--scale', { min: 0, max: 1000, fallback: 1 }),
    strategy: 'robust',
    outDir: stringFlag(values.out, join('out', 'tour')),
    quiet: values.quiet === true,
    reports: true,
    mode: 'sim',
    http: { target: undefined, allowRemoteTarget: false, adminToken: undefined, timeScale: 1, durationMaxS: undefined, connections: undefined },
  }
  io.out.write(`LikeStorm tour: ${LIBRARY.length} scenarios x 2 strategies, mode sim, seed ${settings.seed}\n\n`)
  const dirFor = (scenario: { name: string }, strategy: string): string => join(settings.outDir, `${scenario.name}-${strategy}`)
  const runs = [...runAndReport(settings, { ...io, dirFor }, 'robust'), ...runAndReport(settings, { ...io, dirFor }, 'naive')]
  const results = runs.map((run) => run.result)
  io.out.write(`${renderTourTable(results)}\n\n`)
  const matched = results.every((result) => result.expectation?.matched === true)
  io.out.write(matched ? `Every run matched its expected outcome. Results are in ${settings.outDir}/.\n` : 'Some runs did NOT match their expected outcome (see above).\n')
  io.out.write(`Reports: ${writeRunsIndex(runs, settings.outDir) ?? settings.outDir}\n`)
  return matched ? EXIT.OK : EXIT.CHECK_FAILED
}
