// likestorm help [command], `likestorm <command> --help` and `likestorm --version`: each command's
// usage, flags (written by commander from the command's own flag spec, so help cannot drift from
// what parses), examples, exit codes and what a stop signal does. The exit codes' order is
// exitForRuns' precedence.
import { LIKESTORM_VERSION } from '../scenarios/version.ts'
import { flagsHelp, type CommandDoc, type FlagSpec } from './args.ts'
import { COMPARE_FLAGS } from './commands/compare.ts'
import { EXPORT_K6_FLAGS } from './commands/export-k6.ts'
import { INGEST_K6_FLAGS } from './commands/ingest-k6.ts'
import { NEW_FLAGS } from './commands/new.ts'
import { REPORT_FLAGS } from './commands/report.ts'
import { RUN_FLAGS } from './commands/run-settings.ts'
import { SERVE_FLAGS } from './commands/serve.ts'
import { SWARM_FLAGS } from './commands/swarm.ts'
import { SWARM_MERGE_FLAGS } from './commands/swarm-merge.ts'
import { TOUR_FLAGS } from './commands/tour.ts'
import { WORLD_FLAGS } from './commands/world.ts'

const EXIT_CODES = `exit codes (when several apply, the first listed wins):
  129 130 143  stopped by SIGHUP / SIGINT (Ctrl-C) / SIGTERM (CI cancellation, timeout): what ran
               is written and marked interrupted (stoppedBy: signal)
  1            a check failed, or an abortOnFail threshold stopped a run (compare: a regression)
  4            a run reached its own bound (--time-limit, the operation cap) before its end;
               it prints a STOPPED line and its checks judged what ran
  3            inconclusive: no check failed, but one could not be judged (it says why)
  0            every check passed
  2            bad usage or configuration, before anything runs (one line with a code, e.g. [LS_BAD_FLAG])
`

const SIGNALS = `signals: SIGINT, SIGTERM and SIGHUP stop run, tour and swarm cleanly. The run under way ends
  early and writes a partial result marked interrupted (mode http at once, in-flight requests get
  2 s; mode sim at its next batch of 65,536 operations, then its final reads; swarm and the tour's
  sim runs at the end of the run under way); runs not yet started do not start. A second signal
  quits at once. ingest-k6 quits at the first, writing nothing. Results and reports are written to
  a temporary file and renamed, so a file is whole or absent, never stale or torn.
`

const SCENARIO_FILES = `scenarios: a library name (likestorm list), swarm-<seed> (a swarm run), or your file:
  ./incident.scenario.ts (TypeScript, no setup), .js/.mjs, .json, or a glob ('scenarios/*.ts').
  Its default export is checked whole (every problem with its file and field path, exit 2) and
  result.json records its path and SHA-256.
`

interface CommandHelp extends CommandDoc {
  readonly flags: FlagSpec
}

/** Every command, in the order `likestorm help` lists them. */
const COMMANDS: Readonly<Record<string, CommandHelp>> = {
  list: { args: '', summary: 'the scenario library', flags: {} },
  run: {
    args: '<scenario|file…|--all>',
    summary: 'run scenarios (library names or your files), check the history, write results',
    flags: RUN_FLAGS,
    examples: [
      'npx likestorm run baseline                         # the library\'s baseline, mode sim, seed 7',
      'npx likestorm run ./incident.scenario.ts --seed 3  # your own scenario file',
      'npx likestorm run overload-virginia --mode http --time-scale 0.5   # real sockets, twice as fast',
      'npx likestorm run \'scenarios/*.scenario.ts\' --out out/ci          # every file a glob matches',
      'npx likestorm run like-flap --system ./my-system.ts  # your own system under test (docs/systems.md)',
      'npx likestorm run bot-purge --seeds 1..5   # detection scores over 5 seeds (docs/detectors.md)',
    ],
    notes: [SCENARIO_FILES, EXIT_CODES, SIGNALS],
  },
  new: {
    args: '<name>',
    summary: 'write a commented scenario file to start from (and a GitHub Actions workflow that runs it)',
    flags: NEW_FLAGS,
    examples: ['npx likestorm new checkout-incident --ci github   # checkout-incident.scenario.ts and a workflow'],
    notes: ['exit codes: 0 written · 2 bad usage, or a file exists (without --force)\n'],
  },
  tour: {
    args: '',
    summary: 'one scenario in mode http, then the library with both strategies (npm start)',
    flags: TOUR_FLAGS,
    examples: ['npx likestorm tour --no-http   # the library in mode sim only', 'npx likestorm tour --verbose   # every check of every run'],
    notes: [EXIT_CODES.replace('every check passed', 'every run matched its expected outcome'), SIGNALS],
  },
  swarm: {
    args: '',
    summary: 'random mixes of faults and behaviours; prints each failing run\'s replay command',
    flags: SWARM_FLAGS,
    examples: [
      'npx likestorm swarm --runs 50 --seed 3 --time-limit 5m',
      'npx likestorm swarm --runs 200 --seed 3 --shard 2/4 --out out/shard-2   # one of 4 machines (docs/distributed.md)',
    ],
    notes: [EXIT_CODES, SIGNALS],
  },
  'swarm-merge': {
    args: '<dir…>',
    summary: 'the shards of one swarm (swarm --shard i/n) into one verdict, one index and summary.md',
    flags: SWARM_MERGE_FLAGS,
    examples: ['npx likestorm swarm-merge out/shard-1 out/shard-2 out/shard-3 out/shard-4 --out out/swarm', 'npx likestorm swarm-merge shards/   # every folder in it that holds a swarm-shard.json'],
    notes: [
      `the shards must be of one swarm (--runs, --seed, --strategy, n, likestorm version and code: else
  exit 2, LS_SWARM_MISMATCH), each given once (LS_SWARM_DUPLICATE); runs no shard reported (a shard
  not given, stopped or killed) are listed and never make a pass.
`,
      `exit codes, as the swarm's on one machine: 1 a run failed · 4 a shard reached its --time-limit
  first · 3 runs have no outcome (a shard missing, stopped or killed) · 0 every run passed · 2 bad
  usage, or shards that do not make one swarm
`,
    ],
  },
  serve: {
    args: '',
    summary: 'the mock engagement server alone, one port per region (npm run serve)',
    flags: SERVE_FLAGS,
    examples: ['npx likestorm serve --scenario overload-virginia --port 8080 --admin-token "$TOKEN"'],
    notes: ['SIGINT or SIGTERM: stop accepting, let in-flight requests finish (up to 10 s), exit 0\n'],
  },
  report: {
    args: '<result.json…>',
    summary: 'render report.html, summary.md, junit.xml from saved results',
    flags: REPORT_FLAGS,
    examples: ['npx likestorm report out/baseline/result.json'],
    notes: ['exit codes: 0 once the reports are written, whatever the verdicts (run and compare gate) · 2 a file is not a result\n'],
  },
  compare: {
    args: '<baseline.json> <candidate.json>',
    summary: 'what changed between two runs; exit 1 on a regression',
    flags: COMPARE_FLAGS,
    examples: ['npx likestorm compare baseline/result.json out/incident/result.json --md >> "$GITHUB_STEP_SUMMARY"'],
    notes: [
      `runs of different scenarios, --scale, --mode, --time-scale or --strategy are refused (exit 2,
  LS_COMPARE_MISMATCH): their figures differ by construction. A different --seed is a note: the
  same world redrawn differs by sampling noise only. Latency and goodput of a run that stopped
  early or could not keep its schedule are shown, not judged.
`,
      'exit codes: 0 no regression · 1 a regression beyond the limits · 3 none found, but something could not be judged · 2 bad usage, or runs that cannot be compared\n',
    ],
  },
  'export-k6': {
    args: '<scenario|file>',
    summary: 'the scenario as a k6 script, its workload and a README (k6 v0.46+, k6 operator)',
    flags: EXPORT_K6_FLAGS,
    examples: ['npx likestorm export-k6 overload-virginia --out out/k6-export/overload-virginia --scale 0.1'],
    notes: ['exit codes: 0 written · 2 bad usage\n'],
  },
  'ingest-k6': {
    args: '<k6-output.json…>',
    summary: 'judge a k6 run from its JSON output (one file per instance) with the same checks',
    flags: INGEST_K6_FLAGS,
    examples: ['npx likestorm ingest-k6 k6-out.json --export out/k6-export/overload-virginia'],
    notes: ['a stop signal ends it at once and writes nothing: run it again on the same k6 outputs\n', EXIT_CODES, SIGNALS],
  },
  world: {
    args: 'export <scenario|file>',
    summary: 'the world of a run as NDJSON (users, videos and their creators, seeded likes), for your own service',
    flags: WORLD_FLAGS,
    examples: ['npx likestorm world export baseline --scale 0.1 --out world.ndjson   # then load it into your service'],
    notes: ['the format, and how a service takes it: docs/targets.md\n', 'exit codes: 0 written · 2 bad usage\n'],
  },
}

export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS)

/** `likestorm help`: every command in one line each, the exit codes and the signals. */
export function overviewHelp(): string {
  const width = Math.max(...COMMAND_NAMES.map((name) => name.length))
  const lines = COMMAND_NAMES.map((name) => `  ${name.padEnd(width)}  ${(COMMANDS[name] as CommandHelp).summary}`)
  return [
    `likestorm ${LIKESTORM_VERSION} — simulation and load-testing harness for engagement counting\n`,
    `usage: likestorm <command> [arguments] [flags]\n\ncommands:\n${lines.join('\n')}\n  ${'help'.padEnd(width)}  this text, or one command's: likestorm help run (or likestorm run --help)\n\n`,
    'flags for every command: --help (-h) its help · --version (-V) the version\n',
    `\n${EXIT_CODES}\n${SIGNALS}`,
  ].join('')
}

/** One command's help, or undefined for a command that does not exist. */
export function commandHelp(command: string): string | undefined {
  const help = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
  return help === undefined ? undefined : flagsHelp(command, help.flags, help)
}

export function versionText(): string {
  return `likestorm ${LIKESTORM_VERSION}\n`
}
