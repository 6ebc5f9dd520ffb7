// likestorm help [command], and `likestorm <command> --help`: the commands, their flags, the exit
// codes and what a stop signal does. The exit codes' order is exitForRuns' precedence.

const USAGE = `likestorm — simulation and load-testing harness for engagement counting

usage:
  likestorm list                              the scenario library
  likestorm run <scenario|file…|--all> [flags]
                                              run scenarios (library names, or your files:
                                              x.scenario.ts, .mjs, .json, globs), check the
                                              history, write results
  likestorm new <name> [--format ts|js|json] [--ci github] [--dir DIR] [--force]
                                              write a commented scenario file to start from
                                              (and a GitHub Actions workflow that runs it)
  likestorm tour [--seed N] [--scale F] [--out DIR] [--quiet] [--no-http] [--serial]
                                              one scenario in mode http, then the library with
                                              both strategies (npm start); --serial: one thread
  likestorm swarm [--runs K] [--seed S] [--strategy S] [--time-cap-s N]
                                              random mixes of faults and behaviours; prints each
                                              failing run's replay command
  likestorm serve [flags]                     the mock engagement server alone, one port per region (npm run serve)
  likestorm report <result.json…> [--out DIR] render report.html, summary.md, junit.xml from saved results
  likestorm compare <baseline.json> <candidate.json> [flags]
                                              what changed between two runs; exit 1 on a regression
  likestorm export-k6 <scenario> --out DIR [--seed N] [--scale F] [--target URL]
                                              the scenario as a k6 script, its workload and a README
                                              (k6 v0.46+, k6 operator)
  likestorm ingest-k6 <k6-output.json…> --export DIR [--out DIR]
                                              judge a k6 run from its JSON output (one file per
                                              instance) with the same checks
  likestorm help [command]                    this text, or one command's (also: likestorm <command> --help)
`

const RUN_FLAGS = `run flags:
  --mode sim|http       sim: the in-process engagement core on virtual time (default);
                        http: real sockets, to the mock server started here or to --target
  --target URL          mode http: the first region's URL (the others on the next ports, which
                        must not pass 65535), or us-east=URL,us-west=URL,…; loopback only unless
                        --allow-remote-target
  --allow-remote-target mode http: allow a target that is not on this machine
  --admin-token T       mode http: the target's admin token (or LIKESTORM_ADMIN_TOKEN); without it
                        faults against a --target are skipped and said so
  --time-scale F        mode http: wall time = scenario time x F (0.5: twice as fast; default 1)
  --duration-max S      mode http: hard bound on a run's wall time, seconds; reaching it stops the
                        run with a partial result and exit 4
  --connections N       mode http: connections per region (default: the scenario's VUs, 64..2048)
  --seed N              world seed (default 7); the same seed gives the same result.json
  --scale F             population and load multiplier, 0 < F <= 1000 (default 1)
  --strategy S          counting strategy of the system under test: robust | naive (default robust)
  --out DIR             where results go: DIR/<scenario>/result.json (default out); a run first
                        removes the result and reports it replaces (and an index in DIR)
  --quiet               no progress line
  --no-reports          write result.json only (no report.html, summary.md, junit.xml)
  a scenario may also be swarm-<seed>: the swarm run drawn from that seed, or a file:
  ./incident.scenario.ts (TypeScript, no setup), .js/.mjs, .json, or a glob ('scenarios/*.ts');
  its default export is checked whole (every problem with its file and field, exit 2) and
  result.json records its path and SHA-256
`

const NEW_FLAGS = `new flags:
  --format ts|js|json   the scenario file's language (default ts: <name>.scenario.ts; js: .mjs)
  --ci github           also write .github/workflows/likestorm-<name>.yml: runs the scenario on
                        every push and pull request and uploads its reports
  --dir DIR             the project's folder to write into (default: this one)
  --force               replace files that exist (default: refuse, exit 2)
`

const SERVE_FLAGS = `serve flags:
  --port P              first region's port; the others take P+1, P+2, … (default 8080; 0: a free port each)
  --host H              address to bind (default 127.0.0.1); a non-loopback host needs --allow-remote
  --allow-remote        allow a non-loopback --host (prints a warning)
  --scenario NAME       whose world and capacities to serve (default baseline)
  --seed N              world seed (default 7)
  --scale F             population and capacity multiplier, 0 < F <= 1000 (default 1)
  --strategy S          counting strategy: robust | naive (default robust)
  --regions a,b,…       serve only these regions of the scenario's world
  --admin-token T       bearer token for /admin/v1, 16-256 visible characters (default: generated and printed)
  --log-level L         fatal | error | warn | info | debug | trace | silent (default warn)
  --in-flight-max N     requests served at once per region (default 1024)
  --queue-max N         requests waiting for a slot per region before a 503 (default 1024)
  SIGINT or SIGTERM: stop accepting, let in-flight requests finish (up to 10 s), exit 0
`

const EXPORT_K6_FLAGS = `export-k6 flags:
  --out DIR             folder for script.js, workload.json, likestorm.json, README.md,
                        k6-operator-testrun.yaml (required)
  --seed N              world seed (default 7)
  --scale F             population and load multiplier, 0 < F <= 1000 (default 1: the k6 options unchanged)
  --target URL          first region's URL, the others on the next ports, or region=URL,…
                        (default http://127.0.0.1:8080)
`

const INGEST_K6_FLAGS = `ingest-k6 flags:
  --export DIR          the folder export-k6 wrote (required)
  --out DIR             where result.json and the reports go (default out/k6/<scenario>); the
                        earlier ones there are removed first
  a stop signal ends it at once and writes nothing: run it again on the same k6 outputs
`

const COMPARE_FLAGS = `compare flags:
  --max-p99-increase P    allowed rise of overall p99 latency, percent: 10% or 10 (default 10%)
  --max-goodput-drop P    allowed drop of goodput during overload, percent (default 2%)
  --max-detection-drop P  allowed drop of detection precision/recall per farm kind, points (default 1)
  --md                    print Markdown (pull request, $GITHUB_STEP_SUMMARY)
  runs of different scenarios, --scale, --mode, --time-scale or --strategy are refused (exit 2,
  LS_COMPARE_MISMATCH): their figures differ by construction. A different --seed is a note: the
  same world redrawn differs by sampling noise only. Latency and goodput of a run that stopped
  early or could not keep its schedule are shown, not judged; nothing regressed but something
  could not be judged: exit 3.
`

const EXIT_CODES = `exit codes (when several apply, the first listed wins):
  129 130 143  stopped by SIGHUP / SIGINT (Ctrl-C) / SIGTERM (CI cancellation, timeout): what ran
               is written and marked interrupted (stoppedBy: signal)
  1            a check failed, or an abortOnFail threshold stopped a run (compare: a regression)
  4            a run reached its own bound (--duration-max, the operation cap) before its end;
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

/** The whole help: every command, every command's flags, the exit codes and the signals. */
export const HELP = [USAGE, RUN_FLAGS, NEW_FLAGS, SERVE_FLAGS, EXPORT_K6_FLAGS, INGEST_K6_FLAGS, COMPARE_FLAGS, EXIT_CODES, SIGNALS].join('\n')

/** One command's help: its usage line, its flags, and the exit codes and signals where they apply. */
const COMMAND_HELP: Readonly<Record<string, readonly string[]>> = {
  list: [],
  run: [RUN_FLAGS, EXIT_CODES, SIGNALS],
  tour: [EXIT_CODES.replace('every check passed', 'every run matched its expected outcome'), SIGNALS],
  swarm: [EXIT_CODES, SIGNALS],
  serve: [SERVE_FLAGS],
  report: ['exit codes: 0 once the reports are written, whatever the verdicts (run and compare gate) · 2 a file is not a result\n'],
  compare: [COMPARE_FLAGS, 'exit codes: 0 no regression · 1 a regression beyond the limits · 3 none found, but something could not be judged · 2 bad usage, or runs that cannot be compared\n'],
  'export-k6': [EXPORT_K6_FLAGS, 'exit codes: 0 written · 2 bad usage\n'],
  'ingest-k6': [INGEST_K6_FLAGS, EXIT_CODES, SIGNALS],
  new: [NEW_FLAGS, 'exit codes: 0 written · 2 bad usage, or a file exists (without --force)\n'],
}

export function commandHelp(command: string): string | undefined {
  const sections = Object.hasOwn(COMMAND_HELP, command) ? COMMAND_HELP[command] : undefined
  if (sections === undefined) return undefined
  return [`usage:\n${usageEntry(command).join('\n')}\n`, ...sections].join('\n')
}

/** The command's lines of the usage list: its own line and the description lines under it. */
function usageEntry(command: string): string[] {
  const lines = USAGE.split('\n')
  const start = lines.findIndex((line) => line === `  likestorm ${command}` || line.startsWith(`  likestorm ${command} `))
  const entry = [lines[start] as string]
  for (let i = start + 1; i < lines.length && /^ {10,}\S/.test(lines[i] as string); i++) entry.push(lines[i] as string)
  return entry
}
