// likestorm swarm --runs K --seed S: K runs, each a random mix of faults and behaviours drawn from
// its own seed, in mode sim; every failing run is printed with the command that replays it. The
// swarm is bounded by K and by a wall-clock cap (checked between runs) and stops by itself. A stop
// signal is seen between runs too (a swarm run takes about a second at its scale): the run under
// way finishes and is reported, no new one starts, and the exit code names the signal. A line per
// run, within LINE_WIDTH (--verbose: unfolded, each failure's replay command under it).
import { join } from 'node:path'
import { setImmediate as yieldToSignals } from 'node:timers/promises'
import { PUBLIC_STRATEGY_NAMES } from '../../mock-server/core/strategy.ts'
import { runScenario } from '../../scenarios/run/runner.ts'
import { swarmRunSeed, swarmScenario } from '../../scenarios/swarm.ts'
import { choiceFlag, durationFlagS, intFlag, parseFlags, stringFlag, type FlagSpec } from '../args.ts'
import { EXIT, SIGNAL_EXIT } from '../exit-codes.ts'
import { cutLine, foldTokens, headThenTokens, listTokens } from '../fold.ts'
import { clearRunOutputs } from '../run-outputs.ts'
import { withStopSignals, type StopSignals } from '../stop-signals.ts'
import { writeResult } from '../write-result.ts'

export interface SwarmFailure {
  readonly runSeed: number
  readonly failing: readonly string[]
  readonly replay: string
}

type Io = { out: NodeJS.WritableStream; err: NodeJS.WriteStream }

export const SWARM_FLAGS = {
  runs: { type: 'string', value: 'K', help: 'how many runs (default 20)' },
  seed: { type: 'string', value: 'S', help: 'the swarm\'s seed; run i draws its own seed from it (default 1)' },
  strategy: { type: 'string', value: 'S', help: 'counting strategy: robust | naive (default robust)' },
  'time-limit': { type: 'string', value: 'D', help: 'stop starting runs after this wall time (90s, 10m, or seconds; default 10m)' },
  out: { type: 'string', value: 'DIR', help: 'results folder: DIR/swarm-<seed>/result.json (default out/swarm)' },
  quiet: { type: 'boolean', help: 'no progress line' },
  'time-cap-s': { type: 'string', renamedTo: 'time-limit' },
  verbose: { type: 'boolean', help: "print each failure's replay command under its line, lines unfolded (default: one line per run)" },
} as const satisfies FlagSpec

export function swarmCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values } = parseFlags(argv, SWARM_FLAGS, 'swarm')
  const runs = intFlag(values.runs, '--runs', { min: 1, max: 100_000, fallback: 20 })
  const seed = intFlag(values.seed, '--seed', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 1 })
  const strategy = choiceFlag(values.strategy, '--strategy', PUBLIC_STRATEGY_NAMES, 'robust')
  const capS = durationFlagS(values['time-limit'], '--time-limit', { maxS: 86_400 }) ?? 600
  const outDir = stringFlag(values.out, join('out', 'swarm'))
  const quiet = values.quiet === true
  const verbose = values['verbose'] === true
  return withStopSignals({ err: io.err, onStop: 'the run under way finishes, then the swarm reports' }, (stop) => swarm({ runs, seed, strategy, capS, outDir, quiet, verbose }, io, stop))
}

interface SwarmSettings {
  readonly runs: number
  readonly seed: number
  readonly strategy: string
  readonly capS: number
  readonly outDir: string
  /** No line for a run that passes. */
  readonly quiet: boolean
  /** Each run's lines unfolded, a failure's replay command under it. */
  readonly verbose: boolean
}

async function swarm({ runs, seed, strategy, capS, outDir, quiet, verbose }: SwarmSettings, io: Io, stop: StopSignals): Promise<number> {
  io.out.write(`LikeStorm swarm: ${runs} run(s) from seed ${seed}, strategy ${strategy}, mode sim, time limit ${capS}s\n`)
  const started = performance.now()
  const failures: SwarmFailure[] = []
  let done = 0
  for (let run = 0; run < runs; run++) {
    // A run computes without yielding: this turn of the event loop lets a signal in.
    await yieldToSignals()
    if (stop.received !== undefined) {
      io.out.write(`${stop.received}: stopping after ${done} run(s)\n`)
      break
    }
    if ((performance.now() - started) / 1000 > capS) {
      io.out.write(`time limit of ${capS}s reached after ${done} run(s); stopping\n`)
      break
    }
    const runSeed = swarmRunSeed(seed, run)
    const scenario = swarmScenario(runSeed)
    // An earlier swarm's failure of this seed must not outlive a run that passes now.
    clearRunOutputs(join(outDir, scenario.name))
    const { result } = runScenario({ scenario, seed: runSeed, strategy })
    done++
    const failing = result.checks.filter((check) => check.status === 'fail').map((check) => check.name)
    const label = `run ${run + 1}/${runs} seed ${runSeed}:`
    if (failing.length > 0) {
      const path = writeResult(result, join(outDir, scenario.name))
      failures.push({ runSeed, failing, replay: result.replay })
      // By default the replay commands come once, in the list at the end.
      if (verbose) io.out.write(`${label} FAIL ${failing.join(', ')} (${path})\n  replay: ${result.replay}\n`)
      else io.out.write(`${headThenTokens(`${label} FAIL  ${path}`, listTokens('failed:', failing), { indent: '    ' })}\n`)
    } else if (!quiet) {
      const mix = scenario.summary.replace(/^A swarm run drawn from seed \d+: /, '').replace(/\. Every.*$/, '')
      io.out.write(verbose ? `${label} pass · ${mix}\n` : `${cutLine(`${label} pass · ${mix}`)}\n`)
    }
  }
  const wallS = ((performance.now() - started) / 1000).toFixed(1)
  io.out.write(`\n${done} run(s) in ${wallS}s: ${failures.length} failed\n`)
  for (const failure of failures) io.out.write(`${foldTokens(listTokens('', failure.failing), { first: `  seed ${failure.runSeed}: `, indent: '    ' }).join('\n')}\n    ${failure.replay}\n`)
  if (stop.received !== undefined) return SIGNAL_EXIT[stop.received]
  return failures.length === 0 ? EXIT.OK : EXIT.CHECK_FAILED
}
