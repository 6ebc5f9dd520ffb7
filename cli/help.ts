// likestorm help: the commands and flags.
export const HELP = `likestorm — simulation and load-testing harness for engagement counting

usage:
  likestorm list                              the scenario library
  likestorm run <scenario…|--all> [flags]     run scenarios, check the history, write results
  likestorm tour [--seed N] [--scale F]       the library with both strategies (npm start)
  likestorm swarm [--runs K] [--seed S] [--strategy S] [--time-cap-s N]
                                              random mixes of faults and behaviours; prints each
                                              failing run's replay command
  likestorm help                              this text

run flags:
  --mode sim            drive the in-process engagement core on virtual time (default)
  --seed N              world seed (default 7); the same seed gives the same result.json
  --scale F             population and load multiplier, 0 < F <= 1000 (default 1)
  --strategy S          counting strategy of the system under test: robust | naive (default robust)
  --out DIR             where results go: DIR/<scenario>/result.json (default out)
  --quiet               no progress line
  a scenario may also be swarm-<seed>: the swarm run drawn from that seed

exit codes: 0 every check passed · 1 a check failed · 2 bad usage or configuration
`
