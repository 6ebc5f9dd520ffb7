// likestorm swarm --runs K --seed S: K runs, each a random mix of faults and behaviours drawn from
// its own seed, in mode sim; every failing run is printed with the command that replays it. The
// swarm is bounded by K and by a wall-clock cap (checked between runs) and stops by itself. A stop
// signal is seen between runs too (a swarm run takes about a second at its scale): the run under
// way finishes and is reported, no new one starts, and the exit code names the signal. A line per
// run, within LINE_WIDTH (--verbose: unfolded, each failure's replay command under it).
// --shard i/n runs only shard i's runs (swarm-shard.ts) and records them in DIR/swarm-shard.json,
// rewritten after every run, for swarm-merge to combine the shards into one verdict.
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { setImmediate as yieldToSignals } from 'node:timers/promises'
import { PUBLIC_STRATEGY_NAMES } from '../../mock-server/core/strategy.ts'
import { runScenario } from '../../scenarios/run/runner.ts'
import { swarmRunSeed, swarmScenario } from '../../scenarios/swarm.ts'
import { choiceFlag, durationFlagS, intFlag, parseFlags, stringFlag, type FlagSpec } from '../args.ts'
import { EXIT, SIGNAL_EXIT } from '../exit-codes.ts'
import { cutLine, foldTokens, headThenTokens, listTokens } from '../fold.ts'
import { writeFileAtomic } from '../../reports/atomic-file.ts'
import { LIKESTORM_VERSION } from '../../scenarios/version.ts'
import { codeFingerprint } from '../code-fingerprint.ts'
import { clearRunOutputs } from '../run-outputs.ts'
import { withStopSignals, type StopSignals } from '../stop-signals.ts'
import { parseShard, shardManifest, shardRuns, SHARD_MANIFEST_FILE, type Shard, type ShardManifest, type ShardRun, type ShardStop } from '../swarm-shard.ts'
import { RESULT_FILE, writeResult } from '../write-result.ts'

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
  shard: { type: 'string', value: 'I/N', help: 'run only shard I of N (runs r with r mod N = I-1) and write DIR/swarm-shard.json for swarm-merge' },
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
  const shard = typeof values.shard === 'string' ? parseShard(values.shard) : undefined
  return withStopSignals({ err: io.err, onStop: 'the run under way finishes, then the swarm reports' }, (stop) => swarm({ runs, seed, strategy, capS, outDir, quiet, verbose, shard }, io, stop))
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
  /** Only this shard's runs, recorded in a shard manifest. */
  readonly shard: Shard | undefined
}

async function swarm(settings: SwarmSettings, io: Io, stop: StopSignals): Promise<number> {
  const { runs, seed, strategy, capS, outDir, quiet, verbose, shard } = settings
  const mine = shard === undefined ? Array.from({ length: runs }, (_, run) => run) : shardRuns(runs, shard)
  const part = shard === undefined ? '' : ` shard ${shard.index}/${shard.count} (${mine.length} of them),`
  io.out.write(`LikeStorm swarm: ${runs} run(s) from seed ${seed},${part} strategy ${strategy}, mode sim, time limit ${capS}s\n`)
  // A manifest an earlier swarm left here must not pass for this one's.
  rmSync(join(outDir, SHARD_MANIFEST_FILE), { force: true })
  const record = shard === undefined ? undefined : shardRecorder(settings, shard)
  record?.({ ran: [], stoppedBy: null, finished: false })
  const started = performance.now()
  const failures: SwarmFailure[] = []
  const ran: ShardRun[] = []
  let stoppedBy: ShardStop | null = null
  for (const run of mine) {
    // A run computes without yielding: this turn of the event loop lets a signal in.
    await yieldToSignals()
    if (stop.received !== undefined) {
      io.out.write(`${stop.received}: stopping after ${ran.length} run(s)\n`)
      stoppedBy = { kind: 'signal', detail: stop.received }
      break
    }
    if ((performance.now() - started) / 1000 > capS) {
      io.out.write(`time limit of ${capS}s reached after ${ran.length} run(s); stopping\n`)
      stoppedBy = { kind: 'time-limit', detail: `${capS}s` }
      break
    }
    const runSeed = swarmRunSeed(seed, run)
    const scenario = swarmScenario(runSeed)
    // An earlier swarm's failure of this seed must not outlive a run that passes now.
    clearRunOutputs(join(outDir, scenario.name))
    const { result } = runScenario({ scenario, seed: runSeed, strategy })
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
    ran.push({ run, seed: runSeed, verdict: result.verdict, failed: failing, replay: result.replay, ...(failing.length > 0 ? { result: `${scenario.name}/${RESULT_FILE}` } : {}) })
    record?.({ ran, stoppedBy: null, finished: false })
  }
  record?.({ ran, stoppedBy, finished: true })
  const wallS = ((performance.now() - started) / 1000).toFixed(1)
  io.out.write(`\n${ran.length} run(s) in ${wallS}s: ${failures.length} failed\n`)
  for (const failure of failures) io.out.write(`${foldTokens(listTokens('', failure.failing), { first: `  seed ${failure.runSeed}: `, indent: '    ' }).join('\n')}\n    ${failure.replay}\n`)
  if (record !== undefined) io.out.write(`shard manifest: ${join(outDir, SHARD_MANIFEST_FILE)} (combine the shards with likestorm swarm-merge)\n`)
  if (stop.received !== undefined) return SIGNAL_EXIT[stop.received]
  return swarmExit({ failed: failures.length, stoppedBy })
}

/** The swarm's exit code, sharded or not (exitForRuns' precedence): a signal, a failure, then a time limit that left runs undone. */
export function swarmExit({ failed, stoppedBy }: { failed: number; stoppedBy: ShardStop | null }): number {
  if (stoppedBy?.kind === 'signal') return SIGNAL_EXIT[stoppedBy.detail as keyof typeof SIGNAL_EXIT] ?? EXIT.INTERRUPTED
  if (failed > 0) return EXIT.CHECK_FAILED
  return stoppedBy?.kind === 'time-limit' ? EXIT.BOUND_REACHED : EXIT.OK
}

/** Writes the shard's manifest, atomically, each time it is called: after every run, so a shard killed outright still says what it ran. */
function shardRecorder({ runs, seed, strategy, outDir }: SwarmSettings, shard: Shard): (state: Pick<ShardManifest, 'ran' | 'stoppedBy' | 'finished'>) => void {
  const tool = { name: 'likestorm' as const, version: LIKESTORM_VERSION, code: codeFingerprint() }
  const swarmOf = { runs, seed, strategy, shards: shard.count }
  mkdirSync(outDir, { recursive: true })
  return (state) => {
    writeFileAtomic(join(outDir, SHARD_MANIFEST_FILE), `${JSON.stringify(shardManifest({ tool, swarm: swarmOf, shard: shard.index, ...state }), null, 2)}\n`)
  }
}
