// likestorm help: the commands and flags.
export const HELP = `likestorm — simulation and load-testing harness for engagement counting

usage:
  likestorm list                              the scenario library
  likestorm run <scenario…|--all> [flags]     run scenarios, check the history, write results
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
  likestorm help                              this text

run flags:
  --mode sim|http       sim: the in-process engagement core on virtual time (default);
                        http: real sockets, to the mock server started here or to --target
  --target URL          mode http: the first region's URL (the others on the next ports), or
                        us-east=URL,us-west=URL,…; loopback only unless --allow-remote-target
  --allow-remote-target mode http: allow a target that is not on this machine
  --admin-token T       mode http: the target's admin token (or LIKESTORM_ADMIN_TOKEN); without it
                        faults against a --target are skipped and said so
  --time-scale F        mode http: wall time = scenario time x F (0.5: twice as fast; default 1)
  --duration-max S      mode http: hard bound on a run's wall time, seconds
  --connections N       mode http: connections per region (default: the scenario's VUs, 64..2048)
  --seed N              world seed (default 7); the same seed gives the same result.json
  --scale F             population and load multiplier, 0 < F <= 1000 (default 1)
  --strategy S          counting strategy of the system under test: robust | naive (default robust)
  --out DIR             where results go: DIR/<scenario>/result.json (default out)
  --quiet               no progress line
  --no-reports          write result.json only (no report.html, summary.md, junit.xml)
  a scenario may also be swarm-<seed>: the swarm run drawn from that seed

serve flags:
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

export-k6 flags:
  --out DIR             folder for script.js, workload.json, likestorm.json, README.md,
                        k6-operator-testrun.yaml (required)
  --seed N              world seed (default 7)
  --scale F             population and load multiplier, 0 < F <= 1000 (default 1: the k6 options unchanged)
  --target URL          first region's URL, the others on the next ports, or region=URL,…
                        (default http://127.0.0.1:8080)

ingest-k6 flags:
  --export DIR          the folder export-k6 wrote (required)
  --out DIR             where result.json and the reports go (default out/k6/<scenario>)

compare flags:
  --max-p99-increase P    allowed rise of overall p99 latency, percent: 10% or 10 (default 10%)
  --max-goodput-drop P    allowed drop of goodput during overload, percent (default 2%)
  --max-detection-drop P  allowed drop of detection precision/recall per farm kind, points (default 1)
  --md                    print Markdown (pull request, $GITHUB_STEP_SUMMARY)

exit codes: 0 every check passed · 1 a check failed · 2 bad usage or configuration · 130 interrupted (partial result written)
`
