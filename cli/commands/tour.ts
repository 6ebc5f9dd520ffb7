// likestorm tour (npm start): the library in mode sim with both counting strategies, on embedded
// defaults, then the 2020 incident once more over real sockets (mode http, the mock server started
// here on loopback, small and time-compressed so the tour stays short). Each scenario's expected
// outcome says which checks the naive counter must fail. Exit 0 when every run matched it.
import { join } from 'node:path'
import { parseFlags, intFlag, numberFlag, stringFlag } from '../args.ts'
import { LIBRARY, scenarioByName } from '../../scenarios/library/index.ts'
import type { Scenario } from '../../scenarios/scenario.ts'
import { EXIT } from '../exit-codes.ts'
import { renderTourTable } from '../summary.ts'
import { runAndReport, runHttpAndReport, writeRunsIndex, type RunSettings } from './run.ts'
import { canRunBeside, startTourHalf, tourRunDir } from './tour-half.ts'

/** The mode http leg: the July 2020 incident, at 5% of the world and 10x faster than real time. */
export const TOUR_HTTP = { scenario: 'overload-virginia', scale: 0.05, timeScale: 0.1 } as const

export async function tourCommand(argv: readonly string[], io: { out: NodeJS.WritableStream; err: NodeJS.WriteStream }): Promise<number> {
  const { values } = parseFlags(argv, { seed: { type: 'string' }, scale: { type: 'string' }, out: { type: 'string' }, quiet: { type: 'boolean' }, 'no-http': { type: 'boolean' }, serial: { type: 'boolean' } }, 'tour')
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
  const withHttp = values['no-http'] !== true
  io.out.write(`LikeStorm tour: ${LIBRARY.length} scenarios x 2 strategies in mode sim${withHttp ? `, then ${TOUR_HTTP.scenario} in mode http` : ''}, seed ${settings.seed}\n\n`)
  const dirFor = (scenario: { name: string }, strategy: string): string => tourRunDir(settings.outDir, scenario, strategy)
  // The naive half on a second thread while this one runs the robust half; its summaries are
  // printed after the robust ones, as if the runs had taken turns.
  const naiveHalf = canRunBeside() && values.serial !== true ? startTourHalf(settings, 'naive') : undefined
  const runs = runAndReport(settings, { ...io, dirFor }, 'robust')
  if (naiveHalf === undefined) runs.push(...runAndReport(settings, { ...io, dirFor }, 'naive'))
  else {
    if (!settings.quiet) io.err.write('tour: waiting for the naive runs on the second thread…\n')
    const naive = await naiveHalf
    io.out.write(naive.text)
    runs.push(...naive.runs)
  }
  let aborted = false
  if (withHttp) {
    io.out.write(`Mode http: ${TOUR_HTTP.scenario} over loopback sockets to the mock server started here (scale ${TOUR_HTTP.scale * settings.scale}, time scale ${TOUR_HTTP.timeScale})\n\n`)
    const http = await runHttpAndReport(
      {
        ...settings,
        scenarios: [scenarioByName(TOUR_HTTP.scenario) as Scenario],
        scale: TOUR_HTTP.scale * settings.scale,
        mode: 'http',
        http: { ...settings.http, timeScale: TOUR_HTTP.timeScale },
      },
      { ...io, dirFor: (scenario, strategy) => join(settings.outDir, `${scenario.name}-${strategy}-http`), k6Summary: false },
    )
    runs.push(...http.runs)
    aborted = http.aborted
  }
  const results = runs.map((run) => run.result)
  io.out.write(`${renderTourTable(results)}\n\n`)
  const matched = results.every((result) => result.expectation?.matched === true)
  io.out.write(matched ? `Every run matched its expected outcome. Results are in ${settings.outDir}/.\n` : 'Some runs did NOT match their expected outcome (see above).\n')
  io.out.write(`Reports: ${writeRunsIndex(runs, settings.outDir) ?? settings.outDir}\n`)
  if (aborted) return EXIT.INTERRUPTED
  return matched ? EXIT.OK : EXIT.CHECK_FAILED
}
